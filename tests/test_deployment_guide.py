"""The deployment guide (docs/deployment.md) and the files it installs (deploy/) cannot drift from the code.

Every `ecotarget` command the guide and the units run exists and accepts the options given; the units agree with
each other, with the admin wrapper and with nginx (the proxied address is the one the server listens on, the
upload limit is the application's); `systemd-analyze verify` and `nginx -t` accept the files where those tools
are installed (the tests are skipped where they are not).
"""

import configparser
import http.client
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

from ecotarget import gunicorn_conf
from ecotarget.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
NGINX = (DEPLOY / "nginx" / "ecotarget.conf").read_text(encoding="utf-8")
WRAPPER = (DEPLOY / "ecotarget-admin").read_text(encoding="utf-8")
SERVICES = ["ecotarget.service", "ecotarget-worker.service", "ecotarget-backup.service"]
ECOTARGET = "/opt/ecotarget/current/.venv/bin/ecotarget"


def unit(name: str) -> configparser.ConfigParser:
    # systemd repeats keys (Environment=); strict=False keeps the last, environment() below reads them all.
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def environment(name: str) -> dict[str, str]:
    text = (UNITS / name).read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in re.findall(r"^Environment=(\S+)$", text, re.MULTILINE))


def code_lines() -> list[str]:
    """Every line of the guide's code blocks."""
    blocks = re.findall(r"```[a-z]*\n(.*?)```", GUIDE, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def management_command(friendly: str) -> str:
    return COMMANDS[friendly][0] if friendly in COMMANDS else friendly.replace("-", "_")


def parse_options(friendly: str, args: list[str]) -> None:
    """Parse the arguments as the command would (a wrong option fails the test); `serve` takes ADDR:PORT only."""
    if friendly == "serve":
        assert len(args) == 1 and re.fullmatch(r"[\d.]+:\d+", args[0]), args
        return
    name = management_command(friendly)
    commands = get_commands()
    assert name in commands, f"ecotarget {friendly} is not a command"
    parser = load_command_class(commands[name], name).create_parser("ecotarget", name)
    parser.parse_args(args)  # a CommandError names the option it does not know


def ecotarget_invocations() -> list[tuple[str, list[str]]]:
    """The commands the guide runs through ecotarget-admin (settings given as NAME=value dropped)."""
    found = []
    for line in code_lines():
        words = shlex.split(line.split(" root ", 1)[-1])  # a cron line runs the same command
        if words and words[0].endswith("ecotarget-admin") and len(words) > 1:
            args = [w for w in words[1:] if not re.fullmatch(r"[A-Z_]+=\S*", w)]
            found.append((args[0], args[1:]))
    return found


def test_every_command_the_guide_runs_exists_with_the_options_given():
    invocations = ecotarget_invocations()
    assert {name for name, _ in invocations} >= {"migrate", "backup", "restore", "load-region", "check"}
    for name, args in invocations:
        parse_options(name, args)


def test_every_unit_starts_an_ecotarget_command_that_exists_as_the_ecotarget_user_with_the_settings_file(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the worker's queue, as served
    for name in SERVICES:
        service = unit(name)["Service"]
        program, command, *args = shlex.split(service["ExecStart"])
        assert program == ECOTARGET, name
        parse_options(command, args)
        assert service["User"] == "ecotarget" and service["EnvironmentFile"] == "/etc/ecotarget/ecotarget.env"
        assert environment(name) == {
            "ECOTARGET_VAR_DIR": "/var/lib/ecotarget",
            "ECOTARGET_NODE_MODULES": "/opt/ecotarget/current/node_modules",
        }, name
        assert f"/var/lib/{service['StateDirectory']}" == service["WorkingDirectory"] == "/var/lib/ecotarget"


def test_the_admin_wrapper_runs_commands_as_the_units_do():
    assert re.search(r"^\. /etc/ecotarget/ecotarget\.env$", WRAPPER, re.MULTILINE)
    assert re.search(r"^ECOTARGET_VAR_DIR=/var/lib/ecotarget$", WRAPPER, re.MULTILINE)
    assert re.search(r"^ECOTARGET_RELEASE=/opt/ecotarget/current$", WRAPPER, re.MULTILINE)
    assert 'exec "$ECOTARGET_RELEASE/.venv/bin/ecotarget"' in WRAPPER
    assert "runuser -u ecotarget" in WRAPPER


def test_the_admin_wrapper_reads_the_settings_file_and_lets_settings_on_its_command_line_win(tmp_path):
    fake = tmp_path / "release"
    (fake / ".venv" / "bin").mkdir(parents=True)
    program = fake / ".venv" / "bin" / "ecotarget"
    program.write_text('#!/bin/sh\necho "$ECOTARGET_VAR_DIR|$DATABASE_URL|$ALLOWED_HOSTS|$ECOTARGET_NODE_MODULES|$*"\n')
    program.chmod(0o755)
    settings_file = tmp_path / "ecotarget.env"
    settings_file.write_text("# a comment\nDATABASE_URL=postgresql:///ecotarget\nALLOWED_HOSTS=example.gov.cn\n")
    me = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    script = (
        WRAPPER.replace("/etc/ecotarget/ecotarget.env", str(settings_file))
        .replace("!= ecotarget ]", f"!= {me} ]")
        .replace("ECOTARGET_RELEASE=/opt/ecotarget/current", f"ECOTARGET_RELEASE={fake}")
    )
    wrapper = tmp_path / "ecotarget-admin"
    wrapper.write_text(script)
    wrapper.chmod(0o755)

    plain = subprocess.run([wrapper, "migrate", "--noinput"], capture_output=True, text=True, check=True)
    copy = subprocess.run(
        [wrapper, "DATABASE_URL=postgresql:///ecotarget_check", "ECOTARGET_VAR_DIR=/tmp/check", "migrate"],
        capture_output=True,
        text=True,
        check=True,
    )

    node_modules = f"{fake}/node_modules"
    assert (
        plain.stdout == f"/var/lib/ecotarget|postgresql:///ecotarget|example.gov.cn|{node_modules}|migrate --noinput\n"
    )
    assert copy.stdout == f"/tmp/check|postgresql:///ecotarget_check|example.gov.cn|{node_modules}|migrate\n"


def test_the_nightly_timer_starts_the_backup_into_a_directory_the_unit_may_write():
    timer = unit("ecotarget-backup.timer")
    assert timer["Timer"]["Unit"] == "ecotarget-backup.service"
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
    service = unit("ecotarget-backup.service")["Service"]
    words = shlex.split(service["ExecStart"])
    output = words[words.index("--output") + 1]
    assert service["Type"] == "oneshot" and output.rstrip("/") in service["ReadWritePaths"].split()
    assert f"--output {output}" in GUIDE


def test_nginx_proxies_to_the_address_the_server_listens_on_with_the_applications_limits():
    bind = unit_bind()
    upstream = re.search(r"upstream ecotarget \{[^}]*?server ([\d.:]+);", NGINX)
    assert upstream and upstream.group(1) == bind
    assert re.search(r"proxy_pass http://ecotarget;", NGINX)
    body = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert body and int(body.group(1)) * 1024 * 1024 == settings.ECOTARGET_MAX_REQUEST_BYTES
    read_timeout = re.search(r"proxy_read_timeout (\d+)s;", NGINX)
    assert read_timeout and int(read_timeout.group(1)) >= gunicorn_conf.timeout
    # What ECOTARGET_HTTPS=1 and ECOTARGET_PROXY_COUNT=1 trust, always set by nginx.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in NGINX
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX
    assert "proxy_set_header Host $host;" in NGINX


def test_the_settings_example_names_only_documented_settings_and_turns_https_on():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (DEPLOY / "ecotarget.env.example").read_text(encoding="utf-8")
    names = re.findall(r"^#?([A-Z][A-Z_]+)=", example, re.MULTILINE)
    assert names and [n for n in names if f"`{n}`" not in readme] == []
    assert re.search(r"^ECOTARGET_HTTPS=1$", example, re.MULTILINE)
    assert re.search(r"^ECOTARGET_PROXY_COUNT=1$", example, re.MULTILINE)


def test_the_guide_installs_every_file_in_deploy():
    for path in sorted(p for p in DEPLOY.rglob("*") if p.is_file()):
        relative = path.relative_to(DEPLOY).as_posix()
        assert relative in GUIDE or relative.startswith("systemd/"), relative
    assert "deploy/systemd/*" in GUIDE
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/deployment.md" in readme


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    stub = tmp_path / "ecotarget"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    for path in UNITS.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8").replace(ECOTARGET, str(stub)))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *[str(tmp_path / p.name) for p in sorted(UNITS.iterdir())]],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "info"},
    )
    ours = [line for line in (result.stdout + result.stderr).splitlines() if "ecotarget" in line]
    assert result.returncode == 0 and ours == [], result.stdout + result.stderr


def unit_bind() -> str:
    return shlex.split(unit("ecotarget.service")["Service"]["ExecStart"])[2]


def _nginx_test_config(tmp_path: Path) -> Path:
    """The guide's site in a main configuration of its own under tmp_path, with a throw-away certificate."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=ecotarget.test",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        capture_output=True,
        check=True,
    )  # fmt: skip
    site = NGINX.replace("/etc/ssl/ecotarget/fullchain.pem", str(tmp_path / "cert.pem")).replace(
        "/etc/ssl/ecotarget/privkey.pem", str(tmp_path / "key.pem")
    )
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    return main


@pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("openssl") is None, reason="nginx (or openssl) is not installed"
)
def test_the_nginx_config_passes_nginx_t(tmp_path):
    nginx_conf = _nginx_test_config(tmp_path)
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(nginx_conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


HOST = "ecotarget.example.gov.cn"


def _request(connection, method: str, path: str, body: str = "", **headers: str):
    """The response to one request, its body read into `response.text` (the connection is kept)."""
    connection.request(method, path, body=body or None, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.text = response.read().decode()
    return response


@pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("openssl") is None, reason="nginx (or openssl) is not installed"
)
def test_behind_the_guides_nginx_https_logins_work_http_is_redirected_and_a_too_large_upload_is_refused(tmp_path):
    from test_serving import Server, _ecotarget, _env

    env = _env(tmp_path / "var", ECOTARGET_HTTPS="1", ECOTARGET_PROXY_COUNT="1", ALLOWED_HOSTS=HOST)
    assert _ecotarget(env, "migrate", "--verbosity", "0").returncode == 0
    assert _ecotarget(env, "load-region").returncode == 0  # a set-up site: before it, every page leads to set-up
    created = _ecotarget(
        {**env, "DJANGO_SUPERUSER_PASSWORD": "a-long-password-2022"},
        *["createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.org"],
    )
    assert created.returncode == 0, created.stderr
    gunicorn, http_port, https_port = _free_port(), _free_port(), _free_port()
    nginx_conf = _nginx_test_config(tmp_path)
    site = (tmp_path / "site.conf").read_text()
    site = site.replace(f"server {unit_bind()};", f"server 127.0.0.1:{gunicorn};")
    site = re.sub(r"listen \[::\]:\d+[^;]*;\n", "", site)  # IPv6 may be off where the tests run
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    (tmp_path / "site.conf").write_text(site)

    server = Server(env, gunicorn)
    proxy = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(nginx_conf), "-e", str(tmp_path / "error.log"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(https_port)
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
        redirect = _request(plain, "GET", "/login/")
        assert redirect.status == 301 and redirect.getheader("Location") == f"https://{HOST}/login/"

        tls = http.client.HTTPSConnection("127.0.0.1", https_port, timeout=60, context=ssl._create_unverified_context())
        for _ in range(50):  # the second gunicorn worker may still be importing Django
            login = _request(tls, "GET", "/login/")
            if login.status != 502:
                break
            time.sleep(0.2)
        # Not redirected to https again: the application believes nginx's X-Forwarded-Proto.
        assert login.status == 200, login.status
        csrf_cookie = login.getheader("Set-Cookie")
        assert "Secure" in csrf_cookie and login.getheader("Strict-Transport-Security")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        form = {"csrfmiddlewaretoken": token, "username": "admin", "password": "a-long-password-2022"}
        answer = _request(
            tls,
            "POST",
            "/login/",
            urllib.parse.urlencode(form),
            **{
                "Cookie": csrf_cookie.split(";")[0],
                "Referer": f"https://{HOST}/login/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert answer.status == 302, "logged in over https (CSRF's origin check passed behind the proxy)"
        assert any("sessionid=" in c and "Secure" in c for c in answer.headers.get_all("Set-Cookie"))

        upload = http.client.HTTPSConnection(
            "127.0.0.1", https_port, timeout=60, context=ssl._create_unverified_context()
        )
        upload.putrequest("POST", "/login/", skip_host=True)
        upload.putheader("Host", HOST)
        upload.putheader("Content-Length", str(settings.ECOTARGET_MAX_REQUEST_BYTES + 1))
        upload.endheaders()
        assert upload.getresponse().status == 413, "nginx refuses it by its length, before reading it"
    finally:
        proxy.terminate()
        _, errors = proxy.communicate(timeout=30)
        log = server.stop()
    assert "[emerg]" not in errors, errors
    assert server.process.returncode == 0, log
