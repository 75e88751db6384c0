"""What a backup and a restore cost on an installation larger than memory would comfortably hold: a SQLite database
of --db-mb MB and --evidence-mb MB of evidence files (random bytes: like photos and PDFs, they do not compress).

`ecotarget backup` and `ecotarget restore` run as the commands an administrator runs, each in its own process;
reported: wall seconds, the archive's size and each process's peak RSS (from the kernel, `wait4`). Both stream
through fixed buffers, so the peak RSS stays near Django's own footprint whatever the sizes.

    PYTHONPATH=src .venv/bin/python bench/backup_bench.py [--db-mb 300] [--evidence-mb 500]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024
SRC = Path(__file__).resolve().parents[1] / "src"


def make_instance(var_dir: Path, db_mb: int, evidence_mb: int) -> None:
    var_dir.mkdir(parents=True)
    with sqlite3.connect(var_dir / "ecotarget.sqlite3") as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE readings (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
        rows = db_mb * MB // 1000
        for first in range(0, rows, 10_000):
            db.executemany(
                "INSERT INTO readings (payload) VALUES (?)",
                ((os.urandom(1000),) for _ in range(min(10_000, rows - first))),
            )
    evidence = var_dir / "media" / "evidence" / "2026" / "07"
    evidence.mkdir(parents=True)
    for n in range(evidence_mb // 2):
        (evidence / f"{n:05d}.jpg").write_bytes(os.urandom(2 * MB))


def run(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `ecotarget` command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ecotarget", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ecotarget {args[0]} failed: {err.decode()}")
    print("   ", out.decode().strip().replace("\n", "\n    "))
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-mb", type=int, default=300)
    parser.add_argument("--evidence-mb", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecotarget-backup-bench-") as tmp:
        root = Path(tmp)
        base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
        base["PYTHONPATH"] = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
        make_instance(root / "live", args.db_mb, args.evidence_mb)
        print(f"instance: SQLite {args.db_mb} MB, evidence {args.evidence_mb // 2 * 2} MB")
        archive = root / "backup.tar.gz"
        seconds, rss = run({**base, "ECOTARGET_VAR_DIR": str(root / "live")}, "backup", "--output", str(archive))
        print(f"backup:  {seconds:6.1f} s, peak RSS {rss:6.0f} MB, archive {archive.stat().st_size / MB:.0f} MB")
        seconds, rss = run({**base, "ECOTARGET_VAR_DIR": str(root / "restored")}, "restore", str(archive))
        print(f"restore: {seconds:6.1f} s, peak RSS {rss:6.0f} MB")


if __name__ == "__main__":
    main()
