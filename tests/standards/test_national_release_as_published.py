"""The national real-time release as users download it (issue 11): both layouts are read, every complete record
gets the AQI the release published, "/" (not in the programme) is not missing, a missing value follows the rule
asked for and says which, and a file with 1-hour and moving-mean columns never has one chosen silently."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ecotarget.standards.aqi import realtime_aqi
from ecotarget.standards.cli import aqi_main
from ecotarget.standards.io import HOURLY_KEYS, read_air
from standards.release_files import (
    COMPLETE_2017,
    COMPLETE_2026,
    published,
    write_release_csv,
    write_release_xlsx,
)

SRC = Path(__file__).resolve().parents[2] / "src"
COMPLETE = {2017: COMPLETE_2017, 2026: COMPLETE_2026}
EDITION = {2017: "2012", 2026: "2026"}


def aqi_of(path, year, missing="standard"):
    table = read_air(path)
    conc = {k: table.values[k] for k in HOURLY_KEYS}
    return table, realtime_aqi(conc, EDITION[year], missing=missing, absent=table.absent)


@pytest.mark.parametrize("year", [2017, 2026])
def test_every_complete_record_gets_the_aqi_and_primary_pollutant_as_published(tmp_path, year):
    table, result = aqi_of(write_release_csv(tmp_path / f"release-{year}.csv", year), year)
    assert table.layout == "release" and not table.issues
    assert table.stations.tolist() == [r["stationcode"] for r in published(year)]
    for i, (row, complete) in enumerate(zip(published(year), COMPLETE[year], strict=True)):
        if complete:
            assert result.aqi[i] == int(row["aqi"]), row
            expected = row["primary_pollutant"] if int(row["aqi"]) > 50 else ""
            assert result.primary_labels(published=True)[i] == expected
            assert result.category[i] == row["quality"]


def test_the_time_forms_of_both_eras_are_read(tmp_path):
    old, _ = aqi_of(write_release_csv(tmp_path / "r2017.csv", 2017), 2017)
    new, _ = aqi_of(write_release_csv(tmp_path / "r2026.csv", 2026), 2026)
    assert old.times.astype(str).tolist()[:3] == ["2017-01-01T10:00", "2017-01-01T10:00", "2017-01-01T11:00"]
    assert new.times.astype(str).tolist()[::2] == ["2026-03-01T10:00", "2026-03-01T11:00"]


def test_a_pollutant_outside_the_programme_is_not_missing(tmp_path):
    table, result = aqi_of(write_release_csv(tmp_path / "r2026.csv", 2026), 2026)
    assert table.absent["co"].tolist() == [False, True, False, True] and np.isnan(table.values["co"][1])
    # record 2 lacks CO ("/") only: its AQI 43 is published under the standard's rule too
    assert result.aqi[1] == 43 and not result.missing[1].any()
    # read as a missing value instead, the same record would have no AQI: the difference "/" makes
    blind = realtime_aqi({k: table.values[k] for k in HOURLY_KEYS}, "2026")
    assert blind.aqi[1] == -1


@pytest.mark.parametrize("year", [2017, 2026])
def test_a_missing_value_withholds_the_aqi_by_the_standard_and_not_by_the_release_rule(tmp_path, year):
    path = write_release_csv(tmp_path / f"r{year}.csv", year)
    _, standard = aqi_of(path, year, "standard")
    _, release = aqi_of(path, year, "release")
    rows = published(year)
    assert release.aqi.tolist() == [int(r["aqi"]) for r in rows]  # the release's own rule: every record
    withheld = [i for i, r in enumerate(rows) if standard.aqi[i] == -1]
    assert withheld == [3]  # the missing value with the others ≤ 100; the one with PM2.5 at 210 stays
    assert standard.missing_rule == "standard" and release.missing_rule == "release"
    assert "HJ 633-2026 §5.3" in standard.missing_rule_text and "national" in release.missing_rule_text


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = aqi_main(list(args))
    finally:
        sys.stdout, sys.stderr = saved
    return code, list(csv.reader(io.StringIO(out.getvalue()))), err.getvalue()


def test_the_command_uses_the_1_hour_columns_and_says_so_and_which_it_left(tmp_path):
    path = write_release_csv(tmp_path / "r2017.csv", 2017)
    code, rows, err = run_cli(str(path), "--kind", "hourly", "--standard", "2012")
    assert code == 0
    header, body = rows[0], rows[1:]
    assert header == [*published(2017)[0], "aqi", "level", "category", "primary_pollutant"]
    ours = [r[-4] for r in body]
    assert ours[:3] == ["74", "169", "52"] and ours[3] == "NA" and ours[4] == "210"
    assert body[0][: len(header) - 4] == list(published(2017)[0].values())  # the input echoed as written
    notes = [line for line in err.splitlines() if line]
    assert all(line.startswith("说明 / note:") for line in notes)
    assert "1-hour" in err and "pm2_5_24h" in err and "columns not used" in err
    assert "HJ 633-2026 §5.3" in err


def test_the_moving_means_are_used_only_when_asked_and_only_by_the_2012_rules(tmp_path):
    path = write_release_csv(tmp_path / "r2017.csv", 2017)
    code, rows, err = run_cli(str(path), "--kind", "hourly", "--standard", "2012", "--columns", "hj633-2012")
    assert code == 0 and "HJ 633-2012" in err
    # record 1: PM2.5 24h 90 → 100 + 50·15/40 = 118.75 → 119 instead of the published 74
    assert rows[1][-4] == "119"
    new = write_release_csv(tmp_path / "r2026.csv", 2026)
    code, _, err = run_cli(str(new), "--kind", "hourly", "--standard", "2026", "--columns", "hj633-2012")
    assert code == 2 and "1-hour values only" in err


def test_the_command_offers_the_release_rule_for_missing_values(tmp_path):
    path = write_release_csv(tmp_path / "r2026.csv", 2026)
    _, rows, err = run_cli(str(path), "--kind", "hourly", "--standard", "2026", "--missing", "release")
    assert [r[-4] for r in rows[1:]] == ["85", "43", "101", "43"]
    assert "national real-time release" in err
    _, rows, err = run_cli(str(path), "--kind", "hourly", "--standard", "2026")
    assert [r[-4] for r in rows[1:]] == ["85", "43", "101", "NA"]
    assert "HJ 633-2026 §5.3" in err


def test_json_output_echoes_every_column_of_the_release(tmp_path):
    path = write_release_csv(tmp_path / "r2026.csv", 2026)
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        aqi_main([str(path), "--kind", "hourly", "--standard", "2026", "--format", "json"])
    finally:
        sys.stdout, sys.stderr = saved
    doc = json.loads(out.getvalue())
    assert doc[0]["positionname"] == "县城站" and doc[0]["o3_8h_24h"] == "1" and doc[0]["aqi"] == "85"


@pytest.mark.parametrize("kind", ["csv-gbk", "xlsx"])
def test_no_library_warning_reaches_the_shell_and_messages_name_the_users_file(tmp_path, kind):
    if kind == "xlsx":
        path = write_release_xlsx(tmp_path / "国控站点实时数据.xlsx", 2026)
    else:
        path = write_release_csv(tmp_path / "国控站点实时数据.csv", 2026, encoding="gbk")
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONWARNINGS": "default"}
    done = subprocess.run(
        [sys.executable, "-m", "ecotarget", "aqi", str(path), "--kind", "hourly", "--standard", "2026"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if not line.startswith("说明 / note:")] == []
    body = list(csv.reader(io.StringIO(done.stdout)))
    assert [r[-4] for r in body[1:]] == ["85", "43", "101", "NA"]


def test_a_bad_cell_of_a_release_is_reported_by_row_and_column(tmp_path):
    path = write_release_csv(tmp_path / "r2026.csv", 2026)
    text = path.read_text(encoding="utf-8").replace(",44,120,", ",4x,120,", 1)
    path.write_text(text, encoding="utf-8")
    code, rows, err = run_cli(str(path), "--kind", "hourly", "--standard", "2026")
    assert code == 1
    assert "r2026.csv: 第2行 row 2, 列 column pm2_5: 不是数值 / not a number ('4x')" in err
    assert rows[1][-4] == "NA"  # PM2.5 unreadable, so missing: the others give 85 ≤ 100, withheld


def test_a_quoted_line_break_in_a_column_not_used_keeps_rows_and_lines_apart(tmp_path):
    # the station's name holds a line break: the rows after it end one line later, and the output keeps the row
    rows = [list(r.values()) for r in published(2026)]
    header = list(published(2026)[0])
    rows[0][1] = "县城\n站"
    rows[2][7] = "6x"  # PM2.5 of the third record: reported on line 5 of the file (its row ends there)
    path = tmp_path / "r.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    code, out, err = run_cli(str(path), "--kind", "hourly", "--standard", "2026")
    assert code == 1 and "r.csv: 第5行 row 5, 列 column pm2_5" in err
    assert out[1][1] == "县城\n站" and [r[-4] for r in out[1:]] == ["85", "43", "NA", "NA"]


def test_the_echo_of_a_long_file_block_by_block_keeps_every_row_with_its_own_index(tmp_path, monkeypatch):
    from ecotarget.standards import io as reader

    monkeypatch.setattr(reader, "LINE_BLOCK_BYTES", 40)  # a block of about one line: every row crosses a boundary
    path = write_release_csv(tmp_path / "r2017.csv", 2017, encoding="gbk")
    text = path.read_bytes().replace(b"\n", b"\n\n", 1)  # a blank line after the header: a row with no station
    path.write_bytes(text)
    code, rows, err = run_cli(str(path), "--kind", "hourly", "--standard", "2012", "--missing", "release")
    assert code == 1 and "第2行 row 2" in err and "no station" in err
    assert [r[1] for r in rows[2:]] == ["JL-A01", "JL-A02", "JL-A01", "JL-A02", "JL-A01"]
    assert [r[-4] for r in rows[1:]] == ["NA", "74", "169", "52", "55", "210"]
    assert rows[3][2] == "水南站"  # the GBK text of the file, echoed as UTF-8
