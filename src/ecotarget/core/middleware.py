"""A request larger than the site ever accepts is refused by its Content-Length, before its body is read."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat


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
