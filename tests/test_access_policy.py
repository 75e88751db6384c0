"""The access policy itself (organisation/access.py), asked directly for every persona: the right member may, the
wrong one may not. The pages that ask it are checked by the access matrices (test_plan_pages_access and others)."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.urls import reverse

from ecotarget.organisation import access
from ecotarget.organisation.models import Membership

PERSONAS = ["coordinator", "zhujian", "guyong", "leader", "outsider"]


def membership(personas, name: str) -> Membership:
    return Membership.objects.select_related("region", "unit").get(user=getattr(personas, name))


# Who may, per policy of the membership alone (the outsider coordinates another county: in its own region it may).
ALONE = {
    access.may_import_plan: {"coordinator", "outsider"},
    access.may_import_data: {"coordinator", "outsider"},
    access.may_write_reports: {"coordinator", "outsider"},
    access.may_see_dashboard: {"coordinator", "leader", "outsider"},
    access.may_manage_accounts: {"coordinator", "outsider"},
}


@pytest.mark.parametrize("policy", ALONE, ids=lambda p: p.__name__)
@pytest.mark.parametrize("persona", PERSONAS)
def test_policies_of_the_membership_alone(personas, policy, persona):
    assert policy(membership(personas, persona)) == (persona in ALONE[policy])


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_regions_coordinator_may_edit_its_tasks_and_configure_its_monitoring(plan, personas, persona):
    task = plan.tasks.select_related("plan").get(number=12)
    member = membership(personas, persona)
    assert access.may_edit_task(member, task) == (persona == "coordinator")
    assert access.may_configure_monitoring(member, plan) == (persona == "coordinator")


# The year's assessment (考核), in the sample county: persona → may it.
ASSESSMENT = {
    "may_run_assessment": {"coordinator"},
    "may_approve_assessment": {"leader"},
    "may_see_assessment_results": {"coordinator", "leader"},
}


@pytest.mark.parametrize("policy", sorted(ASSESSMENT))
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_assessment_is_run_by_the_office_and_approved_by_the_leaders(plan, personas, policy, persona):
    may = getattr(access, policy)
    assert may(membership(personas, persona), plan.region_id) == (persona in ASSESSMENT[policy])
    assert not may(None, plan.region_id)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("unit_name", ["住建局", "古镛镇", None])
def test_a_score_sheet_is_seen_by_the_office_the_leaders_and_its_own_unit(plan, personas, persona, unit_name):
    unit = plan.region.units.get(name=unit_name) if unit_name else None
    own = {"住建局": "zhujian", "古镛镇": "guyong"}.get(unit_name or "")
    allowed = persona in {"coordinator", "leader"} or persona == own
    assert access.may_see_score_sheet(membership(personas, persona), plan.region_id, unit) == allowed
    assert access.may_self_assess(membership(personas, persona), unit.pk if unit else None) == (persona == own)


@pytest.mark.parametrize(("persona", "unit"), [("zhujian", "住建局"), ("guyong", "古镛镇")])
def test_a_reporter_exports_only_its_own_units_ledger(personas, persona, unit):
    assert access.ledger_limited_to(membership(personas, persona)).name == unit


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_the_others_export_any_units_ledger(personas, persona):
    assert access.ledger_limited_to(membership(personas, persona)) is None


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", PERSONAS)
def test_a_coordinator_resets_the_passwords_of_the_other_members_of_its_region(personas, persona, target):
    allowed = persona == "coordinator" and target in {"zhujian", "guyong", "leader"}
    assert access.may_reset_password(membership(personas, persona), membership(personas, target)) == allowed


def test_nobody_resets_the_password_of_an_account_without_a_membership(personas):
    assert not access.may_reset_password(membership(personas, "coordinator"), None)
    assert not access.may_reset_password(None, membership(personas, "zhujian"))


def render(text: str, **context) -> str:
    return Template("{% load access %}" + text).render(Context(context)).strip()


@pytest.mark.parametrize("persona", PERSONAS)
def test_templates_ask_the_same_policy(plan, personas, persona):
    task = plan.tasks.select_related("plan").get(number=12)
    member = membership(personas, persona)
    shown = render(
        "{% if m|may_edit_task:task %}edit {% endif %}{% if m|may_configure_monitoring:plan %}bind {% endif %}"
        "{% if m|may_see_dashboard %}dashboard {% endif %}{% if m|may_write_reports %}reports {% endif %}"
        "{% if m|may_import_plan %}plan {% endif %}{% if m|may_import_data %}data{% endif %}",
        m=member,
        task=task,
        plan=plan,
    ).split()
    expected = [
        name
        for name, allowed in [
            ("edit", access.may_edit_task(member, task)),
            ("bind", access.may_configure_monitoring(member, plan)),
            ("dashboard", access.may_see_dashboard(member)),
            ("reports", access.may_write_reports(member)),
            ("plan", access.may_import_plan(member)),
            ("data", access.may_import_data(member)),
        ]
        if allowed
    ]
    assert shown == expected


def test_a_visitor_without_a_membership_may_do_nothing_in_templates(plan):
    task = plan.tasks.select_related("plan").get(number=12)
    assert (
        render(
            "{% if m|may_edit_task:task or m|may_configure_monitoring:plan or m|may_see_dashboard %}x{% endif %}"
            "{% if m|may_write_reports or m|may_import_plan or m|may_import_data %}x{% endif %}",
            m=None,
            task=task,
            plan=plan,
        )
        == ""
    )


NAV = {"总览", "书面报告", "导入方案", "导入监测数据", "我的关注与批示", "账号管理"}


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("coordinator", {"总览", "书面报告", "导入方案", "导入监测数据", "账号管理"}),
        ("zhujian", set()),
        ("leader", {"总览", "我的关注与批示"}),
    ],
)
def test_the_menu_shows_what_the_policy_allows(plan, personas, client_for, persona, links):
    page = BeautifulSoup(client_for(getattr(personas, persona)).get(reverse("plans:list")).content, "html.parser")
    assert {a.get_text() for a in page.select("header nav a")} & NAV == links


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_seen_by_its_units_reporters_only_and_a_submitted_report_by_all(plan, personas, persona):
    member = membership(personas, persona)
    guyong = member.unit_id if persona == "guyong" else Membership.objects.get(user=personas.guyong).unit_id
    assert access.may_see_report(member, guyong, is_draft=True) == (persona == "guyong")
    assert access.may_see_report(member, guyong, is_draft=False)
    assert access.drafts_seen_of(member) == (member.unit_id if persona in ("zhujian", "guyong") else None)
