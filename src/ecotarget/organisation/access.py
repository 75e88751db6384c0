"""Who may see and change what, in one place: views go through these decorators, and views, services and templates
ask the policy functions (`may_…`) below."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme

from ecotarget.core.actions import leave_out
from ecotarget.core.models import Action, Job

from .models import Membership, Unit
from .requests import MemberRequest

P = ParamSpec("P")
# A view written for members (its request is a MemberRequest), and the same view as Django calls it, with any request
# and the view's own URL arguments.
MemberView = Callable[Concatenate[MemberRequest, P], HttpResponseBase]
View = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def membership_of(request: HttpRequest) -> Membership | None:
    """The user's membership with its region and unit, read once per request (one query)."""
    if not request.user.is_authenticated:
        return None
    # Kept in the request's own namespace: HttpRequest declares no such attribute.
    cache = vars(request)
    if "_membership" not in cache:
        cache["_membership"] = (
            Membership.objects.select_related("region", "unit").filter(user_id=request.user.pk).first()
        )
    return cache["_membership"]


def member_required(view: MemberView[P]) -> View[P]:
    """Logged in and a member of some region; region scoping is done where the object is looked up."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        membership = membership_of(request)
        if membership is None:
            raise PermissionDenied("您的账号尚未分配行政区和角色，请联系管理员")
        # It becomes a MemberRequest here: logged in (login_required) and given its membership on the next line.
        member = cast(MemberRequest, request)
        member.membership = membership
        return view(member, *args, **kwargs)

    return wrapped


def coordinator_required(view: MemberView[P]) -> View[P]:
    @member_required
    @wraps(view)
    def wrapped(request: MemberRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        if not request.membership.is_coordinator:
            raise PermissionDenied("只有管理员（督查）可以进行此操作")
        return view(request, *args, **kwargs)

    return wrapped


# --- Who may do what in plans, monitoring, the written reports and the dashboard -------------------------------
# Each takes the member's Membership and the objects concerned (read through their attributes: organisation sits
# below the apps that own them). Views, the services behind them and templates (the `access` template filters)
# ask these; nothing else compares roles.

COORDINATORS_ONLY = "只有管理员（督查）可以进行此操作"


class InRegion(Protocol):
    """A plans Plan, as the policies read it."""

    @property
    def region_id(self) -> int: ...


class InPlan(Protocol):
    """A plans Task, as the policies read it."""

    @property
    def plan(self) -> InRegion: ...


def may_import_plan(membership: Membership) -> bool:
    """Upload a plan document and import (or replace) it for the member's region."""
    return membership.is_coordinator


def may_edit_task(membership: Membership, task: InPlan) -> bool:
    """Change a plan task's text, units, targets and deadlines (`task`: a plans Task, with its plan)."""
    return membership.is_coordinator and task.plan.region_id == membership.region_id


def may_import_data(membership: Membership) -> bool:
    """Import monitoring data (air hours, water samples) for the member's region."""
    return membership.is_coordinator


def may_configure_monitoring(membership: Membership, plan: InRegion) -> bool:
    """Deduct days, record past years' figures, bind the plan's targets to indicators and choose their editions:
    what the plan's measured and official (考核) figures are computed from (`plan`: a plans Plan)."""
    return membership.is_coordinator and plan.region_id == membership.region_id


def may_see_dashboard(membership: Membership) -> bool:
    """The leaders' dashboard and the task lists behind its figures; a reporter has its own unit's page instead."""
    return not membership.is_reporter


def may_write_reports(membership: Membership) -> bool:
    """Draft, edit and export the written reports (书面报告)."""
    return membership.is_coordinator


def ledger_limited_to(membership: Membership) -> Unit | None:
    """The one unit whose ledger (台账) the member may export — a reporter's own unit — or None when the member
    may export the whole plan's and any unit's of the region."""
    return membership.unit if membership.is_reporter else None


