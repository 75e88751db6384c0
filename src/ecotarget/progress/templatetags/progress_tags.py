from django import template

register = template.Library()


@register.filter
def state_label(period, today) -> str:
    return period.state_label_on(today)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def who(user, default: str = "") -> str:
    """A user's name as people read it; `default` when there is nobody (a scheduled job, a deleted account)."""
    if user is None:
        return default
    return user.get_full_name() or user.username
