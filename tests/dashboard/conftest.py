from progress.helpers import clock, published

from .scenario import half_year

__all__ = ["clock", "half_year", "published"]
