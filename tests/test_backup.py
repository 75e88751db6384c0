"""Backups and restores (`ecotarget backup`, `ecotarget restore`): the round trip gives back every row and every
evidence file; a damaged or altered archive, a newer schema and a target that holds data are refused before
anything is written; a backup of SQLite taken while another process writes succeeds.

The round trip runs on the database the suite runs on (CI runs the suite on SQLite and on PostgreSQL): the data is
made by the services as the pages make it, including evidence uploaded through the real upload service.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from ecotarget.core import backups
from ecotarget.progress.models import Evidence
from ecotarget.progress.services import reporting
from progress import helpers
from progress.helpers import clock, published

__all__ = ["clock", "published"]

pytestmark = pytest.mark.django_db(transaction=True)

SRC = Path(__file__).resolve().parents[1] / "src"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


# --- reading a database as it is, outside Django ------------------------------------------------------------------


def _pg_kwargs(database) -> dict[str, str]:
    keys = {"NAME": "dbname", "USER": "user", "PASSWORD": "password", "HOST": "host", "PORT": "port"}
    return {key: str(database[name]) for name, key in keys.items() if database.get(name)}


def every_row(database) -> dict[str, list[str]]:
    """Every row of every table, in a stable order, read through the driver as it is stored."""
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3"):
        db = sqlite3.connect(name, uri=name.startswith("file:"))
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        cursor = db.cursor()
    else:
        db = psycopg.connect(**_pg_kwargs(database))
        cursor = db.cursor()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [t for (t,) in cursor.fetchall()]
    try:
        rows = {}
        for table in sorted(tables):
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted(repr(tuple(row)) for row in cursor.fetchall())
        return rows
    finally:
        db.close()


def every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def empty_instance(tmp_path) -> Iterator[backups.Instance]:
    """A new installation of the suite's database kind: an absent SQLite file, or a new PostgreSQL database."""
    media = tmp_path / "restored" / "media"
    if not ON_POSTGRES:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored" / "db.sqlite3")}
        yield backups.Instance(database=database, media_root=media)
        return
    scratch = f"restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(**_pg_kwargs(connection.settings_dict), autocommit=True)
    admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        yield backups.Instance(database={**connection.settings_dict, "NAME": scratch}, media_root=media)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        admin.close()


def holds_nothing(instance: backups.Instance) -> bool:
    return backups.database_census(instance).tables == {} and not instance.media_root.exists()


@pytest.fixture
def county(published, personas, clock, settings) -> backups.Instance:
    """The sample plan handed out, with reports saved, submitted and accepted, and evidence uploaded as the
    reporter's page uploads it (content-checked, stored under generated names in MEDIA_ROOT)."""
    clock(date(2022, 3, 20))
    report = reporting.report_save(
        period=helpers.period(published, 3),
        task=helpers.task(published, 12),
        unit=helpers.unit("住建局"),
        user=personas.zhujian,
        data=reporting.ReportData(progress="in_progress", percent=30, work_done="已启动：=SUM(A1)"),
        version=0,
    )
    reporting.evidence_add(report=report, user=personas.zhujian, name="现场.png", data=helpers.PNG)
    reporting.evidence_add(report=report, user=personas.zhujian, name="方案.pdf", data=helpers.PDF)
    reporting.evidence_add(
        report=report, user=personas.zhujian, name="台账.xlsx", data=helpers.ooxml("xl/workbook.xml")
    )
    helpers.accept(helpers.submit(published, personas.zhujian, 17, 3, 100, unit_name="住建局"), personas.coordinator)
    return backups.Instance.configured()


