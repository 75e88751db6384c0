import getpass
import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ecotarget.core.errors import Refusal
from ecotarget.organisation.services import region_init
from ecotarget.organisation.workbooks import region_workbook


class Command(BaseCommand):
    help = (
        "初始化本县：建库、载入行政区文件（.xlsx 模板或 JSON）、建立第一位管理员 / set up a new installation: "
        "migrate, load the region file, create the first coordinator (password asked, or generated and printed once)"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="region file: the .xlsx template filled in, or JSON")
        parser.add_argument("--username", help="the coordinator's login name")
        parser.add_argument("--name", dest="full_name", help="the coordinator's full name, e.g. 林督查")
        parser.add_argument("--unit", default="", help="the coordinator's unit (optional), e.g. 生态环境局")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="generate the password and print it once (the default when no terminal is attached); "
            "it must be changed at first login",
        )
        parser.add_argument("--template", metavar="PATH", help="only write the blank region template (.xlsx) to PATH")

    def handle(self, *args, file, username, full_name, unit, generate_password, template, **options):
        if template:
            Path(template).write_bytes(region_workbook())
            self.stdout.write(f"行政区文件模板已写入 / region template written to {template}")
            return
        if not file or not username or not full_name:
            raise CommandError(
                "用法 / usage: ecotarget init REGION_FILE --username NAME --name 姓名 [--unit 单位] "
                "[--generate-password]   (ecotarget init --template 行政区.xlsx writes the template to fill in)"
            )
        call_command("migrate", interactive=False, verbosity=0)
        password = None
        if not generate_password and sys.stdin.isatty():
            password = getpass.getpass("管理员密码 / password: ")
            if password != getpass.getpass("再次输入 / again: "):
                raise CommandError("两次输入的密码不一致 / the passwords differ")
        try:
            result = region_init(
                path=Path(file), username=username, full_name=full_name, password=password, unit_name=unit
            )
        except Refusal as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.region.name}：已建立 {result.units} 个单位，管理员 {full_name}（{username}）")
        if result.password:
            self.stdout.write(
                f"初始密码（只显示这一次，首次登录须修改）/ initial password (shown once): {result.password}"
            )
        self.stdout.write("下一步 / next: ecotarget serve，登录后在“账号管理”中添加各单位人员，再导入分解方案")
