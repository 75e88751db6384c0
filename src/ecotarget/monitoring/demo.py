"""SYNTHETIC monitoring data for the demo: a seeded, plausible year for the demo stations of a county.

Nothing here is measured. Every station and batch it writes is flagged `synthetic`, and the pages say so.
The shapes follow what a clean southern county sees: PM higher in winter and at night-time traffic peaks,
O₃ peaking in the afternoon and in spring/autumn, rivers mostly class Ⅱ–Ⅲ with a wetter-season dip.
"""

from datetime import date, datetime, timedelta

import numpy as np

SEED = 350428


def air_year(year: int, stations: int, seed: int = SEED) -> tuple[list[datetime], np.ndarray]:
    """Hour-end labels of the year (1:00 of 1 Jan … 24:00 of 31 Dec) and values shaped (stations, hours, 6).

    Columns: pm2_5, pm10, so2, no2 (µg/m³), co (mg/m³, 1 decimal), o3 (µg/m³). About 1 % of values are missing
    (NaN) and a few whole days are lost to an analyser fault, as real station data are.
    """
    rng = np.random.default_rng(seed + year)
    start = datetime(year, 1, 1, 1)
    hours = (date(year + 1, 1, 1) - date(year, 1, 1)).days * 24
    labels = [start + timedelta(hours=h) for h in range(hours)]
    t = np.arange(hours)
    day_of_year = t / 24.0
    hour_of_day = (t + 1) % 24
    winter = 0.5 * (1 + np.cos(2 * np.pi * (day_of_year - 15) / 365))  # 1 in mid-January, 0 in mid-July
    traffic = 1 + 0.25 * np.exp(-((hour_of_day - 8) ** 2) / 6) + 0.3 * np.exp(-((hour_of_day - 20) ** 2) / 8)
    afternoon = np.exp(-((hour_of_day - 15) ** 2) / 12)
    season_o3 = 0.6 + 0.4 * np.sin(2 * np.pi * (day_of_year - 60) / 182.5) ** 2

    values = np.empty((stations, hours, 6))
    for s in range(stations):
        # A slowly varying weather factor shared by the pollutants (stagnant days are dirtier for all of them).
        weather = np.exp(np.convolve(rng.normal(0, 0.35, hours + 72), np.ones(72) / 72 * 4, mode="valid")[:hours])
        base = (1 + 0.08 * s) * weather * traffic
        pm2_5 = (6.5 + 11 * winter) * base * rng.lognormal(0, 0.25, hours)
        pm10 = pm2_5 * rng.uniform(1.5, 2.1, hours)
        so2 = (4 + 4 * winter) * rng.lognormal(0, 0.3, hours)
        no2 = (8 + 10 * winter) * traffic * rng.lognormal(0, 0.3, hours)
        co = (0.4 + 0.4 * winter) * weather * rng.lognormal(0, 0.2, hours)
        o3 = (25 + 115 * afternoon * season_o3) * rng.lognormal(0, 0.2, hours)
        values[s] = np.stack(
            [np.round(pm2_5), np.round(pm10), np.round(so2), np.round(no2), np.round(co, 1), np.round(o3)], axis=1
        )
        missing = rng.random((hours, 6)) < 0.01
        fault_day = rng.integers(0, hours // 24 - 1)
        missing[fault_day * 24 : fault_day * 24 + 30, :] = True
        values[s][missing] = np.nan
    return labels, values


# GB 3838-2002 basic items sampled monthly in the demo, with a typical class Ⅱ–Ⅲ river level (mg/L; pH unitless).
WATER_TYPICAL = {
    "ph": 7.2,
    "do": 7.5,
    "codmn": 2.2,
    "cod": 10.0,
    "bod5": 1.8,
    "nh3n": 0.25,
    "tp": 0.06,
    "tn": 0.9,
    "cu": 0.002,
    "zn": 0.01,
    "fluoride": 0.15,
    "se": 0.0002,
    "as": 0.001,
    "hg": 0.00002,
    "cd": 0.0002,
    "cr6": 0.004,
    "pb": 0.002,
    "cn": 0.002,
    "phenol": 0.0005,
    "oil": 0.01,
    "las": 0.03,
    "sulfide": 0.01,
}


def water_year(year: int, stations: int, seed: int = SEED) -> tuple[list[date], np.ndarray, list[str]]:
    """Monthly samples (the 10th of each month) shaped (stations, 12, items), and the item names.

    One small-basin station (the fifth) is made worse in the wet season so that the demo has a class Ⅳ month.
    """
    rng = np.random.default_rng(seed + 7 * year)
    days = [date(year, month, 10) for month in range(1, 13)]
    names = list(WATER_TYPICAL)
    typical = np.array([WATER_TYPICAL[n] for n in names])
    wet = np.array([0.8, 0.8, 0.9, 1.1, 1.3, 1.4, 1.3, 1.2, 1.0, 0.9, 0.8, 0.8])
    values = typical[None, None, :] * rng.lognormal(0, 0.2, (stations, 12, len(names)))
    polluting = [i for i, n in enumerate(names) if n not in ("ph", "do")]
    values[:, :, polluting] *= wet[None, :, None]
    if stations > 4:
        values[4, 4:7, names.index("nh3n")] *= 4.5
        values[4, 4:7, names.index("tp")] *= 3.2
    values[:, :, names.index("ph")] = np.clip(rng.normal(7.2, 0.25, (stations, 12)), 6.4, 8.2)
    values[:, :, names.index("do")] = np.clip(rng.normal(7.6, 0.6, (stations, 12)) / wet[None, :] ** 0.3, 4, 10)
    return days, values, names
