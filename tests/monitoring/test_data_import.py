"""Importing monitoring data files: one transaction, a row-level report, and the user's choice on bad rows."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ecotarget.monitoring.models import AirHour, ImportBatch, WaterSample

TZ = ZoneInfo("Asia/Shanghai")
GOOD_ROWS = [
    "县城站（演示）,2022-03-01 01:00,20,35,6,12,0.6,70",
    "水南站（演示）,2022-03-01 01:00,22,38,5,14,0.7,66",
    "JL-A01,2022-03-01 02:00,18,33,6,11,0.6,72",
]
HEADER = "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def post(client, content: bytes, name="air.csv", kind="air", partial=False):
    data = {"kind": kind, "document": SimpleUploadedFile(name, content)}
    if partial:
        data["accept_partial"] = "on"
    return client.post(reverse("monitoring:upload"), data)


def test_a_clean_file_is_stored_whole(stations, personas, client_for):
    response = post(client_for(personas.coordinator), csv_bytes(*GOOD_ROWS))
    assert "已导入 18 个监测值" in response.content.decode()
    assert AirHour.objects.count() == 3
    hour = AirHour.objects.get(station__code="JL-A02")
    assert (str(hour.pm2_5), str(hour.co)) == ("22.000", "0.700")


def test_a_file_with_bad_rows_is_refused_whole_and_the_report_names_row_column_and_reason(
    stations, personas, client_for
):
    bad = ["县城站（演示）,2022-03-01 03:00,abc,35,6,12,0.6,70", "不存在站,2022-03-01 01:00,20,35,6,12,0.6,70"]
    response = post(client_for(personas.coordinator), csv_bytes(*GOOD_ROWS, *bad))
    page = response.content.decode()
    assert "未导入：文件有 2 处错误" in page
    assert AirHour.objects.count() == 0 and ImportBatch.objects.count() == 0
    report = response.context["outcome"].issues
    assert {(i.row, i.column) for i in report} >= {(6, "station")}
    assert any(i.row == 5 and "abc" in i.value for i in report)


def test_the_user_may_store_the_valid_rows_and_keep_the_report(stations, personas, client_for):
    bad = "不存在站,2022-03-01 01:00,20,35,6,12,0.6,70"
    post(client_for(personas.coordinator), csv_bytes(*GOOD_ROWS, bad), partial=True)
    batch = ImportBatch.objects.get()
    assert AirHour.objects.count() == 3
    assert batch.errors[0]["row"] == 5 and batch.errors[0]["column"] == "station"


def test_importing_the_same_hours_again_overwrites_instead_of_duplicating(stations, personas, client_for):
    client = client_for(personas.coordinator)
    post(client, csv_bytes(*GOOD_ROWS))
    post(client, csv_bytes(GOOD_ROWS[0].replace(",20,35,", ",25,35,")))
    assert AirHour.objects.count() == 3
    assert AirHour.objects.get(station__code="JL-A01", hour_end=datetime(2022, 3, 1, 1, tzinfo=TZ)).pm2_5 == 25


def test_an_excel_workbook_is_read_by_its_content(stations, personas, client_for):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in GOOD_ROWS:
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    response = post(client_for(personas.coordinator), buffer.getvalue(), name="数据.xlsx")
    assert "已导入 18 个监测值" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "不是文本或 Excel"),
        (b"PK\x03\x04garbage", "不是 Excel 工作簿"),
        (b"  ", "文件为空"),
    ],
)
def test_a_file_that_is_not_data_is_rejected_with_the_reason(stations, personas, client_for, content, reason):
    response = post(client_for(personas.coordinator), content, name="air.csv")
    assert reason in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_water_samples_in_columns_with_below_detection_marks(stations, personas, client_for):
    content = "断面名称,采样日期,pH,溶解氧,氨氮,总磷\n金溪高唐断面（演示）,2022-03-10,7.2,7.5,0.02L,0.05\n".encode()
    response = post(client_for(personas.coordinator), content, name="water.csv", kind="water")
    assert "已导入" in response.content.decode()
    ammonia = WaterSample.objects.get(parameter="nh3n")
    assert ammonia.below_detection and str(ammonia.value) == "0.020000"


@pytest.mark.parametrize("persona", ["zhujian", "guyong", "leader"])
def test_only_the_coordinator_may_import_data(stations, personas, client_for, persona):
    response = post(client_for(getattr(personas, persona)), csv_bytes(*GOOD_ROWS))
    assert response.status_code == 403
    assert AirHour.objects.count() == 0


def test_a_large_file_mixing_bad_and_good_rows_gets_a_complete_report_and_nothing_half_stored(
    jiangle, stations, tmp_path
):
    from datetime import timedelta

    import numpy as np

    from ecotarget.monitoring.services import measurements_import

    rng = np.random.default_rng(7)
    start = datetime(2022, 1, 1, 1)
    lines = [HEADER]
    for h in range(1500):
        stamp = (start + timedelta(hours=h)).strftime("%Y-%m-%d %H:%M")
        for code in ("JL-A01", "JL-A02"):
            lines.append(f"{code},{stamp},{rng.integers(5, 60)},40,6,12,0.6,70")
    bad_rows = sorted(rng.choice(np.arange(1, len(lines)), size=23, replace=False).tolist())
    spoilers = ["abc", "1.2.3", "无"]
    for n, i in enumerate(bad_rows):
        cells = lines[i].split(",")
        cells[2 + n % 6] = spoilers[n % 3]
        lines[i] = ",".join(cells)
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    refused = measurements_import(region=jiangle, path=path, file_name="big.csv", kind="air")
    assert refused.refused and AirHour.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert sorted(issue.row for issue in refused.issues) == [i + 1 for i in bad_rows]  # spreadsheet rows
    assert all(issue.file == "big.csv" and issue.reason for issue in refused.issues)

    partial = measurements_import(region=jiangle, path=path, file_name="big.csv", kind="air", accept_partial=True)
    assert AirHour.objects.count() == 3000  # a row with one bad cell keeps its other pollutants
    assert len(partial.batch.errors) == 23
