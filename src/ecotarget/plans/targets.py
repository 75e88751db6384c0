"""Whether a value meets a target: the one comparison behind a measured reading's status, a reported value's
status and a task's missed targets."""

from decimal import Decimal


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
