"""What a data file may cost the readers: rows and cells are bounded (an .xlsx by what it declares and by its
tags, before openpyxl reads it), an unreadable CSV row is a row issue, every common encoding is read (or refused
by name), and a station-time given twice is reported (issue 10)."""

import csv

import numpy as np
import pytest

from ecotarget.files.text import EncodingRefused
from ecotarget.standards.io import read_air, read_sheet, read_water
from ecotarget.standards.sheet_extent import SheetTooLarge
from files.bombs import sheet_xml, xlsx_parts, zip_with

AIR = "站点名称,时间,PM2.5,PM10\n"


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_sheet_declaring_more_rows_than_allowed_is_refused_by_its_dimension(tmp_path):
    # declares a million rows but holds three: refused from the first bytes, never counted
    path = zip_with(tmp_path / "big.xlsx", xlsx_parts(sheet_xml(3, dimension="A1:C1000000")))
    with pytest.raises(
        SheetTooLarge, match=r"big\.xlsx: 工作表有 1000000 行，超过上限 100 行.* / the sheet has 1000000 rows"
    ):
        read_sheet(path, max_rows=100)


def test_a_sheet_without_a_dimension_is_refused_by_counting_its_rows(tmp_path):
    path = zip_with(tmp_path / "rows.xlsx", xlsx_parts(sheet_xml(150)))
    with pytest.raises(SheetTooLarge, match=r"rows\.xlsx: .*超过上限 100 行"):
        read_sheet(path, max_rows=100)
    assert len(read_sheet(path, max_rows=150).rows) == 149


def test_a_sheet_understating_its_dimension_is_still_counted(tmp_path):
    path = zip_with(tmp_path / "lies.xlsx", xlsx_parts(sheet_xml(150, dimension="A1:C2")))
    with pytest.raises(SheetTooLarge, match="超过上限 100 行"):
        read_sheet(path, max_rows=100)


def test_cells_are_bounded_too(tmp_path):
    path = zip_with(tmp_path / "wide.xlsx", xlsx_parts(sheet_xml(20, cells_per_row=10)))
    with pytest.raises(SheetTooLarge, match=r"wide\.xlsx: 单元格超过上限 150 个"):
        read_sheet(path, max_cells=150)
    csv_path = write(tmp_path, "wide.csv", ("a,b,c\n" * 100).encode())
    with pytest.raises(SheetTooLarge, match=r"wide\.csv: 单元格超过上限 150 个"):
        read_sheet(csv_path, max_cells=150)


def test_a_csv_stops_being_read_past_the_row_limit(tmp_path):
    path = write(tmp_path, "long.csv", (AIR + "A,2022-03-01 01:00,1,2\n" * 200).encode())
    with pytest.raises(SheetTooLarge, match=r"long\.csv: .*超过上限 100 行"):
        read_air(path, max_rows=100)


def test_an_over_long_csv_field_is_a_row_issue_naming_file_line_and_field(tmp_path):
    long_field = "9" * 200_000
    text = AIR + "A,2022-03-01 01:00,1,2\n" + f"A,2022-03-01 02:00,{long_field},2\n" + "A,2022-03-01 03:00,3,4\n"
    table = read_air(write(tmp_path, "air.csv", text.encode()))
    [issue] = table.issues
    assert (issue.file, issue.row, issue.column) == ("air.csv", 3, "PM2.5")
    assert f"{csv.field_size_limit()} 个字符" in issue.reason
    # the rows around it are read, each at its own line
    assert table.rows.tolist() == [2, 4] and table.values["pm2_5"].tolist() == [1.0, 3.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_every_accepted_encoding_is_read(tmp_path, encoding):
    text = AIR + "县城站,2022-03-01 01:00,20,35\n"
    table = read_air(write(tmp_path, "air.csv", text.encode(encoding)))
    assert table.stations.tolist() == ["县城站"] and table.values["pm10"].tolist() == [35.0]


def test_an_unknown_encoding_is_refused_naming_the_encodings_accepted(tmp_path):
    utf16_without_bom = (AIR + "县城站,2022-03-01 01:00,20,35\n").encode("utf-16-le")
    for data in (utf16_without_bom, b"\xff\xff\x80\x80,1,2\n"):
        with pytest.raises(EncodingRefused, match=r"air\.csv: 无法识别文件编码.*UTF-8.*GBK/GB18030.*UTF-16"):
            read_sheet(write(tmp_path, "air.csv", data))


def test_a_station_hour_given_twice_is_reported_with_both_lines(tmp_path):
    rows = ["A,2022-03-01 01:00,1,2", "B,2022-03-01 01:00,5,6", "A,2022-03-01 01:00,3,4"]
    table = read_air(write(tmp_path, "air.csv", (AIR + "\n".join(rows)).encode()))
    [issue] = table.issues
    assert (issue.file, issue.row) == ("air.csv", 4) and "与第2行重复" in issue.reason
    assert table.repeated.tolist() == [False, False, True]
    assert list(table.grid().stations) == ["A", "B"]


def test_a_pollutant_given_twice_in_a_long_file_is_reported_and_the_first_kept(tmp_path):
    text = "station,time,pollutant,value\nA,2022-03-01 01:00,PM2.5,10\nA,2022-03-01 01:00,PM2.5,99\n"
    table = read_air(write(tmp_path, "long.csv", text.encode()))
    [issue] = table.issues
    assert issue.row == 3 and "与第2行重复" in issue.reason
    assert table.values["pm2_5"].tolist() == [10.0]


def test_a_water_sample_given_twice_is_reported(tmp_path):
    wide = read_water(write(tmp_path, "w.csv", "断面名称,日期,pH\nS1,2022-03-01,7\nS1,2022-03-01,8\n".encode()))
    assert [(i.row, "与第2行重复" in i.reason) for i in wide.issues] == [(3, True)]
    assert wide.repeated.tolist() == [False, True]
    long = read_water(
        write(tmp_path, "l.csv", "断面名称,日期,项目,数值\nS1,2022-03-01,pH,7\nS1,2022-03-01,pH,8\n".encode())
    )
    assert [i.row for i in long.issues] == [3]
    assert np.array_equal(long.values["ph"], [7.0])
