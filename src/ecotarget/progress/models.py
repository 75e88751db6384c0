"""Progress through the year: reporting set-up and periods, hand-over receipts, change requests, unit reports
with their target values and evidence, the review trail, leaders' watch and instructions, reminders, and the
coordinator-entered holiday arrangements of years the calendar library does not know yet."""

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ecotarget.core import clock
from ecotarget.organisation.models import Region, Unit
from ecotarget.plans.models import Plan, Target, Task

from . import periods
from .rules import Thresholds

USER = settings.AUTH_USER_MODEL


class WebhookKind(models.TextChoices):
    DINGTALK = "dingtalk", "钉钉群机器人"
    WECOM = "wecom", "企业微信群机器人"


class PlanSetup(models.Model):
    """How a plan is reported on: frequency, due day, thresholds, reminders; and whether it has been handed out."""

    class Frequency(models.TextChoices):
        MONTHLY = periods.MONTHLY, "按月"
        QUARTERLY = periods.QUARTERLY, "按季度"

    plan = models.OneToOneField(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="setup")
    frequency = models.CharField("填报频次", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    due_day = models.PositiveSmallIntegerField(
        "每期报送日", default=25, validators=[MinValueValidator(1), MaxValueValidator(28)], help_text="遇节假日顺延"
    )
    starts_on = models.DateField("序时起点", help_text="序时进度从这一天的 0% 开始计算")
    lagging_threshold = models.PositiveSmallIntegerField(
        "滞后阈值（百分点）", default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    serious_threshold = models.PositiveSmallIntegerField(
        "严重滞后阈值（百分点）", default=25, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    risk_margin = models.PositiveSmallIntegerField(
        "监测指标预警幅度（%）",
        default=5,
        validators=[MaxValueValidator(50)],
        help_text="年底预计值距目标在此幅度以内时显示为有风险",
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        "提前提醒（工作日）", default=3, validators=[MaxValueValidator(20)]
    )
    webhook_kind = models.CharField("群机器人类型", max_length=10, choices=WebhookKind.choices, blank=True)
    webhook_url = models.URLField("群机器人地址", max_length=500, blank=True, help_text="未单独设置的单位使用此地址")
    published_at = models.DateTimeField("交办时间", null=True, blank=True)
    published_by = models.ForeignKey(
        USER, verbose_name="交办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", default=clock.now)
    updated_by = models.ForeignKey(
        USER, verbose_name="修改人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "填报设置"
        verbose_name_plural = "填报设置"

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_frequency_display()}"

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(lagging=self.lagging_threshold, serious=self.serious_threshold)

    @property
    def year_end(self) -> date:
        return date(self.plan.year, 12, 31)


class PeriodState(models.TextChoices):
    """Where a period stands on a day; it comes from the date alone and is not stored."""

    UPCOMING = "upcoming", "未开始"
    OPEN = "open", "填报中"
    CLOSED = "closed", "已截止"


class Period(models.Model):
    """One reporting period. Open from `opens_on` to `due_on` inclusive; its state comes from the date alone."""

    KIND_CHOICES = list(periods.KIND_LABELS.items())

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField("期次")
    kind = models.CharField("类型", max_length=10, choices=KIND_CHOICES)
    label = models.CharField("名称", max_length=30)
    starts_on = models.DateField("起")
    ends_on = models.DateField("止")
    opens_on = models.DateField("开放填报")
    due_on = models.DateField("报送截止")

    class Meta:
        verbose_name = "填报周期"
        verbose_name_plural = "填报周期"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="period_unique_number_in_plan")]

    def __str__(self) -> str:
        return self.label

    @staticmethod
    def open_on(day: date) -> models.Q:
        """Periods open for reporting on `day`, as a filter: `state_on(day) == PeriodState.OPEN` in SQL."""
        return models.Q(opens_on__lte=day, due_on__gte=day)

    def state_on(self, today: date) -> "PeriodState":
        if today < self.opens_on:
            return PeriodState.UPCOMING
        if today <= self.due_on:
            return PeriodState.OPEN
        return PeriodState.CLOSED

    def state_label_on(self, today: date) -> str:
        return self.state_on(today).label


class Receipt(models.Model):
    """A unit's signature for its list of tasks (签收) after the coordinator hands the plan out (交办)."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="receipts")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="receipts")
    handed_at = models.DateTimeField("交办时间")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        USER, verbose_name="签收人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "交办签收"
        verbose_name_plural = "交办签收"
        ordering = ["plan", "unit__kind", "unit__order"]
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="receipt_unique_unit_per_plan")]

    def __str__(self) -> str:
        return f"{self.unit} {'已签收' if self.signed_at else '未签收'}"


class ChangeRequest(models.Model):
    """A unit's request to change one of its tasks (申请调整), and the coordinator's decision; both kept."""

    class Kind(models.TextChoices):
        WORDING = "wording", "任务表述"
        OWNERS = "owners", "责任单位"
        DEADLINE = "deadline", "完成时限"

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        GRANTED = "granted", "已同意"
        REFUSED = "refused", "未同意"

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="change_requests")
    unit = models.ForeignKey(Unit, verbose_name="申请单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("调整事项", max_length=10, choices=Kind.choices)
    proposal = models.TextField("调整为", help_text="新的任务表述、责任单位，或时限说明")
    new_due_on = models.DateField("新的时限", null=True, blank=True)
    reason = models.TextField("理由")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        USER, verbose_name="申请人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=clock.now)
    decided_by = models.ForeignKey(
        USER, verbose_name="审批人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "调整申请"
        verbose_name_plural = "调整申请"
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"任务{self.task.number} {self.get_kind_display()} {self.get_state_display()}"


class Instruction(models.Model):
    """A leader's written instruction on a task (批示); the lead unit answers it in its next report."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="instructions")
    author = models.ForeignKey(USER, verbose_name="批示人", null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("批示内容")
    created_at = models.DateTimeField("批示时间", default=clock.now)
    answered_by = models.ForeignKey(
        "ProgressReport", verbose_name="答复的报告", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:30]


class Watch(models.Model):
    """A leader marks a task as one to watch (关注); unwatching ends the row rather than deleting it."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(USER, verbose_name="领导", on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField("关注时间", default=clock.now)
    until = models.DateTimeField("取消关注时间", null=True, blank=True)

    class Meta:
        verbose_name = "领导关注"
        verbose_name_plural = "领导关注"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"], condition=models.Q(until__isnull=True), name="watch_one_active_per_leader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} 关注 任务{self.task.number}"


class ProgressReport(models.Model):
    """A unit's report on one task for one period. Edited in place with a version number; every save, submission
    and review is kept as a `ReportEvent` with the content at that moment, so nothing is ever lost."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已审核"

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", "未启动"
        IN_PROGRESS = "in_progress", "推进中"
        DONE = "done", "已完成"

    period = models.ForeignKey(Period, verbose_name="周期", on_delete=models.PROTECT, related_name="reports")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="reports")
    is_lead = models.BooleanField("牵头单位报告", default=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    progress = models.CharField("推进情况", max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(
        "完成比例（%）", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    work_done = models.TextField("工作进展", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    instruction = models.ForeignKey(
        Instruction, verbose_name="答复的批示", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    instruction_answer = models.TextField("批示落实情况", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    late = models.BooleanField("逾期报送", default=False)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    created_by = models.ForeignKey(USER, verbose_name="填报人", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField("修改时间", default=clock.now)
    updated_by = models.ForeignKey(USER, verbose_name="修改人", null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField("审核意见", blank=True)
    # An accepted "done" report ends the task for its units (no more reports owed or taken) until the coordinator
    # reopens the task; the reopening is kept here and as a ReportEvent.
    reopened_at = models.DateTimeField("重新打开时间", null=True, blank=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["period", "task__number", "-is_lead", "unit__order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "task", "unit"], name="report_unique_per_period_task_unit"),
        ]
        indexes = [models.Index(fields=["task", "unit", "state"]), models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.period} 任务{self.task.number} {self.unit}"

    @property
    def editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def is_draft(self) -> bool:
        """Not submitted (or withdrawn): the unit's own, seen by no one else (`access.may_see_report`)."""
        return self.state == self.State.DRAFT


class TargetValue(models.Model):
    report = models.ForeignKey(ProgressReport, verbose_name="报告", on_delete=models.CASCADE, related_name="values")
    target = models.ForeignKey(Target, verbose_name="指标", on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField("当前值", max_digits=14, decimal_places=4)
    as_of = models.DateField("截至日期")

    class Meta:
        verbose_name = "指标当前值"
        verbose_name_plural = "指标当前值"
        constraints = [models.UniqueConstraint(fields=["report", "target"], name="value_unique_target_per_report")]

    def __str__(self) -> str:
        return f"{self.target.metric} = {self.value}（{self.as_of}）"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name never comes from the user: a random name with the extension the content check decided.
    return f"evidence/{clock.today():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PNG = "png", "PNG 图片"
        JPEG = "jpg", "JPEG 图片"
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        XLSX = "xlsx", "Excel"
        DOC = "doc", "Word（97-2003）"
        XLS = "xls", "Excel（97-2003）"

    report = models.ForeignKey(ProgressReport, verbose_name="报告", on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    extension = models.CharField("类型", max_length=5, choices=Kind.choices)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+")
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)
    removed_by = models.ForeignKey(
        USER, verbose_name="移除人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def preview(self) -> str:
        """How a page may show the file in place: "image", "pdf", or "" (a download only)."""
        shown: dict[str, str] = {self.Kind.PNG: "image", self.Kind.JPEG: "image", self.Kind.PDF: "pdf"}
        return shown.get(self.extension, "")


class ReportEvent(models.Model):
    """The history of a report: who did what when, with the content as it then was and what changed."""

    class Action(models.TextChoices):
        SAVE = "save", "保存草稿"
        SUBMIT = "submit", "报送"
        WITHDRAW = "withdraw", "撤回"
        RETURN = "return", "退回"
        ACCEPT = "accept", "审核通过"
        EVIDENCE_ADD = "evidence_add", "上传材料"
        EVIDENCE_REMOVE = "evidence_remove", "移除材料"
        REOPEN = "reopen", "重新打开任务"

    report = models.ForeignKey(ProgressReport, verbose_name="报告", on_delete=models.PROTECT, related_name="events")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="report_events")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    user = models.ForeignKey(USER, verbose_name="操作人", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", default=clock.now)
    version = models.PositiveIntegerField("版本")
    comment = models.TextField("意见/说明", blank=True)
    content = models.JSONField("当时内容", default=dict)
    changes = models.JSONField("变更内容", default=dict, help_text="{字段: [原值, 新值]}")

    class Meta:
        verbose_name = "报告记录"
        verbose_name_plural = "报告记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} 第{self.version}版"


class PeriodStatus(models.Model):
    """A task's status as it stood when a period closed (期末状态), written once and never recomputed: later
    edits, extensions and bindings change what comes next, not a closed period."""

    period = models.ForeignKey(Period, verbose_name="周期", on_delete=models.CASCADE, related_name="statuses")
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="period_statuses")
    status = models.CharField("状态", max_length=12)
    expected = models.DecimalField("序时进度（%）", max_digits=5, decimal_places=1)
    reported = models.PositiveSmallIntegerField("完成比例（%）", null=True, blank=True)
    lag = models.DecimalField("滞后（百分点）", max_digits=5, decimal_places=1, null=True, blank=True)
    report = models.ForeignKey(
        ProgressReport, verbose_name="依据的报告", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    missed_targets = models.JSONField("未达标指标", default=list)
    escalated = models.BooleanField("连续滞后", default=False)
    frozen_at = models.DateTimeField("定格时间", default=clock.now)

    class Meta:
        verbose_name = "期末任务状态"
        verbose_name_plural = "期末任务状态"
        constraints = [models.UniqueConstraint(fields=["period", "task"], name="period_status_unique_task")]

    def __str__(self) -> str:
        return f"{self.period} 任务{self.task_id} {self.status}"


class UnitChannel(models.Model):
    """A unit's own group robot for reminders; units without one use the plan's."""

    unit = models.OneToOneField(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="channel")
    webhook_kind = models.CharField("群机器人类型", max_length=10, choices=WebhookKind.choices)
    webhook_url = models.URLField("群机器人地址", max_length=500)

    class Meta:
        verbose_name = "单位提醒渠道"
        verbose_name_plural = "单位提醒渠道"

    def __str__(self) -> str:
        return f"{self.unit} {self.get_webhook_kind_display()}"


class Reminder(models.Model):
    """One reminder to one unit through one channel, with every delivery attempt and its result."""

    class Channel(models.TextChoices):
        EMAIL = "email", "邮件"
        DINGTALK = WebhookKind.DINGTALK.value, "钉钉"
        WECOM = WebhookKind.WECOM.value, "企业微信"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "手动催办"
        DUE_SOON = "due_soon", "截止前提醒"
        OVERDUE = "overdue", "逾期催办"

    class Result(models.TextChoices):
        SENT = "sent", "已送达"
        FAILED = "failed", "发送失败"
        NO_ADDRESS = "no_address", "无联系方式"

    period = models.ForeignKey(Period, verbose_name="周期", on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    trigger = models.CharField("方式", max_length=10, choices=Trigger.choices)
    reasons = models.JSONField("原因", default=list)
    recipient = models.CharField("接收方", max_length=500, blank=True)
    message = models.TextField("内容")
    result = models.CharField("结果", max_length=12, choices=Result.choices)
    attempts = models.JSONField("发送记录", default=list, help_text="[{at, ok, detail}]")
    sent_by = models.ForeignKey(
        USER, verbose_name="催办人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_channel_display()} {self.get_result_display()}"


class HolidayYear(models.Model):
    """The State Council's holiday arrangement for a year the calendar library does not know yet, as a region's
    coordinator entered it. Each region keeps its own: it dates only that region's plans, so one county's entry
    (or mistake) never moves another's deadlines. Years the library knows are national and not entered."""

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年度")
    notice = models.CharField("通知文号", max_length=100, blank=True, help_text="如 国办发明电〔2027〕1号")
    entered_by = models.ForeignKey(USER, verbose_name="录入人", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("录入时间", default=clock.now)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["region", "-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="holiday_year_one_per_region")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年节假日安排"


class HolidayDay(models.Model):
    year = models.ForeignKey(HolidayYear, verbose_name="年度", on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期")
    is_workday = models.BooleanField("调休上班", default=False)
    name = models.CharField("节日", max_length=20, blank=True)

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["year", "day"], name="holiday_day_once_per_year")]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '放假'}"


class GroupOwner(models.Model):
    """A 有关乡(镇)-style group kept on a task at 交办, with the unit that answers for it: the coordinator decided
    not to name the townships (yet), so a named unit of the task follows the group's part up and reports on it."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="group_owners")
    group = models.ForeignKey(Unit, verbose_name="乡镇组", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Unit, verbose_name="负责单位", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(USER, verbose_name="确定人", null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("确定时间", default=clock.now)

    class Meta:
        verbose_name = "乡镇组负责单位"
        verbose_name_plural = "乡镇组负责单位"
        constraints = [models.UniqueConstraint(fields=["task", "group"], name="group_owner_one_per_task_group")]

    def __str__(self) -> str:
        return f"任务{self.task.number} {self.group}（由{self.owner}负责）"
