"""Monitoring's part in what the plans app announces (connected in MonitoringConfig.ready())."""

from ecotarget.plans.models import Plan, Target

from .models import IndicatorBinding
from .services import bindings_suggest, plan_bindings


def bind_imported_targets(sender, *, plan: Plan, targets: list[Target], user, **kwargs) -> list[IndicatorBinding]:
    """A plan import binds the targets it created whose wording names a monitored indicator, and lists the plan's
    measured targets (new ones included) with its result."""
    bindings_suggest(targets=targets, user=user)
    return plan_bindings(plan)
