from dashboard.scenario import half_year
from progress.helpers import clock, published

__all__ = ["clock", "half_year", "published"]
