from progress.helpers import clock, published

__all__ = ["clock", "published"]
