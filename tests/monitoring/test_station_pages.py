"""The 监测点位 page: the coordinator keeps the region's stations; leaders read them; nobody else sees them.

Forms are sent as the page renders them (tests/rendered_forms.py).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecotarget.monitoring.models import Station
from ecotarget.monitoring.stations import StationFields, station_register
from rendered_forms import forms_in, the_form

LIST = reverse("monitoring:stations")
NEW = reverse("monitoring:station_new")
LOAD = reverse("monitoring:stations_load")


def detail(station: Station) -> str:
    return reverse("monitoring:station", args=[station.pk])


def action_form(html: str, url: str, action: str):
    """The form of a station's page that posts `action` to it (update, retire or reinstate)."""
    (form,) = [f for f in forms_in(html, url) if f.path == url and ("action", action) in f.controls]
    return form


@pytest.fixture
def county_station(jiangle, personas) -> Station:
    return station_register(
        region=jiangle,
        values=StationFields(code="JL-X01", name="县政府站", medium="air", level="county"),
        user=personas.coordinator,
    )


def test_the_coordinator_adds_a_water_section_through_the_form_as_rendered(jiangle, personas, client_for):
    client = client_for(personas.coordinator)
    form = the_form(client.get(NEW + "?medium=water").content.decode(), NEW)
    response = client.post(
        NEW,
        form.data(code="JL-S01", name="金溪出境断面", level="national", water_kind="river", water_body="金溪"),
    )
    station = Station.objects.get(code="JL-S01")
    assert response.status_code == 302 and response["Location"] == detail(station)
    assert (station.region, station.medium, station.level, station.water_body) == (jiangle, "water", "national", "金溪")
    assert station.evaluates_city  # the box is for air stations; a section is never a reference point
    page = client.get(detail(station)).content.decode()
    assert "新增地表水点位 金溪出境断面（JL-S01）" in page and "林督查" in page


def test_the_form_as_rendered_adds_the_station_its_placeholders_describe(jiangle, personas, client_for):
    client = client_for(personas.coordinator)
    form = the_form(client.get(NEW).content.decode(), NEW)
    assert client.post(NEW, form.data()).status_code == 302
    assert Station.objects.get().code == "JL-A03"


def test_a_refused_station_is_shown_with_the_reason_and_the_form_keeps_what_was_typed(
    county_station, personas, client_for
):
    client = client_for(personas.coordinator)
    form = the_form(client.get(NEW).content.decode(), NEW)
    page = client.post(NEW, form.data(code="JL-X01", name="另一站")).content.decode()
    assert "编码 JL-X01 已用于点位“县政府站”" in page and 'value="另一站"' in page
    assert Station.objects.count() == 1


def test_the_coordinator_edits_retires_and_reinstates_a_station_and_the_history_shows_each_step(
    county_station, personas, client_for
):
    client = client_for(personas.coordinator)
    url = detail(county_station)
    html = client.get(url).content.decode()
    edit = action_form(html, url, "update")
    assert client.post(url, edit.data(name="县政府新站")).status_code == 302
    retire = action_form(client.get(url).content.decode(), url, "retire")
    assert client.post(url, retire.data(reason="搬迁至城南")).status_code == 302
    county_station.refresh_from_db()
    assert (county_station.name, county_station.in_service) == ("县政府新站", False)
    page = client.get(url).content.decode()
    assert "原因：搬迁至城南" in page and "名称：县政府站 → 县政府新站" in page
    reinstate = action_form(page, url, "reinstate")
    client.post(url, reinstate.data())
    county_station.refresh_from_db()
    assert county_station.in_service
    assert "恢复点位" in client.get(url).content.decode()


def test_retiring_without_a_reason_is_refused_and_nothing_changes(county_station, personas, client_for):
    client = client_for(personas.coordinator)
    page = client.post(detail(county_station), {"action": "retire", "reason": " "}).content.decode()
    assert "errorlist" in page
    county_station.refresh_from_db()
    assert county_station.in_service


def test_the_list_filters_by_medium_and_puts_retired_stations_apart(county_station, jiangle, personas, client_for):
    water = station_register(
        region=jiangle,
        values=StationFields(code="JL-S01", name="金溪断面", medium="water", level="national"),
        user=personas.coordinator,
    )
    client = client_for(personas.coordinator)
    client.post(detail(water), {"action": "retire", "reason": "断面调整"})
    page = client.get(LIST).content.decode()
    in_service, retired = page.split('id="stations-retired"')
    assert "县政府站" in in_service and "金溪断面" not in in_service and "断面调整" in retired
    assert "县政府站" not in client.get(LIST + "?medium=water").content.decode()


