"""`ecotarget backup`: one archive of the database and the evidence files (see core/backups.py)."""

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecotarget.core import backups


class Command(BaseCommand):
    help = "备份数据库与佐证材料 / back up the database and the evidence files into one archive"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            metavar="PATH",
            help="the archive (.tar.gz, or .tar uncompressed), or a directory to put a dated one in "
            "(default: var/backups/)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="then delete all but the newest N dated archives in that directory",
        )

    def handle(self, *args: Any, output: str | None, keep: int | None, **options: Any) -> None:
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1")
        path = backups.output_path(output, datetime.now(UTC))
        try:
            manifest = backups.backup_create(backups.Instance.configured(), path)
        except backups.BackupRefused as refusal:
            raise CommandError(str(refusal)) from None
        media = [entry for entry in manifest["files"] if entry["path"].startswith(f"{backups.MEDIA}/")]
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"已备份到 {path}（{path.stat().st_size / (1024 * 1024):.1f} MB）：{manifest['database']['vendor']} 数据库 "
            f"{len(tables)} 张表 {sum(tables.values())} 行，佐证材料 {len(media)} 个文件"
        )
        if keep is not None:
            for old in backups.backups_prune(path.parent, keep):
                self.stdout.write(f"已删除旧备份 {old}")
