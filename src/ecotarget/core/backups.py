"""Backups of an installation and their restore: one archive holding the database and the evidence files.

An archive is a tar (gzip-compressed unless its name ends in `.tar`) of:

    database/ecotarget.sqlite3   SQLite: a consistent copy made by SQLite's online backup, safe while the server
                                 writes (WAL: the copy reads one snapshot and never blocks a writer)
    database/ecotarget.pgdump    PostgreSQL: pg_dump's custom format, taken in the snapshot the row counts are read in
    media/...                    every file under MEDIA_ROOT (the progress evidence)
    manifest.json                written last: versions, the schema (applied migrations), the rows of every table,
                                 and each file's size and SHA-256

Left out on purpose: plan previews (a coordinator's unconfirmed upload, gone in two hours), the collected static
files (`ecotarget serve` rebuilds them) and the secret key. The key encrypts nothing stored: it signs sessions and
password-reset links, so a restore on a new machine only logs everyone out and voids pending reset links, while a
backup holding it could forge those for the live site wherever the file is copied. Keep `SECRET_KEY` (or
`var/secret_key`) apart when sessions must survive a move.

Everything is streamed through fixed-size buffers: no database or file is ever held in memory whole. A restore
reads the archive twice: once to check every file against the manifest before anything is written, then to write.
"""

import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from .errors import Refusal

FORMAT = "ecotarget-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database/ecotarget.sqlite3", "postgresql": "database/ecotarget.pgdump"}
NAME_PREFIX = "ecotarget-backup-"
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 64 * 1024 * 1024  # a manifest lists files, it is never this large: anything bigger is not ours
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

Json = dict[str, Any]


class BackupRefused(Refusal):
    """A backup or restore that cannot be done, with the reason an administrator can act on."""


@dataclass(frozen=True)
class Instance:
    """Where an installation keeps its state: a database (a Django DATABASES entry) and its evidence files."""

    database: Mapping[str, Any]
    media_root: Path

    @classmethod
    def configured(cls, alias: str = "default") -> "Instance":
        return cls(database=dict(connections[alias].settings_dict), media_root=Path(settings.MEDIA_ROOT))

    @property
    def vendor(self) -> str:
        engine = str(self.database.get("ENGINE", ""))
        if engine.endswith("sqlite3"):
            return "sqlite"
        if "postgresql" in engine:
            return "postgresql"
        raise BackupRefused(f"不支持的数据库引擎 {engine}：只能备份 SQLite 或 PostgreSQL")


# --- reading and writing files in chunks, hashed on the way -----------------------------------------------------