def test_a_leader_reads_the_register_but_changes_nothing(county_station, personas, client_for):
    client = client_for(personas.leader)
    page = client.get(LIST).content.decode()
    assert "县政府站" in page and "新增点位" not in page and "从文件载入" not in page
    assert "停用此点位" not in client.get(detail(county_station)).content.decode()
    assert client.post(detail(county_station), {"action": "retire", "reason": "x"}).status_code == 403
    assert client.get(NEW).status_code == 403
    county_station.refresh_from_db()
    assert county_station.in_service


@pytest.mark.parametrize("who", ["zhujian", "guyong", "nobody"])
def test_reporters_and_people_without_a_role_are_not_shown_the_register(county_station, personas, client_for, who):
    client = client_for(getattr(personas, who))
    for url in (LIST, detail(county_station), NEW):
        assert client.get(url).status_code == 403
    assert client.post(detail(county_station), {"action": "retire", "reason": "x"}).status_code == 403


def test_a_coordinator_of_another_county_neither_sees_nor_changes_this_countys_stations(
    county_station, other_county, personas, client_for
):
    client = client_for(personas.outsider)
    assert "县政府站" not in client.get(LIST).content.decode()
    assert client.get(detail(county_station)).status_code == 404
    assert client.post(detail(county_station), {"action": "retire", "reason": "x"}).status_code == 404
    # What they add is their own county's.
    client.post(NEW, {"code": "TN-X01", "name": "泰宁站", "medium": "air", "level": "county", "evaluates_city": "on"})
    assert Station.objects.get(code="TN-X01").region == other_county


def test_the_coordinator_loads_a_station_file_on_the_page_and_a_bad_one_is_listed_row_by_row(
    jiangle, personas, client_for
):
    client = client_for(personas.coordinator)
    good = "点位编码,点位名称,类别,介质\nJL-X01,县政府站,县控,空气\nJL-X02,水南站,省控,空气\n".encode()
    page = client.post(LOAD, {"document": SimpleUploadedFile("点位.csv", good)}).content.decode()
    assert "点位.csv：新增 2 个点位" in page
    bad = "点位编码,点位名称,类别,介质\nJL-X03,城北站,县控,土壤\n".encode()
    page = client.post(LOAD, {"document": SimpleUploadedFile("点位2.csv", bad)}).content.decode()
    assert "未载入：点位2.csv 有 1 处错误" in page and "介质应为" in page
    assert Station.objects.count() == 2


def test_loading_a_file_is_for_the_coordinator(personas, client_for):
    good = "点位编码,点位名称,类别,介质\nJL-X01,县政府站,县控,空气\n".encode()
    for who in ("leader", "zhujian"):
        response = client_for(getattr(personas, who)).post(LOAD, {"document": SimpleUploadedFile("a.csv", good)})
        assert response.status_code == 403
    assert not Station.objects.exists()


def test_the_nav_links_the_register_for_coordinators_and_leaders_only(personas, client_for):
    for who, shown in (("coordinator", True), ("leader", True), ("zhujian", False)):
        page = client_for(getattr(personas, who)).get(reverse("plans:list")).content.decode()
        assert (f'href="{LIST}"' in page) is shown, who


def test_the_demo_stations_are_marked_as_invented(stations, personas, client_for):
    page = client_for(personas.coordinator).get(LIST).content.decode()
    assert "演示数据" in page and page.count('<span class="tag">虚构</span>') == len(stations)


def test_the_list_makes_the_same_number_of_queries_for_3_stations_or_30(jiangle, personas, client_for):
    client = client_for(personas.coordinator)

    def add(n: int) -> None:
        for i in range(n):
            code = f"JL-{Station.objects.count():03d}"
            station = station_register(
                region=jiangle,
                values=StationFields(code=code, name=f"站{code}", medium="air", level="county"),
                user=personas.coordinator,
            )
            if i % 3 == 0:
                client.post(detail(station), {"action": "retire", "reason": "撤销"})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    add(3)
    count()  # the session's first request does its own bookkeeping
    few = count()
    add(27)
    assert count() == few


def test_a_stations_page_makes_the_same_number_of_queries_however_long_its_history(
    county_station, personas, client_for
):
    client = client_for(personas.coordinator)
    url = detail(county_station)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    count()  # the session's first request does its own bookkeeping
    short = count()
    for i in range(10):
        client.post(url, {"action": "retire", "reason": f"第{i}次"})
        client.post(url, {"action": "reinstate"})
    assert count() == short
