"""Two doors before any page: while no region exists every request goes to the set-up page, and a member whose
password someone else chose (an initial password) goes to the password page until it has chosen its own."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .access import membership_of
from .firstrun import setup_needed


class FirstRunAndInitialPassword:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        setup = reverse("organisation:setup")
        if path.startswith((setup, settings.STATIC_URL or "/static/")):
            return self.get_response(request)
        if request.user.is_authenticated:
            # The same read the pages make (kept on the request): no query is added to a member's page.
            membership = membership_of(request)
            if membership is not None and membership.must_change_password:
                allowed = (reverse("organisation:password_change"), reverse("logout"))
                if path not in allowed:
                    return redirect("organisation:password_change")
            elif membership is None and not self._to_the_admin(request) and setup_needed():
                return redirect(setup)
        elif not self._to_the_admin(request) and setup_needed():
            return redirect(setup)
        return self.get_response(request)

    @staticmethod
    def _to_the_admin(request: HttpRequest) -> bool:
        """The Django admin, and logging in to it, stay open to an operator who made a superuser from the shell
        (`createsuperuser`): the first-run page is for everyone else, and nothing on it needs the admin."""
        admin = reverse("admin:index")
        if request.path_info.startswith(admin):
            return True
        wanted = request.POST.get("next") or request.GET.get("next") or ""
        return request.path_info == reverse("login") and wanted.startswith(admin)
