"""Written reports (书面报告) to the city: a half-year or year-end report of a plan, kept as numbered versions.

A version is either drafted by the system from stored data (generated) or the coordinator's edit of the one
before it (edited). Versions are never changed or deleted, so every report that was ever produced can be
exported again exactly as it was, with its date.
"""

from django.conf import settings
from django.db import models

from ecotarget.core import clock
from ecotarget.plans.models import Plan

USER = settings.AUTH_USER_MODEL


class WrittenReport(models.Model):
    class Kind(models.TextChoices):
        HALF_YEAR = "half_year", "半年工作报告"
        YEAR_END = "year_end", "年度工作报告"

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="written_reports")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    period_end = models.DateField("统计截止日")
    created_at = models.DateTimeField("创建时间", default=clock.now)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "书面报告"
        verbose_name_plural = "书面报告"
        ordering = ["plan", "period_end"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="written_report_unique_kind_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan.year}年{self.get_kind_display()}"


class ReportVersion(models.Model):
    """One version of a written report: its text sections and the tables drafted with them.

    `sections` is a list of {key, heading, text, table, drafted, proposed} (drafting.ReportSection): `text` is
    what the report says, `drafted` the system's text it started from, and `proposed` a newer system draft offered
    beside text the coordinator had edited (a re-generation never overwrites an edit; the coordinator chooses).
    `tables` holds the tables as drafted: {"indicators": [...], "tasks": [...], "lagging": [...]}.
    """

    class Source(models.TextChoices):
        GENERATED = "generated", "系统生成"
        EDITED = "edited", "人工修改"

    report = models.ForeignKey(
        WrittenReport, verbose_name="书面报告", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    title = models.CharField("标题", max_length=200)
    as_of = models.DateField("数据截至")
    # Drafted before its period ended (e.g. a year-end report in July): a forecast, labelled as such everywhere.
    provisional = models.BooleanField("预报稿", default=False)
    # 成文日期: the date the report is signed, printed at its end; the coordinator sets it in the editor.
    signed_on = models.DateField("成文日期", default=clock.today)
    sections = models.JSONField("正文各部分", default=list)
    tables = models.JSONField("表格", default=dict)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("生成/修改时间", default=clock.now)
    created_by = models.ForeignKey(USER, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "书面报告版本"
        verbose_name_plural = "书面报告版本"
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版（{self.get_source_display()}）"

    @property
    def pending_proposals(self) -> int:
        return sum(1 for s in self.sections if s.get("proposed"))
