"""Monitoring stations, the measurements imported from the county's data, and the indicators bound to targets.

Measurements are stored exactly as reported (decimals, never floats): the standards round them by GB/T 8170 on
the exact decimal value, which a binary float cannot give back.
"""

from django.conf import settings
from django.db import models

from ecotarget.core import clock
from ecotarget.organisation.models import Region
from ecotarget.plans.models import Target

from . import indicators

AIR_POLLUTANTS = ["pm2_5", "pm10", "so2", "no2", "co", "o3"]


class Station(models.Model):
    Medium = indicators.Medium

    Level = indicators.Level  # declared with the indicators, whose scopes they are

    class WaterKind(models.TextChoices):
        RIVER = "river", "河流"
        LAKE = "lake", "湖库"
        DRINKING = "drinking", "饮用水水源地"

    DrinkingScale = indicators.DrinkingScale

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.PROTECT, related_name="stations")
    code = models.CharField("编码", max_length=30)
    name = models.CharField("名称", max_length=100)
    medium = models.CharField("介质", max_length=10, choices=Medium.choices)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    # Air: only city (评价城市点) stations make the county's daily value (HJ 663-2013 §3.3).
    evaluates_city = models.BooleanField("参与城市(县)评价", default=True)
    water_kind = models.CharField("水体类型", max_length=10, choices=WaterKind.choices, blank=True)
    drinking_scale = models.CharField("水源地规模", max_length=30, choices=DrinkingScale.choices, blank=True)
    basin = models.CharField("流域", max_length=50, blank=True)
    # The named river or lake a section lies on (龙栖溪, 池湖水库); `basin` is the larger catchment it drains to.
    water_body = models.CharField("河流/湖库", max_length=50, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    # Where the station's particulars come from (a national list, the county's own file), shown on its page.
    source = models.CharField("来源", max_length=200, blank=True)
    synthetic = models.BooleanField("演示数据（虚构）", default=False)
    # Data refer to stations, so a station is never deleted: it is retired (who, when, why) and may be reinstated;
    # its history is the action log's (core.actions.for_object).
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="停用人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retired_reason = models.CharField("停用原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "监测点位"
        verbose_name_plural = "监测点位"
        ordering = ["medium", "level", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="station_unique_code_in_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def in_service(self) -> bool:
        return self.retired_at is None


class AirHour(models.Model):
    """One station-hour; `hour_end` is the label X:00 of the hour before it (HJ 663: day = 1:00 … 24:00)."""

    station = models.ForeignKey(Station, verbose_name="点位", on_delete=models.CASCADE, related_name="air_hours")
    hour_end = models.DateTimeField("时间（小时末）")
    pm2_5 = models.DecimalField("PM2.5", max_digits=9, decimal_places=3, null=True, blank=True)
    pm10 = models.DecimalField("PM10", max_digits=9, decimal_places=3, null=True, blank=True)
    so2 = models.DecimalField("SO2", max_digits=9, decimal_places=3, null=True, blank=True)
    no2 = models.DecimalField("NO2", max_digits=9, decimal_places=3, null=True, blank=True)
    co = models.DecimalField("CO（mg/m³）", max_digits=9, decimal_places=3, null=True, blank=True)
    o3 = models.DecimalField("O3", max_digits=9, decimal_places=3, null=True, blank=True)
    batch = models.ForeignKey("ImportBatch", verbose_name="导入批次", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "空气小时数据"
        verbose_name_plural = "空气小时数据"
        constraints = [models.UniqueConstraint(fields=["station", "hour_end"], name="airhour_unique_station_hour")]

    def __str__(self) -> str:
        return f"{self.station_id} {self.hour_end:%Y-%m-%d %H:%M}"


class WaterSample(models.Model):
    station = models.ForeignKey(Station, verbose_name="断面", on_delete=models.CASCADE, related_name="samples")
    sampled_on = models.DateField("采样日期")
    parameter = models.CharField("项目", max_length=30)
    value = models.DecimalField("监测值", max_digits=16, decimal_places=6)
    below_detection = models.BooleanField("未检出", default=False)
    batch = models.ForeignKey("ImportBatch", verbose_name="导入批次", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "地表水监测数据"
        verbose_name_plural = "地表水监测数据"
        constraints = [
            models.UniqueConstraint(fields=["station", "sampled_on", "parameter"], name="watersample_unique")
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.sampled_on} {self.parameter}"


class InForce(models.QuerySet):
    def in_force(self) -> "InForce":
        """The rows that count: those not retired."""
        return self.filter(retired_at=None)


class Retirable(models.Model):
    """A setting that changes the official (考核) figures is never deleted: it is retired, with who, when and why,
    and reads count only the rows `in_force()`."""

    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="停用人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retired_reason = models.CharField("停用原因", max_length=200, blank=True)

    objects = InForce.as_manager()

    class Meta:
        abstract = True

    def retire(self, *, user, reason: str) -> None:
        self.retired_at, self.retired_by, self.retired_reason = clock.now(), user, reason[:200]
        self.save(update_fields=["retired_at", "retired_by", "retired_reason"])


IN_FORCE = models.Q(retired_at=None)


class DayExclusion(Retirable):
    """A day deducted from the official figures (沙尘 / 例外事件); results are given with and without it."""

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.CASCADE, related_name="exclusions")
    day = models.DateField("日期")
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "扣除日"
        verbose_name_plural = "扣除日"
        constraints = [
            models.UniqueConstraint(fields=["region", "day"], condition=IN_FORCE, name="exclusion_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        AIR = "air", "空气"
        WATER = "water", "地表水"

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.PROTECT, related_name="imports")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    file_name = models.CharField("文件", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows_read = models.PositiveIntegerField("读取行数", default=0)
    values_stored = models.PositiveIntegerField("保存数值", default=0)
    errors = models.JSONField("错误报告", default=list, blank=True)
    synthetic = models.BooleanField("演示数据（虚构）", default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "数据导入"
        verbose_name_plural = "数据导入"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.at:%Y-%m-%d %H:%M})"


# The stored choices, derived from the registry (`indicators`) in its order: declaring an indicator there is all
# it takes (then `makemigrations`, for the choices). Named members (Indicator.PM2_5_ANNUAL) for the code that
# picks one indicator, such as the dashboard's charts. django-stubs types `TextChoices(...)` only as a lookup of
# a member, not as Enum's functional API that builds a class, hence the ignore; its members are not known to mypy.
Indicator = models.TextChoices(  # type: ignore[call-overload]
    "Indicator", [(s.code.upper(), (s.code, s.name)) for s in indicators.all_indicators()]
)


class IndicatorBinding(Retirable):
    """A plan target measured from monitoring data instead of reported by hand. A binding decides the target's
    official (考核) figure, so taking it off retires it (who, when, why); a target has at most one in force."""

    class Edition(models.TextChoices):
        AUTO = "auto", "按日期适用的标准"
        E2012 = "2012", "HJ 633-2012 / GB 3095-2012"
        E2026 = "2026", "HJ 633-2026 / GB 3095-2026"

    target = models.ForeignKey(Target, verbose_name="指标", on_delete=models.CASCADE, related_name="bindings")
    indicator = models.CharField("监测指标", max_length=30, choices=Indicator.choices)
    # Which stations count: a level (国控, 小流域) or a drinking-water scale; empty = all of the medium.
    scope = models.CharField("范围", max_length=30, blank=True)
    edition = models.CharField("标准版本", max_length=10, choices=Edition.choices, default=Edition.AUTO)

    class Meta:
        verbose_name = "监测指标绑定"
        verbose_name_plural = "监测指标绑定"
        constraints = [models.UniqueConstraint(fields=["target"], condition=IN_FORCE, name="binding_one_in_force")]

    def __str__(self) -> str:
        return f"{self.target} ← {self.indicator_name}"

    @property
    def indicator_name(self) -> str:
        return indicators.name_of(self.indicator)

    @property
    def scope_label(self) -> str:
        """The scope in the words of the page (国控, 小流域, 农村“千吨万人”…, or 全部点位)."""
        return indicators.SCOPE_LABELS.get(self.scope, self.scope) or indicators.ALL_STATIONS_LABEL


class AnnualFigure(Retirable):
    """An official figure of a past year (e.g. 2021's 优良天数比例 as published), for baselines such as
    "高于近三年平均值" when the raw data of those years are not in the system."""

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.CASCADE, related_name="annual_figures")
    indicator = models.CharField("监测指标", max_length=30, choices=Indicator.choices)
    scope = models.CharField("范围", max_length=30, blank=True)
    year = models.PositiveIntegerField("年度")
    value = models.DecimalField("数值", max_digits=12, decimal_places=4)
    source = models.CharField("来源", max_length=200)
    synthetic = models.BooleanField("演示数据（虚构）", default=False)

    class Meta:
        verbose_name = "往年数值"
        verbose_name_plural = "往年数值"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "scope", "year"], condition=IN_FORCE, name="annualfigure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator_name} {self.value}"

    @property
    def indicator_name(self) -> str:
        return indicators.name_of(self.indicator)


class DataVersion(models.Model):
    """How many times a region's monitoring data changed (an import, a deducted day, a station): computed
    measures (`ComputedMeasure`) are kept per version, so a change makes every server process compute anew."""

    region = models.OneToOneField(
        Region, verbose_name="行政区", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveBigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "监测数据版本"
        verbose_name_plural = "监测数据版本"

    def __str__(self) -> str:
        return f"{self.region_id} v{self.number}"


class ComputedMeasure(models.Model):
    """A measure computed from a region's data as of a day (the county's air year, the water sections' classes),
    kept for the data version it was computed under: what every page and server process reads instead of
    computing it again. Never a record of anything: it can be emptied at any time and is computed again."""

    region = models.ForeignKey(Region, verbose_name="行政区", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("键", max_length=200, unique=True)
    version = models.PositiveBigIntegerField("数据版本")
    value = models.BinaryField("结果")
    computed_at = models.DateTimeField("计算时间", default=clock.now)

    class Meta:
        verbose_name = "监测指标计算结果"
        verbose_name_plural = "监测指标计算结果"

    def __str__(self) -> str:
        return self.key