def requires(
    policy: Callable[[Membership], bool], refusal: str = COORDINATORS_ONLY
) -> Callable[[MemberView[P]], View[P]]:
    """A view for the members `policy` lets in (a policy of the membership alone); the others are refused."""

    def decorate(view: MemberView[P]) -> View[P]:
        @member_required
        @wraps(view)
        def wrapped(request: MemberRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            if not policy(request.membership):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


# --- the access policy: may this member do this to that ------------------------------------------------------------
# Views, services and templates ask these; nothing else decides. They take a membership and plain facts (ids, or
# objects read by attribute), so organisation needs no model of the apps above it.


def member_of(user: AbstractBaseUser) -> Membership | None:
    """The user's membership (one query), for services that are given a user rather than a request."""
    return Membership.objects.select_related("region", "unit").filter(user_id=user.pk).first()


def may_report(membership: Membership | None, unit_id: int | None) -> bool:
    """Write the reports of this unit (and sign for its list, ask for changes, manage its files)."""
    return membership is not None and membership.is_reporter and unit_id is not None and membership.unit_id == unit_id


def may_review(membership: Membership | None, region_id: int) -> bool:
    """Review reports and run reporting (set-up, hand-out, reminders, reopening) in this region."""
    return membership is not None and membership.is_coordinator and membership.region_id == region_id


def may_follow_region_job(user: AbstractBaseUser, job: Job) -> bool:
    """A background job started in a region is followed by that region's coordinators (its starter always sees it:
    core.jobs)."""
    return job.region_id is not None and may_review(member_of(user), job.region_id)


def may_oversee(membership: Membership | None, region_id: int) -> bool:
    """Watch tasks and give instructions (批示) in this region: its leaders."""
    return membership is not None and membership.is_leader and membership.region_id == region_id


def may_follow_region(membership: Membership | None, region_id: int) -> bool:
    """See the region-wide pages (status of every task, receipts): its coordinators and leaders, not reporters."""
    return membership is not None and not membership.is_reporter and membership.region_id == region_id


def may_see_unit(membership: Membership | None, unit: Unit) -> bool:
    """See a unit's reports and people: anyone in its region, a reporter only its own unit."""
    if membership is None or unit.region_id != membership.region_id:
        return False
    return not membership.is_reporter or membership.unit_id == unit.pk


def may_see_task(membership: Membership | None, region_id: int, unit_ids: set[int]) -> bool:
    """See a task (of a plan in `region_id`, held by `unit_ids`): anyone in the region, a reporter only its
    own unit's tasks."""
    if membership is None or membership.region_id != region_id:
        return False
    return not membership.is_reporter or membership.unit_id in unit_ids


def next_on_this_site(request: HttpRequest, fallback: str) -> str:
    """Where a form's `next` field asks to go, if that is a page of this site (same host and scheme), else
    `fallback`: a link from elsewhere must not turn this site's redirect into a way to another one."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


# --- drafts: a unit's report is its own until it is submitted ------------------------------------------------------
# Its text, figures and files (and the log of its draft saves and file changes) are seen by the unit's reporters
# only; once submitted (报送) by everyone who may see the task; withdrawn, it is a draft again. A returned report
# stays visible: it was submitted, and the coordinator returned what it read.

# The action log's verbs for work on a draft (written by progress), left out of everyone else's timelines.
DRAFT_WORK_VERBS = ("report.save", "evidence.add", "evidence.remove")


def may_see_report(membership: Membership | None, unit_id: int, is_draft: bool) -> bool:
    """See a unit's report for a period — text, figures, files — of a task the member may see (`may_see_task`)."""
    return not is_draft or may_report(membership, unit_id)


def drafts_seen_of(membership: Membership | None) -> int | None:
    """The one unit whose draft work the member sees (a reporter's own), or None: no unit's."""
    if membership is not None and membership.unit_id is not None and may_report(membership, membership.unit_id):
        return membership.unit_id
    return None


def timeline_seen_by(membership: Membership | None, actions: QuerySet[Action]) -> QuerySet[Action]:
    """A timeline as the member may read it: other units' draft work left out."""
    return leave_out(actions, DRAFT_WORK_VERBS, drafts_seen_of(membership))


def may_reset_password(membership: Membership | None, target: Membership | None) -> bool:
    """Reset another member's password (the member then sets a new one through a one-time link): a coordinator,
    for the other members of its region. One's own password is changed on the password page."""
    return (
        membership is not None
        and membership.is_coordinator
        and target is not None
        and target.region_id == membership.region_id
        and target.user_id != membership.user_id
    )


def may_manage_accounts(membership: Membership) -> bool:
    """See the region's accounts (账号管理) and reset their passwords."""
    return membership.is_coordinator


def may_manage_member(membership: Membership | None, target: Membership | None) -> bool:
    """Stop or restart another member's account: a coordinator, for the other members of its region (never its
    own: a region is never left without the coordinator who could restart it)."""
    return may_reset_password(membership, target)


# --- the year's assessment (考核) ------------------------------------------------------------------------------------
# The assessing office is the region's coordinators; the assessed party is a unit (its reporters self-assess) or,
# against the city's letter, the county itself; its leaders approve. A unit sees its own score sheet only — the
# other units' sheets and the ranking are the office's and the leaders' (a published ranking is read out by them).


def may_run_assessment(membership: Membership | None, region_id: int) -> bool:
    """Run the region's assessment: import, copy and edit schemes, compute scores, check and score each unit's
    items, return a self-assessment, finish a review, and change a published score (with a recorded reason)."""
    return may_review(membership, region_id)


def may_self_assess(membership: Membership | None, unit_id: int | None) -> bool:
    """Score the unit's own items and submit its 自评报告: the unit's reporters (the county's own assessment, with
    no unit, is written by its office: `may_run_assessment`)."""
    return may_report(membership, unit_id)


def may_approve_assessment(membership: Membership | None, region_id: int) -> bool:
    """Approve and publish the region's results: its leaders."""
    return may_oversee(membership, region_id)


def may_see_assessment_results(membership: Membership | None, region_id: int) -> bool:
    """See every unit's score, the ranking and the results report of the region: its office and leaders."""
    return may_follow_region(membership, region_id)


def may_see_score_sheet(membership: Membership | None, region_id: int, unit: Unit | None) -> bool:
    """See one assessed party's score sheet (in `region_id`): the region's office and leaders any; a reporter only
    its own unit's (never the county's own sheet, `unit` None)."""
    if unit is None:
        return may_see_assessment_results(membership, region_id)
    return unit.region_id == region_id and may_see_unit(membership, unit)
