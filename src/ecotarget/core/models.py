"""The one action log: every service that changes data writes one row here, inside the transaction of the change.

Core imports no app, so the object acted on is named generically (its model label, primary key and a label in
words, kept as it read at the time), and the scopes the pages read their timelines by (region, plan, unit, task)
are plain ids. The specialised records (TaskChange, ReportEvent, Tenure…) stay where they carry more.
"""

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
