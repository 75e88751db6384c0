"""htmx partials kept inside their page's template, chosen by one helper instead of a second view."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


def partial_or_page(request: HttpRequest, template: str, context: dict, *, partial: str) -> HttpResponse:
    """Render only the named `{% partialdef %}` block for an htmx request, the whole page otherwise."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)  # absent where the middleware did not run
    if htmx and not htmx.boosted:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)


def form_fragment(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """The answer to an htmx form: its own fragment, swapped where the form was, also when it carries errors.

    htmx swaps only 2xx answers: a 400 or 409 shows nothing (DEBUG off), or, with DEBUG on, django-htmx's debug
    script puts the bare fragment over the whole page. So an htmx request gets 200 whatever happened, and the
    fragment itself says what went wrong next to the fields; `status` is kept for other clients.
    """
    if getattr(request, "htmx", False):
        return render(request, template, context)
    return render(request, template, context, status=status)
