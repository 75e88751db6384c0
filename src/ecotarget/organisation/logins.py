"""Login throttling (django-axes): the address a login comes from, and the page a locked-out login is given."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOGIN_TEMPLATE = "core/login.html"


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind ECOTARGET_PROXY_COUNT proxies the address the first of them saw: X-Forwarded-For's
    entries to the right are added by our own proxies, those to the left by the client and cannot be trusted."""
    proxies = settings.ECOTARGET_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The login page again (429) saying the account or address is locked and from when to try again: every
    failure during the lock starts the cool-off anew (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so it is
    counted from now."""
    retry_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_until": retry_at,
        "next": request.POST.get("next", ""),
        "password_reset_by_mail": settings.ECOTARGET_PASSWORD_RESET_BY_MAIL,
    }
    return render(request, LOGIN_TEMPLATE, context, status=429)
