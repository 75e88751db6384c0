"""Shell commands `ecotarget aqi`, `ecotarget water` and `ecotarget air-year` (fixed interface: other tools read
their output).  Exit status: 0 all rows read, 1 output written but some rows had bad cells (listed on stderr
with row and column), 2 the input could not be used (reason on stderr)."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from .annual import EVALUATED, LABELS, AirYearResult, AnnualEvaluation, evaluate_year
from .aqi import (
    LEVELS,
    MISSING_RULES,
    REALTIME_2012_EXTRA,
    REALTIME_RULES,
    AQIResult,
    RuleRefused,
    daily_aqi,
    daily_columns,
    realtime_aqi,
)
from .daily import network_daily
from .editions import Edition, parse_edition, setting_for
from .io import AirTable, RowIssue, Sheet, csv_line_blocks, read_air, read_sheet, read_water
from .water import CLASS_NAMES, classify_samples, section_classes

HOURLY_COLUMNS: tuple[str, ...] = ("pm2_5", "pm10", "so2", "no2", "co", "o3")


def _fail(message: str) -> int:
    print(f"错误 / error: {message}", file=sys.stderr)
    return 2


def _report(issues: Sequence[RowIssue]) -> None:
    for issue in issues:
        print(issue, file=sys.stderr)


def _write(header: list[str], rows: list[list[str]], fmt: str, output: str | None) -> None:
    buffer = io.StringIO()
    if fmt == "json":
        json.dump([dict(zip(header, r, strict=True)) for r in rows], buffer, ensure_ascii=False, indent=1)
        buffer.write("\n")
    elif fmt == "table":
        buffer.write(_table(header, rows))
    else:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    if output:
        Path(output).write_text(buffer.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(buffer.getvalue())


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(h)] + [_width(r[j]) for r in rows]) for j, h in enumerate(header)]
    lines = []
    for r in [header, *rows]:
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def _format_arg(parser: argparse.ArgumentParser, default: str = "csv") -> None:
    parser.add_argument("--format", choices=("csv", "json", "table"), default=default, help="输出格式 / output format")
    parser.add_argument("--output", metavar="PATH", help="写入文件而非标准输出 / write to PATH instead of stdout")


# A shell user reads their own file on their own machine: the bounds of an upload (sheet_extent) do not apply.
CLI_MAX_ROWS = 50_000_000
CLI_MAX_CELLS = 1_000_000_000


def _note(text: str) -> None:
    print(f"说明 / note: {text}", file=sys.stderr)


def aqi_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ecotarget aqi",
        description=(
            "计算空气质量指数 (HJ 633)：每行一个站点和时间。\n"
            "Compute the AQI of every row (one station and time) by HJ 633-2012 or HJ 633-2026."
        ),
        epilog=(
            "hourly: station,time,pm2_5,pm10,so2,no2,co,o3 (1小时值; CO mg/m³)\n"
            "        --columns hj633-2012 另用 pm2_5_24h,pm10_24h,o3_8h / also uses the moving means (2012 only)\n"
            "        或国家实时发布格式 / or the national real-time release: stationcode,positionname,timepoint,…\n"
            "daily:  station,date,pm2_5,pm10,so2,no2,co,o3_8h (+ o3_1h_max, 2012)\n"
            "缺测写作 NA 或空白；/ 表示点位不监测该项目（不算缺测）/ NA or blank = missing, / = not in the programme\n"
            "输出 / output: 输入列 + aqi,level,category,primary_pollutant；所用的列和规则写在 stderr 的说明中\n"
            "退出码 / exit: 0 正常 ok, 1 有坏行 (见 stderr) some bad rows, 2 输入不可用 unusable input"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="CSV 或 .xlsx / CSV or .xlsx")
    parser.add_argument("--kind", choices=("hourly", "daily"), required=True, help="实时报或日报 / real-time or daily")
    parser.add_argument("--standard", choices=("2012", "2026"), required=True, help="标准版本 / edition of HJ 633")
    parser.add_argument(
        "--columns",
        choices=("1h", "hj633-2012"),
        default="1h",
        help=(
            "实时报用哪些浓度：1h 为1小时值（默认，实时发布的做法）；hj633-2012 为该标准的24小时/8小时滑动平均"
            " / hourly only: the 1-hour values (default) or HJ 633-2012's 24-hour / 8-hour moving means"
        ),
    )
    parser.add_argument(
        "--missing",
        choices=("standard", "release"),
        default="standard",
        help=(
            "缺测时：standard 按 HJ 633-2026 §5.3（其余分指数不超过100则不发布AQI，默认）；release 按国家实时发布"
            "（由其余污染物计算）/ a missing value: withhold the AQI unless the others exceed 100 (default), or publish"
            " the others' AQI as the national release does"
        ),
    )
    _format_arg(parser)
    args = parser.parse_args(argv)
    edition = parse_edition(args.standard)
    rule = "hj633-2012" if args.columns == "hj633-2012" else "hourly"
    if args.kind == "hourly":
        needed: tuple[str, ...] = HOURLY_COLUMNS + (REALTIME_2012_EXTRA if rule == "hj633-2012" else ())
        wanted = (*needed, "so2_24h")
    else:
        if args.columns != "1h":
            return _fail("--columns 只用于实时报 / --columns applies to --kind hourly only")
        needed = wanted = daily_columns(edition)
    try:
        table = read_air(
            args.file, daily=args.kind == "daily", max_rows=CLI_MAX_ROWS, max_cells=CLI_MAX_CELLS, only=wanted
        )
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    absent = [c for c in needed if c not in table.values]
    if absent:
        return _fail(f"{table.file}: 缺少列 / missing columns: {', '.join(absent)}")
    sheet = table.sheet
    if args.format == "csv" and sheet is not None and sheet.one_line_rows:
        # the output echoes the file's own lines: the cells as text can go before the index is computed
        table.sheet = replace(sheet, frame=pl.DataFrame())
    extra = ["so2_24h"] if args.kind == "hourly" and "so2_24h" in table.values and edition is Edition.E2012 else []
    conc = {c: table.values[c] for c in (*needed, *extra)}
    gone = {c: table.absent[c] for c in conc if c in table.absent}
    try:
        if args.kind == "hourly":
            result = realtime_aqi(conc, edition, rule=rule, missing=args.missing, absent=gone)
        else:
            result = daily_aqi(conc, edition, missing=args.missing, absent=gone)
    except RuleRefused as exc:
        return _fail(f"{table.file}: {exc}")
    _report(table.issues)
    _say_columns(table, args.kind, rule, list(conc))
    _note(result.missing_rule_text)
    if table.sheet is not None and table.layout in ("station-time", "release"):
        if args.format == "csv":
            _write_csv_fast(args.file, table.sheet, result, args.output)
            return 1 if table.issues else 0
        sheet = (
            table.sheet
            if table.sheet.complete
            else read_sheet(args.file, max_rows=CLI_MAX_ROWS, max_cells=CLI_MAX_CELLS)
        )
        header = [*sheet.header, "aqi", "level", "category", "primary_pollutant"]
        read = set(table.rows.tolist())  # the full reading may have dropped rows the first did not look at
        inputs = [row for row, line in zip(sheet.rows, sheet.lines, strict=True) if line in read]
    else:
        stamp = table.times.astype("datetime64[D]" if args.kind == "daily" else "datetime64[m]").astype(str)
        header = [
            "station",
            "date" if args.kind == "daily" else "time",
            *conc,
            "aqi",
            "level",
            "category",
            "primary_pollutant",
        ]
        cols = [np.where(np.isnan(conc[c]), "", np.asarray(conc[c]).astype(str)) for c in conc]
        inputs = [[s, t, *(col[i] for col in cols)] for i, (s, t) in enumerate(zip(table.stations, stamp, strict=True))]
    aqi_text = np.where(result.aqi >= 0, result.aqi.astype(str), "NA")
    level = np.where(result.aqi >= 0, result.level.astype(str), "NA")
    category = result.category
    primary = result.primary_labels()
    rows = [[*inp, a, lv, c, p] for inp, a, lv, c, p in zip(inputs, aqi_text, level, category, primary, strict=True)]
    _write(header, rows, args.format, args.output)
    return 1 if table.issues else 0


def _say_columns(table: AirTable, kind: str, rule: str, used: list[str]) -> None:
    """Which of the file's columns fed the index, and which it did not: a file with 1-hour and moving-mean
    columns side by side never has one chosen for it silently (issue 11)."""
    if table.sheet is None:
        return
    header = table.sheet.header
    named = [header[table.columns[c]] for c in used if c in table.columns]
    unused = [header[j] for c, j in table.columns.items() if c not in used]
    words = REALTIME_RULES[rule] if kind == "hourly" else "日AQI由日均值计算 / daily AQI from the daily values"
    text = f"{words}: {', '.join(named)}"
    if unused:
        text += f"；未使用的列 / columns not used: {', '.join(unused)}"
        if kind == "hourly" and rule == "hourly":
            text += "（--columns hj633-2012 可改用HJ 633-2012的滑动平均 / to use HJ 633-2012's moving means）"
    _note(text)


Quoting = Literal["necessary", "never"]
QUOTE_AS_NEEDED: Quoting = "necessary"
QUOTE_NEVER: Quoting = "never"


def _write_csv_fast(path: str, sheet: Sheet, result: AQIResult, output: str | None) -> None:
    """Each input row as the file writes it, then the index columns, joined and written by Polars a block at a
    time: a year of station-hours in well under a second (the row-by-row writer took longer than everything else
    together), never the whole output in memory."""
    labels = result.primary_labels()
    level = result.level
    categories = {lv.number: lv.category for lv in LEVELS}

    def added_columns(lo: int, hi: int) -> pl.DataFrame:
        primary = pl.Series("primary", labels[lo:hi], dtype=pl.String)
        quoted = pl.when(primary.str.contains('[",\n]')).then('"' + primary.str.replace_all('"', '""') + '"')
        return pl.DataFrame({"a": result.aqi[lo:hi], "l": level[lo:hi].astype(np.int32)}).select(
            pl.when(pl.col("a") >= 0).then(pl.col("a").cast(pl.String)).otherwise(pl.lit("NA")).alias("aqi"),
            pl.when(pl.col("a") >= 0).then(pl.col("l").cast(pl.String)).otherwise(pl.lit("NA")).alias("level"),
            pl.col("l").replace_strict(categories, return_dtype=pl.String).alias("cat"),
            quoted.otherwise(primary).alias("primary"),
        )

    added = ["aqi", "level", "category", "primary_pollutant"]
    blocks: Iterator[pl.DataFrame]
    if not sheet.one_line_rows:
        if not sheet.complete:
            sheet = read_sheet(path, max_rows=CLI_MAX_ROWS, max_cells=CLI_MAX_CELLS)
        computed = added_columns(0, len(result)).with_columns(
            pl.Series("primary", labels, dtype=pl.String)  # the writer quotes what needs it
        )
        blocks = iter([pl.concat([sheet.frame, computed], how="horizontal")])
        head = io.StringIO()
        csv.writer(head, lineterminator="\n").writerow([*sheet.header, *added])
        header_line, quote = head.getvalue(), QUOTE_AS_NEEDED
    else:  # each row is one line of the file (see read_sheet): echoed as written
        lines = csv_line_blocks(path)
        first = next(lines)
        header_line, quote = f"{first[0]},{','.join(added)}\n", QUOTE_NEVER
        blocks = _echoed(itertools.chain([first], lines), sheet.lines, added_columns)
    if output:
        with Path(output).open("wb") as out:
            out.write(header_line.encode("utf-8"))
            for frame in blocks:
                frame.write_csv(out, include_header=False, line_terminator="\n", quote_style=quote)
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.write(header_line)
        sys.stdout.flush()
        for frame in blocks:
            frame.write_csv(sys.stdout.buffer, include_header=False, line_terminator="\n", quote_style=quote)
        sys.stdout.buffer.flush()
    else:  # a text stream standing in for stdout (a caller capturing it)
        sys.stdout.write(header_line)
        for frame in blocks:
            sys.stdout.write(frame.write_csv(include_header=False, line_terminator="\n", quote_style=quote))


def _echoed(
    blocks: Iterator[pl.Series], wanted: np.ndarray, added: Callable[[int, int], pl.DataFrame]
) -> Iterator[pl.DataFrame]:
    """For each block of the file's lines, the rows read from it (`wanted`: their line numbers, ascending) as
    written, each followed by its computed cells (`added(lo, hi)`: those of records lo … hi − 1)."""
    first = 1
    for block in blocks:
        lo, hi = (int(i) for i in np.searchsorted(wanted, [first, first + block.len()]))
        if hi > lo:
            rows = block.gather(pl.Series(wanted[lo:hi] - first)).alias("row")
            yield (
                added(lo, hi)
                .with_columns(rows)
                .select(
                    pl.concat_str(
                        [pl.col("row"), pl.col("aqi"), pl.col("level"), pl.col("cat"), pl.col("primary")], separator=","
                    )
                )
            )
        first += block.len()


def water_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ecotarget water",
        description=(
            "地表水水质类别 (GB 3838-2002，单因子评价法，21项)：每行一个样品，每列一个项目。\n"
            "Surface-water class of every sample (GB 3838-2002, single-factor method over 21 items)."
        ),
        epilog=(
            "列 / columns: section,date, then pH, 溶解氧/do, 高锰酸盐指数/codmn, 化学需氧量/cod, 氨氮/nh3n, 总磷/tp …\n"
            "低于检出限写作 / below detection: 0.01L, <0.01\n"
            "退出码 / exit: 0 正常 ok, 1 有坏行 some bad rows, 2 输入不可用 unusable input"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="CSV 或 .xlsx / CSV or .xlsx")
    parser.add_argument(
        "--kind", choices=("river", "lake"), default="river", help="河流或湖库 / river or lake-reservoir"
    )
    parser.add_argument(
        "--by-section", action="store_true", help="按断面求均值后评价 / class of each section from its sample means"
    )
    _format_arg(parser)
    args = parser.parse_args(argv)
    try:
        table = read_water(args.file, max_rows=CLI_MAX_ROWS, max_cells=CLI_MAX_CELLS)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    if not any(k in table.values for k in ("ph", "do", "codmn", "cod", "bod5", "nh3n", "tp")):
        return _fail(f"{table.file}: 没有可评价的项目 / no evaluated parameter columns")
    _report(table.issues)
    if args.by_section:
        period = section_classes(table.sections, table.values, kind=args.kind, below_detection=table.below_detection)
        r = period.result
        keys = list(table.values)
        header = ["section", *keys, "class", "main_pollutants"]
        means = [[_num(v) for v in period.means[k]] for k in keys]
        rows = [
            [s, *(m[i] for m in means), CLASS_NAMES[int(r.water_class[i])], r.main_pollutants[i]]
            for i, s in enumerate(period.sections)
        ]
    else:
        r = classify_samples(table.values, kind=args.kind, below_detection=table.below_detection)
        assert table.sheet is not None
        header = [*table.sheet.header, "class", "main_pollutants"]
        rows = [
            [*inp, CLASS_NAMES[int(c)], m]
            for inp, c, m in zip(table.sheet.rows, r.water_class, r.main_pollutants, strict=True)
        ]
    _write(header, rows, args.format, args.output)
    return 1 if table.issues else 0


def _num(value: float) -> str:
    return "" if np.isnan(value) else f"{value:.6g}"


def _conc(units: int | None, decimals: int) -> str:
    if units is None:
        return "-"
    return f"{units / 10**decimals:.{decimals}f}"


def _year_rows(result: AirYearResult) -> list[list[str]]:
    rows = []
    for key in EVALUATED:
        py = result.pollutants[key]
        d = py.decimals
        rows.append(
            [
                LABELS[key],
                str(py.days),
                "有效" if py.validity.is_valid else "无效",
                _conc(py.annual_mean, d),
                f"P{py.percentile_p}={_conc(py.percentile_value, d)}",
                f"{_conc(py.annual_limit, d)}/{_conc(py.daily_limit, d)}",
                {True: "达标", False: "超标", None: "不满足有效性"}[py.complies],
                str(py.exceedance_days),
                str(py.daily_compliance_rate or "-"),
            ]
        )
    return rows


def _year_json(ev: AnnualEvaluation, result: AirYearResult) -> dict[str, object]:
    return {
        "complies": result.complies,
        "notes": list(result.notes),
        "valid_days": result.valid_days,
        "good_days": result.good_days,
        "good_ratio_percent": None if result.good_ratio is None else str(result.good_ratio),
        "heavy_pollution_days": result.heavy_days,
        "days_per_level": list(result.level_days),
        "pollutants": {
            LABELS[k]: {
                "valid_days": p.days,
                "validity": p.validity.reason or "ok",
                "annual_mean": None if p.annual_mean is None else _conc(p.annual_mean, p.decimals),
                f"p{p.percentile_p}": None if p.percentile_value is None else _conc(p.percentile_value, p.decimals),
                "complies": p.complies,
                "exceed_multiple_mean": None if p.exceed_multiple_mean is None else str(p.exceed_multiple_mean),
                "exceed_multiple_percentile": (
                    None if p.exceed_multiple_percentile is None else str(p.exceed_multiple_percentile)
                ),
                "exceedance_days": p.exceedance_days,
                "daily_compliance_rate": None if p.daily_compliance_rate is None else str(p.daily_compliance_rate),
            }
            for k, p in result.pollutants.items()
        },
    }


def air_year_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ecotarget air-year",
        description=(
            "县（市）环境空气质量年度评价 (HJ 663)：由各站点小时数据计算日均值、日AQI和年评价。\n"
            "Annual air-quality evaluation of a county from its stations' hourly data (HJ 663-2013, GB 3095)."
        ),
        epilog=(
            "FILE: station,time,pm2_5,pm10,so2,no2,co,o3 (或国家小时数据归档格式 / or the national archive layout)\n"
            "--exclude: 每行一个日期 (沙尘/例外事件) / one date per line of excluded days (dust, exceptional events)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="CSV 或 .xlsx / CSV or .xlsx")
    parser.add_argument(
        "--standard", choices=("2012", "2026"), help="标准版本 (默认按年份) / edition (default: by year)"
    )
    parser.add_argument("--year", type=int, help="评价年份 (默认取数据中的年份) / year (default: the data's)")
    parser.add_argument("--exclude", metavar="DATES", help="扣除日期文件 / file of excluded dates")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="输出格式 / output format")
    parser.add_argument("--output", metavar="PATH", help="写入文件 / write to PATH")
    args = parser.parse_args(argv)
    try:
        table = read_air(args.file, max_rows=CLI_MAX_ROWS, max_cells=CLI_MAX_CELLS, only=HOURLY_COLUMNS)
        if not table.times.size or np.isnat(table.times).all():
            return _fail(f"{table.file}: 没有有效记录 / no usable records")
        grid = table.grid()
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    _report(table.issues)
    daily = network_daily(grid)
    years = daily.days.astype("datetime64[Y]").astype(int) + 1970
    year = args.year or int(np.bincount(years).argmax())
    exclusions = None
    if args.exclude:
        try:
            text = Path(args.exclude).read_text(encoding="utf-8-sig").split()
            dates = np.array(text, dtype="datetime64[D]")
        except (OSError, ValueError) as exc:
            return _fail(f"--exclude: {exc}")
        exclusions = np.isin(daily.days, dates)
    ev = evaluate_year(daily, year, setting_for(year, args.standard), exclusions=exclusions)
    out = io.StringIO()
    if args.format == "json":
        doc = {
            "year": ev.year,
            "setting": ev.setting_text,
            "stations": list(grid.stations),
            "excluded_days": ev.excluded_days,
            "missing_rule": "standard",
            "measured": _year_json(ev, ev.measured),
            "after_exclusion": _year_json(ev, ev.after_exclusion),
        }
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(f"{ev.year}年环境空气质量评价 / annual evaluation — {len(grid.stations)} 个站点 stations\n")
        out.write(f"标准 / rules: {ev.setting_text}\n")
        out.write(f"{MISSING_RULES['standard']}\n")
        header = ["项目", "有效天数", "有效性", "年均值", "百分位数", "限值(年/日)", "评价", "超标天数", "日达标率%"]
        for title, result in (("实况 / as measured", ev.measured), ("扣除后 / after exclusion", ev.after_exclusion)):
            if result is ev.after_exclusion and exclusions is None:
                break
            out.write(f"\n[{title}]\n")
            out.write(_table(header, _year_rows(result)))
            out.write(
                f"综合评价 / overall: {'达标 complies' if result.complies else '不达标 does not comply'}"
                f"{' (' + '; '.join(result.notes) + ')' if result.notes else ''}\n"
                f"优良天数 / good days: {result.good_days}/{result.valid_days} = {result.good_ratio or '-'}%\n"
                f"重污染天数 (AQI>200) / heavy-pollution days: {result.heavy_days}\n"
                f"各级别天数 / days per level 1–6: {' '.join(str(x) for x in result.level_days)}\n"
            )
    if args.output:
        Path(args.output).write_text(out.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(out.getvalue())
    return 1 if table.issues else 0


__all__ = ["air_year_main", "aqi_main", "water_main"]
