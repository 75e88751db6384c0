"""`ecotarget load-demo`: the sample region, plan and accounts, then each app's own demo data (`load_demo_<app>`).

It lives above every app, not in `organisation`, because it imports the plan through `plans`."""

import os
import secrets
from datetime import datetime, time

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecotarget.core import clock
from ecotarget.organisation.models import Membership, Unit
from ecotarget.organisation.services import DATA_DIR, region_load
from ecotarget.plandoc import parse_file
from ecotarget.plans.services import plan_import
from ecotarget.samples import DEMO_TODAY, JIANGLE_2022_PLAN

# (username, full name, role, unit or None)
DEMO_ACCOUNTS = [
    ("coordinator", "林督查（县生态环境局）", Membership.Role.COORDINATOR, "生态环境局"),
    ("zhujian", "王填报（住建局）", Membership.Role.REPORTER, "住建局"),
    ("guyong", "陈填报（古镛镇）", Membership.Role.REPORTER, "古镛镇"),
    ("leader", "张县长", Membership.Role.LEADER, None),
]


class Command(BaseCommand):
    help = "载入演示数据 (load 将乐县, the sample 2022 plan and one demo account per role; prints the logins)"

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        with transaction.atomic():
            region = region_load(path=DATA_DIR / "350428-jiangle.json").region
            document = parse_file(JIANGLE_2022_PLAN)
            # The demo year's story starts when the plan was issued: import it on that day, so its history
            # comes before the reports and edits the demo makes later that year.
            issued_on = document.meta.issued_on
            if issued_on is None:
                raise CommandError(f"{JIANGLE_2022_PLAN.name} 中未找到成文日期，无法确定演示从哪一天开始")
            with clock.moment(datetime.combine(issued_on, time(9), tzinfo=clock.zone())):
                result = plan_import(document, region=region, source_name=JIANGLE_2022_PLAN.name)
            password = os.environ.get("ECOTARGET_DEMO_PASSWORD") or secrets.token_urlsafe(9)
            users = get_user_model()
            for username, full_name, role, unit_name in DEMO_ACCOUNTS:
                user, _ = users.objects.get_or_create(username=username)
                user.first_name = full_name
                user.set_password(password)
                user.save()
                unit = Unit.objects.get(region=region, name=unit_name) if unit_name else None
                Membership.objects.update_or_create(user=user, defaults={"region": region, "role": role, "unit": unit})
        summary = "已载入过（含此后的修改），保留现有数据" if result.conflict else result.summary()
        self.stdout.write(f"{region.name} · {result.plan.title}：{summary}")
        # Each app adds its own demo data through a `load_demo_<app>` command, run in name order and dated
        # on the demo's last day, unless it tells its own story day by day (progress does), so that nothing the
        # demo writes is dated after the day it is shown on.
        with clock.moment(datetime.combine(DEMO_TODAY, time(8), tzinfo=clock.zone())):
            for name in sorted(n for n in get_commands() if n.startswith("load_demo_")):
                call_command(name, stdout=self.stdout)
            # Last: the assessment scores the data the other apps' demos loaded.
            call_command("demo_assessment", stdout=self.stdout)
        self.stdout.write("\n演示账号 / demo accounts (密码每次载入时重新生成 / password regenerated on every load):")
        for username, full_name, role, _ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {password}   {Membership.Role(role).label} · {full_name}")
        self.stdout.write("\n打开 http://127.0.0.1:8000/ 登录。")
