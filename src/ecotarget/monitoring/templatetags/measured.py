"""The task page's targets with where each value comes from; the plans app shows them without knowing monitoring."""

from dataclasses import dataclass

from django import template

from ecotarget.monitoring.bindings import Suggestion, suggest
from ecotarget.monitoring.forms import BindingForm
from ecotarget.monitoring.models import IndicatorBinding
from ecotarget.organisation.access import may_configure_monitoring
from ecotarget.plans.models import Target, Task

register = template.Library()


@dataclass
class TargetSource:
    target: Target
    binding: IndicatorBinding | None
    suggestion: Suggestion | None
    form: BindingForm | None

    @property
    def suggested_label(self) -> str:
        return self.suggestion.name if self.suggestion else ""


@register.inclusion_tag("monitoring/_task_targets.html", takes_context=True)
def task_targets(context: template.Context, task: Task) -> dict:
    """Needs the task's targets prefetched; one query for their bindings. Those who may configure monitoring get
    a form per target."""
    membership = context.get("membership")
    editable = membership is not None and may_configure_monitoring(membership, task.plan)
    targets = list(task.targets.all())
    bindings = {b.target_id: b for b in IndicatorBinding.objects.in_force().filter(target__in=targets)}
    rows = []
    for target in targets:
        binding = bindings.get(target.pk)
        form = None
        if editable:
            initial = {"indicator": "", "scope": "", "edition": IndicatorBinding.Edition.AUTO}
            if binding is not None:
                initial = {"indicator": binding.indicator, "scope": binding.scope, "edition": binding.edition}
            form = BindingForm(prefix=f"t{target.pk}", initial=initial, auto_id=f"id_t{target.pk}_%s")
        rows.append(TargetSource(target, binding, None if binding else suggest(target.metric), form))
    return {"rows": rows, "editable": editable, "csrf_token": context.get("csrf_token")}
