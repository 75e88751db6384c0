"""Business actions on monitoring data: load stations, store measurements, bind targets to indicators."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
from django.conf import settings
from django.db import transaction

from ecotarget.core.actions import entry, record, record_all
from ecotarget.core.errors import Refusal
from ecotarget.core.numbers import plain_number
from ecotarget.files.text import EncodingRefused
from ecotarget.files.zips import PackageRefused
from ecotarget.organisation.models import Region
from ecotarget.plans.models import Plan, Target, TaskChange
from ecotarget.plans.signals import plan_changing
from ecotarget.standards.io import AirTable, RowIssue, read_air, read_water
from ecotarget.standards.sheet_extent import SheetTooLarge

from . import indicators
from .bindings import suggest
from .models import AnnualFigure, DayExclusion, ImportBatch, IndicatorBinding, Station
from .storage import AIR_FIELDS, air_hours_store, values_in, water_records_store

DATA_DIR = Path(__file__).resolve().parent / "data"


class StationFileError(Refusal):
    pass


@transaction.atomic
def stations_load(*, region: Region, path: Path) -> list[Station]:
    """Create or update the region's stations from a versioned JSON file; running it again changes nothing."""
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = spec["stations"]
    except (OSError, ValueError, KeyError) as exc:
        raise StationFileError(f"{path}: not a station file ({exc})") from exc
    synthetic = bool(spec.get("synthetic"))
    stations = []
    for number, row in enumerate(rows, start=1):
        missing = {"code", "name", "medium", "level"} - row.keys()
        if missing:
            raise StationFileError(f"{path}: station #{number} lacks {', '.join(sorted(missing))}")
        station, _ = Station.objects.update_or_create(
            region=region,
            code=row["code"],
            defaults={
                "name": row["name"],
                "medium": row["medium"],
                "level": row["level"],
                "water_kind": row.get("water_kind", ""),
                "drinking_scale": row.get("drinking_scale", ""),
                "basin": row.get("basin", ""),
                "evaluates_city": row.get("evaluates_city", True),
                "synthetic": synthetic,
            },
        )
        stations.append(station)
    record(
        None,
        "station.load",
        region,
        f"载入{region.name}的监测点位 {len(stations)} 个" + ("（演示数据，虚构）" if synthetic else ""),
        {"文件": [None, Path(path).name]},
        label=f"{region.name}监测点位",
        region=region,
    )
    return stations


@dataclass
class ImportOutcome:
    batch: ImportBatch | None
    records: int
    stored: int
    issues: list[RowIssue]

    @property
    def refused(self) -> bool:
        return self.batch is None


class MeasurementFileError(Refusal):
    pass


def _stations_of(
    region: Region, medium: str, names: np.ndarray, rows: np.ndarray, file: str, issues: list[RowIssue]
) -> np.ndarray:
    """Each record's station id, found by code or by name among the region's stations of the medium (0 where
    none is): the one place an import decides which stations it knows. Unknown ones become issues (their records
    are not stored); one query, and one hashed lookup over the records."""
    known: dict[str, int] = {}
    stations = list(Station.objects.filter(region=region, medium=medium).values_list("pk", "code", "name"))
    for pk, _code, name in stations:
        known[name] = pk
    for pk, code, _name in stations:  # a code wins over another station's name
        known[code] = pk
    text = pl.Series(np.asarray(names, dtype=object), dtype=pl.String).fill_null("")
    ids = text.replace_strict(known, default=0, return_dtype=pl.Int64).to_numpy()
    for i in np.flatnonzero(ids == 0):
        issues.append(RowIssue(file, int(rows[i]), "station", str(names[i]), "未登记的监测点位 / unknown station"))
    return ids


# What a stored value may be: AirHour's DecimalField(max_digits=9, decimal_places=3), WaterSample's (16, 6).
VALUE_LIMITS: dict[str, float] = {ImportBatch.Kind.AIR: 10.0**6, ImportBatch.Kind.WATER: 10.0**10}


def _too_large(table, kind: str, file: str, issues: list[RowIssue]) -> None:
    """A value the database cannot hold is a row issue (and a blank), never a failed transaction."""
    limit = VALUE_LIMITS[kind]
    headers = table.sheet.header if table.sheet is not None else []
    for key, column in table.values.items():
        over = np.flatnonzero(np.abs(np.nan_to_num(column)) >= limit)
        if not over.size:
            continue
        place = getattr(table, "columns", {}).get(key)
        name = headers[place] if place is not None and place < len(headers) else key
        for i in over:
            issues.append(
                RowIssue(
                    file, int(table.rows[i]), name, repr(float(column[i])), f"数值过大 / value too large (≥ {limit:g})"
                )
            )
        column[over] = np.nan