class _HashingReader:
    """A file read through by tarfile, hashed as it goes: the checksum is of exactly the bytes archived."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _copy_hashed(source: IO[bytes], target: IO[bytes] | None) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return size, digest.hexdigest()


def file_digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as source:
        return _copy_hashed(source, None)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- the database: snapshot, census, restore --------------------------------------------------------------------


@dataclass
class Census:
    """What a database holds: rows per table and the migrations applied, as one consistent reading."""

    tables: dict[str, int]
    migrations: dict[str, list[str]]


def _census(cursor: Any, tables: list[str]) -> Census:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return Census(counts, migrations)


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    return [name for (name,) in rows]


def _sqlite_connect(name: str) -> sqlite3.Connection:
    # Django's test databases are shared in-memory ones named by URI; a server's is a file.
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=20)


def _sqlite_snapshot(database: Mapping[str, Any], destination: Path) -> Census:
    name = str(database["NAME"])
    if not name.startswith("file:") and not Path(name).is_file():
        raise BackupRefused(f"数据库文件 {name} 不存在：没有可备份的数据")
    with closing(_sqlite_connect(name)) as source, closing(sqlite3.connect(destination)) as copy:
        # One step (pages=-1): the whole copy reads one snapshot, so it is consistent; in WAL mode a reader never
        # blocks the server's writers, and SQLite pages the copy through its cache, never holding the database.
        source.backup(copy)
        # A file that stands alone: rollback journal, nothing in a -wal beside it. The server's settings put it
        # back in WAL mode on its first connection after a restore.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _census(copy.cursor(), _sqlite_tables(copy))


def _pg_params(database: Mapping[str, Any]) -> dict[str, str]:
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": str(database.get("PORT") or ""),
    }
    options = {k: v for k, v in (database.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    return {k: str(v) for k, v in {**params, **options}.items() if v}


def _pg_tool(name: str, database: Mapping[str, Any], *args: str) -> None:
    """Run pg_dump or pg_restore against the database; the password goes by environment, never on the command line."""
    program = shutil.which(name)
    if program is None:
        raise BackupRefused(f"找不到 {name}：请安装 postgresql-client（与数据库服务器同一大版本或更新）")
    params = _pg_params(database)
    env = dict(os.environ)
    if "password" in params:
        env["PGPASSWORD"] = params.pop("password")
    from psycopg.conninfo import make_conninfo

    result = subprocess.run(
        [program, *args, f"--dbname={make_conninfo(**params)}"], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupRefused(f"{name} 失败：{result.stderr.strip()}")


@contextmanager
def _pg_connect(database: Mapping[str, Any]) -> Iterator[Any]:
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        connection = psycopg.connect(make_conninfo(**_pg_params(database)), autocommit=True)
    except psycopg.OperationalError as exc:
        raise BackupRefused(f"无法连接数据库 {database.get('NAME')}：{str(exc).strip()}") from None
    with connection:
        yield connection


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return [name for (name,) in cursor.fetchall()]


def _pg_snapshot(database: Mapping[str, Any], destination: Path) -> Census:
    with _pg_connect(database) as connection, connection.cursor() as cursor:
        # pg_dump joins this transaction's snapshot: the dump and the row counts are one and the same reading.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        census = _census(cursor, _pg_tables(cursor))
        _pg_tool("pg_dump", database, "--format=custom", f"--snapshot={snapshot}", f"--file={destination}")
        cursor.execute("COMMIT")
    return census


def database_census(instance: Instance) -> Census:
    """Rows per table of an instance's database as it is now (empty when the database or its file does not exist)."""
    if instance.vendor == "sqlite":
        path = Path(str(instance.database["NAME"]))
        if not path.is_file():
            return Census({}, {})
        with closing(sqlite3.connect(path, timeout=20)) as db:
            return _census(db.cursor(), _sqlite_tables(db))
    with _pg_connect(instance.database) as connection, connection.cursor() as cursor:
        return _census(cursor, _pg_tables(cursor))


# --- the schema: which migrations the archive's database has, against the code's ----------------------------------


@dataclass(frozen=True)
class SchemaComparison:
    unknown: list[str]  # applied in the archive, unknown to this code: the archive is newer
    pending: list[str]  # this code's latest migrations the archive lacks: run `ecotarget migrate` after restoring

    @property
    def state(self) -> str:
        return "newer" if self.unknown else ("older" if self.pending else "same")


def schema_compare(
    applied: Mapping[str, list[str]], known: set[tuple[str, str]], latest: list[tuple[str, str]]
) -> SchemaComparison:
    """Compare the migrations applied in a backup with those of the code (all of them, and each app's latest)."""
    done = {(app, name) for app, names in applied.items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in done - known)
    pending = sorted(f"{app}.{name}" for app, name in latest if (app, name) not in done)
    return SchemaComparison(unknown, pending)


