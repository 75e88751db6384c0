"""A data upload that would cost too much, or that the readers used to misread, gets a clear answer on the page
(issue 10: an .xlsx of 1M rows took 478 s and reported 6,000,000 values while storing 1 row; a CSV with a
200,000-character field gave a 500; duplicate station-hours were silently overwritten; a UTF-16 CSV was refused
as binary)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse

from ecotarget.monitoring.models import AirHour, ImportBatch
from ecotarget.monitoring.storage import AIR_FIELDS
from files.bombs import sheet_xml, xlsx_parts, zip_with

HEADER = "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"
ROW = "县城站（演示）,2022-03-01 01:00,20,35,6,12,0.6,70"


def post(client, content: bytes, name="air.csv", partial=False):
    data = {"kind": "air", "document": SimpleUploadedFile(name, content)}
    if partial:
        data["accept_partial"] = "on"
    return client.post(reverse("monitoring:upload"), data)


def stored_values() -> int:
    counts = AirHour.objects.aggregate(**{f: Count(f) for f in AIR_FIELDS})
    return sum(counts.values())


def test_a_station_hour_given_twice_is_refused_naming_both_lines(stations, personas, client_for):
    again = ROW.replace(",20,35,", ",25,35,")
    response = post(client_for(personas.coordinator), "\n".join([HEADER, ROW, again]).encode())
    [issue] = response.context["outcome"].issues
    assert (issue.file, issue.row) == ("air.csv", 3) and "与第2行重复" in issue.reason
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()


def test_the_count_reported_is_what_was_stored(stations, personas, client_for):
    rows = [ROW] * 5  # the same station-hour five times: one record of six values, not thirty
    response = post(client_for(personas.coordinator), "\n".join([HEADER, *rows]).encode(), partial=True)
    outcome = response.context["outcome"]
    assert AirHour.objects.count() == 1 and stored_values() == 6
    assert outcome.stored == 6 and ImportBatch.objects.get().values_stored == 6
    assert "已导入 6 个监测值" in response.content.decode()
    assert [i.row for i in outcome.issues] == [3, 4, 5, 6]


def test_a_field_longer_than_csv_reads_is_a_row_error_not_a_server_error(stations, personas, client_for):
    huge = ROW.replace(",20,", "," + "9" * 200_000 + ",")
    response = post(client_for(personas.coordinator), "\n".join([HEADER, huge]).encode())
    assert response.status_code == 200
    [issue] = response.context["outcome"].issues
    assert (issue.file, issue.row, issue.column) == ("air.csv", 2, "PM2.5")
    assert "字段超过" in response.content.decode()


def test_a_utf16_csv_is_read(stations, personas, client_for):
    response = post(client_for(personas.coordinator), "\n".join([HEADER, ROW]).encode("utf-16"))
    assert "已导入 6 个监测值" in response.content.decode()


def test_an_unknown_encoding_is_refused_naming_the_encodings_accepted(stations, personas, client_for):
    response = post(client_for(personas.coordinator), b"\xff\xff\x80\x80,1,2\n")
    page = response.content.decode()
    assert "air.csv: 无法识别文件编码" in page and "GBK/GB18030" in page and "UTF-16" in page


@override_settings(ECOTARGET_MAX_SHEET_ROWS=100)
def test_a_workbook_of_too_many_rows_is_refused_naming_file_and_limit(stations, personas, client_for, tmp_path):
    book = zip_with(tmp_path / "x.xlsx", xlsx_parts(sheet_xml(1000)))
    response = post(client_for(personas.coordinator), book.read_bytes(), name="一年数据.xlsx")
    assert "一年数据.xlsx: 工作表超过上限 100 行" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_workbook_zip_bomb_is_refused_before_it_is_opened(stations, personas, client_for, tmp_path):
    bomb = zip_with(tmp_path / "bomb.xlsx", xlsx_parts(sheet_xml(1)), padding=("xl/media/pad.bin", 250))
    response = post(client_for(personas.coordinator), bomb.read_bytes(), name="数据.xlsx")
    page = response.content.decode()
    assert "数据.xlsx: 解压后共 25" in page and "超过上限 200 MB" in page
