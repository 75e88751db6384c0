"""The register of stations and water sections: one station at a time, or a whole list from a file.

A county registers its own stations without the admin: `ecotarget load-stations` (CSV or .xlsx, Chinese or
English headings) or the 监测点位 page. A file is one transaction, refused whole with every bad row named, and
loading it again changes nothing. A station is never deleted: it is retired and may be reinstated, and each
change is kept in its history (the action log).
"""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from ecotarget.core.actions import for_object
from ecotarget.core.models import Action
from ecotarget.monitoring import stations as register
from ecotarget.monitoring.models import Station
from ecotarget.monitoring.stations import (
    StationError,
    StationFields,
    StationFileRefused,
    station_register,
    station_reinstate,
    station_retire,
    station_update,
    stations_load_file,
)

SHIPPED = register.Path(register.__file__).parent / "data" / "stations-350400-sanming-national.csv"

# 将乐县's own list as a county office might keep it (our invented example: codes and places are made up).
JIANGLE_LIST = """点位编码,点位名称,所属区域,类别,介质,断面级别,河流,湖库,纬度,经度
JL-X01,县政府站,将乐县,县控,空气,,,,26.7284,117.4712
JL-X02,水南站,350428,省控,环境空气,,,,26.7190,117.4801
JL-S01,金溪出境断面,将乐,,地表水,国控,金溪,,26.70,117.52
JL-S02,龙栖溪口,将乐县,省控,地表水,小流域,龙栖溪,,,
JL-S03,池湖水库,将乐县,省控,地表水,省控,,池湖水库,,
"""


def write(tmp_path, text: str, name: str = "stations.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values(**given) -> StationFields:
    base = {"code": "JL-X09", "name": "城东站", "medium": "air", "level": "county"}
    return StationFields(**(base | given))


# --- one station ---------------------------------------------------------------------------------------------------


def test_a_registered_station_is_logged_with_its_particulars(jiangle, personas):
    station = station_register(
        region=jiangle,
        values=values(latitude=Decimal("26.72"), longitude=Decimal("117.47"), source="县生态环境局"),
        user=personas.coordinator,
    )
    assert (station.region, station.code, station.level, station.synthetic) == (jiangle, "JL-X09", "county", False)
    action = for_object(station).get()
    assert (action.verb, action.actor) == ("station.register", personas.coordinator)
    assert action.changes["名称"] == [None, "城东站"] and action.changes["级别"] == [None, "县控"]
    assert action.changes["纬度"] == [None, "26.72"]


def test_a_code_or_a_name_already_used_in_the_region_is_refused(jiangle, other_county, personas):
    station_register(region=jiangle, values=values(), user=personas.coordinator)
    with pytest.raises(StationError, match="编码 JL-X09 已用于点位“城东站”"):
        station_register(region=jiangle, values=values(name="城西站"), user=personas.coordinator)
    # Data files name stations by code or by name: two air stations of one name could not be told apart.
    with pytest.raises(StationError, match="名称“城东站”已用于点位 JL-X09"):
        station_register(region=jiangle, values=values(code="JL-X10"), user=personas.coordinator)
    # Another region may use the same code and name; a water section may share an air station's name.
    station_register(region=other_county, values=values(), user=personas.outsider)
    station_register(
        region=jiangle, values=values(code="JL-S09", medium="water", level="small_basin"), user=personas.coordinator
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"name": " "}, "请填写点位名称"),
        ({"code": "JL X"}, "不含空格"),
        ({"level": "small_basin"}, "小流域是水质断面的级别"),
        ({"water_body": "金溪"}, "空气点位不填河流/湖库"),
        ({"latitude": Decimal("26.7")}, "经度和纬度应同时填写"),
        ({"latitude": Decimal("126.7"), "longitude": Decimal("26.7")}, "纬度应在 -90 到 90 之间"),
        ({"medium": "water", "level": "county", "evaluates_city": False}, "对照点（不参与城市评价）只用于空气点位"),
        ({"medium": "water", "level": "county", "drinking_scale": "rural_1000_10000"}, "只有饮用水水源地"),
    ],
)
def test_particulars_that_cannot_be_right_are_refused_saying_which(jiangle, personas, given, message):
    with pytest.raises(StationError, match=message):
        station_register(region=jiangle, values=values(**given), user=personas.coordinator)
    assert not Station.objects.exists() and not Action.objects.filter(verb__startswith="station").exists()


