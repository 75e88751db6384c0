"""The request a view is given once `access.member_required` (or `coordinator_required`) let it through.

Annotate such a view's parameter `request: MemberRequest`: what the decorator, the authentication middleware and
django-htmx's middleware put on the request is then typed, where a plain HttpRequest knows none of it.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import Membership


class MemberRequest(HttpRequest):
    user: User  # logged in: never AnonymousUser
    membership: Membership  # the user's, with its region and unit (set by member_required)
    htmx: HtmxDetails
