"""Middleware: a request larger than the site ever accepts is refused by its Content-Length, before its body is
read; an idle session ends; what a logged-in user is sent is never stored by a cache."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.cache import add_never_cache_headers


class RequestSizeLimit:
    """413 for a body over ECOTARGET_MAX_REQUEST_BYTES: the sum of all files of one request is bounded, and an
    oversized upload costs neither the disk nor the time of receiving it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        limit = settings.ECOTARGET_MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"上传内容过大（{filesizeformat(length)}），一次最多 {filesizeformat(limit)}"
                f" / the request is {length} bytes, more than the limit of {limit}",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class IdleSessionTimeout:
    """A session unused for ECOTARGET_SESSION_IDLE_SECONDS ends (the user logs in again). The time of the last
    request is kept in the session and rewritten at most once a minute, so a busy user does not write the session
    on every request; the session's own expiry (SESSION_COOKIE_AGE, the same length) moves with it."""

    KEY = "_last_seen"
    REFRESH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(SESSION_KEY) is not None:
            now = int(time.time())
            seen = session.get(self.KEY)
            if seen is not None and now - seen > settings.ECOTARGET_SESSION_IDLE_SECONDS:
                session.flush()  # logged out: the authentication middleware finds no user
            elif seen is None or now - seen >= self.REFRESH_SECONDS:
                session[self.KEY] = now
        return self.get_response(request)


class PrivatePagesNotStored:
    """Cache-Control: no-store on every response to a logged-in user (pages, evidence, exports): nothing a member
    saw stays in a shared computer's browser cache or in a proxy after logging out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private; Expires in the past
        return response
