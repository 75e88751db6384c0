from django import template

register = template.Library()


@register.filter
def state_label(period, today) -> str:
    return period.state_label_on(today)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
