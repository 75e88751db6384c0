"""A session ends after ECOTARGET_SESSION_IDLE_SECONDS (default two hours) without a request; using the site keeps
it open."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ecotarget import settings as configured

START = datetime(2022, 5, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def idle_timeout_as_configured(settings):
    """The real lengths (tests/conftest.py lengthens them for the tests that move the clock by days)."""
    settings.ECOTARGET_SESSION_IDLE_SECONDS = configured.ECOTARGET_SESSION_IDLE_SECONDS
    settings.SESSION_COOKIE_AGE = configured.SESSION_COOKIE_AGE


def test_the_default_idle_timeout_is_two_hours():
    assert configured.ECOTARGET_SESSION_IDLE_SECONDS == 7200 == configured.SESSION_COOKIE_AGE


def test_a_session_ends_after_two_hours_without_a_request(personas):
    page = reverse("plans:list")
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post(reverse("login"), {"username": "lin", "password": "pw-lin"})
        assert client.get(page).status_code == 200
        # In use: every visit within two hours of the last keeps the session, well past two hours from login.
        for _ in range(3):
            clock.shift(timedelta(hours=1, minutes=55))
            assert client.get(page).status_code == 200
        clock.shift(timedelta(hours=2, minutes=1))
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert client.session.get("_auth_user_id") is None


def test_the_idle_time_is_a_setting(personas, settings):
    settings.ECOTARGET_SESSION_IDLE_SECONDS = 600  # the session row itself would last two hours
    page = reverse("plans:list")
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post(reverse("login"), {"username": "wang", "password": "pw-wang"})
        assert client.get(page).status_code == 200
        clock.shift(timedelta(minutes=11))
        assert client.get(page).status_code == 302
