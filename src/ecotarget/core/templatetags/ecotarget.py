from django import template

register = template.Library()

ROLE_MARK = {"lead": "牵", "co": "配"}


@register.filter
def role_mark(role: str) -> str:
    return ROLE_MARK.get(role, "")


@register.filter
def plain_decimal(value) -> str:
    """A Decimal without trailing zeros or exponent: 98.4000 → 98.4, 100.0000 → 100."""
    from ecotarget.core.numbers import plain_number

    return plain_number(value, none="")
