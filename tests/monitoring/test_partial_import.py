"""Importing a data file with a bad row and "仍导入正确的行": the valid rows are stored, the bad ones are
reported by the user's own file name, row, column and reason, and nothing else is written."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ecotarget.monitoring.models import AirHour, ImportBatch, WaterSample

TZ = ZoneInfo("Asia/Shanghai")
HEADER = "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"
GOOD = ["县城站（演示）,2022-07-09 23:00,20,35,6,12,0.6,70", "水南站（演示）,2022-07-09 23:00,22,38,5,14,0.7,66"]
HOUR_25 = "县城站（演示）,2022-07-09 25:00,21,36,6,12,0.6,70"  # row 4 of the file
FILE_NAME = "7月空气小时值.csv"


def file_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def submit_rendered_form(client, *, kind: str, upload: SimpleUploadedFile, tick: set[str]):
    """Post the upload form exactly as the page renders it: every field it has with its rendered value, the
    checkboxes in `tick` ticked, the file chosen."""
    page = BeautifulSoup(client.get(reverse("monitoring:upload")).content, "html.parser")
    form = page.find("form", enctype="multipart/form-data")
    data: dict = {}
    for field in form.find_all(["input", "select"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "select":
            values = [o.get("value") for o in field.find_all("option")]
            assert kind in values, f"the page offers no data type {kind!r}"
            data[name] = kind
        elif field.get("type") == "checkbox":
            if name in tick:
                data[name] = field.get("value", "on")
        elif field.get("type") == "file":
            data[name] = upload
        else:
            data[name] = field.get("value", "")
    assert set(tick) <= set(data), "a box to tick is not on the page"
    return client.post(reverse("monitoring:upload"), data)


def test_accepting_partial_stores_the_valid_rows_and_reports_the_bad_hour_by_the_users_file(
    stations, personas, client_for
):
    client = client_for(personas.coordinator)
    upload = SimpleUploadedFile(FILE_NAME, file_bytes(*GOOD, HOUR_25))
    response = submit_rendered_form(client, kind="air", upload=upload, tick={"accept_partial"})

    assert response.status_code == 200
    assert sorted(AirHour.objects.values_list("station__code", flat=True)) == ["JL-A01", "JL-A02"]
    assert set(AirHour.objects.values_list("hour_end", flat=True)) == {datetime(2022, 7, 9, 23, tzinfo=TZ)}
    report = BeautifulSoup(response.content, "html.parser").find(id="import-report")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in report.find("tbody").find_all("tr")]
    assert len(rows) == 1
    file, row, column, value, reason = rows[0]
    assert (file, row, column, value) == (FILE_NAME, "4", "时间", "2022-07-09 25:00")
    assert reason
    assert "upload" not in report.get_text()
    batch = ImportBatch.objects.get()
    assert batch.file_name == FILE_NAME and [e["file"] for e in batch.errors] == [FILE_NAME]


def test_without_accepting_partial_the_bad_hour_stores_nothing(stations, personas, client_for):
    client = client_for(personas.coordinator)
    upload = SimpleUploadedFile(FILE_NAME, file_bytes(*GOOD, HOUR_25))
    response = submit_rendered_form(client, kind="air", upload=upload, tick=set())
    assert "未导入：文件有 1 处错误" in response.content.decode()
    assert "2 条记录可导入" in response.content.decode()
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()


def test_a_water_sample_with_an_impossible_date_is_reported_and_the_rest_stored(stations, personas, client_for):
    content = (
        "断面名称,采样日期,pH,溶解氧\n"
        "金溪高唐断面（演示）,2022-03-10,7.2,7.5\n"
        "金溪高唐断面（演示）,2022-02-30,7.1,7.4\n"
    )
    upload = SimpleUploadedFile("水质.csv", content.encode())
    response = submit_rendered_form(
        client_for(personas.coordinator), kind="water", upload=upload, tick={"accept_partial"}
    )
    assert response.status_code == 200
    assert set(WaterSample.objects.values_list("sampled_on", flat=True)) == {datetime(2022, 3, 10).date()}
    assert [e["file"] for e in ImportBatch.objects.get().errors] == ["水质.csv"]


def test_the_command_accepting_partial_stores_the_valid_rows_and_names_the_file(stations, tmp_path, capsys):
    path = tmp_path / FILE_NAME
    path.write_bytes(file_bytes(*GOOD, HOUR_25))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", str(path), "--kind", "air", "--accept-partial", stdout=out, stderr=err)
    assert AirHour.objects.count() == 2
    assert "1 处错误" in out.getvalue()
    assert err.getvalue().startswith(f"{FILE_NAME}: 第4行") and "upload" not in err.getvalue()


def test_the_command_without_accepting_partial_stores_nothing(stations, tmp_path):
    path = tmp_path / FILE_NAME
    path.write_bytes(file_bytes(*GOOD, HOUR_25))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_data", str(path), "--kind", "air", stdout=io.StringIO(), stderr=io.StringIO())
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()
