"""Every progress page and action checks the role: each write is tried as each persona; the wrong ones get 403/404.

Another region's objects do not exist for a user (404); a role that may not act gets 403; a reporter of another
unit cannot reach a unit's report, evidence or people (404).
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecotarget.organisation.models import Post
from ecotarget.organisation.services import posts_of
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import ChangeRequest, Evidence, ProgressReport, Receipt
from ecotarget.progress.services.changes import change_request_create
from ecotarget.progress.services.oversight import instruction_give
from ecotarget.progress.services.reporting import ReportData, report_save

from .helpers import PNG, period, task, unit

ALLOWED = {200, 302}
REFUSED = {403, 404}


@pytest.fixture
def world(published, personas, clock):
    """A submitted 住建局 report with a picture, a pending change request, and receipts."""
    clock(date(2022, 5, 10))
    report = report_save(
        period=period(published, 5),
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        data=ReportData(progress="in_progress", percent=30, work_done="推进中"),
        version=0,
        submit=True,
        files=[("现场.png", PNG)],
    )
    request = change_request_create(
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        kind="wording",
        proposal="新表述",
        reason="理由",
    )
    return {"plan": published, "report": report, "evidence": Evidence.objects.get(), "request": request}


def _writes(w):
    """Each write: (name, url, POST data, who may). Any coordinator enters holidays: its own region's (see below)."""
    plan, report = w["plan"], w["report"]
    zhujian_receipt = Receipt.objects.get(plan=plan, unit__name="住建局")
    return {
        "setup": (
            reverse("progress:setup", args=[plan.pk]),
            {
                "frequency": "monthly",
                "due_day": 25,
                "starts_on": "2022-01-01",
                "lagging_threshold": 10,
                "serious_threshold": 25,
                "reminder_lead_days": 3,
            },
            {"coordinator"},
        ),
        "publish": (reverse("progress:publish", args=[plan.pk]), {}, {"coordinator"}),
        "sign": (reverse("progress:receipt_sign", args=[zhujian_receipt.pk]), {}, {"zhujian"}),
        "report": (
            reverse("progress:report_edit", args=[plan.pk, 5, task(plan, 43).pk]),
            {
                f"t{task(plan, 43).pk}-version": 0,
                f"t{task(plan, 43).pk}-progress": "in_progress",
                f"t{task(plan, 43).pk}-percent": 10,
                f"t{task(plan, 43).pk}-work_done": "x",
                "action": "save",
            },
            {"zhujian"},
        ),
        "withdraw": (reverse("progress:withdraw", args=[report.pk]), {"version": report.version}, {"zhujian"}),
        "review": (
            reverse("progress:report_review", args=[report.pk]),
            {"version": report.version, "decision": "return", "comment": "请补充"},
            {"coordinator"},
        ),
        "remove evidence": (reverse("progress:evidence_remove", args=[w["evidence"].pk]), {}, {"zhujian"}),
        "remind": (
            reverse("progress:reminders", args=[plan.pk]),
            {"unit": unit("住建局").pk, "period": 5},
            {"coordinator"},
        ),
        "watch": (reverse("progress:watch", args=[task(plan, 12).pk]), {"watch": "1"}, {"leader"}),
        "instruct": (reverse("progress:instruct", args=[task(plan, 12).pk]), {"text": "抓紧"}, {"leader"}),
        "request change": (
            reverse("progress:change_request", args=[task(plan, 12).pk]),
            {"kind": "deadline", "new_due_on": "2022-11-30", "reason": "延期"},
            {"zhujian"},
        ),
        "decide change": (
            reverse("progress:decide", args=[w["request"].pk]),
            {"decision": "refuse", "note": "不同意"},
            {"coordinator"},
        ),
        "hand over": (
            reverse("organisation:people", args=[unit("住建局").pk]),
            {"post": "contact", "name": "赵", "on": "2022-05-20"},
            {"coordinator"},
        ),
        "group robot": (
            reverse("progress:channel", args=[unit("住建局").pk]),
            {"webhook_kind": "dingtalk", "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=x"},
            {"coordinator"},
        ),
        "holidays": (
            reverse("progress:holidays", args=[2031]),
            {"holidays": "2031-10-01~2031-10-07 国庆"},
            {"coordinator", "outsider"},
        ),
    }


WRITES = [
    "setup", "publish", "sign", "report", "withdraw", "review", "remove evidence", "remind", "watch", "instruct",
    "request change", "decide change", "hand over", "group robot", "holidays",
]  # fmt: skip


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "guyong", "leader", "outsider", "nobody"])
def test_each_write_is_allowed_only_to_its_role(world, personas, client_for, write, persona):
    url, data, allowed = _writes(world)[write]
    response = client_for(getattr(personas, persona)).post(url, data)
    if persona in allowed:
        assert response.status_code in ALLOWED, response.content[:300]
    else:
        assert response.status_code in REFUSED, (write, persona, response.status_code)


