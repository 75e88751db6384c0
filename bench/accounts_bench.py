"""A county's 通讯录 of 300 people, from the .xlsx to the accounts: reading it, the preview's checks and the import
(one transaction, each initial password hashed), with the real password hashers. Also the cost of one initial
password under Django's default hasher, which the import would otherwise pay per person.

Run: PYTHONPATH=src .venv/bin/python bench/accounts_bench.py [--people N]   (a throw-away SQLite database)
"""

import argparse
import os
import tempfile
import time

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402

from ecotarget.organisation.models import Unit  # noqa: E402
from ecotarget.organisation.services import DATA_DIR, accounts_import, directory_check, region_init  # noqa: E402
from ecotarget.organisation.workbooks import directory_workbook, read_directory  # noqa: E402


def timed(what: str, call):
    start = time.perf_counter()
    result = call()
    print(f"{what:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    count = parser.parse_args().people
    call_command("migrate", verbosity=0)
    init = region_init(path=DATA_DIR / "350428-jiangle.json", username="lin", full_name="林督查")
    units = list(Unit.objects.filter(region=init.region).exclude(kind=Unit.Kind.GROUP))
    rows = []
    for i in range(count):
        unit = units[i % len(units)]
        duty = ["联系人", "责任人"][i // len(units)] if i < 2 * len(units) else "填报员"
        rows.append([unit.name, f"人员{i}", duty, f"139{i:08d}", "", f"user{i}"])
    data = directory_workbook(rows)
    print(f"通讯录: {count} people, {len(data) / 1024:.0f} KB .xlsx")
    parsed = timed("read the .xlsx", lambda: read_directory(data, "通讯录.xlsx"))
    planned = timed("check every row (the preview)", lambda: directory_check(region=init.region, rows=parsed))
    assert not any(p.issues for p in planned)
    result = timed(
        "import (accounts, posts, tenures, action log)",
        lambda: accounts_import(region=init.region, by=init.user, rows=parsed, file_name="通讯录.xlsx"),
    )
    assert len(result.created) == count
    start = time.perf_counter()
    make_password("abcd-efgh-jkmn")
    default = time.perf_counter() - start
    print(f"{'one password, Django default hasher':<44} {default:7.2f} s  (x {count} = {default * count:.0f} s)")


if __name__ == "__main__":
    main()
