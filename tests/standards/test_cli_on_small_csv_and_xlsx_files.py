"""`ecotarget aqi`, `ecotarget water` and `ecotarget air-year` on small files written here (CSV and .xlsx)."""

import csv
import io
import json

import numpy as np
import pytest
from openpyxl import Workbook

from ecotarget.standards.cli import air_year_main, aqi_main, water_main


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def read_output(text):
    return list(csv.DictReader(io.StringIO(text)))


HOURLY = [
    ["station", "time", "pm2_5", "pm10", "so2", "no2", "co", "o3"],
    ["A", "2022-06-01 01:00", "36", "50", "5", "20", "0.5", "60"],
    ["A", "2022-06-01 02:00", "41", "66", "5", "20", "0.5", "60"],
    ["B", "2022-06-01 01:00", "abc", "50", "5", "20", "0.5", "60"],
    ["B", "2022-06-01 02:00", "10", "20", "-3", "20", "0.5", "60"],
    ["C", "2022-06-01 01:00", "10", "20", "5", "20", "0.5", "—"],
]


def test_hourly_csv_gets_aqi_level_category_and_primary_pollutant(tmp_path, capsys):
    code = aqi_main([str(write_csv(tmp_path / "h.csv", HOURLY)), "--kind", "hourly", "--standard", "2012"])
    out, err = capsys.readouterr()
    rows = read_output(out)
    assert list(rows[0]) == [*HOURLY[0], "aqi", "level", "category", "primary_pollutant"]
    assert [r["aqi"] for r in rows] == ["52", "58", "NA", "NA", "NA"]
    assert rows[0]["level"] == "2" and rows[0]["category"] == "良" and rows[0]["primary_pollutant"] == "pm2_5"
    assert rows[1]["primary_pollutant"] == "pm2_5;pm10" or rows[1]["primary_pollutant"] == "pm10;pm2_5"
    assert code == 1  # output written, but bad rows were reported
    assert "row 4" in err and "pm2_5" in err and "not a number" in err
    assert "row 5" in err and "so2" in err and "negative" in err
    assert "row 6" not in err  # "—" is an ordinary missing value: no complaint, AQI NA


def test_hourly_2026_gives_the_2026_index(tmp_path, capsys):
    aqi_main([str(write_csv(tmp_path / "h.csv", HOURLY[:3])), "--kind", "hourly", "--standard", "2026"])
    assert [r["aqi"] for r in read_output(capsys.readouterr().out)] == ["52", "62"]


