"""A national real-time release file, as users download it, imports through the page and the command (issue 11):
its 1-hour values are stored ("/" and "NA" as blanks, neither an error), the stored hours give the AQI the
release published for every complete record, issues name the user's own file, and the writer reports progress."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ecotarget.monitoring.models import AirHour, ImportBatch
from ecotarget.monitoring.services import MeasurementFileError, measurements_import
from ecotarget.standards.aqi import realtime_aqi
from monitoring.test_partial_import import submit_rendered_form
from standards.release_files import COMPLETE_2017, COMPLETE_2026, published, write_release_csv, write_release_xlsx

TZ = ZoneInfo("Asia/Shanghai")
FIELDS = ["pm2_5", "pm10", "so2", "no2", "co", "o3"]


def stored_aqi(year: int, edition: str) -> dict[tuple[str, datetime], int]:
    hours = list(AirHour.objects.select_related("station").order_by("hour_end", "station__code"))
    conc = {f: np.array([np.nan if getattr(h, f) is None else float(getattr(h, f)) for h in hours]) for f in FIELDS}
    result = realtime_aqi(conc, edition)
    return {(h.station.code, h.hour_end): int(a) for h, a in zip(hours, result.aqi, strict=True)}


def stamp(text: str) -> datetime:
    if "T" in text and ":" not in text:  # 2026-03-01T1000
        return datetime.strptime(text, "%Y-%m-%dT%H%M").replace(tzinfo=TZ)
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=TZ)


# A stored hour holds numbers or blanks: "/" (not in the programme) is stored as a blank like "NA", so the stored
# records that are complete are those with all six values (the 2026 file's second record, with its "/", is
# complete as read — tests/standards/test_national_release_as_published.py — but not once stored).
STORED_COMPLETE_2026 = [c and "/" not in r.values() for c, r in zip(COMPLETE_2026, published(2026), strict=True)]


@pytest.mark.parametrize(
    ("year", "edition", "complete"), [(2017, "2012", COMPLETE_2017), (2026, "2026", STORED_COMPLETE_2026)]
)
def test_the_release_imports_through_the_page_and_gives_the_published_aqi(
    stations, personas, client_for, tmp_path, year, edition, complete
):
    content = write_release_csv(tmp_path / "release.csv", year).read_bytes()
    upload = SimpleUploadedFile(f"国控站点实时数据{year}.csv", content)
    response = submit_rendered_form(client_for(personas.coordinator), kind="air", upload=upload, tick=set())
    assert response.status_code == 200 and response.context["outcome"].issues == []
    rows = published(year)
    assert AirHour.objects.count() == len(rows)
    aqi = stored_aqi(year, edition)
    for row, whole in zip(rows, complete, strict=True):
        if whole:
            assert aqi[(row["stationcode"], stamp(row["timepoint"]))] == int(row["aqi"]), row


def test_slash_and_na_are_stored_as_blanks_without_an_error(stations, jiangle, tmp_path):
    path = write_release_csv(tmp_path / "r.csv", 2026)
    outcome = measurements_import(region=jiangle, path=path, file_name="r.csv", kind="air")
    assert outcome.issues == [] and outcome.records == 4
    no_programme = AirHour.objects.get(station__code="JL-A02", hour_end=datetime(2026, 3, 1, 10, tzinfo=TZ))
    assert no_programme.co is None and str(no_programme.pm2_5) == "30.000"
    no_ozone = AirHour.objects.get(station__code="JL-A02", hour_end=datetime(2026, 3, 1, 11, tzinfo=TZ))
    assert no_ozone.o3 is None and no_ozone.co is None
    # the release's 24-hour and 8-hour columns are derived values: only the six 1-hour values are stored
    first = AirHour.objects.get(station__code="JL-A01", hour_end=datetime(2026, 3, 1, 10, tzinfo=TZ))
    assert (str(first.pm2_5), str(first.co)) == ("44.000", "1.200")
    assert outcome.stored == 6 + 5 + 6 + 4


def test_an_excel_release_imports_by_the_command(stations, tmp_path):
    path = write_release_xlsx(tmp_path / "国控站点实时数据.xlsx", 2017)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", str(path), "--kind", "air", stdout=out, stderr=err)
    assert AirHour.objects.count() == 5 and err.getvalue() == ""
    assert "5 条记录" in out.getvalue()


def test_issues_and_refusals_name_the_users_file_never_the_temporary_one(stations, personas, client_for, tmp_path):
    text = write_release_csv(tmp_path / "r.csv", 2026).read_text(encoding="utf-8").replace(",44,120,", ",4x,120,")
    upload = SimpleUploadedFile("三明3月.csv", text.encode("utf-8"))
    response = submit_rendered_form(client_for(personas.coordinator), kind="air", upload=upload, tick=set())
    [issue] = response.context["outcome"].issues
    assert (issue.file, issue.row, issue.column) == ("三明3月.csv", 2, "pm2_5")
    # a file the reader refuses as a whole: the message names the user's file
    upload = SimpleUploadedFile("没有站点列.csv", b"timepoint,pm2_5\n2026-03-01T1000,5\n")
    response = submit_rendered_form(client_for(personas.coordinator), kind="air", upload=upload, tick=set())
    page = response.content.decode()
    assert "没有站点列.csv" in page and "upload.csv" not in page
    assert not ImportBatch.objects.exists()


def test_a_refused_file_never_names_the_temporary_copy(jiangle, stations, tmp_path):
    path = tmp_path / "upload.csv"  # what uploads.as_file calls its copy
    path.write_text("timepoint,pm2_5\n2026-03-01T1000,5\n", encoding="utf-8")
    with pytest.raises(MeasurementFileError) as refused:
        measurements_import(region=jiangle, path=path, file_name="站点数据.csv", kind="air")
    assert str(refused.value).startswith("站点数据.csv") and "upload.csv" not in str(refused.value)


def test_a_value_the_database_cannot_hold_is_a_row_issue(jiangle, stations, tmp_path):
    path = write_release_csv(tmp_path / "r.csv", 2026)
    path.write_text(path.read_text(encoding="utf-8").replace(",44,120,", ",4400000,120,"), encoding="utf-8")
    outcome = measurements_import(region=jiangle, path=path, file_name="r.csv", kind="air", accept_partial=True)
    [issue] = outcome.issues
    assert (issue.row, issue.column) == (2, "pm2_5") and "too large" in issue.reason
    assert AirHour.objects.get(station__code="JL-A01", hour_end=datetime(2026, 3, 1, 10, tzinfo=TZ)).pm2_5 is None


def test_the_writer_reports_its_progress_and_a_failure_leaves_nothing(jiangle, stations, tmp_path, monkeypatch):
    from ecotarget.monitoring import storage

    monkeypatch.setattr(storage, "STORE_SLICE", 2)  # four records: two write steps
    path = write_release_csv(tmp_path / "r.csv", 2026)
    heard: list[tuple[int, int]] = []
    measurements_import(
        region=jiangle, path=path, file_name="r.csv", kind="air", progress=lambda d, t: heard.append((d, t))
    )
    assert heard == [(2, 4), (4, 4)]

    AirHour.objects.all().delete()
    ImportBatch.objects.all().delete()

    def fail(done, total):
        if done == 2:
            raise RuntimeError("the worker was stopped")

    with pytest.raises(RuntimeError):
        measurements_import(region=jiangle, path=path, file_name="r.csv", kind="air", progress=fail)
    assert not AirHour.objects.exists() and not ImportBatch.objects.exists()  # one logical batch: all or nothing
