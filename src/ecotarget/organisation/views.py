"""Organisation pages: a unit's posts and the people who held them, and the hand-over to a successor; logging in,
changing one's password, the coordinator's reset of a member's password, and the reset by mail."""

import secrets
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ecotarget.core.errors import Refusal
from ecotarget.core.people import display_name

from .access import (
    may_manage_accounts,
    may_manage_member,
    may_reset_password,
    may_review,
    may_see_unit,
    member_required,
    membership_of,
    requires,
)
from .firstrun import setup_needed, setup_token, token_matches, token_spend
from .forms import AccountForm, DirectoryUploadForm, HandOverForm, SetupForm
from .models import Membership, Post, Unit
from .requests import MemberRequest
from .selectors import unit_people
from .services import (
    DUTY_OF_POST,
    AccountError,
    NewAccount,
    account_create,
    account_deactivate,
    account_reactivate,
    accounts_import,
    directory_check,
    password_reset_by_coordinator,
    posts_of,
    region_init,
    tenure_hand_over,
)
from .services import password_change as change_password
from .workbooks import DirectoryRow, FileIssues, directory_template, read_directory, region_workbook


@member_required
@require_http_methods(["GET", "POST"])
def people(request: MemberRequest, pk: int) -> HttpResponse:
    """Anyone in the region sees a unit's people (a reporter only its own unit's); the coordinator records a
    hand-over on one of its posts, to an existing account, to a new one made on the spot (its initial password shown
    once), or to a person without an account."""
    membership = request.membership
    unit = get_object_or_404(Unit, pk=pk, region_id=membership.region_id)
    if not may_see_unit(membership, unit):
        raise Http404
    may_hand_over = may_review(membership, unit.region_id)
    if request.method == "POST" and not may_hand_over:
        raise PermissionDenied("只有管理员可以登记人员交接")
    form = HandOverForm(request.POST or None) if may_hand_over else None
    created = None
    if request.method == "POST" and form is not None:
        kind = request.POST.get("post")
        if kind not in Post.Kind.values:
            raise Http404
        if form.is_valid():
            post = next(p for p in posts_of(unit) if p.kind == kind)
            try:
                if form.creates_account:
                    created = account_create(
                        region=unit.region,
                        by=request.user,
                        entry=form.entry(unit, DUTY_OF_POST[Post.Kind(kind)]),
                        on=form.cleaned_data["on"],
                        invite_by_mail=_invites_by_mail(),
                        note=form.cleaned_data["note"],
                    )
                    _mail_invites(request, [created])
                else:
                    tenure_hand_over(
                        post=post,
                        successor=form.successor(),
                        on=form.cleaned_data["on"],
                        by=request.user,
                        note=form.cleaned_data["note"],
                    )
            except AccountError as exc:
                for issue in exc.issues:
                    form.add_error(None, issue.reason)
            except Refusal as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{post.get_kind_display()}已交接给{form.cleaned_data['name']}")
                if created is None:
                    return redirect("organisation:people", pk=unit.pk)
                form = HandOverForm()
    context = {
        "unit": unit,
        "posts": unit_people(unit),
        "form": form,
        "may_set_channel": may_hand_over,
        "created": [created] if created is not None else [],
    }
    return render(request, "organisation/people.html", context)


# --- logging in and passwords --------------------------------------------------------------------------------------


class Login(auth_views.LoginView):
    template_name = "core/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(password_reset_by_mail=settings.ECOTARGET_PASSWORD_RESET_BY_MAIL, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user changes its own password (the current one asked first); the session stays logged in."""
    user = request.user
    assert user.is_authenticated  # login_required
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改")
        return redirect("home")
    membership = membership_of(request)
    must_change = membership is not None and membership.must_change_password
    return render(request, "organisation/password_change.html", {"form": form, "must_change": must_change})


def _members(request: MemberRequest):
    return (
        Membership.objects.filter(region_id=request.membership.region_id)
        .select_related("user", "unit")
        .order_by("role", "unit__order", "user__username")
    )


def _accounts_page(request: MemberRequest, **extra: Any) -> HttpResponse:
    rows = [(m, may_reset_password(request.membership, m)) for m in _members(request)]
    context = {
        "rows": rows,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "add_form": AccountForm(region=request.membership.region),
        "upload_form": DirectoryUploadForm(),
        "mail": _invites_by_mail(),
        **extra,
    }
    return render(request, "organisation/accounts.html", context)