def measurements_import(
    *,
    region: Region,
    path: Path,
    file_name: str,
    kind: str,
    user=None,
    accept_partial: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Import an air or water data file in one transaction.

    Every bad row is reported (file, row, column, reason), by the user's `file_name`. With any issue and without
    `accept_partial` nothing is stored, so the user can fix the file; with it, the valid records are stored and
    the issues are kept with the batch. Air files are read for their six 1-hour values (a release file's 24-hour
    and 8-hour columns are derived values, not stored). `progress(done, total)`, if given, hears how many records
    are written as the writing goes.
    """
    rows, cells = settings.ECOTARGET_MAX_SHEET_ROWS, settings.ECOTARGET_MAX_SHEET_CELLS
    try:
        table = (
            read_air(path, max_rows=rows, max_cells=cells, name=file_name, only=AIR_FIELDS)
            if kind == ImportBatch.Kind.AIR
            else read_water(path, max_rows=rows, max_cells=cells, name=file_name)
        )
    except (SheetTooLarge, PackageRefused, EncodingRefused) as exc:
        raise MeasurementFileError(str(exc)) from exc
    except (ValueError, OSError, KeyError) as exc:
        message = str(exc)
        raise MeasurementFileError(
            message if message.startswith(file_name) else f"{file_name}: 无法读取 / cannot read ({exc})"
        ) from exc
    issues = [issue if issue.file == file_name else replace(issue, file=file_name) for issue in table.issues]
    _too_large(table, kind, file_name, issues)
    table.sheet = None  # the cells as text are done with: the arrays are what is stored
    if isinstance(table, AirTable):
        names, times = table.stations, table.times
    else:
        names, times = table.sections, table.dates
    station_ids = _stations_of(region, kind, names, table.rows, file_name, issues)
    # A record needs a known station and a readable time; a bad value only blanks that value (reported), so the
    # row's other pollutants still count. A record without a time cannot be stored: it is reported, never guessed.
    keep = (station_ids != 0) & ~np.isnat(times)
    if table.repeated is not None:  # a station-time the file gave twice: reported, the first kept
        keep &= ~table.repeated
    records = int(keep.sum())
    if issues and not accept_partial:
        return ImportOutcome(batch=None, records=records, stored=0, issues=issues)
    with Path(path).open("rb") as data:
        sha = hashlib.file_digest(data, "sha256").hexdigest()
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            region=region,
            kind=kind,
            file_name=file_name[:255],
            sha256=sha,
            rows_read=len(table.rows),
            errors=[asdict(issue) for issue in issues],
            user=user,
        )
        if isinstance(table, AirTable):
            air_hours_store(
                batch=batch,
                station_ids=station_ids[keep],
                hour_ends=times[keep],
                values={k: v[keep] for k, v in table.values.items() if k in AIR_FIELDS},
                progress=progress,
            )
        else:
            by_id = Station.objects.in_bulk(set(station_ids[keep].tolist()))
            water_records_store(
                batch=batch,
                stations=[by_id[i] for i in station_ids[keep].tolist()],
                days=[t.astype(date) for t in times[keep]],
                values={k: v[keep] for k, v in table.values.items()},
                below={k: v[keep] for k, v in table.below_detection.items()},
            )
            if progress is not None:
                progress(records, records)
        # What the batch holds, counted where it is: the figure the user reads is never what the file claimed.
        stored = batch.values_stored = values_in(batch)
        batch.save(update_fields=["values_stored"])
        record(
            user,
            "data.import",
            batch,
            f"导入{batch.get_kind_display()}监测数据 {batch.file_name}：保存 {stored} 个监测值"
            + (f"，{len(issues)} 处错误行未导入" if issues else ""),
            region=region,
        )
    return ImportOutcome(batch=batch, records=records, stored=stored, issues=issues)


class SettingError(Refusal):
    pass


def _keep_closed_periods(plans) -> None:
    """A setting that changes measured figures reaches only what comes next: the plans' closed periods are
    frozen first (by progress, which receives `plan_changing`)."""
    for plan in plans:
        plan_changing.send(sender=Plan, plan=plan)


@transaction.atomic
def exclusion_add(*, region: Region, day: date, reason: str, user) -> DayExclusion:
    """Deduct a day (沙尘 / 例外事件) from the official figures; the measured ones keep it. A day already deducted
    takes the new reason."""
    if not reason.strip():
        raise SettingError("请写明扣除原因（如沙尘天气过程、例外事件）")
    _keep_closed_periods(region.plans.all())
    exclusion = DayExclusion.objects.in_force().select_for_update().filter(region=region, day=day).first()
    before = exclusion.reason if exclusion is not None else None
    if exclusion is None:
        exclusion = DayExclusion(region=region, day=day)
    exclusion.reason = reason.strip()
    exclusion.save()
    if before != exclusion.reason:
        record(
            user,
            "exclusion.add",
            exclusion,
            f"扣除{day:%Y-%m-%d}（{exclusion.reason}），不计入考核口径的统计",
            {"扣除原因": [before, exclusion.reason]},
            label=f"扣除日 {day:%Y-%m-%d}",
            region=region,
        )
    return exclusion


@transaction.atomic
def exclusion_remove(*, exclusion: DayExclusion, user, reason: str) -> DayExclusion:
    """The day counts again in the official figures; the exclusion is retired (who, when, why), never deleted."""
    if not reason.strip():
        raise SettingError("请写明取消扣除的原因")
    current = DayExclusion.objects.in_force().select_for_update().filter(pk=exclusion.pk).first()
    if current is None:
        raise SettingError("该扣除日已被取消")
    exclusion = current
    _keep_closed_periods(exclusion.region.plans.all())
    exclusion.retire(user=user, reason=reason.strip())
    record(
        user,
        "exclusion.retire",
        exclusion,
        f"取消扣除{exclusion.day:%Y-%m-%d}（原因：{exclusion.retired_reason}），该日重新计入考核口径的统计",
        {"扣除原因": [exclusion.reason, None], "取消原因": [None, exclusion.retired_reason]},
        label=f"扣除日 {exclusion.day:%Y-%m-%d}",
        region=exclusion.region_id,
    )
    return exclusion


@transaction.atomic
def annual_figure_set(
    *, region: Region, indicator: str, scope: str, year: int, value: Decimal, source: str, user
) -> AnnualFigure:
    """Record a past year's official figure, the baseline of targets such as 高于近三年平均值. A figure already
    recorded for that year is retired (kept, with who replaced it), never overwritten."""
    if not source.strip():
        raise SettingError("请注明数值来源（如某年环境质量公报）")
    source = source.strip()
    current = (
        AnnualFigure.objects.in_force()
        .select_for_update()
        .filter(region=region, indicator=indicator, scope=scope, year=year)
        .first()
    )
    if current is not None and (current.value, current.source, current.synthetic) == (value, source, False):
        return current
    _keep_closed_periods(region.plans.all())
    if current is not None:
        current.retire(user=user, reason=f"由新数值替换（{plain_number(value)}，{source}）")
    figure = AnnualFigure.objects.create(
        region=region, indicator=indicator, scope=scope, year=year, value=value, source=source, synthetic=False
    )
    scope_words = f"（{scope}）" if scope else ""
    record(
        user,
        "annual_figure.set",
        figure,
        f"{'更正' if current is not None else '录入'}{year}年{figure.indicator_name}{scope_words}："
        f"{plain_number(value)}（来源：{source}）",
        {
            "数值": [plain_number(current.value) if current is not None else None, plain_number(value)],
            "来源": [current.source if current is not None else None, source],
        },
        label=f"{year}年{figure.indicator_name}{scope_words}",
        region=region,
    )
    return figure


# --- which targets are measured: every change is one action, recorded in the task's history -----------------------


def binding_words(target: Target, binding: IndicatorBinding | None) -> str:
    """How the history states a target's source, in the words of the page; kept as written at the time."""
    if binding is None:
        return f"{target.describe()}：由责任单位填报"
    words = f"{target.describe()}：由监测数据计算（{binding.indicator_name}"
    if binding.scope:
        words += f"，{binding.scope_label}"
    if binding.edition != IndicatorBinding.Edition.AUTO:
        words += f"，{binding.get_edition_display()}"
    return words + "）"


def _binding_change(target: Target, before: str, after: str, user) -> TaskChange:
    task = target.task
    return TaskChange(
        plan_id=task.plan_id,
        task=task,
        task_number=task.number,
        action=TaskChange.Action.BINDING,
        changes={"binding": [before, after]},
        user=user,
    )


def _binding_action(verb: str, target: Target, before: str, after: str, user, reason: str = ""):
    """The log's row for a change of where a target's value comes from; the task's history has the same words."""
    task = target.task
    words = {
        "binding.set": "设置",
        "binding.edition": "更改标准版本",
        "binding.remove": "改为由责任单位填报",
        "binding.suggest": "按指标表述自动关联",
    }[verb]
    return entry(
        user,
        verb,
        target,
        f"任务{task.number}监测指标绑定：{words}" + (f"（原因：{reason}）" if reason else ""),
        {"binding": [before, after]} | ({"原因": [None, reason]} if reason else {}),
        label=f"任务{task.number} {target.describe()}",
        plan=task.plan_id,  # the plan timeline reads by plan; no region lookup per target in a bulk bind
        task=task,
    )


def _binding_set(*, target: Target, indicator: str, scope: str, edition: str, user, verb: str) -> IndicatorBinding:
    if indicators.spec_of(indicator) is None:
        raise SettingError(f"未知的监测指标：{indicator}")
    if not indicators.allows(indicator, scope):
        if scope in indicators.SCOPE_LABELS:
            raise SettingError(f"{indicators.name_of(indicator)}不按{indicators.SCOPE_LABELS[scope]}计算")
        raise SettingError(f"未知的范围：{scope}")
    if edition not in IndicatorBinding.Edition.values:
        raise SettingError(f"未知的标准版本：{edition}")
    target = Target.objects.select_related("task__plan").get(pk=target.pk)
    _keep_closed_periods([target.task.plan])
    binding = IndicatorBinding.objects.in_force().select_for_update().filter(target=target).first()
    before = binding_words(target, binding)
    if binding is None:
        binding = IndicatorBinding(target=target)
    binding.indicator, binding.scope, binding.edition = indicator, scope, edition
    after = binding_words(target, binding)
    if before != after:
        binding.save()
        _binding_change(target, before, after, user).save()
        record_all([_binding_action(verb, target, before, after, user)])
    return binding


@transaction.atomic
def binding_set(
    *, target: Target, indicator: str, scope: str = "", edition: str = IndicatorBinding.Edition.AUTO, user
) -> IndicatorBinding:
    """Measure `target` from monitoring data with `indicator` over `scope` (a station level or a drinking-water
    scale; empty = every station of the medium) under `edition`'s rules; binds it, or changes its binding."""
    return _binding_set(target=target, indicator=indicator, scope=scope, edition=edition, user=user, verb="binding.set")


@transaction.atomic
def binding_remove(*, binding: IndicatorBinding, user, reason: str) -> IndicatorBinding:
    """The target is reported by its units again. The binding decided its official figure, so it is retired (who,
    when, why), never deleted; what was measured stays in the history."""
    if not reason.strip():
        raise SettingError("请写明改为由责任单位填报的原因")
    current = (
        IndicatorBinding.objects.in_force()
        .select_for_update(of=("self",))
        .select_related("target__task__plan")
        .filter(pk=binding.pk)
        .first()
    )
    if current is None:
        raise SettingError("该指标已改为由责任单位填报")
    _keep_closed_periods([current.target.task.plan])
    before, after = binding_words(current.target, current), binding_words(current.target, None)
    current.retire(user=user, reason=reason.strip())
    _binding_change(current.target, before, after, user).save()
    record_all([_binding_action("binding.remove", current.target, before, after, user, current.retired_reason)])
    return current


@transaction.atomic
def binding_set_edition(*, binding: IndicatorBinding, edition: str, user) -> IndicatorBinding:
    """Which air rules a target's year uses (the default follows the date; 2026 straddles the change)."""
    return _binding_set(
        target=binding.target,
        indicator=binding.indicator,
        scope=binding.scope,
        edition=edition,
        user=user,
        verb="binding.edition",
    )


@transaction.atomic
def bindings_suggest(*, targets: list[Target], user) -> list[IndicatorBinding]:
    """Bind each of `targets` whose wording names a monitored indicator (`bindings.suggest`); a target already
    bound keeps its binding. Called by every plan import for the targets it creates; a fixed number of queries."""
    # A target bound before keeps its binding; one whose binding was retired stays as the coordinator chose it.
    bound = set(IndicatorBinding.objects.filter(target__in=targets).values_list("target_id", flat=True))
    created = [
        IndicatorBinding(target=t, indicator=suggestion.indicator, scope=suggestion.scope)
        for t in targets
        if t.pk not in bound and (suggestion := suggest(t.metric)) is not None
    ]
    IndicatorBinding.objects.bulk_create(created)
    TaskChange.objects.bulk_create(
        _binding_change(b.target, binding_words(b.target, None), binding_words(b.target, b), user) for b in created
    )
    record_all(
        _binding_action("binding.suggest", b.target, binding_words(b.target, None), binding_words(b.target, b), user)
        for b in created
    )
    return created


def plan_bindings(plan: Plan) -> list[IndicatorBinding]:
    """The plan's measured targets in task order, with their targets and tasks."""
    return list(
        IndicatorBinding.objects.in_force()
        .filter(target__task__plan=plan)
        .select_related("target__task")
        .order_by("target__task__number", "target__order")
    )


def bindings_apply(*, plan: Plan, user=None) -> list[IndicatorBinding]:
    """Bind every target of the plan whose wording names a monitored indicator; existing bindings are kept.
    Returns the bindings of all such targets (for a plan imported before imports bound its targets)."""
    targets = list(Target.objects.filter(task__plan=plan).select_related("task"))
    bindings_suggest(targets=targets, user=user)
    return [b for b in plan_bindings(plan) if suggest(b.target.metric) is not None]
