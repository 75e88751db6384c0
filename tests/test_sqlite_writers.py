"""SQLite as a county runs it: WAL, a busy timeout, and write transactions that queue instead of failing.

Two processes (as two server workers) save at once into a real database file, each reading before it writes, as
a service does; with deferred transactions one of them fails with "database is locked".
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
SAVES = 100

WRITER = """
import sys
import django

django.setup()
from django.db import connection, transaction

name = sys.argv[1]
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    print(mode, cursor.fetchone()[0], flush=True)
sys.stdin.readline()  # both start together
for _ in range(int(sys.argv[2])):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(n), 0) FROM saves")
        (last,) = cursor.fetchone()
        cursor.execute("INSERT INTO saves (n, writer) VALUES (%s, %s)", [last + 1, name])
"""


def test_two_processes_saving_at_once_both_succeed_in_a_wal_database(tmp_path):
    database = tmp_path / "county.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE saves (n INTEGER NOT NULL UNIQUE, writer TEXT NOT NULL)")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "ecotarget.settings",
        "ECOTARGET_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(SAVES)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    settings_seen = [writer.stdout.readline().split() for writer in writers]
    for writer, seen in zip(writers, settings_seen, strict=True):
        if not seen:  # it ended before it could start: say why instead of failing on its closed pipe
            writer.kill()
            raise AssertionError(f"a writer could not start: {writer.communicate()[1]}")
    for writer in writers:
        writer.stdin.write("go\n")
        writer.stdin.flush()
    results = [writer.communicate(timeout=300) for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0], [err for _, err in results]
    assert settings_seen == [["wal", "20000"], ["wal", "20000"]]
    with sqlite3.connect(database) as check:
        rows = check.execute("SELECT n, writer FROM saves ORDER BY n").fetchall()
    assert [n for n, _ in rows] == list(range(1, 2 * SAVES + 1))
    assert {writer: sum(1 for _, w in rows if w == writer) for writer in "ab"} == {"a": SAVES, "b": SAVES}
