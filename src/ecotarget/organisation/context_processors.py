from django.http import HttpRequest

from .access import membership_of


def membership(request: HttpRequest) -> dict:
    return {"membership": membership_of(request)}
