"""Organisation pages: a unit's posts and the people who held them, and the hand-over to a successor; logging in,
changing one's password, the coordinator's reset of a member's password, and the reset by mail."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from ecotarget.core.errors import Refusal

from .access import may_manage_accounts, may_reset_password, may_review, may_see_unit, member_required, requires
from .forms import HandOverForm
from .models import Membership, Post, Unit
from .requests import MemberRequest
from .selectors import unit_people
from .services import password_change as change_password
from .services import password_reset_by_coordinator, posts_of, tenure_hand_over


@member_required
@require_http_methods(["GET", "POST"])
def people(request: MemberRequest, pk: int) -> HttpResponse:
    """Anyone in the region sees a unit's people (a reporter only its own unit's); the coordinator records a
    hand-over on one of its posts."""
    membership = request.membership
    unit = get_object_or_404(Unit, pk=pk, region_id=membership.region_id)
    if not may_see_unit(membership, unit):
        raise Http404
    may_hand_over = may_review(membership, unit.region_id)
    if request.method == "POST" and not may_hand_over:
        raise PermissionDenied("只有管理员可以登记人员交接")
    form = HandOverForm(request.POST or None) if may_hand_over else None
    if request.method == "POST" and form is not None:
        kind = request.POST.get("post")
        if kind not in Post.Kind.values:
            raise Http404
        if form.is_valid():
            post = next(p for p in posts_of(unit) if p.kind == kind)
            try:
                tenure_hand_over(
                    post=post,
                    successor=form.successor(),
                    on=form.cleaned_data["on"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except Refusal as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{post.get_kind_display()}已交接给{form.cleaned_data['name']}")
                return redirect("organisation:people", pk=unit.pk)
    context = {"unit": unit, "posts": unit_people(unit), "form": form, "may_set_channel": may_hand_over}
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
    return render(request, "organisation/password_change.html", {"form": form})


@requires(may_manage_accounts)
@require_http_methods(["GET", "POST"])
def accounts(request: MemberRequest) -> HttpResponse:
    """The region's members; the coordinator resets one's password and is shown, once, the link to hand over."""
    members = (
        Membership.objects.filter(region_id=request.membership.region_id)
        .select_related("user", "unit")
        .order_by("role", "unit__order", "user__username")
    )
    link = reset_for = None
    if request.method == "POST":
        member = request.POST.get("member", "")
        if not member.isdecimal():
            raise Http404
        target = get_object_or_404(members, pk=int(member))
        if not may_reset_password(request.membership, target):
            raise PermissionDenied("只能重置本行政区其他成员的密码")
        try:
            reset = password_reset_by_coordinator(target=target.user, by=request.user)
        except Refusal as exc:
            raise PermissionDenied(str(exc)) from exc
        link = request.build_absolute_uri(reverse("organisation:password_set", args=[reset.uid, reset.token]))
        reset_for = target
    rows = [(m, may_reset_password(request.membership, m)) for m in members]
    context = {"rows": rows, "link": link, "reset_for": reset_for, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    return render(request, "organisation/accounts.html", context)


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
