"""Everywhere a person is named — pages, the action log, exports, messages — the same rule names them."""

from django.contrib.auth.models import AnonymousUser, User

from ecotarget.core.people import display_name


def test_a_person_is_named_by_full_name_then_account_and_nobody_by_the_default():
    assert display_name(User(username="zhujian", first_name="王填报")) == "王填报"
    assert display_name(User(username="zhujian")) == "zhujian"
    assert display_name(None, "系统") == "系统"
    assert display_name(AnonymousUser(), "他人") == "他人"