def test_daily_xlsx_with_the_2012_ozone_hourly_maximum(tmp_path, capsys):
    rows = [
        ["station", "date", "pm2_5", "pm10", "so2", "no2", "co", "o3_8h", "o3_1h_max"],
        ["A", "2022-07-01", 20, 30, 5, 20, 0.5, 155, 210],
        ["A", "2022-07-02", 151, 30, 5, 20, 0.5, 100, 120],
    ]
    path = write_xlsx(tmp_path / "d.xlsx", rows)
    assert aqi_main([str(path), "--kind", "daily", "--standard", "2012", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(d["aqi"], d["category"], d["primary_pollutant"]) for d in doc] == [
        ("105", "轻度污染", "o3_1h_max"),
        ("201", "重度污染", "pm2_5"),
    ]
    aqi_main([str(path), "--kind", "daily", "--standard", "2026", "--output", str(tmp_path / "o.csv")])
    written = read_output((tmp_path / "o.csv").read_text(encoding="utf-8"))
    assert written[0]["aqi"] == "96" and written[0]["category"] == "良"


def test_missing_columns_stop_with_exit_2_and_the_reason(tmp_path, capsys):
    path = write_csv(tmp_path / "d.csv", [["station", "date", "pm2_5", "pm10"], ["A", "2022-07-01", "20", "30"]])
    assert aqi_main([str(path), "--kind", "daily", "--standard", "2012"]) == 2
    err = capsys.readouterr().err
    assert "missing columns" in err and "o3_1h_max" in err


def test_a_file_that_does_not_exist_exits_2(tmp_path, capsys):
    assert aqi_main([str(tmp_path / "none.csv"), "--kind", "daily", "--standard", "2012"]) == 2
    assert "error" in capsys.readouterr().err


def test_bad_option_exits_2():
    with pytest.raises(SystemExit) as exc:
        aqi_main(["x.csv", "--kind", "weekly", "--standard", "2012"])
    assert exc.value.code == 2


def test_help_is_bilingual(capsys):
    with pytest.raises(SystemExit):
        aqi_main(["--help"])
    text = capsys.readouterr().out
    assert "ecotarget aqi" in text and "空气质量指数" in text and "Compute the AQI" in text


def test_table_format_aligns_columns(tmp_path, capsys):
    aqi_main(
        [str(write_csv(tmp_path / "h.csv", HOURLY[:2])), "--kind", "hourly", "--standard", "2012", "--format", "table"]
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [*HOURLY[0], "aqi", "level", "category", "primary_pollutant"]
    assert lines[1].split()[-4:] == ["52", "2", "良", "pm2_5"]


WATER = [
    ["断面名称", "日期", "pH", "溶解氧", "高锰酸盐指数", "化学需氧量", "氨氮", "总磷", "汞"],
    ["甲", "2022-01-10", "7.2", "6.5", "3.8", "14", "0.45", "0.12", "0.00004L"],
    ["甲", "2022-02-10", "7.4", "7.6", "2.0", "10", "0.15", "0.08", "<0.00004"],
    ["乙", "2022-01-10", "7.0", "6.0", "x", "12", "0.2", "0.35", ""],
]


def test_water_samples_get_class_and_main_pollutants(tmp_path, capsys):
    code = water_main([str(write_csv(tmp_path / "w.csv", WATER))])
    out, err = capsys.readouterr()
    rows = read_output(out)
    assert [r["class"] for r in rows] == ["Ⅲ", "Ⅱ", "Ⅴ"]
    assert rows[2]["main_pollutants"] == "总磷(0.75)"
    assert code == 1 and "row 4" in err and "高锰酸盐指数" in err


def test_water_lake_and_section_means(tmp_path, capsys):
    path = write_xlsx(tmp_path / "w.xlsx", WATER)
    water_main([str(path), "--kind", "lake"])
    assert [r["class"] for r in read_output(capsys.readouterr().out)] == ["Ⅴ", "Ⅳ", "劣Ⅴ"]
    water_main([str(path), "--by-section"])
    rows = read_output(capsys.readouterr().out)
    assert [(r["section"], r["class"]) for r in rows] == [("乙", "Ⅴ"), ("甲", "Ⅱ")]  # 甲: TP mean 0.1 → Ⅱ


def hourly_year(tmp_path, year=2022, bad_row=False):
    """Two stations, every hour of the year: PM2.5 80 in July, 20 otherwise; clean other pollutants."""
    hours = np.arange(np.datetime64(f"{year}-01-01T01"), np.datetime64(f"{year + 1}-01-01T01"))
    month = (hours - np.timedelta64(1, "h")).astype("datetime64[M]").astype(int) % 12 + 1
    pm = np.where(month == 7, 80, 20)
    rows = [["station", "time", "pm2_5", "pm10", "so2", "no2", "co", "o3"]]
    stamps = hours.astype("datetime64[m]").astype(str)
    for station in ("A", "B"):
        for t, p in zip(stamps, pm, strict=True):
            rows.append([station, t.replace("T", " "), str(p), "40", "10", "20", "0.5", "60"])
    if bad_row:
        rows[5][3] = "n/a?"
    return write_csv(tmp_path / "year.csv", rows)


def test_air_year_prints_the_annual_evaluation_with_its_rules(tmp_path, capsys):
    path = hourly_year(tmp_path, bad_row=True)
    code = air_year_main([str(path), "--format", "json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert code == 1 and "row 6" in err and "pm10" in err
    assert doc["year"] == 2022 and "HJ 633-2012" in doc["setting"]
    measured = doc["measured"]
    assert measured["valid_days"] == 365 and measured["good_days"] == 334  # July's 31 days: PM2.5 80 → 107
    assert measured["good_ratio_percent"] == "91.5"
    assert measured["pollutants"]["PM2.5"]["annual_mean"] == "25"  # (334·20 + 31·80)/365 = 25.1
    assert measured["pollutants"]["PM2.5"]["p95"] == "80" and measured["pollutants"]["PM2.5"]["complies"] is False


def test_air_year_table_and_exclusions(tmp_path, capsys):
    path = hourly_year(tmp_path)
    dates = tmp_path / "dust.txt"
    dates.write_text("2022-07-01\n2022-07-02\n", encoding="utf-8")
    assert air_year_main([str(path), "--standard", "2026", "--exclude", str(dates)]) == 0
    out = capsys.readouterr().out
    assert "HJ 633-2026" in out and "扣除后 / after exclusion" in out
    assert "优良天数 / good days: 334/365" in out and "优良天数 / good days: 334/363" in out