def code_migrations() -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """Every migration this code has, and each app's latest (read from the code, no database needed)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=False)
    return set(loader.graph.nodes), loader.graph.leaf_nodes()


# --- making a backup ----------------------------------------------------------------------------------------------


def app_version() -> str:
    try:
        return importlib.metadata.version("ecotarget")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def default_name(now: datetime) -> str:
    return f"{NAME_PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"


def output_path(requested: str | None, now: datetime) -> Path:
    """Where a backup goes: a named file, a directory (a dated name inside it), or var/backups by default."""
    if not requested:
        return Path(settings.VAR_DIR) / "backups" / default_name(now)
    path = Path(requested)
    if requested.endswith(os.sep) or path.is_dir():
        return path / default_name(now)
    return path


def _media_files(media_root: Path) -> list[tuple[str, Path]]:
    if not media_root.is_dir():
        return []
    found = []
    for path in sorted(media_root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((f"{MEDIA}/{path.relative_to(media_root).as_posix()}", path))
    return found


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> Json:
    with open(path, "rb") as source:
        stat = os.fstat(source.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size  # what the file held when opened; evidence files are written once, never changed
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(source)
        archive.addfile(info, reader)  # tarfile only calls read()
    return {"path": name, "size": reader.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup_create(instance: Instance, output: Path, *, now: datetime | None = None) -> Json:
    """Write one archive of the instance's database and evidence files to `output`; returns its manifest.

    The archive appears under its name only once complete (written aside, then linked into place); an existing
    file is never overwritten. It is readable by its owner only: it holds every account's password hash.
    """
    now = now or datetime.now(UTC)  # the real time, even on a demo whose pages run on a pinned date
    vendor = instance.vendor
    if output.exists():
        raise BackupRefused(f"{output} 已存在：换一个文件名，或指定一个目录")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    # gzip's usual level: a database compresses about sevenfold, nearly as well as at 9 and four times faster;
    # evidence (JPEG, PDF, Office files) is compressed already and passes through either way.
    mode, options = ("w", {}) if output.name.endswith(".tar") else ("w:gz", {"compresslevel": 6})
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".ecotarget-backup-") as staging:
            snapshot = Path(staging) / PurePosixPath(DATABASE_FILES[vendor]).name
            census = (_sqlite_snapshot if vendor == "sqlite" else _pg_snapshot)(instance.database, snapshot)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT, **options) as archive:  # type: ignore[call-overload]
                    files = [_add_file(archive, DATABASE_FILES[vendor], snapshot)]
                    files += [_add_file(archive, name, path) for name, path in _media_files(instance.media_root)]
                    manifest = _manifest(vendor, census, files, now)
                    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    _add_bytes(archive, MANIFEST, data, now.timestamp())
                raw.flush()
                os.fsync(raw.fileno())
        os.link(partial, output)
    except FileExistsError:
        raise BackupRefused(f"{output} 已存在：换一个文件名，或指定一个目录") from None
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _manifest(vendor: str, census: Census, files: list[Json], now: datetime) -> Json:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": app_version(),
        "django_version": django.get_version(),
        "created_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "database": {"vendor": vendor, "file": DATABASE_FILES[vendor], "tables": census.tables},
        # Each app's latest applied migration, for a reader; `migrations` (all applied) is what a restore compares.
        "schema": {app: names[-1] for app, names in sorted(census.migrations.items())},
        "migrations": dict(sorted(census.migrations.items())),
        "secret_key": "not included (see docs/deployment.md)",
        "files": files,
    }


def backups_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives with the default name in `directory`; returns those deleted."""
    dated = sorted(p for p in directory.glob(f"{NAME_PREFIX}*.tar*") if p.is_file() and not p.name.startswith("."))
    doomed = dated[: max(len(dated) - keep, 0)]
    for path in doomed:
        path.unlink()
    return doomed


# --- reading an archive -------------------------------------------------------------------------------------------


def _member_name(member: tarfile.TarInfo) -> str | None:
    """A member's name if it is a plain file with a safe relative path, None for a directory (a repacked archive
    has them; they add nothing), else a refusal naming it (links, devices, absolute or climbing paths)."""
    name = member.name
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or not parts or "\\" in name or not (member.isfile() or member.isdir()):
        raise BackupRefused(f"备份文件中有不应有的条目“{name}”：拒绝恢复")
    return name if member.isfile() else None


@contextmanager
def _reading(path: Path) -> Iterator[tuple[tarfile.TarFile, list[str]]]:
    """The archive opened as a stream; a damaged or foreign file is refused naming the member being read."""
    current: list[str] = []
    try:
        with tarfile.open(path, mode="r|*") as archive:
            yield archive, current
    except FileNotFoundError:
        raise BackupRefused(f"找不到备份文件 {path}") from None
    except PermissionError:
        raise BackupRefused(
            f"无法读取备份文件 {path}：没有权限（命令以哪个用户运行，文件就须对哪个用户可读）"
        ) from None
    except IsADirectoryError:
        raise BackupRefused(f"{path} 是目录，不是备份文件") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        where = f"读到“{current[-1]}”时" if current else ""
        raise BackupRefused(f"{path} 不是完整的 ecotarget 备份文件，{where}出错：{exc}") from None


def _manifest_check(manifest: Any, path: Path) -> Json:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{path} 不是 ecotarget 备份文件（manifest.json 不是备份清单）")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"{path} 的备份格式版本为 {manifest.get('format_version')}，本程序只认第 {FORMAT_VERSION} 版"
        )
    return manifest


