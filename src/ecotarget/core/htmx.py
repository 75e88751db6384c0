"""htmx partials kept inside their page's template, chosen by one helper instead of a second view."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def partial_or_page(request: HttpRequest, template: str, context: dict, *, partial: str) -> HttpResponse:
    """Render only the named `{% partialdef %}` block for an htmx request, the whole page otherwise."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)
