"""Progress fixtures on top of the shared personas: a frozen clock and the sample plan set up and handed out.

They live in helpers.py so that the browser tests can use them too.
"""

from .helpers import clock, published

__all__ = ["clock", "published"]
