"""Wrong passwords lock the account, and separately the address they come from, until the cool-off has passed
(django-axes); the lock is said on the login page in Chinese with the time to try again. The admin's login page
is no second door: it sends to the site's."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

START = datetime(2022, 5, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def throttled(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def attempt(username: str, password: str, address: str):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response, client.session.get("_auth_user_id")


def test_wrong_passwords_lock_the_account_until_the_cool_off(personas, throttled):
    for _ in range(2):
        response, _ = attempt("wang", "wrong", "10.0.0.1")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    response, _ = attempt("wang", "wrong", "10.0.0.1")
    assert response.status_code == 429
    page = response.content.decode()
    assert "已暂时锁定" in page and "5月10日 09:15 后再试" in page

    # The right password, even from another address, is refused during the lock; no session is opened.
    response, logged_in = attempt("wang", "pw-wang", "10.0.0.2")
    assert response.status_code == 429 and logged_in is None
    # Another account from another address is not affected.
    response, logged_in = attempt("chen", "pw-chen", "10.0.0.3")
    assert response.status_code == 302 and logged_in == str(personas.guyong.pk)

    throttled.shift(timedelta(minutes=16))
    response, logged_in = attempt("wang", "pw-wang", "10.0.0.2")
    assert response.status_code == 302 and logged_in == str(personas.zhujian.pk)


def test_wrong_passwords_from_one_address_lock_the_address_for_every_account(personas, throttled):
    for username in ["wang", "chen", "zhang"]:
        attempt(username, "wrong", "10.0.0.9")
    response, logged_in = attempt("lin", "pw-lin", "10.0.0.9")
    assert response.status_code == 429 and logged_in is None
    response, logged_in = attempt("lin", "pw-lin", "10.0.0.8")
    assert response.status_code == 302 and logged_in == str(personas.coordinator.pk)


def test_logging_into_ones_own_account_does_not_reset_the_addresss_failures(personas, throttled):
    attempt("wang", "wrong", "10.0.0.9")
    attempt("chen", "wrong", "10.0.0.9")
    assert attempt("zhang", "pw-zhang", "10.0.0.9")[1] == str(personas.leader.pk)
    assert attempt("lin", "wrong", "10.0.0.9")[0].status_code == 429
    assert attempt("zhang", "pw-zhang", "10.0.0.9")[0].status_code == 429


def test_behind_a_proxy_the_clients_address_counts_not_the_proxys(personas, throttled, settings):
    settings.ECOTARGET_PROXY_COUNT = 1
    for _ in range(3):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1").post(
            reverse("login"), {"username": "wang", "password": "wrong"}
        )
    # A forged left-hand entry does not move the address either.
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 10.0.0.5")
    assert client.post(reverse("login"), {"username": "chen", "password": "pw-chen"}).status_code == 302


def test_the_admin_login_page_sends_to_the_sites_throttled_login(personas, throttled):
    client = Client()
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("login") + "?next=/admin/"
    response = client.post("/admin/login/", {"username": "wang", "password": "pw-wang"})
    assert response.status_code == 302 and client.session.get("_auth_user_id") is None

    User.objects.create_superuser("root", password="pw-root")
    for _ in range(3):
        attempt("root", "wrong", "10.0.0.1")
    client = Client(REMOTE_ADDR="10.0.0.2")
    response = client.post(reverse("login") + "?next=/admin/", {"username": "root", "password": "pw-root"})
    assert response.status_code == 429
    throttled.shift(timedelta(minutes=16))
    response = client.post(reverse("login"), {"username": "root", "password": "pw-root", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
