"""standards-spec §7: the national hourly archive, provincial exports with Chinese headers, the long layout, and
water samples — every bad cell reported with file, row and column."""

import csv

import numpy as np

from ecotarget.standards.io import normalise_header, read_air, read_water


def write_csv(path, rows, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_archive_hour_0_is_hour_24_of_the_previous_day(tmp_path):
    rows = [
        ["date", "hour", "type", "1001A", "1002A"],
        ["20220102", "0", "PM2.5", "35", "40"],
        ["20220102", "0", "PM2.5_24h", "30", "31"],
        ["20220102", "0", "CO", "0.8", ""],
        ["20220102", "1", "PM2.5", "36", "bad"],
    ]
    table = read_air(write_csv(tmp_path / "china_sites_20220102.csv", rows))
    assert table.layout == "archive"
    grid = table.grid()
    assert grid.stations == ("1001A", "1002A")
    assert grid.days.astype(str).tolist() == ["2022-01-01", "2022-01-02"]
    assert grid.values["pm2_5"][0, 0, 23] == 35 and grid.values["pm2_5"][0, 1, 0] == 36
    assert grid.values["co"][0, 0, 23] == 8 and grid.values["co"][1, 0, 23] == -1
    assert [(i.row, i.column) for i in table.issues] == [(5, "1002A")]


def test_provincial_export_with_chinese_headers_and_units(tmp_path):
    rows = [
        ["城市名称", "区县名称", "站点名称", "时间", "PM10(μg/m³)", "SO2", "NO2", "CO(mg/m³)", "O3", "PM2.5(μg/m³)"],
        ["三明市", "将乐县", "将乐县环境监测站", "2022-05-01 01:00:00", "30", "4", "9", "0.4", "70", "15"],
        ["三明市", "将乐县", "将乐县环境监测站", "2022/5/1 24:00", "-", "4", "9", "0.4", "70", "15"],
    ]
    table = read_air(write_csv(tmp_path / "export.csv", rows, encoding="gb18030"))
    assert table.layout == "station-time"
    assert set(table.values) == {"pm10", "so2", "no2", "co", "o3", "pm2_5"}
    assert table.times.astype(str).tolist() == ["2022-05-01T01:00", "2022-05-02T00:00"]
    assert table.missing_cells["pm10"] == 1 and not table.issues


def test_long_layout_is_pivoted_to_one_record_per_station_and_hour(tmp_path):
    rows = [
        ["station", "time", "pollutant", "value"],
        ["A", "2022-05-01 01:00", "PM2.5", "15"],
        ["A", "2022-05-01 01:00", "O3", "70"],
        ["A", "2022-05-01 02:00", "PM2.5", "17"],
        ["A", "2022-05-01 02:00", "benzene", "1"],
    ]
    table = read_air(write_csv(tmp_path / "long.csv", rows))
    assert table.layout == "long"
    assert table.values["pm2_5"].tolist() == [15, 17]
    assert np.isnan(table.values["o3"][1])
    assert [(i.row, i.reason.split(" /")[0]) for i in table.issues] == [(5, "未知污染物")]


def test_unreadable_times_are_reported(tmp_path):
    rows = [["station", "time", "pm2_5"], ["A", "yesterday", "15"], ["A", "2022-05-01 02:00", "16"]]
    table = read_air(write_csv(tmp_path / "t.csv", rows))
    assert [(i.row, i.column) for i in table.issues] == [(2, "time")]
    assert np.isnat(table.times[0])


def test_header_names_are_normalised():
    assert normalise_header(" PM₂.₅（μg/m³） ") == "pm2_5"
    assert normalise_header("NH3-N") == "nh3_n"


def test_water_long_layout_with_detection_limits(tmp_path):
    rows = [
        ["section", "date", "parameter", "value"],
        ["S1", "2022-03-01", "氨氮", "0.42"],
        ["S1", "2022-03-01", "总磷", "ND"],
        ["S1", "2022-03-01", "石油类", "0.01L"],
    ]
    table = read_water(write_csv(tmp_path / "w.csv", rows), detection_limits={"tp": 0.01})
    assert table.values["nh3n"].tolist() == [0.42]
    assert table.values["tp"].tolist() == [0.01] and table.below_detection["tp"].tolist() == [True]
    assert table.below_detection["oil"].tolist() == [True]
    assert not table.issues


def test_water_nd_without_a_detection_limit_is_reported(tmp_path):
    rows = [["断面", "日期", "总磷"], ["S1", "2022-03-01", "未检出"]]
    table = read_water(write_csv(tmp_path / "w.csv", rows))
    assert [(i.row, i.column) for i in table.issues] == [(2, "总磷")]
    assert np.isnan(table.values["tp"][0])
