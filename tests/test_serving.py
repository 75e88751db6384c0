"""The real server: `ecotarget serve` (gunicorn, WhiteNoise) over plain http, and Django's deployment checks.

Each runs in a subprocess with its own environment and var directory, as an installation would.
"""

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
# What plain http on a LAN implies, and nothing else: no HSTS, no redirect to https, cookies sent over http.
HTTP_ONLY_WARNINGS = {"security.W004", "security.W008", "security.W012", "security.W016"}
# The instance gets its own settings, its own SQLite file under its var directory, and not what the browser tests
# set in this process (DJANGO_ALLOW_ASYNC_UNSAFE, an error in deployment).
NOT_INHERITED = {"DEBUG", "SECRET_KEY", "ECOTARGET_HTTPS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {
        **env,
        "ECOTARGET_VAR_DIR": str(var_dir),
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        **extra,
    }


def _ecotarget(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ecotarget", *args], env=env, capture_output=True, text=True, timeout=600
    )


def _deploy_warnings(env: dict[str, str]) -> set[str]:
    result = _ecotarget(env, "check", "--deploy")
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"\((security\.W\d+)\)", result.stdout + result.stderr))


def test_check_deploy_is_clean_with_https_on(tmp_path):
    assert _deploy_warnings(_env(tmp_path, ECOTARGET_HTTPS="1")) == set()


def test_check_deploy_with_https_off_warns_only_what_plain_http_implies(tmp_path):
    assert _deploy_warnings(_env(tmp_path)) == HTTP_ONLY_WARNINGS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`ecotarget serve` in the background, until stopped with TERM as a service manager stops it."""

    def __init__(self, env: dict[str, str], port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ecotarget", "serve", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output: list[str] = []
        for line in self.process.stdout:  # gunicorn logs each worker as it boots
            self.output.append(line)
            if "Booting worker" in line:
                return
        pytest.fail("the server stopped before serving:\n" + "".join(self.output))

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        rest, _ = self.process.communicate(timeout=60)
        return "".join(self.output) + rest


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def _get(opener, url: str, **headers: str):
    for _ in range(50):  # the second worker may still be importing Django
        try:
            return opener.open(urllib.request.Request(url, headers=headers), timeout=30)
        except urllib.error.URLError as error:
            if not isinstance(error.reason, ConnectionRefusedError):
                raise
    raise AssertionError(f"{url} never answered")


def test_serve_runs_gunicorn_with_hashed_compressed_static_files_and_a_login_over_plain_http(tmp_path):
    env = _env(tmp_path / "var")
    assert _ecotarget(env, "migrate", "--verbosity", "0").returncode == 0
    password = "a-long-password-2022"
    created = _ecotarget(
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        *["createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org"],
    )
    assert created.returncode == 0, created.stderr
    key = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    server = Server(env, _free_port())
    try:
        browser = _opener()
        login = _get(browser, server.base + "/login/").read().decode()
        stylesheet = re.search(r'href="(/static/ecotarget/app\.[0-9a-f]{12}\.css)"', login)
        assert stylesheet, "the page links the hashed name"
        css = _get(browser, server.base + stylesheet.group(1), **{"Accept-Encoding": "br, gzip"})
        assert css.headers["Content-Encoding"] == "br"
        assert "immutable" in css.headers["Cache-Control"]
        assert (
            _get(browser, server.base + stylesheet.group(1), **{"Accept-Encoding": "gzip"}).headers["Content-Encoding"]
            == "gzip"
        )

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        form = {"csrfmiddlewaretoken": token, "username": "admin", "password": password, "next": "/admin/"}
        data = urllib.parse.urlencode(form).encode()
        answer = browser.open(urllib.request.Request(server.base + "/login/", data=data), timeout=30)
        assert urllib.parse.urlparse(answer.url).path == "/admin/", "logged in (the session cookie came back)"
    finally:
        log = server.stop()
    assert "静态文件已收集" in log and "Listening at" in log
    assert server.process.returncode == 0

    again = Server(env, _free_port())
    log = again.stop()
    assert "静态文件已收集" not in log, "unchanged static files are not collected again"
