"""Whether a value meets a target: the one comparison behind a measured reading's status, a reported value's
status and a task's missed targets; and the words for a target's standing."""

from decimal import Decimal

from django.db import models


class TargetStanding(models.TextChoices):
    """Where a numeric target stands: a measured reading's status, or a reported value's."""

    MET = "met", "达标"
    AT_RISK = "at_risk", "有风险"
    MISSED = "missed", "未达标"
    NO_DATA = "no_data", "无数据"


def target_met(op: str, goal: Decimal | float, value: Decimal | float) -> bool:
    """Does `value` meet the target `op goal` (op one of `Target.Op`: <=, >=, ==, <, >)?"""
    goal, value = Decimal(str(goal)), Decimal(str(value))
    return {
        "<=": value <= goal,
        ">=": value >= goal,
        "==": value == goal,
        "<": value < goal,
        ">": value > goal,
    }[op]
