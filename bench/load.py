"""A county's load on the real server: 50 people for 60 seconds against `ecotarget serve`, as `make run` runs it.

Run:  python bench/load.py [--database postgresql:///speed_load] [--users 50] [--seconds 60] [--port 8130]

What it does, in a var directory of its own (a new temporary one unless `--var-dir`):
1. `ecotarget load-demo` (the 将乐县 plan with half a year of reports and monitoring data), as `make run` does; with
   `--database` into that PostgreSQL database, which it drops and creates again first (it is the bench's).
2. Gives the demo's reporter accounts of every unit with tasks (zhujian, guyong and the demo's others) the demo
   password, in this var directory's database only, so that each simulated reporter logs in as a unit of its own.
3. `ECOTARGET_TODAY=2022-07-08 ecotarget serve 127.0.0.1:PORT` with gunicorn's default workers (2 × CPUs + 1).
4. locust, headless (`bench/load_users.py`): reporters opening their unit's page, saving drafts and submitting
   through the page's forms; the coordinator reviewing (accepting or returning), on the status overview and the
   ledger; leaders reading; people logging in and out; and, as many and as eager (no pause) as each other
   (`--eager`, one each), leaders on the dashboard and visitors on the login page, whose throughputs compare the
   dashboard's cost with the login page's. Logins are correct, so login throttling (django-axes, on as served)
   never locks anyone.
   Users start `--spawn-rate` a second, each logging in (a password check costs about 0.2 s of CPU); the figures
   are those of the `--seconds` after every user is on (locust's --reset-stats), the server's errors of the whole
   run.
5. Prints per page: requests, req/s, median and 95th percentile, errors; the server's 5xx answers and "database is
   locked" lines; and the dashboard's req/s ÷ the login page's. Targets: no error, p95 ≤ 1 s on every page, the
   ratio ≥ 30 %. On a machine shared with other work the figures move from run to run: say so with them.
"""

import argparse
import csv
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
PASSWORD = "load-bench-2022"
DEMO_TODAY = "2022-07-08"

# Step 2, run in the var directory's environment: every reporter of a unit with tasks gets the password.
PREPARE = """
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from ecotarget.organisation.models import Membership
from ecotarget.plans.models import Plan
plan = Plan.objects.order_by("pk").first()
units = set(plan.tasks.values_list("assignments__unit", flat=True))
reporters = list(
    Membership.objects.filter(role="reporter", unit__in=units, user__is_active=True)
    .select_related("user").order_by("user__username")
)
hashed = make_password({password!r})
User.objects.filter(pk__in=[m.user_id for m in reporters]).update(password=hashed)
named = [m.user.username for m in reporters if m.user.username in ("zhujian", "guyong")]
print(plan.pk)
print(",".join(named + [m.user.username for m in reporters if m.user.username not in named]))
"""