def archive_verify(path: Path) -> Json:
    """Read the whole archive once and check every file against the manifest (size and SHA-256); returns the
    manifest. Nothing is written. A missing, extra, changed or damaged file is refused by its name."""
    seen: dict[str, tuple[int, str]] = {}
    manifest: Any = None
    with _reading(path) as (archive, current):
        for member in archive:
            name = _member_name(member)
            if name is None:
                continue
            current.append(name)
            if name in seen or (name == MANIFEST and manifest is not None):
                raise BackupRefused(f"备份文件中“{name}”出现了两次：拒绝恢复")
            source = archive.extractfile(member)
            assert source is not None  # a regular file (checked above)
            if name == MANIFEST:
                if member.size > MANIFEST_MAX_BYTES:
                    raise BackupRefused(f"{path} 的 manifest.json 过大，不是 ecotarget 备份清单")
                try:
                    manifest = json.loads(source.read())
                except ValueError as exc:
                    raise BackupRefused(f"{path} 的 manifest.json 无法读取：{exc}") from None
            else:
                seen[name] = _copy_hashed(source, None)
    if manifest is None:
        raise BackupRefused(f"{path} 不是 ecotarget 备份文件（没有 manifest.json）")
    manifest = _manifest_check(manifest, path)
    listed = {entry["path"]: entry for entry in manifest.get("files", [])}
    for name, entry in listed.items():
        if name not in seen:
            raise BackupRefused(f"备份文件缺少“{name}”（清单中有）：文件不完整，拒绝恢复")
        if seen[name] != (entry["size"], entry["sha256"]):
            raise BackupRefused(f"“{name}”的大小或校验值与清单不符：备份文件已损坏或被改动，拒绝恢复")
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise BackupRefused(f"备份文件中的“{extra[0]}”不在清单中：备份文件被改动过，拒绝恢复")
    database_file = manifest.get("database", {}).get("file")
    if database_file not in listed:
        raise BackupRefused(f"{path} 的清单没有列出数据库文件：拒绝恢复")
    return manifest


# --- restoring ----------------------------------------------------------------------------------------------------


@dataclass
class RestoreSummary:
    manifest: Json
    tables: int
    rows: int
    files: int
    file_bytes: int
    pending_migrations: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        database = self.manifest["database"]
        lines = [
            f"已恢复 {self.manifest['created_at']} 的备份（ecotarget {self.manifest['app_version']}，"
            f"{database['vendor']}）",
            f"数据库：{self.tables} 张表，共 {self.rows} 行，与备份清单逐表核对一致",
            f"佐证材料：{self.files} 个文件，{self.file_bytes / (1024 * 1024):.1f} MB，校验值一致",
        ]
        if self.pending_migrations:
            lines.append(
                "备份的数据库结构比本程序旧（缺少 "
                + "、".join(self.pending_migrations[:5])
                + "）：请运行 ecotarget migrate 后再启动服务"
            )
        return lines


def _refuse_unless_empty(instance: Instance) -> None:
    census = database_census(instance)
    if census.tables:
        holding = [f"{table}（{rows} 行）" for table, rows in census.tables.items() if rows]
        what = "已有数据：" + "、".join(holding[:5]) + ("等" if len(holding) > 5 else "") if holding else ""
        what = what or f"已有 {len(census.tables)} 张表（运行过 ecotarget migrate？）"
        remedy = (
            "换一个新的数据库文件路径（DATABASE_URL），或移走现有文件"
            if instance.vendor == "sqlite"
            else "新建一个空数据库（dropdb / createdb）"
        )
        raise BackupRefused(f"只能恢复到空的数据库，目标数据库 {instance.database.get('NAME')} {what}。请{remedy}")
    present = [p for p in instance.media_root.rglob("*") if not p.is_dir()] if instance.media_root.is_dir() else []
    if present:
        raise BackupRefused(
            f"只能恢复到空的实例，佐证材料目录 {instance.media_root} 已有 {len(present)} 个文件"
            f"（如 {present[0].relative_to(instance.media_root)}）：请换一个空目录（ECOTARGET_MEDIA_ROOT）"
        )


