"""A stored breakdown plan (分解方案): sections, tasks, who answers for them, targets and milestones."""

from decimal import Decimal

from django.conf import settings
from django.db import models

from ecotarget.core import clock
from ecotarget.organisation.models import Region, Unit


class Plan(models.Model):
    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=50, blank=True)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    year = models.PositiveIntegerField("年度")
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("来源文件SHA-256", max_length=64, blank=True)
    created_at = models.DateTimeField("导入时间", default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    # The targets the plan states for itself (目标任务 / 主要目标 / a heading's own target), not any task's:
    # [{"section", "text", "targets": [{"metric", "op", "value", "measure_unit", "baseline", "reduction"}],
    #   "deadlines": [[date, what]]}]. Kept on the plan: they are read with it and replaced with it.
    goals = models.JSONField("方案总体目标", default=list, blank=True)

    class Meta:
        verbose_name = "分解方案"
        verbose_name_plural = "分解方案"
        ordering = ["-year", "-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "title"], name="plan_unique_title_per_year")]

    def __str__(self) -> str:
        return self.title

    def goal_rows(self) -> list[dict]:
        """The plan's goals with each target in words ("全县PM2.5浓度 ≤ 25 微克/立方米"), for its page."""
        return [
            {
                **goal,
                "target_words": [
                    Target(
                        metric=t["metric"],
                        op=t["op"],
                        value=None if t["value"] is None else Decimal(t["value"]),
                        measure_unit=t["measure_unit"],
                        baseline=t["baseline"],
                        reduction=t["reduction"],
                    ).describe()
                    for t in goal.get("targets", [])
                ],
            }
            for goal in self.goals
        ]


class Section(models.Model):
    """A 一、 heading, or with a parent a (一) subsection."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField("序号", max_length=10)
    title = models.CharField("标题", max_length=200)
    order = models.PositiveIntegerField("排序")

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.number}、{self.title}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, verbose_name="章节", on_delete=models.PROTECT, related_name="tasks")
    subsection = models.ForeignKey(
        Section, verbose_name="小节", null=True, blank=True, on_delete=models.PROTECT, related_name="subtasks"
    )
    number = models.PositiveIntegerField("序号")
    text = models.TextField("任务内容")
    units = models.ManyToManyField(Unit, through="Assignment", verbose_name="责任单位", related_name="tasks")
    # Why the parser could not read the task without doubt (its units unreadable, the file cut off in it…):
    # the task is imported all the same and waits for the coordinator, whose save in the editor clears it.
    review_reasons = models.JSONField("需核对原因", default=list, blank=True)

    class Meta:
        verbose_name = "目标任务"
        verbose_name_plural = "目标任务"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number_in_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"

    @property
    def needs_review(self) -> bool:
        return bool(self.review_reasons)


class Assignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        CO = "co", "配合"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField("角色", max_length=4, choices=Role.choices)
    order = models.PositiveIntegerField("排序", default=0)
    # A unit owes reports from the day it was given the task; units named by the plan itself start with the plan.
    starts_on = models.DateField("承担起始日", null=True, blank=True, help_text="空 = 自方案交办起")
    # What in the document gave this unit this role (a label word, a verb, a table column, a rule stated once),
    # or that the coordinator chose it in the editor.
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="assignment_unique_unit_per_task")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


class Target(models.Model):
    class Op(models.TextChoices):
        LE = "<=", "不高于"
        GE = ">=", "不低于"
        EQ = "==", "等于"
        LT = "<", "低于"
        GT = ">", "高于"

    class Baseline(models.TextChoices):
        PREVIOUS_YEAR = "previous_year", "上年"
        THREE_YEAR_AVERAGE = "three_year_average", "近三年平均"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField("指标", max_length=200)
    op = models.CharField("比较", max_length=2, choices=Op.choices)
    value = models.DecimalField("目标值", max_digits=14, decimal_places=4, null=True, blank=True)
    measure_unit = models.CharField("计量单位", max_length=30, blank=True)
    baseline = models.CharField("基准", max_length=20, choices=Baseline.choices, blank=True)
    reduction = models.BooleanField("为降幅", default=False)
    source_text = models.CharField("原文", max_length=300, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["task", "order"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """The target as a reader says it: 'PM2.5浓度 ≤ 15 微克/立方米', '农药使用量 较上年减少 ≥ 2 %'."""
        symbol = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">"}[self.op]
        parts = [self.metric]
        if self.reduction:
            parts.append("较上年减少")
        parts.append(symbol)
        if self.value is not None:
            parts.append(f"{self.value.normalize():f}")
            if self.measure_unit:
                parts.append(self.measure_unit)
        if self.baseline and not self.reduction:
            parts.append(self.get_baseline_display())
        return " ".join(parts)


class Milestone(models.Model):
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="milestones")
    due_on = models.DateField("时限")
    what = models.CharField("节点内容", max_length=300, blank=True)

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["task", "due_on"]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.what}".strip()


class TaskChange(models.Model):
    """One row per change to a task, kept for good: who, when, what it was and what it became."""

    class Action(models.TextChoices):
        IMPORT = "import", "导入"
        REIMPORT = "reimport", "重新导入"
        EDIT = "edit", "修改"
        REQUEST = "request", "批准调整申请"
        BINDING = "binding", "监测指标绑定"

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="changes")
    task = models.ForeignKey(
        Task, verbose_name="任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    task_number = models.PositiveIntegerField("任务序号")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    changes = models.JSONField("变更内容", default=dict, help_text="{字段: [原值, 新值]}")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "任务变更记录"
        verbose_name_plural = "任务变更记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"任务{self.task_number} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
