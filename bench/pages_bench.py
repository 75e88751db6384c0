"""Time the plan pages at 64 and at 640 tasks (the sample plan, and the same plan ten times over).

Run: .venv/bin/python bench/pages_bench.py   (uses a throw-away SQLite database in a temp directory,
or the database named by DATABASE_URL). Prints the median time of each page and the ratio 640/64.
"""

import os
import sys
import tempfile

os.environ.setdefault("ECOTARGET_VAR_DIR", tempfile.mkdtemp(prefix="ecotarget-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecotarget.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from ecotarget.organisation.models import Membership  # noqa: E402
from ecotarget.organisation.services import DATA_DIR, region_load  # noqa: E402
from ecotarget.plandoc import parse_text  # noqa: E402
from ecotarget.plans.services import plan_import  # noqa: E402
from ecotarget.samples import JIANGLE_2022_PLAN, scaled_plan_text  # noqa: E402
from page_timing import median_ms  # noqa: E402


def main() -> int:
    call_command("migrate", verbosity=0)
    region = region_load(path=DATA_DIR / "350428-jiangle.json").region
    text = JIANGLE_2022_PLAN.read_text(encoding="utf-8")
    small = plan_import(parse_text(text), region=region).plan
    big = plan_import(parse_text(scaled_plan_text(text, 10).replace("2022年度", "2023年度")), region=region).plan
    user, _ = User.objects.get_or_create(username="bench")
    Membership.objects.update_or_create(user=user, defaults={"region": region, "role": "coordinator"})
    client = Client()
    client.force_login(user)
    reset_queries()

    print(f"{'page':<14}{'64 tasks':>12}{'640 tasks':>12}{'ratio':>8}{'queries':>10}")
    for name in ("overview", "matrix", "export"):
        small_ms, small_q = median_ms(client, reverse(f"plans:{name}", args=[small.pk]))
        big_ms, big_q = median_ms(client, reverse(f"plans:{name}", args=[big.pk]))
        print(f"{name:<14}{small_ms:>10.1f}ms{big_ms:>10.1f}ms{big_ms / small_ms:>8.1f}{small_q:>5} / {big_q}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
