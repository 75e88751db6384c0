"""`ecotarget demo-assessment`: the demo 评分细则 for the sample plan, scored as of the demo's day.

`load-demo` runs it last, after the monitoring data and the reports it scores are in (it is not a
`load_demo_<app>` command: those run before the others' data exist, in name order)."""

from django.core.management.base import BaseCommand, CommandError

from ecotarget.assessment import loading, services
from ecotarget.core.errors import Refusal
from ecotarget.organisation.models import Membership
from ecotarget.plans.models import Plan


class Command(BaseCommand):
    help = "载入演示考核方案并计算演示年度得分 (the demo assessment scheme, scored as of the demo's day)"

    def handle(self, *args, **options):
        plan = Plan.objects.order_by("-year", "id").first()
        if plan is None:
            raise CommandError("尚无方案：请先运行 load-demo")
        coordinator = (
            Membership.objects.filter(region_id=plan.region_id, role=Membership.Role.COORDINATOR)
            .select_related("user")
            .first()
        )
        user = coordinator.user if coordinator else None
        try:
            scheme, new = loading.demo_scheme_load(plan=plan, user=user)
            result = services.assessment_compute(scheme=scheme, user=user)
        except Refusal as refusal:
            raise CommandError(str(refusal)) from None
        label = "预估" if result.provisional else "得分"
        state = "已载入" if new else "已存在，重新计算"
        self.stdout.write(
            f"考核方案“{scheme.title}”{state}：{len(result.sheets)} 个被考核单位，{label}截至 {result.day:%Y-%m-%d}"
        )
