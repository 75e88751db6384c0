import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ecotarget.core.errors import Refusal
from ecotarget.organisation.models import Region
from ecotarget.plandoc import PlanParseError, parse_bytes
from ecotarget.plans.services import plan_import


class Command(BaseCommand):
    help = (
        "导入分解方案 (import a plan document: .txt, .docx or .html). One transaction; importing the same "
        "document again changes nothing; a changed document needs --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="plan document (.txt, .docx, .html)")
        parser.add_argument("--region", help="region code, e.g. 350428 (default: the region named in the title)")
        parser.add_argument("--dry-run", action="store_true", help="read and check everything, store nothing")
        parser.add_argument("--replace", action="store_true", help="replace a previously imported version")
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, file: str, region: str | None, dry_run: bool, replace: bool, user: str | None, **opts):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        region_obj = None
        if region:
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise CommandError(f"未找到行政区代码 {region}：请先运行 ecotarget load-region")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"未找到用户 {user}")
        try:
            document = parse_bytes(data, source=str(path))
            result = plan_import(
                document,
                user=actor,
                region=region_obj,
                source_name=path.name,
                source_sha256=hashlib.sha256(data).hexdigest(),
                replace=replace,
                dry_run=dry_run,
            )
        except (PlanParseError, Refusal) as exc:
            raise CommandError(str(exc)) from exc
        prefix = "[试运行，未保存] " if dry_run else ""
        self.stdout.write(f"{prefix}{document.meta.title}：{result.summary()}")
        for number, changes in sorted(result.tasks_changed.items()):
            self.stdout.write(f"  任务 {number}：{'、'.join(changes)}")
        if result.measured:
            self.stdout.write(f"由监测数据计算的指标 {len(result.measured)} 项（责任单位不必填报）：")
            for binding in result.measured:
                scope = binding.scope_label
                self.stdout.write(
                    f"  任务 {binding.target.task.number}：{binding.target.describe()} ← "
                    f"{binding.get_indicator_display()}（{scope}）"
                )
        if result.conflict:
            raise CommandError("文件与已导入的方案不同；确认后加 --replace 替换")
