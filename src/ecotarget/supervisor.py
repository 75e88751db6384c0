"""`ecotarget run`: the web server and the background worker as one service that keeps both running.

It starts `ecotarget serve` (gunicorn) and `ecotarget worker` as child processes, and starts again any child that
exits while it was not asked to stop: at once the first time, then after waits that double up to
MAX_BACKOFF_SECONDS while the child keeps failing soon after starting (a child that ran for STEADY_SECONDS starts
over from the shortest wait). TERM, INT (Ctrl+C) or HUP stop both children with TERM, gracefully (gunicorn finishes
its requests, the worker its job), then it exits; a child still running after GRACE_SECONDS is killed.

The children run in their own sessions, so a terminal's Ctrl+C reaches them only through here, once. Under
systemd, give the server and the worker a unit each instead (see docs/): systemd does the restarting.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

MIN_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
STEADY_SECONDS = 60.0
GRACE_SECONDS = 40.0  # gunicorn's graceful_timeout is 30 s
POLL_SECONDS = 0.2


def say(message: str) -> None:
    print(f"[ecotarget run] {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # when to start it again after it stopped
    backoff: float = field(default=0.0)  # the wait before the next restart

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, start_new_session=True)
        self.started_at, self.restart_at = time.monotonic(), None
        say(f"{self.name} started (pid {self.process.pid})")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    def __init__(self, children: list[Child]) -> None:
        self.children = children
        self.stopping = False

    def ask_to_stop(self, signum: int, _frame: object) -> None:
        if not self.stopping:
            say(f"{signal.Signals(signum).name} received: stopping the server and the worker")
        self.stopping = True

    def run(self) -> int:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.ask_to_stop)
        for child in self.children:
            child.start()
        while not self.stopping:
            self.tend(time.monotonic())
            time.sleep(POLL_SECONDS)
        return self.stop()

    def tend(self, now: float) -> None:
        """Notice a child that stopped and schedule its restart; start those whose wait is over."""
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start()
                continue
            if child.running() or child.process is None:
                continue
            code = child.process.returncode
            # What it left behind (a killed gunicorn master's workers still hold the port) goes with it.
            _end_group(child.process.pid)
            if now - child.started_at >= STEADY_SECONDS:
                child.backoff = 0.0
            say(f"{child.name} exited ({_describe(code)}); starting it again in {child.backoff:g} s")
            child.restart_at = now + child.backoff
            child.backoff = min(MAX_BACKOFF_SECONDS, max(MIN_BACKOFF_SECONDS, child.backoff * 2))

    def stop(self) -> int:
        live = [c for c in self.children if c.running()]
        for child in live:
            assert child.process is not None
            child.process.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for child in live:
            assert child.process is not None
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{child.name} did not stop within {GRACE_SECONDS:g} s: killed")
                child.process.kill()
                child.process.wait()
        say("stopped")
        return 0


def _end_group(leader: int) -> None:
    """TERM what is left of a child's process group (the child leads its own session, so the group is its)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(leader, signal.SIGTERM)


def _describe(code: int) -> str:
    if code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit status {code}"


def children(addrport: str | None, workers: int | None) -> list[Child]:
    ecotarget = [sys.executable, "-m", "ecotarget"]
    serve = [*ecotarget, "serve"]
    if addrport:
        serve.append(addrport)
    if workers:
        serve += ["--workers", str(workers)]
    return [Child("server", serve), Child("worker", [*ecotarget, "worker"])]


def run_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ecotarget run",
        description="启动网站和后台任务，任一意外退出即重启 / run server and worker, restarting either if it stops",
    )
    parser.add_argument("addrport", nargs="?", metavar="ADDR:PORT", help="where to listen (default ECOTARGET_BIND)")
    parser.add_argument("--workers", type=int, help="server worker processes (default ECOTARGET_WORKERS)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
    return Supervisor(children(args.addrport, args.workers)).run()
