from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecotarget.core.errors import Refusal
from ecotarget.organisation.services import DATA_DIR, region_load


class Command(BaseCommand):
    help = "载入行政区划与责任单位 (load a region, its townships and departments: .xlsx or JSON; idempotent)"

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DATA_DIR / "350428-jiangle.json"),
            help="region file: the .xlsx template filled in, or JSON",
        )

    def handle(self, *args, file: str, **options):
        try:
            result = region_load(path=Path(file))
        except Refusal as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.region.name}: {result.created} 个单位新建, {result.updated} 个单位更新")
