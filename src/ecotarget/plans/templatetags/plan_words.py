"""Plan facts in a reader's words: parsed targets before they are stored (the import preview), and a task's changes."""

from django import template

from ecotarget.plandoc.model import Target as ParsedTarget
from ecotarget.plans.snapshots import readable_changes as describe
from ecotarget.plans.snapshots import target_words as words

register = template.Library()


@register.filter
def target_words(parsed: ParsedTarget) -> str:
    """A parsed target as the stored one will read: 'PM2.5浓度 ≤ 15 微克/立方米', '优质水比例 ≥ 上年'."""
    return words(parsed.metric, parsed.op, parsed.value, parsed.measure_unit, parsed.baseline, parsed.reduction)


@register.filter
def readable_changes(changes: dict) -> list[tuple[str, str, str]]:
    return describe(changes)
