"""Regions, the units that answer for tasks, and who belongs where with which role."""

from django.conf import settings
from django.db import models

from ecotarget.core import clock


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
    # Set when someone else chose the password (an initial one shown to the coordinator, or printed by `init`):
    # the member is sent to the password page before anything else until it chooses its own.
    must_change_password = models.BooleanField("须修改初始密码", default=False)

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

    @property
    def is_reporter(self) -> bool:
        return self.role == self.Role.REPORTER

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class Post(models.Model):
    """A standing post of a unit (分管领导, 责任人, 联系人/填报员). People hold it for a while; the post stays."""

    class Kind(models.TextChoices):
        LEADER = "leader", "分管领导"
        RESPONSIBLE = "responsible", "责任人"
        CONTACT = "contact", "联系人/填报员"

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField("岗位", max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["unit", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="post_unique_kind_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"

    @property
    def carries_account(self) -> bool:
        """The 责任人 and the 联系人 report for the unit: their accounts follow the post."""
        return self.kind in (self.Kind.RESPONSIBLE, self.Kind.CONTACT)


class Tenure(models.Model):
    """Who held a post from when to when. Never deleted: handing over ends one tenure and starts the next."""

    post = models.ForeignKey(Post, verbose_name="岗位", on_delete=models.PROTECT, related_name="tenures")
    person = models.CharField("姓名", max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tenures",
    )
    phone = models.CharField("电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    started_on = models.DateField("任职起")
    ended_on = models.DateField("任职止", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交接登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=clock.now)

    class Meta:
        verbose_name = "任职记录"
        verbose_name_plural = "任职记录"
        ordering = ["post", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(ended_on__isnull=True), name="tenure_one_current_per_post"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="tenure_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.ended_on:%Y-%m-%d}" if self.ended_on else "今"
        return f"{self.post} {self.person}（{self.started_on:%Y-%m-%d}—{until}）"
