"""The `ecotarget` command: one entry point for everything a person does from a shell.

`parse` reads a plan document without Django or a database; `serve` becomes gunicorn (server.py); every
other command is a Django management command, reachable by its friendly hyphenated name.
"""

import os
import sys

# friendly name -> (management command, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("", "读取方案文件并打印任务 / read a plan document and print its tasks (--json)"),
    "aqi": ("", "按 HJ 633 计算 AQI / AQI of hourly or daily air data (--kind, --standard 2012|2026)"),
    "water": ("", "按 GB 3838 评价水质类别 / water class of samples (--kind river|lake)"),
    "air-year": ("", "按 HJ 663 年度评价 / annual air evaluation of a county from hourly data"),
    "import-plan": ("import_plan", "导入分解方案 / import a plan document into the database"),
    "init": ("init", "初始化本县：行政区文件与第一位管理员 / set up a county: region file, first coordinator"),
    "load-region": ("load_region", "载入行政区划与责任单位 / load a region's townships and departments"),
    "load-demo": ("load_demo", "载入演示数据与账号 / load the sample plan, region and demo accounts"),
    "send-reminders": ("send_reminders", "发送到期提醒与逾期催办 / send due reminders now (the worker does daily)"),
    "import-data": ("import_data", "导入监测数据 / import air or water monitoring data (CSV or .xlsx)"),
    "load-stations": ("load_stations", "载入监测点位与水质断面 / register stations and water sections (CSV or .xlsx)"),
    "serve": ("", "启动网站 / run the web server (gunicorn; ECOTARGET_BIND, ECOTARGET_WORKERS)"),
    "worker": ("worker", "运行后台任务与每日计划任务 / run background jobs and the daily schedule (reminders)"),
    "run": ("", "启动网站和后台任务，任一退出即重启 / run server and worker, restarting either if it stops"),
    "dev": ("runserver", "开发服务器 / Django's development server, DEBUG on (never for users)"),
    "migrate": ("migrate", "建立或升级数据库 / create or upgrade the database"),
    "backup": ("backup", "备份数据库与佐证材料 / back up the database and evidence files into one archive"),
    "restore": ("restore", "从备份恢复到空实例 / restore a backup into an empty instance, verified"),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "用法 / usage: ecotarget COMMAND [options]",
        "",
        "生态环境保护目标责任管理系统 — ecological-environment target-responsibility management",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {help_text}" for name, (_, help_text) in COMMANDS.items()]
    lines += ["", "`ecotarget COMMAND --help` explains one command; any other Django command also works."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage())
        return 0
    name, rest = argv[0], argv[1:]
    # These read files and print results without Django or a database.
    if name == "parse":
        from ecotarget.plandoc.cli import main as parse_main

        return parse_main(rest)
    if name in {"aqi", "water", "air-year"}:
        from ecotarget.standards import cli as standards_cli

        return {
            "aqi": standards_cli.aqi_main,
            "water": standards_cli.water_main,
            "air-year": standards_cli.air_year_main,
        }[name](rest)

    if name == "serve":
        from ecotarget.server import serve_main

        return serve_main(rest)
    if name == "run":
        from ecotarget.supervisor import run_main

        return run_main(rest)
    if name == "dev":
        os.environ.setdefault("DEBUG", "1")  # the development server is for development: tracebacks on

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
    from django.core.management import execute_from_command_line

    command = COMMANDS.get(name, (name.replace("-", "_"), ""))[0]
    execute_from_command_line(["ecotarget", command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
