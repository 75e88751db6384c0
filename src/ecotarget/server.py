"""`ecotarget serve`: collect the static files when they changed, then become gunicorn (see gunicorn_conf.py).

The process replaces itself with gunicorn's master, so a service manager's signals reach gunicorn directly:
TERM stops gracefully, HUP reloads the code with fresh workers and no request lost.
"""

import argparse
import hashlib
import os
import sys
from pathlib import Path

STAMP = ".sources"  # in STATIC_ROOT: the fingerprint of the sources it was collected from
# ECharts' dist/ holds 46 MB of builds and source maps; pages load echarts.min.js only, and hashing and compressing
# the rest would keep a first start waiting minutes. (The development server still finds any file.)
VENDOR_UNUSED = ["echarts.js", "echarts.*.map", "echarts.esm.*", "echarts.common.*", "echarts.simple.*", "extension"]


def static_ignored() -> list[str]:
    from django.contrib.staticfiles.apps import StaticFilesConfig

    return [*StaticFilesConfig.ignore_patterns, *VENDOR_UNUSED]


def static_fingerprint() -> str:
    """What collectstatic would read: every source file's name, size and modification time, and the storage."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(static_ignored()):
            stat = os.stat(storage.path(path))
            entries.append(f"{getattr(storage, 'prefix', None) or ''}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    digest.update("\n".join(sorted(entries)).encode())
    return digest.hexdigest()


def static_collect() -> bool:
    """Hash and compress the static files into STATIC_ROOT unless they are current; True when it collected.

    Compressing takes a while (brotli), so an unchanged installation restarts at once.
    """
    from django.conf import settings
    from django.core.management import call_command

    stamp = Path(settings.STATIC_ROOT) / STAMP
    fingerprint = static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=VENDOR_UNUSED)
    stamp.write_text(fingerprint)
    return True


def gunicorn_command(bind: str | None, workers: int | None) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--config", "python:ecotarget.gunicorn_conf"]
    if bind:
        command += ["--bind", bind]
    if workers:
        command += ["--workers", str(workers)]
    return [*command, "ecotarget.wsgi:application"]


def serve_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="ecotarget serve", description="启动网站（gunicorn）/ run the web server (gunicorn, several workers)"
    )
    parser.add_argument("addrport", nargs="?", metavar="ADDR:PORT", help="where to listen (default ECOTARGET_BIND)")
    parser.add_argument("--workers", type=int, help="worker processes (default ECOTARGET_WORKERS)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check")  # a misconfiguration stops here, before any worker starts
    if static_collect():
        print("静态文件已收集 / static files collected", file=sys.stderr)
    command = gunicorn_command(args.addrport, args.workers)
    sys.stdout.flush()
    os.execv(command[0], command)
    return 0  # not reached: execv replaces this process