@requires(may_manage_accounts)
@require_http_methods(["GET", "POST"])
def accounts(request: MemberRequest) -> HttpResponse:
    """The region's members; the coordinator resets one's password and is shown, once, the link to hand over."""
    if request.method == "POST":
        member = request.POST.get("member", "")
        if not member.isdecimal():
            raise Http404
        target = get_object_or_404(_members(request), pk=int(member))
        if not may_reset_password(request.membership, target):
            raise PermissionDenied("只能重置本行政区其他成员的密码")
        try:
            reset = password_reset_by_coordinator(target=target.user, by=request.user)
        except Refusal as exc:
            raise PermissionDenied(str(exc)) from exc
        link = request.build_absolute_uri(reverse("organisation:password_set", args=[reset.uid, reset.token]))
        return _accounts_page(request, link=link, reset_for=target)
    return _accounts_page(request)


def _invites_by_mail() -> bool:
    """Where mail is set up, a new account with an address is sent a link to set its password (nobody else ever
    knows it) instead of an initial password shown to the coordinator."""
    return bool(settings.ECOTARGET_PASSWORD_RESET_BY_MAIL)


def _mail_invites(request: HttpRequest, created: list[NewAccount]) -> None:
    for account in created:
        if account.link is None:
            continue
        link = request.build_absolute_uri(
            reverse("organisation:password_set", args=[account.link.uid, account.link.token])
        )
        context = {"user": account.user, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        send_mail(
            "生态环境保护目标责任管理系统：请设置您的密码",
            render_to_string("organisation/account_invite_email.txt", context),
            None,
            [account.user.email],
        )


@requires(may_manage_accounts)
@require_POST
def account_add(request: MemberRequest) -> HttpResponse:
    """One person added by the coordinator; the initial password is shown on the answer, once."""
    form = AccountForm(request.POST, region=request.membership.region)
    if form.is_valid():
        try:
            created = account_create(
                region=request.membership.region,
                by=request.user,
                entry=form.entry(),
                invite_by_mail=_invites_by_mail(),
            )
        except AccountError as exc:
            for issue in exc.issues:
                form.add_error(form.FIELD_OF_COLUMN.get(issue.column), issue.reason)
        else:
            _mail_invites(request, [created])
            return _accounts_page(request, created=[created])
    return _accounts_page(request, add_form=form, add_open=True)


PREVIEWS = "directory_previews"  # in the session: token -> the 通讯录 read, waiting for confirmation


@requires(may_manage_accounts)
@require_POST
def accounts_upload(request: MemberRequest) -> HttpResponse:
    """A 通讯录 uploaded: every row checked and shown (what it will do, or each error by row and column); nothing
    is written until the coordinator confirms a preview without errors."""
    form = DirectoryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _accounts_page(request, upload_form=form)
    upload = form.cleaned_data["file"]
    name = upload.name
    if upload.size > settings.ECOTARGET_MAX_UPLOAD_BYTES:
        form.add_error(
            "file",
            f"{name}: 文件过大（{filesizeformat(upload.size)}），通讯录不应超过 "
            f"{filesizeformat(settings.ECOTARGET_MAX_UPLOAD_BYTES)}",
        )
        return _accounts_page(request, upload_form=form)
    try:
        rows = read_directory(upload.read(), name)
    except FileIssues as exc:
        return _accounts_page(request, upload_form=form, file_issues=exc.issues)
    region = request.membership.region
    planned = directory_check(region=region, rows=rows, file_name=name)
    token = ""
    if not any(p.issues for p in planned):
        token = secrets.token_urlsafe(12)
        # One preview at a time per session: a new upload replaces the one waiting.
        request.session[PREVIEWS] = {token: {"file": name, "rows": [asdict(r) for r in rows]}}
    context = {"planned": planned, "file_name": name, "token": token, "mail": _invites_by_mail()}
    return render(request, "organisation/accounts_preview.html", context)


@requires(may_manage_accounts)
@require_POST
def accounts_import_confirm(request: MemberRequest) -> HttpResponse:
    """The previewed 通讯录 imported, all rows or none; the new accounts' initial passwords shown once."""
    waiting = request.session.get(PREVIEWS, {}).get(request.POST.get("token", ""))
    if waiting is None:
        messages.error(request, "预览已过期或已导入，请重新上传通讯录")
        return redirect("organisation:accounts")
    rows = [DirectoryRow(**r) for r in waiting["rows"]]
    try:
        result = accounts_import(
            region=request.membership.region,
            by=request.user,
            rows=rows,
            file_name=waiting["file"],
            invite_by_mail=_invites_by_mail(),
        )
    except AccountError as exc:
        return _accounts_page(request, file_issues=exc.issues)
    request.session.pop(PREVIEWS, None)
    _mail_invites(request, result.created)
    messages.success(
        request,
        f"已从 {waiting['file']} 新建 {len(result.created)} 个账号"
        + (f"，{result.unchanged} 个已存在未变" if result.unchanged else ""),
    )
    return _accounts_page(request, created=result.created)


@requires(may_manage_accounts)
@require_POST
def account_active(request: MemberRequest) -> HttpResponse:
    """Stop (停用) or restart (启用) a member's account."""
    member = request.POST.get("member", "")
    if not member.isdecimal() or request.POST.get("active") not in ("0", "1"):
        raise Http404
    target = get_object_or_404(_members(request), pk=int(member))
    if not may_manage_member(request.membership, target):
        raise PermissionDenied("只能停用或启用本县其他成员的账号")
    active = request.POST["active"] == "1"
    try:
        (account_reactivate if active else account_deactivate)(target=target, by=request.user)
    except Refusal as exc:
        raise PermissionDenied(str(exc)) from exc
    who = display_name(target.user)
    messages.success(request, f"已{'启用' if active else '停用'}{who}的账号")
    return redirect("organisation:accounts")


@requires(may_manage_accounts)
@require_safe
def directory_template_download(request: MemberRequest) -> HttpResponse:
    return _xlsx(directory_template(), "通讯录模板.xlsx")


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# --- the first run -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The first-run page, only while no region exists: the region from its file and the first coordinator, after
    the one-time token from the server (see firstrun.py); then the coordinator is logged in."""
    if not setup_needed():
        raise Http404
    token_file = setup_token()
    form = SetupForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["region_file"]
        if not token_matches(data["token"]):
            form.add_error("token", "安装口令不对：请查看服务器上的 setup-token 文件")
        elif upload.size > settings.ECOTARGET_MAX_UPLOAD_BYTES:
            form.add_error("region_file", f"{upload.name}: 文件过大")
        else:
            with tempfile.TemporaryDirectory(prefix="ecotarget-setup-") as folder:
                path = Path(folder) / "region"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    result = region_init(
                        path=path,
                        file_name=upload.name,
                        username=data["username"],
                        full_name=data["full_name"],
                        password=data["password1"],
                        unit_name=data["unit"].strip(),
                        how="首次安装页面",
                    )
                except Refusal as exc:
                    for line in str(exc).splitlines():
                        form.add_error(None, line)
                else:
                    token_spend()
                    login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(
                        request,
                        f"{result.region.name}已建立（{result.units} 个单位）。"
                        "下一步：添加各单位人员，然后导入分解方案。",
                    )
                    return redirect("organisation:accounts")
    return render(request, "organisation/setup.html", {"form": form, "token_file": token_file})


@require_safe
def region_template_download(request: HttpRequest) -> HttpResponse:
    """The blank region file to fill in (anyone may have it: it holds no data)."""
    return _xlsx(region_workbook(), "行政区文件模板.xlsx")


class PasswordSet(auth_views.PasswordResetConfirmView):
    """A reset link (from the coordinator or by mail): the member chooses a new password, which spends the link."""

    template_name = "organisation/password_set.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        change_password(user=form.user, password=form.cleaned_data["new_password1"], by_link=True)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "新密码已设置，请登录")
        return redirect(self.get_success_url())


class MailResetOnly:
    """Offered only where mail is set up (ECOTARGET_PASSWORD_RESET_BY_MAIL)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.ECOTARGET_PASSWORD_RESET_BY_MAIL:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PasswordForgot(MailResetOnly, auth_views.PasswordResetView):
    """Django's reset by mail: a link to the account's e-mail address, if it has one (the page never says)."""

    template_name = "organisation/password_forgot.html"
    email_template_name = "organisation/password_reset_email.txt"
    subject_template_name = "organisation/password_reset_subject.txt"
    success_url = reverse_lazy("organisation:password_forgot_sent")


class PasswordForgotSent(MailResetOnly, auth_views.PasswordResetDoneView):
    template_name = "organisation/password_forgot_sent.html"