def test_a_change_keeps_before_and_after_and_no_change_logs_nothing(jiangle, personas):
    station = station_register(region=jiangle, values=values(), user=personas.coordinator)
    station_update(station=station, values=values(name="城东新站", level="provincial"), user=personas.coordinator)
    station_update(station=station, values=values(name="城东新站", level="provincial"), user=personas.coordinator)
    history = list(for_object(station).order_by("pk"))
    assert [a.verb for a in history] == ["station.register", "station.update"]
    assert history[1].changes == {"名称": ["城东站", "城东新站"], "级别": ["县控", "省控"]}


def test_a_station_is_retired_with_who_and_why_and_reinstated_never_deleted(jiangle, personas):
    station = station_register(region=jiangle, values=values(), user=personas.coordinator)
    with pytest.raises(StationError, match="请写明停用原因"):
        station_retire(station=station, reason=" ", user=personas.coordinator)
    station_retire(station=station, reason="点位撤销", user=personas.coordinator)
    station.refresh_from_db()
    assert (station.in_service, station.retired_by, station.retired_reason) == (False, personas.coordinator, "点位撤销")
    with pytest.raises(StationError, match="已于"):
        station_retire(station=station, reason="再次", user=personas.coordinator)
    station_reinstate(station=station, user=personas.coordinator)
    station.refresh_from_db()
    assert station.in_service and station.retired_reason == ""
    assert [a.verb for a in for_object(station).order_by("pk")] == [
        "station.register",
        "station.retire",
        "station.reinstate",
    ]


# --- files ---------------------------------------------------------------------------------------------------------


def test_a_county_list_with_chinese_headings_registers_air_stations_and_water_sections(jiangle, tmp_path):
    outcome = stations_load_file(path=write(tmp_path, JIANGLE_LIST))
    assert (len(outcome.created), len(outcome.updated), outcome.unchanged) == (5, 0, 0)
    got = {s.code: s for s in Station.objects.all()}
    assert {s.region for s in got.values()} == {jiangle}  # by name, code and short name
    assert (got["JL-X01"].medium, got["JL-X01"].level, got["JL-X01"].latitude) == ("air", "county", Decimal("26.7284"))
    assert (got["JL-S01"].level, got["JL-S01"].water_kind, got["JL-S01"].water_body) == ("national", "river", "金溪")
    # A section's own level (断面级别) decides over the kind column; the kind is its fallback.
    assert got["JL-S02"].level == "small_basin"
    assert (got["JL-S03"].water_kind, got["JL-S03"].water_body) == ("lake", "池湖水库")


def test_loading_the_same_file_again_changes_nothing_and_logs_nothing(jiangle, tmp_path):
    path = write(tmp_path, JIANGLE_LIST)
    stations_load_file(path=path)
    logged = Action.objects.count()
    outcome = stations_load_file(path=path)
    assert (len(outcome.created), len(outcome.updated), outcome.unchanged) == (0, 0, 5)
    assert Action.objects.count() == logged


def test_a_changed_row_updates_its_station_by_code_and_says_so_in_its_history(jiangle, tmp_path, personas):
    stations_load_file(path=write(tmp_path, JIANGLE_LIST))
    changed = JIANGLE_LIST.replace("JL-X02,水南站,350428,省控", "JL-X02,水南新站,350428,国控")
    outcome = stations_load_file(path=write(tmp_path, changed), user=personas.coordinator)
    assert [s.code for s in outcome.updated] == ["JL-X02"] and outcome.unchanged == 4
    action = for_object(Station.objects.get(code="JL-X02")).latest("pk")
    assert action.changes == {"名称": ["水南站", "水南新站"], "级别": ["省控", "国控"]}
    assert "stations.csv 第3行" in action.summary and action.actor == personas.coordinator


def test_an_xlsx_with_english_headings_and_a_default_region_loads(jiangle, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "kind", "medium", "level", "river", "lat", "lon"])
    sheet.append(["JL-X01", "县政府站", "县控", "air", None, None, 26.7284, 117.4712])
    sheet.append([1001, "金溪断面", None, "water", "国控", "金溪", None, None])
    book.save(tmp_path / "list.xlsx")
    outcome = stations_load_file(path=tmp_path / "list.xlsx", region=jiangle)
    assert sorted(s.code for s in outcome.created) == ["1001", "JL-X01"]
    assert Station.objects.get(code="JL-X01").longitude == Decimal("117.4712")


def test_a_gbk_file_reads_as_a_utf8_one(jiangle, tmp_path):
    outcome = stations_load_file(path=write(tmp_path, JIANGLE_LIST, encoding="gbk"))
    assert len(outcome.created) == 5 and Station.objects.filter(name="金溪出境断面").exists()


