from django import template

register = template.Library()

ROLE_MARK = {"lead": "牵", "co": "配"}


@register.filter
def role_mark(role: str) -> str:
    return ROLE_MARK.get(role, "")


@register.filter
def readable_changes(changes: dict) -> list[tuple[str, str, str]]:
    from ecotarget.plans.snapshots import readable_changes as describe

    return describe(changes)
