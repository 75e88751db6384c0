"""Retake the README's screenshots from a running demo (`make run`, or `ecotarget load-demo` then
`ECOTARGET_TODAY=2022-07-08 ecotarget serve`), in Debian's chromium through Playwright.

    ECOTARGET_DEMO_PASSWORD=… make run            # in one shell: the demo with a known password
    .venv/bin/python docs/screenshots.py http://127.0.0.1:8000 --password …

Each shot is (file, account, path, viewport width, what to wait for); the pages are the demo's as of 8 July 2022.
"""

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PHONE, DESKTOP = 390, 1366

SHOTS = [
    ("plan-overview.png", "coordinator", "/plans/1/", DESKTOP, "table"),
    ("responsibility-matrix.png", "coordinator", "/plans/1/matrix/", DESKTOP, "table"),
    ("dashboard.png", "leader", "/dashboard/plans/1/", DESKTOP, "[data-chart] svg"),
    ("dashboard-phone.png", "leader", "/dashboard/plans/1/", PHONE, "[data-chart] svg"),
    ("indicator-pm25.png", "coordinator", "/monitoring/indicators/{pm25}/", DESKTOP, "#indicator-chart svg"),
    ("task-measured-targets.png", "coordinator", "/plans/tasks/{task15}/", DESKTOP, "table"),
    ("reporter-phone.png", "guyong", "/progress/plans/1/unit/", PHONE, "article"),
    ("review-batch.png", "coordinator", "/progress/plans/1/review/", DESKTOP, "article"),
    ("leader-desk.png", "leader", "/progress/leader/", DESKTOP, "main"),
    ("assessment-ranking.png", "leader", "/assessment/schemes/1/ranking/", DESKTOP, "table.ranking"),
    ("assessment-sheet.png", "coordinator", "/assessment/sheets/9/", DESKTOP, "table.sheet"),
    ("assessment-item-edit.png", "coordinator", "/assessment/items/7/edit/", DESKTOP, "form.item-edit"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running demo, e.g. http://127.0.0.1:8000")
    parser.add_argument("--password", required=True, help="the demo accounts' password (ECOTARGET_DEMO_PASSWORD)")
    parser.add_argument("--pm25", default="1", help="the PM2.5 target's indicator page id")
    parser.add_argument("--task15", default="15", help="task 15's id")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is not installed (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 1
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        for name, account, path, width, ready in SHOTS:
            context = browser.new_context(viewport={"width": width, "height": 1500 if width > PHONE else 1200})
            page = context.new_page()
            page.goto(f"{args.base}/login/")
            page.fill("input[name=username]", account)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            page.goto(args.base + path.format(pm25=args.pm25, task15=args.task15))
            page.wait_for_selector(ready)
            page.wait_for_timeout(600)  # ECharts animates its first draw
            page.screenshot(path=str(HERE / name))
            print(HERE / name)
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
