"""The year's assessment (考核): a scheme of parts and items (评分细则) for a plan, one assessment per assessed
party, and each item's scores — the unit's own, the reviewer's, and what the system computed with its working.

The scoring itself is `ecotarget.scoring` (pure Python); an item stores its rule as a kind and JSON parameters
that the core checks (`scoring.rules.parse_rule`) before anything is saved.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from ecotarget.core import clock
from ecotarget.organisation.models import Unit
from ecotarget.plans.models import Plan, Target, Task
from ecotarget.progress.models import Evidence
from ecotarget.scoring import rules
from ecotarget.scoring.totals import Grading

USER = settings.AUTH_USER_MODEL


class Scheme(models.Model):
    class Level(models.TextChoices):
        COUNTY = "county", "县对责任单位"
        CITY = "city", "市对县"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_FORCE = "in_force", "已发布"

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="schemes")
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.COUNTY)
    title = models.CharField("标题", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    full = models.DecimalField("满分", max_digits=6, decimal_places=2, default=Decimal(100))
    places = models.PositiveSmallIntegerField("得分保留小数位", default=2)
    # Grade bands, best first: [[name, lowest total], …]; below the last is 不合格.
    grades = models.JSONField("等次分数线", default=list, blank=True)
    top_n = models.PositiveSmallIntegerField("优秀名额（每类前N名）", null=True, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    self_due_on = models.DateField("自评截止日", null=True, blank=True)
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-plan__year", "level", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "level"], name="scheme_unique_level_per_plan")]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self) -> int:
        return self.plan.year

    def grading(self) -> Grading:
        bands = tuple((str(name), Decimal(str(low))) for name, low in self.grades) if self.grades else None
        return Grading(bands=bands, top_n=self.top_n) if bands else Grading(top_n=self.top_n)


class SchemePart(models.Model):
    """A part of the scheme (绿色发展, 环境质量…), usually one of the letter's sections."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="parts")
    number = models.CharField("序号", max_length=10)
    title = models.CharField("名称", max_length=200)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核部分"
        verbose_name_plural = "考核部分"
        ordering = ["scheme", "order", "id"]

    def __str__(self) -> str:
        return f"{self.number}、{self.title}"