def test_every_bad_row_is_named_and_nothing_of_the_file_is_written(jiangle, tmp_path):
    bad = (
        JIANGLE_LIST
        + "JL-X03,城北站,泰和县,县控,空气,,,,26.7,117.4\n"  # row 7: no such region
        + "JL-X04,城南站,将乐县,县控,土壤,,,,,\n"  # row 8: not a medium
        + "JL-X05,城西站,将乐县,县控,空气,,,,北纬26度,117.4\n"  # row 9: not a number
        + "JL-X01,县政府二站,将乐县,县控,空气,,,,,\n"  # row 10: a code given twice
        + "JL-S04,某断面,将乐县,,地表水,省控,金溪,池湖水库,,\n"  # row 11: a river and a lake
        + ",无编码站,将乐县,县控,空气,,,,,\n"  # row 12: no code
    )
    with pytest.raises(StationFileRefused) as refused:
        stations_load_file(path=write(tmp_path, bad, name="县点位.csv"))
    errors = refused.value.errors
    assert [(e.row, e.column) for e in errors] == [
        (7, "所属区域"),
        (8, "介质"),
        (9, "纬度"),
        (10, "点位编码"),
        (11, "湖库"),
        (12, "点位编码"),
    ]
    assert errors[0].file == "县点位.csv" and "未知的行政区" in errors[0].reason
    assert str(errors[3]) == "县点位.csv: 第10行，列“点位编码”：与第2行编码重复（JL-X01）"
    assert not Station.objects.exists() and not Action.objects.filter(verb__startswith="station").exists()


def test_a_file_without_the_required_columns_is_refused_naming_them(jiangle, tmp_path):
    with pytest.raises(StationFileRefused) as refused:
        stations_load_file(path=write(tmp_path, "编号,站名,纬度\nA,B,26\n"))
    (error,) = refused.value.errors
    assert (error.row, error.column) == (1, "点位编码、点位名称、介质、所属区域、类别")


def test_an_unknown_column_is_ignored_and_reported_not_silently_dropped(jiangle, tmp_path):
    text = JIANGLE_LIST.replace("纬度,经度", "纬度,经度,备注").replace("117.4712", "117.4712,新建")
    outcome = stations_load_file(path=write(tmp_path, text))
    assert outcome.ignored_columns == ["备注"]


def test_a_file_too_long_to_be_a_station_list_is_refused_before_it_is_read(jiangle, tmp_path, monkeypatch):
    monkeypatch.setattr(register, "MAX_ROWS", 3)
    with pytest.raises(StationError, match="超过 3 行"):
        stations_load_file(path=write(tmp_path, JIANGLE_LIST))
    monkeypatch.setattr(register, "MAX_FILE_BYTES", 100)
    with pytest.raises(StationError, match="文件超过"):
        stations_load_file(path=write(tmp_path, JIANGLE_LIST))


def test_a_listed_station_that_was_retired_stays_retired(jiangle, tmp_path, personas):
    path = write(tmp_path, JIANGLE_LIST)
    stations_load_file(path=path)
    station_retire(station=Station.objects.get(code="JL-X02"), reason="搬迁", user=personas.coordinator)
    outcome = stations_load_file(path=path)
    assert [s.code for s in outcome.still_retired] == ["JL-X02"]
    assert not Station.objects.get(code="JL-X02").in_service


def test_a_coordinator_loads_only_their_own_regions_stations(jiangle, other_county, tmp_path):
    text = JIANGLE_LIST + "TN-X01,泰宁站,泰宁县,县控,空气,,,,,\n"
    with pytest.raises(StationFileRefused) as refused:
        stations_load_file(path=write(tmp_path, text), region=jiangle, only_region=True)
    assert [(e.row, e.reason) for e in refused.value.errors] == [(7, "只能载入将乐县的点位")]


# --- the shipped list and the command ------------------------------------------------------------------------------


def test_the_shipped_sanming_national_stations_load_with_their_source(jiangle):
    outcome = stations_load_file(path=SHIPPED)
    got = {s.code: s for s in outcome.created}
    assert sorted(got) == ["2324A", "2325A", "2326A", "2327A"]
    assert {s.region.code for s in got.values()} == {"350400"}  # 三明市, the sample county's city
    assert {s.level for s in got.values()} == {"national"} and not any(s.synthetic for s in got.values())
    # 洋溪 is the city's reference point (对照点): not in the city's daily value.
    assert [s.code for s in got.values() if not s.evaluates_city] == ["2327A"]
    assert (got["2324A"].name, got["2324A"].latitude, got["2324A"].longitude) == (
        "三钢",
        Decimal("26.2625"),
        Decimal("117.6211"),
    )
    assert "站点列表" in got["2324A"].source
    assert "来源" in SHIPPED.read_text(encoding="utf-8").splitlines()[1]


