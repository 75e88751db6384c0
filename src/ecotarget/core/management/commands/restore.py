"""`ecotarget restore ARCHIVE`: restore a backup into an empty instance, verified (see core/backups.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from ecotarget.core import backups


class Command(BaseCommand):
    help = "从备份恢复到空实例 / restore a backup archive into an empty instance (checked before and after)"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="ARCHIVE", help="a file written by `ecotarget backup`")
        parser.add_argument(
            "--check", action="store_true", help="only check the archive against its manifest; write nothing"
        )

    def handle(self, *args: Any, archive: str, check: bool, **options: Any) -> None:
        path = Path(archive)
        try:
            if check:
                manifest = backups.archive_verify(path)
                self.stdout.write(
                    f"{path}：{len(manifest['files'])} 个文件与清单一致（{manifest['created_at']}，"
                    f"ecotarget {manifest['app_version']}，{manifest['database']['vendor']}）"
                )
                return
            # This process must not hold the database open while it is replaced.
            connections.close_all()
            summary = backups.restore(backups.Instance.configured(), path)
        except backups.BackupRefused as refusal:
            raise CommandError(str(refusal)) from None
        for line in summary.lines():
            self.stdout.write(line)