def test_a_backup_restored_into_an_empty_instance_gives_back_every_row_and_evidence_file(
    county, empty_instance, tmp_path
):
    archive = tmp_path / "county.tar.gz"
    manifest = backups.backup_create(county, archive)

    summary = backups.restore(empty_instance, archive)

    assert Evidence.objects.count() == 3 and len(every_file(county.media_root)) == 3
    assert every_row(empty_instance.database) == every_row(county.database)
    assert every_file(empty_instance.media_root) == every_file(county.media_root)
    assert summary.files == 3 and summary.pending_migrations == []
    assert summary.rows == sum(manifest["database"]["tables"].values()) > 500
    assert manifest["database"]["vendor"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["schema"]["progress"] == manifest["migrations"]["progress"][-1]
    assert manifest["database"]["tables"]["progress_evidence"] == 3
    assert {entry["sha256"] for entry in manifest["files"]} >= set(Evidence.objects.values_list("sha256", flat=True))
    assert "已恢复" in summary.lines()[0] and "3 个文件" in summary.lines()[2]
    assert archive.stat().st_mode & 0o077 == 0  # it holds every password hash: its owner's only


def _repacked(archive: Path, target: Path, change) -> Path:
    """The archive rewritten member by member, `change(name, data)` returning new bytes (or None to drop)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                out.addfile(member, io.BytesIO(data))
    return target


def _evidence_name(manifest) -> str:
    return next(e["path"] for e in manifest["files"] if e["path"].endswith(".pdf"))


def test_an_archive_with_a_changed_evidence_file_is_refused_by_its_name_and_nothing_is_written(
    county, empty_instance, tmp_path
):
    manifest = backups.backup_create(county, tmp_path / "county.tar.gz")
    pdf = _evidence_name(manifest)

    def flip_a_byte(name, data):
        return data[:-2] + b"X" + data[-1:] if name == pdf else data

    tampered = _repacked(tmp_path / "county.tar.gz", tmp_path / "tampered.tar.gz", flip_a_byte)

    with pytest.raises(backups.BackupRefused, match=f"“{pdf}”的大小或校验值与清单不符"):
        backups.restore(empty_instance, tampered)
    assert holds_nothing(empty_instance)


def test_an_archive_cut_short_or_with_a_file_added_or_missing_is_refused(county, empty_instance, tmp_path):
    archive = tmp_path / "county.tar.gz"
    manifest = backups.backup_create(county, archive)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    added = tmp_path / "added.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(added, "w:gz") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        extra = tarfile.TarInfo("media/evidence/2022/03/planted.pdf")
        extra.size = len(helpers.PDF)
        out.addfile(extra, io.BytesIO(helpers.PDF))
    pdf = _evidence_name(manifest)
    missing = _repacked(archive, tmp_path / "missing.tar.gz", lambda name, data: None if name == pdf else data)

    with pytest.raises(backups.BackupRefused, match=r"cut\.tar\.gz 不是完整的 ecotarget 备份文件"):
        backups.restore(empty_instance, cut)
    with pytest.raises(backups.BackupRefused, match=r"“media/evidence/2022/03/planted\.pdf”不在清单中"):
        backups.restore(empty_instance, added)
    with pytest.raises(backups.BackupRefused, match=f"缺少“{pdf}”"):
        backups.restore(empty_instance, missing)
    assert holds_nothing(empty_instance)


def test_an_archive_naming_a_path_outside_the_instance_is_refused(county, empty_instance, tmp_path):
    archive = tmp_path / "county.tar.gz"
    backups.backup_create(county, archive)
    with tarfile.open(archive) as source, tarfile.open(tmp_path / "evil.tar", "w") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("media/../../escaped.txt")
        evil.size = 2
        out.addfile(evil, io.BytesIO(b"hi"))

    with pytest.raises(backups.BackupRefused, match=r"不应有的条目“media/\.\./\.\./escaped\.txt”"):
        backups.restore(empty_instance, tmp_path / "evil.tar")
    assert not (tmp_path / "escaped.txt").exists() and holds_nothing(empty_instance)


def test_a_restore_into_a_database_that_holds_data_is_refused_naming_its_tables(county, empty_instance, tmp_path):
    archive = tmp_path / "county.tar.gz"
    backups.backup_create(county, archive)
    backups.restore(empty_instance, archive)
    rows_before = every_row(empty_instance.database)

    with pytest.raises(backups.BackupRefused, match=r"只能恢复到空的数据库.*auth_user（\d+ 行）"):
        backups.restore(empty_instance, archive)
    assert every_row(empty_instance.database) == rows_before


def test_a_restore_beside_evidence_files_already_there_is_refused(county, empty_instance, tmp_path):
    archive = tmp_path / "county.tar.gz"
    backups.backup_create(county, archive)
    empty_instance.media_root.mkdir(parents=True)
    (empty_instance.media_root / "left-over.pdf").write_bytes(helpers.PDF)

    with pytest.raises(backups.BackupRefused, match=r"佐证材料目录 .* 已有 1 个文件（如 left-over\.pdf）"):
        backups.restore(empty_instance, archive)
    assert backups.database_census(empty_instance).tables == {}


def test_a_backup_from_a_newer_schema_is_refused_and_an_older_one_asks_for_migrate(county, empty_instance, tmp_path):
    archive = tmp_path / "county.tar.gz"
    backups.backup_create(county, archive)

    def from_the_future(name, data):
        if name != backups.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"]["progress"].append("9999_not_written_yet")
        return json.dumps(manifest).encode()

    newer = _repacked(archive, tmp_path / "newer.tar.gz", from_the_future)
    with pytest.raises(backups.BackupRefused, match=r"有本程序不认识的数据库迁移 progress\.9999_not_written_yet"):
        backups.restore(empty_instance, newer)
    assert holds_nothing(empty_instance)

    known = {("progress", "0001_initial"), ("progress", "0002_more"), ("core", "0001_action_log")}
    latest = [("progress", "0002_more"), ("core", "0001_action_log")]
    older = backups.schema_compare({"progress": ["0001_initial"], "core": ["0001_action_log"]}, known, latest)
    assert older.state == "older" and older.pending == ["progress.0002_more"]
    same = backups.schema_compare(
        {"progress": ["0001_initial", "0002_more"], "core": ["0001_action_log"]}, known, latest
    )
    assert same.state == "same"
    summary = backups.RestoreSummary(
        {"created_at": "…", "app_version": "0.1", "database": {"vendor": "sqlite"}}, 1, 1, 0, 0, older.pending
    )
    assert "请运行 ecotarget migrate" in summary.lines()[-1]


def test_pruning_keeps_the_newest_dated_archives_and_nothing_else(tmp_path):
    for stamp in ["20260101T010000Z", "20260102T010000Z", "20260103T010000Z"]:
        (tmp_path / f"ecotarget-backup-{stamp}.tar.gz").write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"")

    removed = backups.backups_prune(tmp_path, keep=2)

    assert [p.name for p in removed] == ["ecotarget-backup-20260101T010000Z.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ecotarget-backup-20260102T010000Z.tar.gz",
        "ecotarget-backup-20260103T010000Z.tar.gz",
        "notes.txt",
    ]


# --- the commands, on a SQLite file another process keeps writing to --------------------------------------------

WRITER = """
import sys
from pathlib import Path

import django

django.setup()
from django.db import connection, transaction

stop = Path(sys.argv[1])
n = 0
while not stop.exists() or n < 200:
    with transaction.atomic(), connection.cursor() as cursor:
        n += 1
        cursor.execute("INSERT INTO saves (n, note) VALUES (%s, %s)", [n, "x" * 500])
    if n == 50:
        print("writing", flush=True)
print(n, flush=True)
"""


def _instance_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {
        **env,
        "ECOTARGET_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "ecotarget.settings",
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }


def _ecotarget(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ecotarget", *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_a_backup_of_sqlite_taken_while_another_process_writes_succeeds_and_restores_a_consistent_copy(tmp_path):
    live, restored = tmp_path / "live", tmp_path / "restored"
    live.mkdir()
    with sqlite3.connect(live / "ecotarget.sqlite3") as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE saves (n INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    (live / "media" / "evidence").mkdir(parents=True)
    (live / "media" / "evidence" / "a.pdf").write_bytes(helpers.PDF)
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(stop)],
        env=_instance_env(live),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = writer.stdout.readline()
        assert started == "writing\n", started or writer.stderr.read()
        backup = _ecotarget(_instance_env(live), "backup", "--output", str(tmp_path / "out") + os.sep)
    finally:
        stop.touch()
        written, errors = writer.communicate(timeout=300)

    assert writer.returncode == 0, errors
    assert backup.returncode == 0, backup.stderr
    assert "已备份到" in backup.stdout and "佐证材料 1 个文件" in backup.stdout
    (archive,) = (tmp_path / "out").glob("ecotarget-backup-*.tar.gz")
    restore = _ecotarget(_instance_env(restored), "restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    assert "与备份清单逐表核对一致" in restore.stdout and "ecotarget migrate" in restore.stdout
    with sqlite3.connect(restored / "ecotarget.sqlite3") as check:
        numbers = [n for (n,) in check.execute("SELECT n FROM saves ORDER BY n")]
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # A consistent copy: every save up to one moment, none missing, none half-written.
    assert numbers == list(range(1, len(numbers) + 1)) and 50 <= len(numbers) <= int(written)
    assert (restored / "media" / "evidence" / "a.pdf").read_bytes() == helpers.PDF

    again = _ecotarget(_instance_env(restored), "restore", str(archive))
    assert again.returncode == 1 and "只能恢复到空的数据库" in again.stderr and "saves" in again.stderr
