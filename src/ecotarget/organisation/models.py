"""Regions, the units that answer for tasks, and who belongs where with which role."""

from django.conf import settings
from django.db import models


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县(市、区)"

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    short_name = models.CharField("简称", max_length=20, help_text="如“将乐”：文件中常作单位名前缀")
    level = models.CharField("级别", max_length=10, choices=Level.choices, default=Level.COUNTY)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区"
        verbose_name_plural = "行政区"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A 责任单位: a county department or a township government. Responsibility belongs here, not to people."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "县直部门"
        TOWNSHIP = "township", "乡(镇)"
        # A placeholder a plan names without listing its members, e.g. 有关乡(镇); the coordinator resolves it.
        GROUP = "township_group", "乡镇组"

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("简称", max_length=50)
    full_name = models.CharField("全称", max_length=100, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    aliases = models.JSONField("别名", default=list, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["region", "kind", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """What a user may see and do: a role in a region, and for reporters the unit they report for."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "管理员/督查"
        REPORTER = "reporter", "填报员"
        LEADER = "leader", "领导"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership"
    )
    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="reporter") | models.Q(unit__isnull=False),
                name="membership_reporter_has_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR
