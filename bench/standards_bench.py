"""How fast `ecotarget.standards` turns a year of hourly data into daily values, daily AQI and the annual
evaluation, against python-aqi record by record and against one plain NumPy pass.

One synthetic year (2022) of 500 stations × 8 760 hours = 4.38 M station-hours, six pollutants, from a seeded RNG:
log-normal concentrations with a winter peak for particles and NO₂, an afternoon peak for O₃, 2 % blank hours.

    .venv/bin/python bench/standards_bench.py [--stations 500] [--sample 20000]
    .venv/bin/python bench/standards_bench.py --command [--rows 500000]

`--command` times the path a user takes instead (issue 11): `ecotarget aqi` on a CSV of 500,000 station-hours,
end to end in a new process (interpreter start, reading, checks, the index, writing the output), once in the
plain layout (station, time, six 1-hour values) and once in the national release's (21 columns, 1-hour values
beside their moving means); wall and CPU time, the process's peak memory, against the targets (≤ 1 s, ≤ 3× the
file) and against the row-by-row reading's 18.6 s.

python-aqi (`pip install python-aqi`, the `bench` extra) is timed on a random sample of the station-day records
and extrapolated to all of them; disagreements with our HJ 633-2012 daily AQI are counted and classified.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter

import numpy as np

from ecotarget.standards.annual import evaluate_year
from ecotarget.standards.aqi import daily_aqi
from ecotarget.standards.daily import DailyValues
from ecotarget.standards.editions import default_setting
from ecotarget.standards.hourly import daily_max_1h, daily_means, mda8, network_mean
from ecotarget.standards.rounding import DECIMALS, to_units

YEAR = 2022
N_DAYS = 365
# median, log-sd, winter/summer amplitude (log units), diurnal amplitude (log units)
SHAPES = {
    "pm2_5": (32.0, 0.55, 0.45, 0.10),
    "pm10": (58.0, 0.50, 0.35, 0.10),
    "so2": (9.0, 0.50, 0.30, 0.10),
    "no2": (26.0, 0.45, 0.30, 0.25),
    "co": (0.75, 0.40, 0.25, 0.15),
    "o3": (60.0, 0.45, -0.35, 0.60),
}


def synthetic_year(n_stations: int, seed: int = 2022) -> dict[str, np.ndarray]:
    """(stations, days, 24) float arrays, NaN for the 2 % of blank hours."""
    rng = np.random.default_rng(seed)
    day = np.arange(N_DAYS)[None, :, None]
    hour = np.arange(1, 25)[None, None, :]
    season = np.cos(2 * np.pi * (day - 15) / 365.0)  # +1 in mid-January
    station_level = rng.normal(0.0, 0.15, (n_stations, 1, 1))
    regional = rng.normal(0.0, 0.35, (1, N_DAYS, 1))  # weather moves every station of the county together
    out = {}
    for name, (median, sd, seasonal, diurnal) in SHAPES.items():
        cycle = np.cos(2 * np.pi * (hour - 15) / 24.0) if name == "o3" else np.cos(2 * np.pi * (hour - 8) / 24.0)
        log = (
            np.log(median)
            + seasonal * season
            + diurnal * cycle
            + station_level
            + regional
            + rng.normal(0.0, sd * 0.6, (n_stations, N_DAYS, 24))
        )
        values = np.exp(log)
        values = np.round(values, 1 if name == "co" else 0)
        values[rng.random(values.shape) < 0.02] = np.nan
        out[name] = values
    return out


def pipeline(raw: dict[str, np.ndarray]):
    """Rounding → station daily values → station daily AQI → network daily values → annual evaluation."""
    hourly = {k: to_units(v, DECIMALS[k]).astype(np.int32) for k, v in raw.items()}
    station = {k: daily_means(v).values for k, v in hourly.items() if k != "o3"}
    station["o3_8h"] = mda8(hourly["o3"]).values
    station["o3_1h_max"] = daily_max_1h(hourly["o3"]).values
    flat = {k: v.reshape(-1) for k, v in station.items()}
    station_aqi = daily_aqi(flat, "2012", in_units=True)
    network = {k: network_mean(v).values for k, v in station.items() if k != "o3_1h_max"}
    network["o3_1h_max"] = daily_max_1h(network_mean(hourly["o3"]).values).values
    days = np.arange(np.datetime64(f"{YEAR}-01-01"), np.datetime64(f"{YEAR + 1}-01-01"))
    county = DailyValues(days, network)
    evaluation = evaluate_year(county, YEAR, default_setting(YEAR))
    return flat, station_aqi, evaluation


def python_aqi_daily(flat: dict[str, np.ndarray], idx: np.ndarray) -> tuple[np.ndarray, float]:
    """python-aqi's MEP (HJ 633-2012) daily AQI, record by record; -2 where it raises (above its table)."""
    import aqi
    from aqi.algos import mep

    names = {
        "so2": mep.POLLUTANT_SO2_24H,
        "no2": mep.POLLUTANT_NO2_24H,
        "pm10": mep.POLLUTANT_PM10,
        "co": mep.POLLUTANT_CO_24H,
        "o3_1h_max": mep.POLLUTANT_O3_1H,
        "o3_8h": mep.POLLUTANT_O3_8H,
        "pm2_5": mep.POLLUTANT_PM25,
    }
    text = {k: [str(int(u)) if k != "co" else f"{u / 10:.1f}" for u in flat[k][idx]] for k in names}
    out = np.empty(idx.size, dtype=np.int64)
    start = time.perf_counter()
    for i in range(idx.size):
        try:
            out[i] = int(aqi.to_aqi([(names[k], text[k][i]) for k in names], algo=aqi.ALGO_MEP))
        except (IndexError, ValueError):
            out[i] = -2
    return out, time.perf_counter() - start


def classify(flat, idx, ours, theirs, items):
    """Why python-aqi differs: the item whose index disagrees decides the reason."""
    import aqi
    from aqi.algos import mep

    names = {
        "SO2_24H": ("so2", mep.POLLUTANT_SO2_24H),
        "NO2_24H": ("no2", mep.POLLUTANT_NO2_24H),
        "PM10_24H": ("pm10", mep.POLLUTANT_PM10),
        "CO_24H": ("co", mep.POLLUTANT_CO_24H),
        "O3_1H": ("o3_1h_max", mep.POLLUTANT_O3_1H),
        "O3_8H": ("o3_8h", mep.POLLUTANT_O3_8H),
        "PM2_5_24H": ("pm2_5", mep.POLLUTANT_PM25),
    }
    reasons: Counter[str] = Counter()
    for j in np.flatnonzero(ours.aqi[idx] != theirs):
        if theirs[j] == -2:
            reasons["python-aqi raises above its top breakpoint"] += 1
            continue
        row = idx[j]
        driver = items[int(np.argmax(ours.iaqi[row]))]
        key, pname = names[driver]
        u = int(flat[key][row])
        value = f"{u / 10:.1f}" if key == "co" else str(u)
        their_iaqi = int(aqi.to_iaqi(pname, value, algo=aqi.ALGO_MEP))
        mine = int(ours.iaqi[row, items.index(driver)])
        if key == "co":
            reasons["CO truncated to whole mg/m³ (ROUND_DOWN)"] += 1
        elif their_iaqi != mine and abs(their_iaqi - mine) <= 1:
            reasons["index rounded half-even on discrete 51/101… bands, not ceiling"] += 1
        elif their_iaqi != mine:
            reasons[f"{driver}: other difference"] += 1
        else:
            reasons["another pollutant's index is higher in python-aqi"] += 1
    return reasons


ROW_BY_ROW_SECONDS = 18.6  # `ecotarget aqi` on 500,000 rows before issue 11 (issue 11)
COMMAND_TARGET_SECONDS = 1.0
MEMORY_TARGET = 3.0


def hourly_files(folder: str, rows: int) -> dict[str, str]:
    """A plain hourly CSV and a release-layout CSV of `rows` station-hours (60 stations), 0.5 % blank cells."""
    import polars as pl

    stations = 60
    hours = rows // stations
    rng = np.random.default_rng(11)
    stamp = np.arange(np.datetime64("2025-01-01T01"), np.datetime64("2025-01-01T01") + hours)
    times = np.repeat(stamp, stations).astype("datetime64[m]").astype(str)
    codes = np.tile(np.array([f"{1001 + s}A" for s in range(stations)]), hours)
    n = times.size

    def column(low: float, high: float, decimals: int = 0) -> pl.Series:
        values = np.round(rng.uniform(low, high, n), decimals).astype(str)
        values[rng.random(n) < 0.005] = ""
        return pl.Series(values)

    plain = pl.DataFrame(
        {
            "station": codes,
            "time": np.char.replace(times, "T", " "),
            "pm2_5": column(3, 180),
            "pm10": column(5, 260),
            "so2": column(2, 40),
            "no2": column(5, 120),
            "co": column(0.2, 2.5, 1),
            "o3": column(5, 230),
        }
    )
    release = pl.DataFrame(
        {
            "stationcode": codes,
            "positionname": np.char.add("站点", codes),
            "area": np.full(n, "某市"),
            "timepoint": np.char.replace(np.char.replace(times, ":", ""), "-", "-"),
            "aqi": column(20, 200),
            "quality": np.full(n, "良"),
            "primary_pollutant": np.full(n, "细颗粒物(PM2.5)"),
            **{
                name: column(*bounds)
                for name, bounds in {
                    "pm2_5": (3, 180), "pm2_5_24h": (3, 150), "pm10": (5, 260), "pm10_24h": (5, 200),
                    "so2": (2, 40), "so2_24h": (2, 30), "no2": (5, 120), "no2_24h": (5, 90),
                    "co": (0.2, 2.5, 1), "co_24h": (0.2, 2.0, 1), "o3": (5, 230), "o3_24h": (5, 230),
                    "o3_8h": (5, 200), "o3_8h_24h": (5, 200),
                }.items()
            },
        }
    )  # fmt: skip
    paths = {"plain": os.path.join(folder, "hourly.csv"), "release": os.path.join(folder, "release.csv")}
    plain.write_csv(paths["plain"])
    release.write_csv(paths["release"])
    return paths


# the child reports its own peak (VmHWM counts from its exec; getrusage would include the forked parent's pages)
_CHILD = (
    "import sys\n"
    "from ecotarget.cli import main\n"
    "import ecotarget.standards.cli\n"
    "code = main(sys.argv[2:]) if len(sys.argv) > 2 else 0\n"
    "hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
    "open(sys.argv[1], 'w').write(hwm.split()[1])\n"
    "sys.exit(code)\n"
)


def run_child(args: list[str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit status) of `ecotarget ARGS` in a new interpreter (no ARGS: the
    interpreter and the imports only)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p.endswith("src")) or "src"}
    with tempfile.NamedTemporaryFile("r", suffix=".hwm") as report:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, report.name, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        peak_kb = float(report.read() or 0)
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024, os.waitstatus_to_exitcode(status)