class SchemeItem(models.Model):
    part = models.ForeignKey(SchemePart, verbose_name="部分", on_delete=models.CASCADE, related_name="items")
    number = models.CharField("序号", max_length=20)
    content = models.TextField("考核内容")
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    standard = models.TextField("评分标准", blank=True)
    kind = models.CharField("评分方式", max_length=12, choices=[(k.value, k.label) for k in rules.Kind])
    params = models.JSONField("评分参数", default=dict, blank=True)
    lead_units = models.ManyToManyField(Unit, verbose_name="牵头单位", blank=True, related_name="+")
    # The units assessed on the item (责任单位); none = every assessed unit (公众满意度, 加分, 一票否决…).
    units = models.ManyToManyField(Unit, verbose_name="责任单位", blank=True, related_name="assessment_items")
    tasks = models.ManyToManyField(Task, verbose_name="对应任务", blank=True, related_name="assessment_items")
    targets = models.ManyToManyField(Target, verbose_name="对应指标", blank=True, related_name="assessment_items")
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核条目"
        verbose_name_plural = "考核条目"
        ordering = ["part", "order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.content[:30]}"

    def rule(self) -> rules.Rule:
        return rules.parse_rule(self.kind, self.params, points=self.points)

    def rule_text(self) -> str:
        try:
            return rules.describe(self.rule(), self.points)
        except rules.RuleError as error:
            return f"（评分规则有误：{error}）"

    @property
    def kind_label(self) -> str:
        return rules.Kind(self.kind).label


class Assessment(models.Model):
    """One assessed party's year: a unit of the county, or (a city-level scheme) the county itself (no unit)."""

    class State(models.TextChoices):
        SELF = "self", "自评中"
        SUBMITTED = "submitted", "已提交"
        REVIEWING = "reviewing", "审核中"
        APPROVAL = "approval", "待审批"
        PUBLISHED = "published", "已发布"

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(
        Unit, verbose_name="被考核单位", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SELF)
    self_report = models.TextField("自评报告", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_late = models.BooleanField("逾期提交", default=False)
    returned_reason = models.TextField("退回理由", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    # The last computation kept (`assessment_compute`): what the ranking page and the sheet show.
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, blank=True)
    rank = models.PositiveIntegerField("排名", null=True, blank=True)
    working = models.CharField("计分过程", max_length=500, blank=True)
    provisional = models.BooleanField("预估", default=True)
    computed_on = models.DateField("数据截至", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["scheme", "unit__kind", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="assessment_unique_unit_per_scheme"),
            models.UniqueConstraint(
                fields=["scheme"], condition=models.Q(unit__isnull=True), name="assessment_one_region_per_scheme"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.plan.year}年 {self.party}"

    @property
    def party(self) -> str:
        return self.unit.name if self.unit is not None else self.scheme.plan.region.name

    @property
    def group(self) -> str:
        return self.unit.kind if self.unit is not None else "region"


class ItemScore(models.Model):
    """An item of one assessment: the unit's self-assessment, the reviewer's score and facts, the computed result."""

    assessment = models.ForeignKey(Assessment, verbose_name="考核", on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(SchemeItem, verbose_name="考核条目", on_delete=models.CASCADE, related_name="scores")
    self_score = models.DecimalField("自评得分", max_digits=6, decimal_places=2, null=True, blank=True)
    self_note = models.TextField("自评说明", blank=True)
    evidence = models.ManyToManyField(Evidence, verbose_name="佐证材料", blank=True, related_name="+")
    self_by = models.ForeignKey(
        USER, verbose_name="自评人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    self_at = models.DateTimeField("自评时间", null=True, blank=True)
    # What the reviewer found: events counted, bonus or penalty entries, a veto, a completion judgement
    # ({"counts": {...}}, {"entries": [...]}, {"vetoed": true, "reason": ...}, {"state": "part", "percent": 60}).
    facts = models.JSONField("核实情况", default=dict, blank=True)
    reviewed_score = models.DecimalField("审核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    review_reason = models.TextField("审核理由", blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    lost = models.DecimalField("扣分", max_digits=6, decimal_places=2, null=True, blank=True)
    working = models.TextField("计分过程", blank=True)

    class Meta:
        verbose_name = "条目得分"
        verbose_name_plural = "条目得分"
        ordering = ["assessment", "item__part__order", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="item_score_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.item}"


class ScoreChange(models.Model):
    """A change to an item's score after the results were published: kept with who made it, when and why, and
    shown on the unit's sheet (the published figures are fixed; a later change is the exception, on the record)."""

    assessment = models.ForeignKey(Assessment, verbose_name="考核", on_delete=models.CASCADE, related_name="changes")
    item = models.ForeignKey(SchemeItem, verbose_name="考核条目", on_delete=models.CASCADE, related_name="changes")
    before = models.DecimalField("原得分", max_digits=6, decimal_places=2, null=True, blank=True)
    after = models.DecimalField("新得分", max_digits=6, decimal_places=2)
    total_before = models.DecimalField("原总分", max_digits=7, decimal_places=2, null=True, blank=True)
    total_after = models.DecimalField("新总分", max_digits=7, decimal_places=2, null=True, blank=True)
    grade_before = models.CharField("原等次", max_length=10, blank=True)
    grade_after = models.CharField("新等次", max_length=10, blank=True)
    reason = models.TextField("变更理由")
    changed_by = models.ForeignKey(USER, verbose_name="变更人", null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField("变更时间", default=clock.now)

    class Meta:
        verbose_name = "发布后得分变更"
        verbose_name_plural = "发布后得分变更"
        ordering = ["assessment", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.item.number}"
