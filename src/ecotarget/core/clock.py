"""The date the whole site runs on."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def today() -> date:
    """The real date, unless ECOTARGET_TODAY pins it (demos and training only: the sample plan is for 2022)."""
    pinned = settings.ECOTARGET_TODAY
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ImproperlyConfigured(f"ECOTARGET_TODAY={pinned!r} is not a date (YYYY-MM-DD)") from None
    return timezone.localdate()
