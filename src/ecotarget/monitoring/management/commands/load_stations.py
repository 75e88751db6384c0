from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecotarget.core.errors import Refusal
from ecotarget.monitoring.stations import StationFileRefused, stations_load_file
from ecotarget.organisation.models import Region


class Command(BaseCommand):
    help = (
        "载入监测点位与水质断面 / register or update monitoring stations and water sections from a CSV or .xlsx file. "
        "Columns (English or Chinese headings): code 点位编码, name 点位名称, region 所属区域 (code or name; or "
        "--region), kind 类别 (国控/省控/市控/县控), medium 介质 (空气/地表水), level 断面级别 (国控/省控/小流域, for "
        "water), river 河流 or lake 湖库, lat 纬度, lon 经度; optional basin 流域, water_kind 水体类型, drinking_scale "
        "水源地规模, 对照点 (Y/N), source 来源. Lines starting with # before the heading are notes. One transaction: "
        "any bad row and nothing is loaded, each bad row named. Running it again on the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--region", help="region code or name for rows that do not name one")

    def handle(self, *args, file: str, region: str | None, **options):
        default = None
        if region:
            default = Region.objects.filter(code=region).first() or Region.objects.filter(name=region).first()
            if default is None:
                raise CommandError(f"未知的行政区：{region}（先用 ecotarget load-region 载入）")
        try:
            outcome = stations_load_file(path=Path(file), region=default)
        except StationFileRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from exc
        except (OSError, Refusal) as exc:
            raise CommandError(str(exc)) from exc
        for column in outcome.ignored_columns:
            self.stderr.write(f"{outcome.file}: 未识别的列“{column}”，已忽略 / unknown column ignored")
        for station in outcome.still_retired:
            self.stderr.write(f"{station.code} {station.name}：已停用，保持停用（在监测点位页面恢复）")
        self.stdout.write(
            f"{outcome.file}：新增 {len(outcome.created)} 个点位，更新 {len(outcome.updated)} 个，"
            f"{outcome.unchanged} 个未变"
        )
