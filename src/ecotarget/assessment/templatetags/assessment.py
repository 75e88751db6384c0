from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping|get_item:key`: a dict's value in a template (the sheet's evidence offered per item)."""
    return mapping.get(key, []) if mapping else []
