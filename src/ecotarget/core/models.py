"""The one action log: every service that changes data writes one row here, inside the transaction of the change.

Core imports no app, so the object acted on is named generically (its model label, primary key and a label in
words, kept as it read at the time), and the scopes the pages read their timelines by (region, plan, unit, task)
are plain ids. The specialised records (TaskChange, ReportEvent, Tenure…) stay where they carry more.
"""

import uuid

from django.conf import settings
from django.db import models

from . import clock


class Action(models.Model):
    """Who did what, when, to which object, in words; `changes` holds {what: [before, after]}."""

    at = models.DateTimeField("时间", default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's name as it read then (an account may be renamed or removed; the record must still say who).
    actor_name = models.CharField("操作人姓名", max_length=150)
    # No person acted: a scheduled job (closing periods, reminders), a command run without --user, a loader.
    by_system = models.BooleanField("系统操作", default=False)
    verb = models.CharField("操作代码", max_length=40, help_text="稳定的代码，如 task.update")
    object_type = models.CharField("对象类型", max_length=60, help_text="app_label.model，如 plans.task")
    object_id = models.BigIntegerField("对象编号", null=True, blank=True)
    object_label = models.CharField("对象", max_length=200)
    summary = models.CharField("操作内容", max_length=500)
    changes = models.JSONField("变更内容", default=dict, blank=True, help_text="{字段: [原值, 新值]}")
    region_id = models.BigIntegerField("行政区", null=True, blank=True)
    plan_id = models.BigIntegerField("方案", null=True, blank=True)
    unit_id = models.BigIntegerField("责任单位", null=True, blank=True)
    task_id = models.BigIntegerField("任务", null=True, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="action_by_object"),
            models.Index(fields=["plan_id", "-at"], name="action_by_plan"),
            models.Index(fields=["region_id", "-at"], name="action_by_region"),
            models.Index(fields=["unit_id", "-at"], name="action_by_unit"),
            models.Index(fields=["task_id", "-at"], name="action_by_task"),
            models.Index(fields=["verb", "-at"], name="action_by_verb"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"


class Job(models.Model):
    """Long work done by the worker for a person (core/jobs.py): who started it, how far it got, what came of it.

    The queue itself is django-tasks' table; this row is what the pages show, and whom to.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=40, help_text="稳定的代码，如 monitoring.import")
    title = models.CharField("任务", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A plain id, as in the action log: core imports no app. The region's coordinators may follow the job too.
    region_id = models.BigIntegerField("行政区", null=True, blank=True)
    task_id = models.CharField("队列编号", max_length=64, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.BigIntegerField("已完成", default=0)
    total = models.BigIntegerField("总数", null=True, blank=True)
    stage = models.CharField("阶段", max_length=100, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("提交时间", default=clock.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ScheduledRun(models.Model):
    """A scheduled job's run of one day, claimed by the first worker to get there: the unique pair is what keeps two
    workers (on one machine or several) from both sending the day's reminders."""

    name = models.CharField("计划任务", max_length=40)
    day = models.DateField("日期")
    task_id = models.CharField("队列编号", max_length=64, blank=True)
    enqueued_at = models.DateTimeField("提交时间", default=clock.now)

    class Meta:
        verbose_name = "计划任务记录"
        verbose_name_plural = "计划任务记录"
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="one_scheduled_run_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