def _extract_verified(path: Path, manifest: Json, database_to: Path, media_to: Path) -> None:
    """Write the archive's files (the database to `database_to`, evidence under `media_to`), each checked again as
    it is written: the archive may not change between the check and the restore."""
    listed = {entry["path"]: entry for entry in manifest["files"]}
    with _reading(path) as (archive, current):
        for member in archive:
            name = _member_name(member)
            if name is None or name == MANIFEST:
                continue
            current.append(name)
            target = database_to if name == manifest["database"]["file"] else media_to / name.removeprefix(f"{MEDIA}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            with open(target, "wb") as out:
                written = _copy_hashed(source, out)
                out.flush()
                os.fsync(out.fileno())
            if written != (listed[name]["size"], listed[name]["sha256"]):
                raise BackupRefused(f"“{name}”在恢复过程中与清单不符：备份文件在恢复时被改动，已停止")


def restore(instance: Instance, path: Path) -> RestoreSummary:
    """Restore an archive into an empty instance, then check that it holds what the manifest says.

    Refused before anything is written: a damaged or altered archive, another database vendor, a schema newer
    than this code, a database that has tables or an evidence directory that has files.
    """
    manifest = archive_verify(path)
    vendor = manifest["database"]["vendor"]
    if vendor != instance.vendor:
        raise BackupRefused(f"这是 {vendor} 数据库的备份，目标数据库是 {instance.vendor}：只能恢复到同一种数据库")
    known, latest = code_migrations()
    schema = schema_compare(manifest.get("migrations", {}), known, latest)
    if schema.state == "newer":
        raise BackupRefused(
            f"备份来自更新版本的 ecotarget（{manifest['app_version']}），有本程序不认识的数据库迁移 "
            + "、".join(schema.unknown[:5])
            + "：请先升级本程序再恢复"
        )
    if vendor == "sqlite" and str(instance.database["NAME"]).startswith("file:"):
        raise BackupRefused("SQLite 只能恢复到数据库文件（DATABASE_URL=sqlite:////路径）")
    _refuse_unless_empty(instance)

    media_root = instance.media_root
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".ecotarget-restore-"))
    try:
        if vendor == "sqlite":
            database_path = Path(str(instance.database["NAME"]))
            database_path.parent.mkdir(parents=True, exist_ok=True)
            # Beside its final place, so that moving it there is one rename.
            fd, staged_name = tempfile.mkstemp(dir=database_path.parent, prefix=f".{database_path.name}.restoring-")
            os.close(fd)
            staged_database = Path(staged_name)
        else:
            staged_database = staging / "ecotarget.pgdump"
        try:
            staged_media = staging / MEDIA
            staged_media.mkdir()
            _extract_verified(path, manifest, staged_database, staged_media)
            if vendor == "sqlite":
                # The target has no tables (checked): what lies beside it belongs to no data and must not be
                # replayed into the restored file.
                for suffix in SQLITE_SIDE_FILES:
                    Path(f"{database_path}{suffix}").unlink(missing_ok=True)
                os.replace(staged_database, database_path)
            else:
                # One transaction: a failure leaves the database as empty as it was.
                _pg_tool(
                    "pg_restore", instance.database, "--single-transaction", "--exit-on-error",
                    "--no-owner", "--no-privileges", str(staged_database),
                )  # fmt: skip
            if media_root.exists():
                shutil.rmtree(media_root)  # holds no file (checked): only empty directories
            os.replace(staged_media, media_root)
        finally:
            if vendor == "sqlite":
                staged_database.unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _restored_check(instance, manifest, schema)


def _restored_check(instance: Instance, manifest: Json, schema: SchemaComparison) -> RestoreSummary:
    expected = manifest["database"]["tables"]
    found = database_census(instance).tables
    for table, rows in expected.items():
        if found.get(table) != rows:
            raise BackupRefused(f"恢复后核对不符：表 {table} 应有 {rows} 行，实有 {found.get(table, '（无此表）')}")
    media = [entry for entry in manifest["files"] if entry["path"].startswith(f"{MEDIA}/")]
    for entry in media:
        restored = instance.media_root / entry["path"].removeprefix(f"{MEDIA}/")
        if not restored.is_file() or file_digest(restored) != (entry["size"], entry["sha256"]):
            raise BackupRefused(f"恢复后核对不符：{restored} 与清单不符")
    return RestoreSummary(
        manifest=manifest,
        tables=len(expected),
        rows=sum(expected.values()),
        files=len(media),
        file_bytes=sum(entry["size"] for entry in media),
        pending_migrations=schema.pending,
    )
