"""The date and time the whole site runs on.

Every timestamp the app writes comes from `now()`, so that a demo or a training site pinned to a day
(ECOTARGET_TODAY) writes that day, not the real one, and its histories stay in order.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

# A moment set by `moment()` (the demo loader tells its story day by day through it).
_moment: ContextVar[datetime | None] = ContextVar("ecotarget_moment", default=None)


def zone() -> ZoneInfo:
    """The region's time zone: every time shown to a person is in it."""
    return ZoneInfo(settings.TIME_ZONE)


def _pinned() -> date | None:
    pinned = settings.ECOTARGET_TODAY
    if not pinned:
        return None
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise ImproperlyConfigured(f"ECOTARGET_TODAY={pinned!r} is not a date (YYYY-MM-DD)") from None


def local_date(moment: datetime) -> date:
    """The region's date at `moment` (aware): the one conversion of a recorded time to the day it happened on."""
    return timezone.localtime(moment, zone()).date()


def today() -> date:
    """The real date, unless ECOTARGET_TODAY pins it (demos and training only: the sample plan is for 2022)."""
    moment = _moment.get()
    if moment is not None:
        return local_date(moment)
    return _pinned() or timezone.localdate()


def now() -> datetime:
    """The current moment (aware). When the day is pinned: that day, at the current time of day in the region's
    zone, so that actions of the pinned day keep their real order."""
    moment = _moment.get()
    if moment is not None:
        return moment
    pinned = _pinned()
    real = timezone.now()
    if pinned is None:
        return real
    return datetime.combine(pinned, real.astimezone(zone()).time(), tzinfo=zone())


@contextmanager
def moment(at: datetime) -> Iterator[None]:
    """Run the block as if it were `at` (aware): for the demo loader, which acts on simulated days."""
    if timezone.is_naive(at):
        raise ValueError("moment() needs an aware datetime")
    token = _moment.set(at)
    try:
        yield
    finally:
        _moment.reset(token)
