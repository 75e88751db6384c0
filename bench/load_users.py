"""The people of `bench/load.py` (a locustfile): reporters, the coordinator, leaders and people logging in, each
using the site through its pages and forms as a browser does (CSRF token and all, htmx requests where the page
sends one). Run by `bench/load.py`, which says how many of each and with which accounts (environment):

    LOAD_PLAN          the plan's id                  LOAD_PASSWORD    the accounts' password
    LOAD_REPORTERS     reporter accounts, comma-separated (each simulated reporter takes the next one)
    LOAD_COUNTS        reporter,coordinator,leader,dashboard,login_page,login  (how many users of each)

Requests are named by page, so the figures read per page. A review or a save that meets someone else's newer
version (409, the site's optimistic locking) is the site answering correctly and counts as a success.
"""

import itertools
import os
import random
import re
from html.parser import HTMLParser

from locust import FastHttpUser, between, constant, task

PLAN = os.environ.get("LOAD_PLAN", "1")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
REPORTERS = [name for name in os.environ.get("LOAD_REPORTERS", "zhujian,guyong").split(",") if name]
COUNTS = dict(
    zip(
        ["reporter", "coordinator", "leader", "dashboard", "login_page", "login"],
        (int(n) for n in os.environ.get("LOAD_COUNTS", "32,3,2,5,5,3").split(",")),
        strict=True,
    )
)
_next_reporter = itertools.cycle(REPORTERS)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Forms(HTMLParser):
    """The forms of a page: action and the fields a browser would send (checked radios, typed text, selected
    options), without the buttons (the caller picks the one pressed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("radio", "checkbox") and "checked" not in a:
                return
            fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and ("selected" in a or self._select not in fields):
            fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str, action: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [f for f in parser.forms if re.search(action, f["action"])]


class Member(FastHttpUser):
    abstract = True
    network_timeout = 60.0
    connection_timeout = 60.0
    username = ""

    def log_in(self) -> None:
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1] if token else ""},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.username} answered {response.status_code}")

    def post_form(self, url: str, fields: dict, name: str, htmx: bool = True) -> None:
        headers = {"HX-Request": "true", "HX-Current-URL": self.host + url} if htmx else {}
        with self.client.post(url, data=fields, headers=headers, name=name, catch_response=True) as response:
            if response.status_code == 409:
                response.success()  # someone saved first: the site says so and shows the newer version
            elif response.status_code >= 400:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")


class Reporter(Member):
    """A unit's reporter: opens the unit's page, types progress into a task's card, saves drafts and submits."""

    fixed_count = COUNTS["reporter"]
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.username = next(_next_reporter)
        self.log_in()
        self.cards: list[dict] = []
        self.open_page()

    @task(5)
    def open_page(self) -> None:
        page = self.client.get(f"/progress/plans/{PLAN}/unit/", name="unit page")
        self.cards = forms_of(page.text or "", r"/report/$")

    def _send(self, action: str, name: str) -> None:
        if not self.cards:
            return
        form = self.cards.pop(random.randrange(len(self.cards)))
        fields = dict(form["fields"])
        for key in fields:
            if key.endswith("-work_done"):
                fields[key] = f"{fields[key][:200]}按计划推进（{random.randint(1, 999)}）"
            elif key.endswith("-percent"):
                fields[key] = str(min(100, int(fields[key] or 0) + random.randint(0, 5)))
        fields["action"] = action
        self.post_form(form["action"], fields, name)

    @task(3)
    def save_draft(self) -> None:
        self._send("save", "save draft")

    @task(1)
    def submit(self) -> None:
        self._send("submit", "submit")


class Coordinator(Member):
    """The county's coordinator: the reports waiting for review, accepted or returned one by one; the status
    overview and the ledger."""

    fixed_count = COUNTS["coordinator"]
    wait_time = between(1, 4)
    username = "coordinator"

    def on_start(self) -> None:
        self.log_in()

    @task(4)
    def review(self) -> None:
        page = self.client.get(f"/progress/plans/{PLAN}/review/?state=submitted", name="review")
        waiting = forms_of(page.text or "", r"/progress/reports/\d+/review/$")
        if not waiting:
            return
        form = random.choice(waiting)
        fields = dict(form["fields"])
        if random.random() < 0.7:
            fields["decision"] = "accept"
        else:
            fields |= {"decision": "return", "comment": "请补充佐证材料"}
        self.post_form(form["action"], fields, "review decision")

    @task(2)
    def overview(self) -> None:
        self.client.get(f"/progress/plans/{PLAN}/", name="status overview")

    @task(1)
    def ledger(self) -> None:
        self.client.get("/reports/ledger/", name="ledger")


class Leader(Member):
    """A leader reading: the tasks behind, the measured targets, the desk of watched tasks and instructions."""

    fixed_count = COUNTS["leader"]
    wait_time = between(2, 6)
    username = "leader"

    def on_start(self) -> None:
        self.log_in()

    @task
    def behind(self) -> None:
        self.client.get(f"/dashboard/plans/{PLAN}/tasks/?status=behind", name="dashboard task list")

    @task
    def monitoring(self) -> None:
        self.client.get(f"/monitoring/plans/{PLAN}/", name="monitoring")

    @task
    def desk(self) -> None:
        self.client.get("/progress/leader/", name="leader desk")


class DashboardReader(Member):
    """Leaders on the dashboard, one request after another: with `LoginPageVisitor` (as many, as eager) it
    measures the dashboard's throughput against the login page's in the same run."""

    fixed_count = COUNTS["dashboard"]
    wait_time = constant(0)
    username = "leader"

    def on_start(self) -> None:
        self.log_in()

    @task
    def dashboard(self) -> None:
        self.client.get(f"/dashboard/plans/{PLAN}/", name="dashboard")


class LoginPageVisitor(FastHttpUser):
    """Someone not logged in opening the login page, one request after another (the reference for the
    dashboard's throughput)."""

    fixed_count = COUNTS["login_page"]
    wait_time = constant(0)

    @task
    def login_page(self) -> None:
        self.client.get("/login/", name="login page (visitor)")


class Login(Member):
    """Someone logging in (the password checked: the costly part of a login), landing on their page, and out."""

    fixed_count = COUNTS["login"]
    wait_time = between(2, 6)

    @task
    def log_in_and_out(self) -> None:
        self.username = random.choice(["leader", "coordinator", *REPORTERS])
        self.log_in()
        page = self.client.get("/", name="home (after login)")  # their landing page, with the header's logout form
        token = CSRF.search(page.text or "")
        self.client.post(
            "/logout/", data={"csrfmiddlewaretoken": token[1] if token else ""}, name="logout", allow_redirects=False
        )
