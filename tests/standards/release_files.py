"""Invented station-hours in the layout of the national real-time release as users download it (issue 11):
`stationcode, positionname, area, timepoint`, the published `aqi, quality, primary_pollutant`, and the 24-hour
and 8-hour columns beside the 1-hour ones. The rows are ours; their published AQI is worked out by hand below
from HJ 633-2012 表1 (2017 rows) and HJ 633-2026 表3 (2026 rows), by the real-time rule the release follows
(standards-spec §1.4: the six 1-hour values, PM on the daily PM breakpoints).

The 2012-era file writes times as `2017-01-01 10:00:00` and leaves a missing value blank; the 2026 file writes
`2026-03-01T1000`, "NA" for a missing value and "/" for a pollutant outside the station's programme.
"""

import csv
from pathlib import Path

from openpyxl import Workbook

# stationcode, positionname: the demo stations of 将乐县 (tests/conftest.py `stations`), as a release names them
STATIONS = {"JL-A01": "县城站", "JL-A02": "水南站"}

HEADER_2017 = [
    "timepoint", "stationcode", "positionname", "area", "aqi", "quality", "primary_pollutant",
    "pm10", "pm10_24h", "pm2_5", "pm2_5_24h", "o3", "o3_24h", "o3_8h", "o3_8h_24h",
    "no2", "no2_24h", "so2", "so2_24h", "co", "co_24h",
]  # fmt: skip

# (time, code, published aqi, quality, primary, pm10, pm10_24h, pm2_5, pm2_5_24h, o3, o3_24h, o3_8h, o3_8h_24h,
#  no2, no2_24h, so2, so2_24h, co, co_24h)
ROWS_2017 = [
    # PM2.5 44 → 50+50·9/40 = 61.25 → 62; PM10 98 → 50+50·48/100 = 74; SO₂ 9 → 3; NO₂ 70 → 35; CO 1.2 → 12;
    # O₃ 34 → 10.6 → 11.  AQI 74 (良), PM10.  (PM2.5 24h 90 would give 118.75 → 119: it is not used.)
    ["2017-01-01 10:00:00", "JL-A01", "74", "良", "颗粒物(PM10)",
     "98", "61", "44", "90", "34", "4", "1", "1", "70", "70", "9", "7", "1.2", "1.0"],
    # PM2.5 128 → 150+50·13/35 = 168.6 → 169; PM10 185 → 100+50·35/100 = 117.5 → 118.  AQI 169 (中度污染).
    ["2017-01-01 10:00:00", "JL-A02", "169", "中度污染", "细颗粒物(PM2.5)",
     "185", "115", "128", "66", "53", "5", "3", "3", "79", "71", "18", "18", "1.9", "1.6"],
    # PM2.5 36 → 51.25 → 52 (the ceiling, spec §1.2); PM10 40 → 40; O₃ 60 → 18.75 → 19.  AQI 52 (良), PM2.5.
    ["2017-01-01 11:00:00", "JL-A01", "52", "良", "细颗粒物(PM2.5)",
     "40", "45", "36", "40", "60", "20", "30", "30", "20", "25", "5", "6", "0.5", "0.6"],
    # PM2.5 missing (blank): the others give PM10 60 → 55. The release publishes 55; the standard withholds it.
    ["2017-01-01 11:00:00", "JL-A02", "55", "良", "颗粒物(PM10)",
     "60", "58", "", "40", "60", "20", "30", "30", "20", "25", "5", "6", "0.5", "0.6"],
    # CO missing, PM2.5 160 → 200+100·10/100 = 210 > 100: published under both rules (重度污染).
    ["2017-01-01 12:00:00", "JL-A01", "210", "重度污染", "细颗粒物(PM2.5)",
     "90", "80", "160", "140", "40", "20", "30", "30", "30", "30", "8", "8", "", "0.8"],
]  # fmt: skip

HEADER_2026 = [
    "stationcode", "positionname", "area", "timepoint", "aqi", "quality", "primary_pollutant",
    "pm2_5", "pm2_5_24h", "pm10", "pm10_24h", "so2", "so2_24h", "no2", "no2_24h",
    "co", "co_24h", "o3", "o3_24h", "o3_8h", "o3_8h_24h",
]  # fmt: skip

# (code, time, aqi, quality, primary, pm2_5, pm2_5_24h, pm10, pm10_24h, so2, so2_24h, no2, no2_24h, co, co_24h,
#  o3, o3_24h, o3_8h, o3_8h_24h)
ROWS_2026 = [
    # 2026 table: PM2.5 44 → 50+50·9/25 = 68; PM10 98 → 50+50·48/70 = 84.3 → 85.  AQI 85 (良), PM10.
    # (Its PM2.5 24h 120 would give 150+50·5/35 = 157.1 → 158: not used.)
    ["JL-A01", "2026-03-01T1000", "85", "良", "颗粒物(PM10)",
     "44", "120", "98", "61", "9", "7", "70", "70", "1.2", "1.0", "34", "4", "1", "1"],
    # CO "/": not in this station's programme, so not missing. PM2.5 30 → 42.9 → 43; PM10 40 → 40.  AQI 43 (优).
    ["JL-A02", "2026-03-01T1000", "43", "优", "—",
     "30", "28", "40", "38", "5", "5", "20", "20", "/", "/", "60", "50", "40", "40"],
    # PM2.5 61 → 100+50·1/55 = 100.9 → 101 (the 2026 breakpoint 60); PM10 70 → 64.3 → 65.  AQI 101 (轻度污染).
    ["JL-A01", "2026-03-01T1100", "101", "轻度污染", "细颗粒物(PM2.5)",
     "61", "50", "70", "65", "6", "6", "30", "30", "0.6", "0.6", "50", "40", "30", "30"],
    # O₃ "NA" (missing) and CO "/": the others give 43; the release publishes it, the standard withholds it.
    ["JL-A02", "2026-03-01T1100", "43", "优", "—",
     "30", "28", "40", "38", "5", "5", "20", "20", "/", "/", "NA", "NA", "NA", "NA"],
]  # fmt: skip

# which records are complete (all six 1-hour values, "/" counting as present for its station's programme)
COMPLETE_2017 = [True, True, True, False, False]
COMPLETE_2026 = [True, True, True, False]


def release_rows(year: int) -> list[list[str]]:
    """The file's rows (header first), positionname and area filled in."""
    if year == 2017:
        rows = [[r[0], r[1], STATIONS[r[1]], "三明市", *r[2:]] for r in ROWS_2017]
        return [HEADER_2017, *rows]
    rows = [[r[0], STATIONS[r[0]], "三明市", *r[1:]] for r in ROWS_2026]
    return [HEADER_2026, *rows]


def published(year: int) -> list[dict[str, str]]:
    header, *rows = release_rows(year)
    return [dict(zip(header, row, strict=True)) for row in rows]


def write_release_csv(path: Path, year: int, encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(release_rows(year))
    return path


def write_release_xlsx(path: Path, year: int) -> Path:
    book = Workbook()
    sheet = book.active
    for row in release_rows(year):
        sheet.append(row)
    book.save(path)
    return path
