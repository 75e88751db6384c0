"""Progress's part in what the apps below it announce or ask (connected in ProgressConfig.ready())."""

from ecotarget.plans.models import Plan
from ecotarget.progress.closing import periods_close_due
from ecotarget.progress.models import PlanSetup


def keep_closed_periods(sender: object, *, plan: Plan, **kwargs: object) -> None:
    """Before a task edit or a monitoring setting changes what decides statuses: freeze the closed periods."""
    periods_close_due(plan=plan)


def risk_margin_of(sender: object, *, plan: Plan, **kwargs: object) -> int | None:
    """The risk margin of the plan's set-up, for monitoring's readings; None when the plan is not set up."""
    return PlanSetup.objects.filter(plan=plan).values_list("risk_margin", flat=True).first()