# SQLite keeps recent writes in its WAL file until a checkpoint: fold them in before copying the database.
CHECKPOINT = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
"""


def run(command: list[str], env: dict[str, str], what: str) -> str:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    print(f"{what}: {time.perf_counter() - started:.0f} s", flush=True)
    return done.stdout


def fresh_postgresql(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"not a database name the bench may drop and create: {name!r}")
    subprocess.run(["dropdb", "--if-exists", name], check=True)
    subprocess.run(["createdb", name], check=True)


def wait_until_up(base: str, server: subprocess.Popen, seconds: int = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped (exit {server.returncode}): see its log")
        try:
            with urllib.request.urlopen(base + "/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    sys.exit("the server did not answer in time")


def cpu_seconds(group: int) -> float:
    """CPU time used so far by the processes of a process group (the server: gunicorn's master and workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:  # pgrp; then utime and stime are fields 11 and 12 after the name
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def report(stats_csv: Path, server_log: Path, cpu: float, log_start: int) -> int:
    with stats_csv.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] != "Aggregated"]
    print(f"\n{'page':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>8}")
    worst_p95, errors, rates = 0.0, 0, {}
    for row in sorted(rows, key=lambda r: r["Name"]):
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        rate = float(row["Requests/s"])
        p50, p95 = float(row["50%"]), float(row["95%"])
        rates[row["Name"]] = rate
        worst_p95, errors = max(worst_p95, p95), errors + failures
        print(f"{row['Name']:<24}{count:>9}{rate:>8.1f}{p50:>8.0f}{p95:>8.0f}{failures:>8}")
    log = server_log.read_text(encoding="utf-8", errors="replace")
    server_errors = len(re.findall(r'" 5\d\d ', log))
    locked = log.count("database is locked")
    dashboard, login_page = rates.get("dashboard", 0.0), rates.get("login page (visitor)", 0.0)
    ratio = dashboard / login_page if login_page else 0.0
    print(f"\nserver: {server_errors} answers 5xx, {locked} 'database is locked'")
    # Every request the server answered during the run, the ramp's included, as its CPU time is.
    with server_log.open("rb") as f:
        f.seek(log_start)
        answered = len(re.findall(rb'HTTP/1\.[01]" \d{3} ', f.read()))
    if answered:
        cores = os.cpu_count() or 1
        print(
            f"server CPU: {cpu:.1f} s for the {answered} requests it answered during the run (ramp included): "
            f"{cpu / answered * 1000:.0f} ms each on average; this mix would take about {cores * answered / cpu:.0f} "
            f"req/s to fill the machine's {cores} CPUs with nothing else running"
        )
    print(f"dashboard {dashboard:.1f} req/s ÷ login page {login_page:.1f} req/s = {ratio:.0%}")
    ok = errors == 0 and server_errors == 0 and locked == 0 and worst_p95 <= 1000 and ratio >= 0.3
    print(
        f"targets (0 errors, p95 ≤ 1 s on every page, dashboard ≥ 30 % of the login page): {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL URL (dropped and created again); default SQLite")
    parser.add_argument("--var-dir", type=Path, help="default: a new temporary directory")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--workers", type=int, help="default: gunicorn's as `ecotarget serve` sets it")
    parser.add_argument(
        "--eager", type=int, default=1, help="users on the dashboard and on the login page each, with no pause"
    )
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (each logs in)")
    parser.add_argument(
        "--reuse", action="store_true", help="SQLite: start again from the demo as this var dir's first run loaded it"
    )
    args = parser.parse_args()

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="ecotarget-load-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, ECOTARGET_VAR_DIR=str(var_dir), ECOTARGET_DEMO_PASSWORD=PASSWORD)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent / "src"), env.get("PYTHONPATH")]))
    env.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
    if args.database:
        env["DATABASE_URL"] = args.database
        fresh_postgresql(args.database)
    print(f"var dir {var_dir}, database {args.database or 'SQLite'}", flush=True)
    database, pristine = var_dir / "ecotarget.sqlite3", var_dir / "pristine.sqlite3"
    if args.reuse and not args.database and pristine.exists():
        for extra in ("-wal", "-shm"):
            Path(f"{database}{extra}").unlink(missing_ok=True)
        shutil.copyfile(pristine, database)
    else:
        run([PYTHON, "-m", "ecotarget", "load-demo"], env, "load-demo")
        if not args.database:
            run([PYTHON, "-c", CHECKPOINT], env, "checkpoint")
            shutil.copyfile(database, pristine)
    plan, reporters = run([PYTHON, "-c", PREPARE.format(password=PASSWORD)], env, "accounts").split()

    base = f"http://127.0.0.1:{args.port}"
    serve = [PYTHON, "-m", "ecotarget", "serve", f"127.0.0.1:{args.port}"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    server_log = var_dir / "server.log"
    with server_log.open("w") as log:
        server = subprocess.Popen(
            serve,
            env=env | {"ECOTARGET_TODAY": DEMO_TODAY},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(base, server)
        print(f"serving at {base}", flush=True)
        # The eager pair (no pause) measures what a dashboard costs beside the login page. Each eager user is a closed
        # loop that keeps one request always in the server, so their number is how much of the run is an overload
        # test rather than a county's day: one of each by default (--eager), the other users pausing as people do.
        eager = args.eager
        fixed = {"coordinator": 3, "leader": 2, "dashboard": eager, "login_page": eager, "login": 3}
        reporter_count = args.users - sum(fixed.values())
        if reporter_count < 1:
            sys.exit(f"at least {sum(fixed.values()) + 1} users")
        counts = [reporter_count, *fixed.values()]
        users_env = env | {
            "LOAD_PLAN": plan,
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_REPORTERS": reporters,
            "LOAD_COUNTS": ",".join(str(n) for n in counts),
        }
        prefix = var_dir / "locust"
        ramp = math.ceil(args.users / args.spawn_rate)
        locust = [
            *(PYTHON, "-m", "locust", "-f", str(HERE / "load_users.py"), "--headless"),
            *("--host", base, "--users", str(args.users), "--spawn-rate", str(args.spawn_rate)),
            # Measured from when every user is on: the run lasts the ramp (each user logging in) and then `seconds`.
            *("--run-time", f"{args.seconds + ramp}s", "--reset-stats", "--csv", str(prefix)),
            *("--only-summary", "--loglevel", "WARNING"),
        ]
        print(
            f"{args.users} users for {args.seconds} s: {reporter_count} reporters ({len(reporters.split(','))} "
            f"accounts), " + ", ".join(f"{n} {k}" for k, n in fixed.items()),
            flush=True,
        )
        cpu_before, log_start = cpu_seconds(server.pid), server_log.stat().st_size
        done = subprocess.run(locust, env=users_env, capture_output=True, text=True)
        cpu = cpu_seconds(server.pid) - cpu_before
        if not Path(f"{prefix}_stats.csv").exists():
            sys.exit(f"locust did not run:\n{done.stdout}\n{done.stderr}")
        return report(Path(f"{prefix}_stats.csv"), server_log, cpu, log_start)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server this run started: gunicorn's master and its workers
            server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
