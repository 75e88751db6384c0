"""Monitoring's part in what the plans app announces, and in changes to its own data (connected in
MonitoringConfig.ready())."""

from ecotarget.plans.models import Plan, Target

from . import cache
from .models import IndicatorBinding
from .services import bindings_suggest, plan_bindings


def bind_imported_targets(sender, *, plan: Plan, targets: list[Target], user, **kwargs) -> list[IndicatorBinding]:
    """A plan import binds the targets it created whose wording names a monitored indicator, and lists the plan's
    measured targets (new ones included) with its result."""
    bindings_suggest(targets=targets, user=user)
    return plan_bindings(plan)


def data_changed(sender, *, instance, **kwargs) -> None:
    """What measures are computed from changed (an import batch, a deducted day, a station, a value edited by
    hand): the region's kept measures are computed anew (`cache`). In the transaction of the change.

    A batch is saved when its values are all stored (it counts them), so data written in several transactions
    under one batch are seen whole. Measurements are not watched for deletion: a listener would make Django
    delete a batch's rows one by one; they go with their batch or station, which are."""
    region_id = getattr(instance, "region_id", None)
    if region_id is None:  # a measurement: its station's region
        region_id = instance.station.region_id
    cache.data_changed(region_id)
