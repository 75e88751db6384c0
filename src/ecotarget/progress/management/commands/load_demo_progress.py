"""Half a year of progress on the sample plan, so that a newcomer sees a living system.

The demo year is the sample's, 2022; the story runs to 8 July 2022, when June's half-year reports are in and
July's are being written. Run the site with ECOTARGET_TODAY=2022-07-08 to see it as of that day (the command says
so). Everything is written through the services with the site's clock set to the simulated day it happens.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, OutputWrapper
from django.db import transaction

from ecotarget.core import clock
from ecotarget.organisation.models import Membership, Post, Unit
from ecotarget.organisation.services import Person, posts_of, tenure_hand_over
from ecotarget.plans.models import Assignment, Plan, Task
from ecotarget.plans.selectors import tasks_with_details
from ecotarget.plans.services import TaskEdit, task_update
from ecotarget.progress.measured import measured_target_ids, reported_by_hand
from ecotarget.progress.models import PlanSetup, ProgressReport, Receipt
from ecotarget.progress.rules import expected_percent, is_group
from ecotarget.progress.selectors import open_instruction, reporting_units
from ecotarget.progress.services.changes import change_request_create, change_request_decide
from ecotarget.progress.services.handout import (
    SetupData,
    plan_groups_keep_with_leads,
    plan_publish,
    plan_setup_save,
    receipt_sign,
)
from ecotarget.progress.services.oversight import instruction_give, task_watch
from ecotarget.progress.services.reporting import ReportData, report_accept, report_return, report_save
from ecotarget.samples import DEMO_TODAY, JIANGLE_2022_PLAN

# Tasks that lag (percentage points behind schedule) and the one that misses its June deadline.
LAGGING = {17: 14, 29: 12, 45: 30, 22: 16, 18: 13}
OVERDUE_TASK = 43
WORK = [
    "已制定工作方案，明确责任人和时间表",
    "组织召开专题推进会，部署重点工作",
    "完成现场排查，建立问题清单和整改台账",
    "整改工作有序推进，已完成阶段性目标",
    "开展督导检查，对发现问题立行立改",
]
PROBLEMS = ["", "", "部分项目资金尚未到位", "基层人员力量不足", "受汛期天气影响，施工进度有所放缓"]

P = ParamSpec("P")
R = TypeVar("R")


class Command(BaseCommand):
    help = "载入半年的进展填报演示数据（2022年1月至7月8日）"

    def handle(self, *args: object, **options: object) -> None:
        plan = Plan.objects.filter(year=2022, source_name=JIANGLE_2022_PLAN.name).first() or Plan.objects.first()
        if plan is None:
            self.stdout.write("没有方案，跳过进展演示数据")
            return
        if ProgressReport.objects.filter(period__plan=plan).exists():
            self.stdout.write("进展演示数据已存在，未重复载入")
            return
        with transaction.atomic():
            _Story(plan, self.stdout).tell()
        self.stdout.write(
            f"进展演示数据：{ProgressReport.objects.filter(period__plan=plan).count()} 份报告"
            f"（截至 {DEMO_TODAY:%Y年%-m月%-d日}）。"
            f"\n  以演示日期查看：ECOTARGET_TODAY={DEMO_TODAY.isoformat()} ecotarget serve"
        )


class _Story:
    def __init__(self, plan: Plan, stdout: OutputWrapper):
        self.plan, self.stdout = plan, stdout
        self.rng = random.Random(2022)
        self.coordinator = User.objects.get(username="coordinator")
        self.leader = User.objects.get(username="leader")
        self.tasks = tasks_with_details(plan.tasks.order_by("number"))
        self.reporters: dict[int, User] = {}
        self.last: datetime | None = None
        for membership in Membership.objects.filter(region=plan.region, role=Membership.Role.REPORTER).select_related(
            "user"
        ):
            assert membership.unit_id is not None  # a reporter always has a unit (membership_reporter_has_unit)
            self.reporters.setdefault(membership.unit_id, membership.user)

    # Every action runs at a moment of its simulated day (the site's clock is set to it, so whatever the action
    # writes carries that moment); the actions of one day follow each other a little apart, in order.
    def on(self, day: date, action: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        if self.last is not None and self.last.date() == day:
            when = self.last + timedelta(seconds=20 + self.rng.randrange(70))
        else:
            when = datetime.combine(day, time(9 + self.rng.randrange(2), self.rng.randrange(60)), tzinfo=clock.zone())
        self.last = when
        with clock.moment(when):
            return action(*args, **kwargs)

    def reporter(self, unit: Unit) -> User:
        user = self.reporters.get(unit.pk)
        if user is None:
            user, _ = User.objects.get_or_create(
                username=f"demo-{unit.pk}", defaults={"first_name": f"{unit.name}填报员"}
            )
            user.set_unusable_password()
            user.save()
            Membership.objects.update_or_create(
                user=user, defaults={"region": unit.region, "role": "reporter", "unit": unit}
            )
            self.reporters[unit.pk] = user
        return user

    def tell(self) -> None:
        plan = self.plan
        setup = self.on(date(2022, 2, 25), plan_setup_save, plan=plan, user=self.coordinator, data=SetupData())
        units = reporting_units(plan)
        zhujian = next(u for u in units if u.name == "住建局")
        self.people(zhujian)
        # 有关乡(镇) stays on its tasks, followed up by each task's lead unit.
        self.on(date(2022, 2, 28), plan_groups_keep_with_leads, plan=plan, user=self.coordinator)
        self.on(date(2022, 2, 28), plan_publish, plan=plan, user=self.coordinator)
        for receipt in Receipt.objects.filter(plan=plan).select_related("unit"):
            if receipt.unit.name in ("水利局", "万安镇"):
                continue  # two units still have not signed
            self.on(
                date(2022, 3, 1 + self.rng.randrange(6)),
                receipt_sign,
                receipt=receipt,
                user=self.reporter(receipt.unit),
            )
        # The coordinator moved task 43's deadline to 30 June at the county's request (kept in its history).
        task43 = next(t for t in self.tasks if t.number == OVERDUE_TASK)
        edit = TaskEdit.of(task43)
        edit.deadlines = [(date(2022, 6, 30), "完成")]
        self.on(date(2022, 3, 10), task_update, task=task43, user=self.coordinator, edit=edit)
        self.tasks = tasks_with_details(plan.tasks.order_by("number"))
        self.measured = measured_target_ids(self.tasks)

        for month in range(3, 8):
            self.month(month, setup)
            if month == 5:
                self.stdout.write("  住建局联系人 5月16日起由王填报接任")
                self.hand_over(zhujian)
        self.leaders_and_requests(zhujian)

    def people(self, zhujian: Unit) -> None:
        old, _ = User.objects.get_or_create(username="demo-zhujian-li", defaults={"first_name": "李原填报（住建局）"})
        old.set_unusable_password()
        old.save()
        contact = next(p for p in posts_of(zhujian) if p.kind == Post.Kind.CONTACT)
        Membership.objects.filter(user__username="zhujian").delete()  # 王填报 joins in May
        self.on(
            date(2022, 1, 4),
            tenure_hand_over,
            post=contact,
            successor=Person("李原填报", old, phone="0598-2321001", email="li@jl.example.cn"),
            on=date(2022, 1, 4),
            by=self.coordinator,
        )
        responsible = next(p for p in posts_of(zhujian) if p.kind == Post.Kind.RESPONSIBLE)
        self.on(
            date(2022, 1, 4),
            tenure_hand_over,
            post=responsible,
            successor=Person("周局长", None, phone="0598-2321000"),
            on=date(2022, 1, 4),
            by=self.coordinator,
        )
        self.reporters[zhujian.pk] = old

    def hand_over(self, zhujian: Unit) -> None:
        contact = next(p for p in posts_of(zhujian) if p.kind == Post.Kind.CONTACT)
        wang = User.objects.get(username="zhujian")
        self.on(
            date(2022, 5, 16),
            tenure_hand_over,
            post=contact,
            successor=Person("王填报", wang, email="wang@jl.example.cn"),
            on=date(2022, 5, 16),
            by=self.coordinator,
            note="李原填报调任",
        )
        self.reporters[zhujian.pk] = wang

    def percent_for(self, task: Task, day: date, setup: PlanSetup) -> int:
        expected = expected_percent(
            start=setup.starts_on, deadlines=[m.due_on for m in task.milestones.all()], on=day, year_end=setup.year_end
        )
        behind = LAGGING.get(task.number, 0) if day.month >= 4 else 0
        if task.number == OVERDUE_TASK:
            behind = 20
        return max(0, min(100, round(expected - behind + self.rng.randrange(-3, 6))))

    def month(self, month: int, setup: PlanSetup) -> None:
        period = self.plan.periods.get(number=month)
        submit_day = date(2022, month, min(20 + self.rng.randrange(4), 24)) if month < 7 else date(2022, 7, 6)
        review_day = period.due_on if month < 7 else date(2022, 7, 7)
        for task in self.tasks:
            for assignment in task.assignments.all():
                unit = assignment.unit
                if is_group(unit) or (month == 7 and self.rng.random() < 0.6):
                    continue
                percent = self.percent_for(task, submit_day, setup)
                progress = "done" if percent >= 100 else ("in_progress" if percent > 0 else "not_started")
                values: dict[int, tuple[Decimal, date]] = {}
                for target in reported_by_hand(task, self.measured):  # measured targets are never typed
                    if target.value is not None:
                        miss = task.number == 35 and month >= 5
                        values[target.pk] = ((target.value - 2) if miss else target.value, date(2022, month, 1))
                instruction = open_instruction(task) if assignment.role == Assignment.Role.LEAD else None
                data = ReportData(
                    progress=progress,
                    percent=percent,
                    work_done=f"{self.rng.choice(WORK)}（{month}月）",
                    problems=self.rng.choice(PROBLEMS) if percent < 100 else "",
                    next_steps="按时间节点推进，确保按期完成" if percent < 100 else "",
                    instruction_answer="已按批示要求增派力量，倒排工期" if instruction else "",
                    values=values,
                )
                user = self.reporter(unit)
                draft_only = month == 7 and self.rng.random() < 0.5
                report = self.on(
                    submit_day,
                    report_save,
                    period=period,
                    task=task,
                    unit=unit,
                    user=user,
                    data=data,
                    version=0,
                    submit=not draft_only,
                )
                if draft_only or month == 7:
                    continue
                if month in (3, 5) and task.number in (12, 17, 30) and assignment.role == Assignment.Role.LEAD:
                    report = self.on(
                        review_day,
                        report_return,
                        report=report,
                        user=self.coordinator,
                        version=report.version,
                        comment="请补充具体完成数量和佐证材料",
                    )
                    data.work_done += "；已补充：完成 12 处，附照片"
                    report = self.on(
                        review_day,
                        report_save,
                        period=period,
                        task=task,
                        unit=unit,
                        user=self.reporter(unit),
                        data=data,
                        version=report.version,
                        submit=True,
                    )
                if month == 6 and self.rng.random() < 0.3:
                    continue  # June's half-year reports: some still waiting for review
                self.on(review_day, report_accept, report=report, user=self.coordinator, version=report.version)

    def leaders_and_requests(self, zhujian: Unit) -> None:
        task45 = self.plan.tasks.get(number=45)
        self.on(date(2022, 6, 28), task_watch, task=task45, user=self.leader, watch=True)
        self.on(
            date(2022, 6, 28),
            instruction_give,
            task=task45,
            user=self.leader,
            text="进度严重滞后，请住建局倒排工期，7月底前拿出整改措施",
        )
        task12 = self.plan.tasks.get(number=12)
        request = self.on(
            date(2022, 4, 6),
            change_request_create,
            task=task12,
            unit=zhujian,
            user=User.objects.get(username="demo-zhujian-li"),
            kind="deadline",
            proposal="",
            reason="分类设施采购延期",
            new_due_on=date(2022, 11, 30),
        )
        self.on(
            date(2022, 4, 8),
            change_request_decide,
            change_request=request,
            user=self.coordinator,
            grant=False,
            note="年度任务不宜推迟，请加快采购",
        )
        guyong = Unit.objects.get(region=self.plan.region, name="古镛镇")
        task16 = self.plan.tasks.get(number=16)
        self.on(
            date(2022, 7, 5),
            change_request_create,
            task=task16,
            unit=guyong,
            user=self.reporter(guyong),
            kind="wording",
            proposal="古镛镇负责城区周边烟花爆竹禁放宣传",
            reason="明确乡镇职责范围",
        )
