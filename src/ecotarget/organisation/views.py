"""Organisation pages: a unit's posts and the people who held them, and the hand-over to a successor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ecotarget.core.errors import Refusal

from .access import may_review, may_see_unit, member_required
from .forms import HandOverForm
from .models import Post, Unit
from .requests import MemberRequest
from .selectors import unit_people
from .services import posts_of, tenure_hand_over


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
