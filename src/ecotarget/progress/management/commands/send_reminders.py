from django.core.management.base import BaseCommand

from ecotarget.progress.services.reminders import reminders_due


class Command(BaseCommand):
    help = "发送到期的填报提醒和逾期催办（可由 cron 每天运行；同一单位同一期只发一次，失败的下次重试）"

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders_due()
        failed = [r for r in sent if r.result == "failed"]
        for reminder in sent:
            self.stdout.write(
                f"{reminder.period.label} {reminder.unit.name} {reminder.get_channel_display()} "
                f"{reminder.get_trigger_display()}：{reminder.get_result_display()}"
            )
        self.stdout.write(f"共 {len(sent)} 条，失败 {len(failed)} 条")
        if failed:
            # A non-zero exit lets cron's mail tell someone that a reminder did not get through.
            raise SystemExit(1)
