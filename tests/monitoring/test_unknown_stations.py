"""A data file that names stations the register does not hold says which, how to add them, and offers to import
the records of the stations it knows."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ecotarget.monitoring.models import AirHour
from ecotarget.monitoring.services import measurements_import
from ecotarget.monitoring.stations import UNKNOWN_SHOWN, StationFields, station_register, unknown_stations

from .test_partial_import import submit_rendered_form

HEADER = "站点名称,时间,PM2.5,PM10,SO2,NO2,CO,O3"
KNOWN = "县城站（演示）,2022-07-09 23:00,20,35,6,12,0.6,70"


def unknown_rows(count: int, hours: int = 1) -> list[str]:
    return [f"{2324 + i}A,2022-07-09 {h:02d}:00,20,35,6,12,0.6,70" for i in range(count) for h in range(1, hours + 1)]


def data_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_the_refused_import_names_the_unknown_stations_and_how_to_add_them(stations, personas, client_for):
    client = client_for(personas.coordinator)
    upload = SimpleUploadedFile("国家实时数据.csv", data_file(KNOWN, *unknown_rows(2, hours=3)))
    response = submit_rendered_form(client, kind="air", upload=upload, tick=set())
    notice = BeautifulSoup(response.content, "html.parser").find(id="unknown-stations")
    text = notice.get_text(strip=True)
    assert "2 个未登记的监测点位（6 条记录）：2324A、2325A。" in text
    assert notice.find("a")["href"] == reverse("monitoring:stations")
    assert "ecotarget load-stations" in text
    assert "仍导入正确的行" in text and "（1 条记录）" in text  # the offer: the known station's records
    assert not AirHour.objects.exists()


def test_accepting_the_offer_imports_the_known_stations_records_only(stations, personas, client_for):
    client = client_for(personas.coordinator)
    upload = SimpleUploadedFile("国家实时数据.csv", data_file(KNOWN, *unknown_rows(2)))
    response = submit_rendered_form(client, kind="air", upload=upload, tick={"accept_partial"})
    assert list(AirHour.objects.values_list("station__code", flat=True)) == ["JL-A01"]
    notice = BeautifulSoup(response.content, "html.parser").find(id="unknown-stations").get_text(" ", strip=True)
    assert "2324A" in notice and "仍导入正确的行" not in notice  # done already: no offer


def test_once_registered_the_same_file_imports_whole(stations, jiangle, personas, client_for):
    for code in ("2324A", "2325A"):
        values = StationFields(code=code, name=f"国控{code}", medium="air", level="national")
        station_register(region=jiangle, values=values, user=personas.coordinator)
    client = client_for(personas.coordinator)
    upload = SimpleUploadedFile("国家实时数据.csv", data_file(KNOWN, *unknown_rows(2)))
    response = submit_rendered_form(client, kind="air", upload=upload, tick=set())
    assert BeautifulSoup(response.content, "html.parser").find(id="unknown-stations") is None
    assert AirHour.objects.count() == 3


def test_only_the_first_few_are_listed_with_the_count_of_all(stations, personas, client_for):
    client = client_for(personas.coordinator)
    upload = SimpleUploadedFile("国家实时数据.csv", data_file(*unknown_rows(UNKNOWN_SHOWN + 5)))
    response = submit_rendered_form(client, kind="air", upload=upload, tick=set())
    notice = BeautifulSoup(response.content, "html.parser").find(id="unknown-stations")
    assert len(notice.find_all("code")) == UNKNOWN_SHOWN + 1  # the first ten, and the command
    assert f"{UNKNOWN_SHOWN + 5} 个未登记的监测点位" in notice.get_text() and "2333A 等" in notice.get_text()


def test_the_command_says_which_stations_and_how_to_add_them(stations, tmp_path):
    path = tmp_path / "国家实时数据.csv"
    path.write_bytes(data_file(KNOWN, *unknown_rows(2)))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--kind", "air", "--region", "350428", stderr=err)
    assert "2 个未登记的监测点位（2 条记录）：2324A、2325A。" in err.getvalue()
    assert "ecotarget load-stations" in err.getvalue() and "--accept-partial" in err.getvalue()


def test_other_issues_are_not_counted_as_unknown_stations(stations, jiangle, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(data_file(KNOWN.replace("23:00", "25:00")))
    outcome = measurements_import(region=jiangle, path=path, file_name="a.csv", kind="air")
    assert outcome.issues and unknown_stations(outcome.issues) is None