def test_anonymous_users_are_sent_to_the_login_page(world, client):
    for url in [
        reverse("progress:dashboard", args=[world["plan"].pk]),
        reverse("progress:evidence", args=[world["evidence"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


READS = {
    "dashboard": lambda w: reverse("progress:dashboard", args=[w["plan"].pk]),
    "unit page": lambda w: reverse("progress:unit", args=[w["plan"].pk, unit("住建局").pk]),
    "task": lambda w: reverse("progress:task", args=[task(w["plan"], 12).pk]),
    "evidence": lambda w: reverse("progress:evidence", args=[w["evidence"].pk]),
    "people": lambda w: reverse("organisation:people", args=[unit("住建局").pk]),
    "group robot": lambda w: reverse("progress:channel", args=[unit("住建局").pk]),
    "review": lambda w: reverse("progress:review", args=[w["plan"].pk]),
    "receipts": lambda w: reverse("progress:receipts", args=[w["plan"].pk]),
}
# Who may read what (a reporter's dashboard redirects it to its own unit's page).
READERS = {
    "dashboard": {"coordinator", "leader", "zhujian", "guyong"},
    "unit page": {"coordinator", "leader", "zhujian"},
    "task": {"coordinator", "leader", "zhujian"},
    "evidence": {"coordinator", "leader", "zhujian"},
    "people": {"coordinator", "leader", "zhujian"},
    "group robot": {"coordinator"},
    "review": {"coordinator"},
    "receipts": {"coordinator", "leader"},
}


@pytest.mark.parametrize("page", READS)
@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "guyong", "leader", "outsider", "nobody"])
def test_each_page_is_readable_only_by_those_who_may_see_it(world, personas, client_for, page, persona):
    response = client_for(getattr(personas, persona)).get(READS[page](world))
    if persona in READERS[page]:
        assert response.status_code in ALLOWED
    else:
        assert response.status_code in REFUSED, (page, persona, response.status_code)


def test_evidence_downloads_as_an_attachment_with_its_real_type(world, personas, client_for):
    response = client_for(personas.leader).get(reverse("progress:evidence", args=[world["evidence"].pk]))
    assert response["Content-Type"] == "image/png"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "%E7%8E%B0%E5%9C%BA.png" in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == PNG


def test_a_leader_writes_only_on_tasks_of_its_own_region(world, personas, other_county):
    with pytest.raises(ProgressError):
        instruction_give(task=task(world["plan"], 12), user=personas.outsider, text="x")


def test_an_upload_that_is_not_an_accepted_file_is_refused_with_a_clear_message(world, personas, client_for):
    plan, number = world["plan"], task(world["plan"], 43).pk
    response = client_for(personas.zhujian).post(
        reverse("progress:report_edit", args=[plan.pk, 5, number]),
        {
            f"t{number}-version": 0,
            f"t{number}-progress": "in_progress",
            f"t{number}-percent": 10,
            f"t{number}-work_done": "x",
            f"t{number}-evidence": SimpleUploadedFile("报告.pdf", b"<script>alert(1)</script>"),
            "action": "save",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only 2xx: the card comes back with the error in it
    assert "不是可接受的文件类型" in response.content.decode()
    assert not ProgressReport.objects.filter(task__number=43).exists()


def test_the_second_save_of_the_same_report_is_refused_on_the_page_with_a_clear_message(world, personas, client_for):
    plan, pk = world["plan"], task(world["plan"], 43).pk
    client = client_for(personas.zhujian)
    url = reverse("progress:report_edit", args=[plan.pk, 5, pk])
    form = {
        f"t{pk}-version": 0,
        f"t{pk}-progress": "in_progress",
        f"t{pk}-percent": 10,
        f"t{pk}-work_done": "甲",
        "action": "save",
    }
    assert client.post(url, form, HTTP_HX_REQUEST="true").status_code == 200
    form[f"t{pk}-work_done"] = "乙"
    response = client.post(url, form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # shown in place: htmx swaps only 2xx
    assert "您的修改未保存" in response.content.decode()
    assert ProgressReport.objects.get(task__number=43).work_done == "甲"


def test_a_successor_without_an_account_elsewhere_gets_the_unit(world, personas, client_for):
    from django.contrib.auth.models import User

    User.objects.create_user("zhao", password="pw-zhao")
    response = client_for(personas.coordinator).post(
        reverse("organisation:people", args=[unit("住建局").pk]),
        {"post": "contact", "name": "赵接任", "username": "zhao", "on": "2022-05-20"},
    )
    assert response.status_code == 302
    contact = next(p for p in posts_of(unit("住建局")) if p.kind == Post.Kind.CONTACT)
    assert contact.tenures.get().user.username == "zhao"
    assert ChangeRequest.objects.count() == 1


# --- redirects: a `next` leads only to this site (issue 10) ---
OUTSIDE = ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OUTSIDE)
def test_deciding_a_change_request_never_redirects_off_the_site(world, personas, client_for, target):
    response = client_for(personas.coordinator).post(
        reverse("progress:decide", args=[world["request"].pk]), {"decision": "refuse", "note": "否", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:change_requests", args=[world["plan"].pk])


@pytest.mark.parametrize("target", OUTSIDE)
def test_switching_plans_never_redirects_off_the_site(world, personas, client_for, target):
    response = client_for(personas.coordinator).post(
        reverse("dashboard:switch"), {"plan": world["plan"].pk, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_next_on_this_site_is_followed(world, personas, client_for):
    page = reverse("progress:task", args=[task(world["plan"], 12).pk])
    response = client_for(personas.coordinator).post(
        reverse("progress:decide", args=[world["request"].pk]), {"decision": "refuse", "note": "否", "next": page}
    )
    assert response["Location"] == page


# --- regions: a holiday arrangement dates only its own region's plans (issue 10) ---


def test_a_coordinator_of_another_region_enters_holidays_for_its_own_region_only(plan, personas, client_for):
    from ecotarget.progress.models import HolidayYear, Period
    from ecotarget.progress.services.handout import SetupData, plan_setup_save

    plan.year = 2031
    plan.save()
    plan_setup_save(plan=plan, user=personas.coordinator, data=SetupData())
    october = Period.objects.get(plan=plan, number=10)
    assert october.due_on == date(2031, 10, 27)  # 25th is a Saturday: assumed Monday
    url = reverse("progress:holidays", args=[2031])
    response = client_for(personas.outsider).post(
        url, {"notice": "外县录入", "holidays": "2031-10-27 调休", "workdays": "2031-10-26"}
    )
    assert response.status_code == 302
    october.refresh_from_db()
    assert october.due_on == date(2031, 10, 27)  # not moved by another county's entry
    assert HolidayYear.objects.get(year=2031).region == personas.outsider.membership.region
    assert "外县录入" not in client_for(personas.coordinator).get(url).content.decode()
    # The same entry made here moves this region's date.
    client_for(personas.coordinator).post(url, {"notice": "", "holidays": "2031-10-27 调休", "workdays": "2031-10-26"})
    october.refresh_from_db()
    assert october.due_on == date(2031, 10, 26)


# --- drafts: a unit's report is its own until it submits it (issue 10) ---
DRAFT_WORDS = "古镛镇尚未报送的草稿"


@pytest.fixture
def draft(published, personas, clock):
    """古镛镇's unsubmitted part of task 17 (住建局 leads it), with a file."""
    clock(date(2022, 5, 10))
    return report_save(
        period=period(published, 5),
        task=task(published, 17),
        unit=unit("古镛镇"),
        user=personas.guyong,
        data=ReportData(progress="in_progress", percent=20, work_done=DRAFT_WORDS),
        version=0,
        submit=False,
        files=[("草稿.png", PNG)],
    )


DRAFT_PAGES = {
    "task": lambda d: reverse("progress:task", args=[d.task_id]),
    "task detail": lambda d: reverse("plans:task", args=[d.task_id]),
    "unit page": lambda d: reverse("progress:unit", args=[d.period.plan_id, d.unit_id]),
    "plan history": lambda d: reverse("plans:history", args=[d.period.plan_id]),
    "review list": lambda d: reverse("progress:review", args=[d.period.plan_id]) + "?state=draft",
}


@pytest.mark.parametrize("page", DRAFT_PAGES)
@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "guyong", "leader"])
def test_a_draft_is_seen_by_its_own_unit_only(draft, personas, client_for, page, persona):
    response = client_for(getattr(personas, persona)).get(DRAFT_PAGES[page](draft))
    if response.status_code in REFUSED:
        return  # the page itself is not this member's
    shown = DRAFT_WORDS in response.content.decode() or "草稿.png" in response.content.decode()
    assert shown == (persona == "guyong" and page != "review list"), (page, persona)


@pytest.mark.parametrize("persona", ["coordinator", "zhujian", "guyong", "leader"])
def test_a_drafts_file_downloads_for_its_own_unit_only(draft, personas, client_for, persona):
    response = client_for(getattr(personas, persona)).get(reverse("progress:evidence", args=[draft.evidence.get().pk]))
    assert response.status_code == (200 if persona == "guyong" else 404)


def test_once_submitted_the_report_is_seen_by_the_task_and_the_coordinator(draft, personas, client_for):
    report_save(
        period=draft.period,
        task=draft.task,
        unit=draft.unit,
        user=personas.guyong,
        data=ReportData(progress="in_progress", percent=20, work_done=DRAFT_WORDS),
        version=draft.version,
        submit=True,
    )
    for persona in ("coordinator", "zhujian", "leader"):
        page = client_for(getattr(personas, persona)).get(reverse("progress:task", args=[draft.task_id]))
        assert DRAFT_WORDS in page.content.decode(), persona
    evidence = reverse("progress:evidence", args=[draft.evidence.get().pk])
    assert client_for(personas.coordinator).get(evidence).status_code == 200
