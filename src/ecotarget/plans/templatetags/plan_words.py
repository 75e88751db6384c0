"""Plan facts in a reader's words on pages that show them before they are stored (the import preview)."""

from django import template

from ecotarget.plandoc.model import Target as ParsedTarget
from ecotarget.plans.models import Target

register = template.Library()


@register.filter
def target_words(parsed: ParsedTarget) -> str:
    """A parsed target as the stored one will read: 'PM2.5浓度 ≤ 15 微克/立方米', '优质水比例 ≥ 上年'."""
    return Target(
        metric=parsed.metric,
        op=parsed.op,
        value=parsed.value,
        unit=parsed.unit or "",
        baseline=parsed.baseline or "",
        reduction=parsed.reduction,
    ).describe()