def test_the_command_loads_a_file_and_says_what_it_did(jiangle, tmp_path):
    path = write(tmp_path, JIANGLE_LIST)
    out = StringIO()
    call_command("load_stations", str(path), stdout=out)
    assert "新增 5 个点位，更新 0 个，0 个未变" in out.getvalue()
    call_command("load_stations", str(path), stdout=out)
    assert "新增 0 个点位，更新 0 个，5 个未变" in out.getvalue()


def test_the_command_lists_each_bad_row_and_loads_nothing(jiangle, tmp_path):
    path = write(tmp_path, JIANGLE_LIST + "JL-X04,城南站,将乐县,县控,土壤,,,,,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 处错误，未载入任何点位"):
        call_command("load_stations", str(path), stderr=err)
    assert "stations.csv: 第7行，列“介质”：介质应为" in err.getvalue()
    assert not Station.objects.exists()


def test_the_command_takes_a_default_region_for_rows_without_one(jiangle, tmp_path):
    path = write(tmp_path, "code,name,kind,medium\nJL-X01,县政府站,县控,air\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_stations", str(path), stderr=err)
    assert "缺少列" in err.getvalue() and "所属区域" in err.getvalue()
    call_command("load_stations", str(path), "--region", "350428", stdout=StringIO())
    assert Station.objects.get().region == jiangle


def test_a_name_taken_by_a_station_the_file_does_not_list_undoes_the_rows_before_it(jiangle, tmp_path, personas):
    station_register(
        region=jiangle,
        values=StationFields(code="JL-X09", name="水南站", medium="air", level="county"),
        user=personas.coordinator,
    )
    with pytest.raises(StationFileRefused) as refused:
        stations_load_file(path=write(tmp_path, JIANGLE_LIST))  # JL-X01 written first, then JL-X02 "水南站"
    assert [(e.row, e.column, e.reason) for e in refused.value.errors] == [
        (3, "点位名称", "名称“水南站”已用于点位 JL-X09")
    ]
    assert list(Station.objects.values_list("code", flat=True)) == ["JL-X09"]


def test_a_name_may_pass_from_one_listed_station_to_another_in_the_same_file(jiangle, tmp_path):
    stations_load_file(path=write(tmp_path, JIANGLE_LIST))
    swapped = JIANGLE_LIST.replace("JL-X01,县政府站", "JL-X01,县政府旧站").replace("JL-X02,水南站", "JL-X02,县政府站")
    outcome = stations_load_file(path=write(tmp_path, swapped))
    assert sorted(s.code for s in outcome.updated) == ["JL-X01", "JL-X02"]


def test_a_workbook_that_is_not_one_is_refused_by_name(jiangle, tmp_path):
    path = write(tmp_path, "not a zip", name="点位.xlsx")
    with pytest.raises(StationError, match=r"点位\.xlsx: 无法读取"):
        stations_load_file(path=path)


def test_a_reference_point_is_read_from_either_way_of_saying_it(jiangle, tmp_path):
    lines = [
        "code,name,kind,medium,对照点,参与评价",
        "A1,城区站,国控,air,N,",
        "A2,山顶站,国控,air,Y,",
        "A3,郊区站,国控,air,,否",
    ]
    text = "\n".join(lines) + "\n"
    stations_load_file(path=write(tmp_path, text), region=jiangle)
    assert dict(Station.objects.values_list("code", "evaluates_city")) == {"A1": True, "A2": False, "A3": False}
    with pytest.raises(StationFileRefused) as refused:
        stations_load_file(path=write(tmp_path, text.replace(",否", ",也许")), region=jiangle)
    assert [(e.row, e.column) for e in refused.value.errors] == [(4, "参与评价")]


def test_a_level_only_column_is_named_when_its_value_is_wrong(jiangle, tmp_path):
    with pytest.raises(StationFileRefused) as refused:
        stations_load_file(path=write(tmp_path, "code,name,medium,断面级别\nA1,城区站,air,甲级\n"), region=jiangle)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "断面级别")]


def test_stations_loaded_from_a_file_raise_the_regions_data_version(jiangle, tmp_path):
    # New stations change what the county's figures are computed from: kept figures must not be read again.
    from ecotarget.monitoring import cache

    before = cache.data_version(jiangle.pk)
    stations_load_file(path=write(tmp_path, JIANGLE_LIST))
    assert cache.data_version(jiangle.pk) > before