def command_bench(rows: int, runs: int) -> None:
    folder = tempfile.mkdtemp(prefix="ecotarget-aqi-bench-")
    paths = hourly_files(folder, rows)
    print(f"machine: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time follows the load)")
    start_wall, start_cpu, start_rss, _ = min(run_child([]) for _ in range(runs))
    print(
        f"interpreter and the command's imports alone: {start_wall:.2f} s wall, {start_cpu:.2f} s CPU, "
        f"{start_rss:.0f} MiB"
    )
    for layout, path in paths.items():
        size = os.path.getsize(path) / 2**20
        args = ["aqi", path, "--kind", "hourly", "--standard", "2026"]
        args += ["--output", os.path.join(folder, f"out-{layout}.csv")]
        results = [run_child(args) for _ in range(runs)]
        wall, cpu, rss, status = min(results)
        above = rss - start_rss
        print(
            f"ecotarget aqi, {layout} layout ({rows:,} rows, {size:.0f} MiB), best of {runs}: {wall:.2f} s wall "
            f"({wall / COMMAND_TARGET_SECONDS:.2f} of the {COMMAND_TARGET_SECONDS:.0f} s target; "
            f"{ROW_BY_ROW_SECONDS / wall:.0f}× faster than {ROW_BY_ROW_SECONDS} s), {cpu:.2f} s CPU; "
            f"peak {rss:.0f} MiB = {above:.0f} MiB above the bare imports = {above / size:.1f}× the file "
            f"(target ≤ {MEMORY_TARGET:.0f}×); exit {status}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--sample", type=int, default=20000, help="station-days timed with python-aqi")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--command", action="store_true", help="time `ecotarget aqi` end to end instead")
    parser.add_argument("--rows", type=int, default=500_000, help="station-hours of the --command files")
    args = parser.parse_args()
    if args.command:
        command_bench(args.rows, args.runs)
        return

    raw = synthetic_year(args.stations)
    n_hours = args.stations * N_DAYS * 24
    print(f"data: {args.stations} stations × {N_DAYS} days × 24 h = {n_hours / 1e6:.2f} M station-hours, 6 pollutants")

    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        flat, station_aqi, evaluation = pipeline(raw)
        times.append(time.perf_counter() - start)
    ours = min(times)
    print(
        f"ecotarget.standards (best of {args.runs}): {ours:.2f} s for rounding + station daily values + "
        f"{len(station_aqi):,} station-day AQIs + county daily values + annual evaluation"
    )

    tracemalloc.start()
    pipeline(raw)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    input_mb = sum(v.nbytes for v in raw.values()) / 2**20
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory (tracemalloc) {peak / 2**20:.0f} MiB on top of the {input_mb:.0f} MiB input; "
        f"process max RSS {rss:.0f} MiB"
    )

    m = evaluation.measured
    pm = m.pollutants["pm2_5"]
    print(
        f"county 2022: PM2.5 annual {pm.annual_mean} µg/m³, P95 {pm.percentile_value}; good days "
        f"{m.good_days}/{m.valid_days} = {m.good_ratio} %; heavy days {m.heavy_days}; complies {m.complies}"
    )

    # one plain NumPy pass over the same data: a mean of every station-day of every pollutant
    stack = np.stack(list(raw.values()))
    start = time.perf_counter()
    stack.mean(axis=-1)
    plain = time.perf_counter() - start
    print(
        f"one NumPy pass (mean over 24 h of the 6 × {n_hours / 1e6:.2f} M float64 values): {plain:.3f} s → "
        f"our pipeline = {ours / plain:.0f}× one pass"
    )

    try:
        import aqi  # noqa: F401
    except ImportError:
        print("python-aqi not installed (pip install python-aqi): comparison skipped")
        return
    valid = np.flatnonzero(np.all([v >= 0 for v in flat.values()], axis=0))
    rng = np.random.default_rng(1)
    idx = np.sort(rng.choice(valid, size=min(args.sample, valid.size), replace=False))
    theirs, elapsed = python_aqi_daily(flat, idx)
    per_record = elapsed / idx.size
    all_records = len(station_aqi)
    start = time.perf_counter()
    daily_aqi(flat, "2012", in_units=True)
    ours_aqi = time.perf_counter() - start
    extrapolated = per_record * all_records
    print(
        f"python-aqi: {idx.size:,} sampled station-days in {elapsed:.2f} s = {per_record * 1e6:.0f} µs each → "
        f"{extrapolated:.1f} s for all {all_records:,} (extrapolated)"
    )
    print(
        f"  our daily AQI of all {all_records:,}: {ours_aqi:.3f} s → {extrapolated / ours_aqi:.0f}× python-aqi; "
        f"python-aqi's AQI step alone takes {extrapolated / ours:.1f}× our whole pipeline"
    )
    disagree = int((station_aqi.aqi[idx] != theirs).sum())
    print(f"  disagreements: {disagree:,} of {idx.size:,} ({100 * disagree / idx.size:.1f} %)")
    for reason, count in classify(flat, idx, station_aqi, theirs, list(station_aqi.items)).most_common():
        print(f"    {count:6,}  {reason}")


if __name__ == "__main__":
    main()
