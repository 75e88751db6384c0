from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecotarget.core.errors import Refusal
from ecotarget.monitoring.models import ImportBatch
from ecotarget.monitoring.services import measurements_import
from ecotarget.monitoring.stations import unknown_stations
from ecotarget.monitoring.uploads import as_file
from ecotarget.organisation.models import Region


class Command(BaseCommand):
    help = (
        "导入监测数据 (import an air or water data file, CSV or .xlsx). One transaction: with any bad row nothing is "
        "stored unless --accept-partial, which stores the valid rows and lists the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=[k.value for k in ImportBatch.Kind], required=True)
        parser.add_argument("--region", help="region code (default: the only region)")
        parser.add_argument("--accept-partial", action="store_true")

    def handle(self, *args, file: str, kind: str, region: str | None, accept_partial: bool, **options):
        regions = Region.objects.filter(code=region) if region else Region.objects.filter(units__isnull=False)
        target = regions.distinct().first()
        if target is None or (not region and regions.distinct().count() > 1):
            raise CommandError("请用 --region 指定行政区代码")
        try:
            with Path(file).open("rb") as data, as_file(data, Path(file).name) as path:
                outcome = measurements_import(
                    region=target, path=path, file_name=Path(file).name, kind=kind, accept_partial=accept_partial
                )
        except (OSError, Refusal) as exc:
            raise CommandError(str(exc)) from exc
        for issue in outcome.issues:
            self.stderr.write(str(issue))
        unknown = unknown_stations(outcome.issues)
        if unknown is not None:
            self.stderr.write(
                f"{unknown.words()}。先用 ecotarget load-stations 点位清单.csv（或监测点位页面）登记这些点位"
                + ("，或加 --accept-partial 只导入已登记点位的数据" if outcome.refused else "")
            )
        if outcome.refused:
            raise CommandError(f"{len(outcome.issues)} 处错误，未导入任何数据；修改文件或加 --accept-partial")
        self.stdout.write(f"已导入 {outcome.stored} 个监测值（{outcome.records} 条记录），{len(outcome.issues)} 处错误")
