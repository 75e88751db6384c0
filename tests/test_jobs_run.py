"""`ecotarget run` (what `make run` starts): the server and the worker, each started again when it dies, both
stopped by one TERM. Real processes on a free port, with an installation of their own (var directory, SQLite)."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
NOT_INHERITED = {"DEBUG", "SECRET_KEY", "ECOTARGET_HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
STARTED = re.compile(r"\[ecotarget run\] (server|worker) started \(pid (\d+)\)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _until(condition: Callable[[], object], what: str, tries: int = 600) -> None:
    """Wait for a process to get somewhere, looking every 0.2 s; a bounded number of looks only keeps a hang from
    lasting (nothing here says how fast anything must be)."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"never happened: {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _alive(pid: int) -> bool:
    # A child that exited but was not yet reaped counts as gone.
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except FileNotFoundError:
        return False


def test_a_killed_server_comes_back_and_one_term_stops_both(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env |= {"ECOTARGET_VAR_DIR": str(tmp_path), "PYTHONPATH": str(SRC), "ECOTARGET_SCHEDULE_SECONDS": "3600"}
    ecotarget = [sys.executable, "-m", "ecotarget"]
    subprocess.run([*ecotarget, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    port = _free_port()
    supervisor = subprocess.Popen(
        [*ecotarget, "run", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(supervisor.stdout.readline, "")), daemon=True).start()

    def started(name: str) -> list[int]:
        return [int(m[2]) for line in lines if (m := STARTED.search(line)) and m[1] == name]

    login = f"http://127.0.0.1:{port}/login/"
    try:
        _until(lambda: _answers(login), "the server answers")
        [server], [worker] = started("server"), started("worker")

        os.kill(server, signal.SIGKILL)
        _until(lambda: len(started("server")) == 2, "the server is started again")
        _until(lambda: _answers(login), "the new server answers")
        assert started("worker") == [worker] and _alive(worker)  # the worker was left alone
        assert any("server exited (signal SIGKILL)" in line for line in lines)

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0
        assert not _alive(started("server")[-1]) and not _alive(worker)
        assert not _answers(login)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        for pid in started("server") + started("worker"):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
