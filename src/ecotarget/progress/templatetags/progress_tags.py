from datetime import UTC, date, datetime

from django import template
from django.contrib.auth.models import User
from django.utils import dateformat, timezone

from ecotarget.core.people import display_name

from ..models import Period

register = template.Library()


@register.filter
def state_label(period: Period, today: date) -> str:
    return period.state_label_on(today)


@register.filter
def who(user: User | None, default: str = "") -> str:
    """A user's name as people read it; `default` when there is nobody (a scheduled job, a deleted account)."""
    return display_name(user, default)


@register.filter
def local_time(stamp: str, fmt: str = "H:i:s") -> str:
    """A time kept as ISO text in a JSON field (a reminder's delivery attempts), shown in the region's zone like
    every other time on the site; text that is not a time is shown as it is."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return dateformat.format(timezone.localtime(moment), fmt)
