"""Group robots (issue 10): reminders post only over https to DingTalk's and WeCom's hosts or hosts the administrator
allows, never to a private, loopback, link-local or reserved address (every address a name resolves to is checked),
a redirect is not followed, and the robot's reply is never repeated on the page."""

import http.client
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from ecotarget.progress import webhooks
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import PlanSetup, UnitChannel
from ecotarget.progress.services.reminders import reminder_send, unit_channel_set

from .helpers import period, unit
from .test_reminders import chase_of


class Listener:
    """Anything answering on 127.0.0.1, counting what reaches it, replying with a secret of its own."""

    def __init__(self):
        self.hits = 0
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                listener.hits += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(json.dumps({"errcode": 1, "errmsg": "内部机密"}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://oapi.dingtalk.com/robot/send?access_token=x",  # not https
        "https://example.com/robot/send",  # not a robot's host
        "https://oapi.dingtalk.com.evil.example/robot/send",
        "https://user:pw@oapi.dingtalk.com/robot/send",
        "https://127.0.0.1/robot/send",
        "https://10.0.0.8/robot/send",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/robot/send",
        "https://[::ffff:127.0.0.1]/robot/send",
        "https://240.0.0.1/robot/send",  # reserved
    ],
)
def test_an_address_that_is_not_a_robot_on_the_internet_is_refused_when_set(published, personas, url, settings):
    settings.ECOTARGET_WEBHOOK_HOSTS = [
        "127.0.0.1",
        "10.0.0.8",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "240.0.0.1",
    ]
    with pytest.raises(ProgressError, match="群机器人地址"):
        unit_channel_set(unit=unit("住建局"), user=personas.coordinator, kind="dingtalk", url=url)
    assert not UnitChannel.objects.exists()


def test_the_robots_hosts_are_accepted_and_an_administrator_may_allow_another(published, personas, settings):
    zhujian = unit("住建局")
    for url in (
        "https://oapi.dingtalk.com/robot/send?access_token=a",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
    ):
        unit_channel_set(unit=zhujian, user=personas.coordinator, kind="dingtalk", url=url)
    with pytest.raises(ProgressError):
        unit_channel_set(unit=zhujian, user=personas.coordinator, kind="dingtalk", url="https://robot.jl.gov.cn/send")
    settings.ECOTARGET_WEBHOOK_HOSTS = ["robot.jl.gov.cn"]
    unit_channel_set(unit=zhujian, user=personas.coordinator, kind="dingtalk", url="https://robot.jl.gov.cn/send")


def test_a_host_that_resolves_to_a_private_address_is_not_posted_to(published, personas, clock, listener, settings):
    """`localhost` is allowed by name here, but it resolves to loopback: refused at sending, nothing reaches it."""
    clock(date(2022, 5, 20))
    settings.ECOTARGET_WEBHOOK_HOSTS = ["localhost"]
    url = f"https://localhost:{listener.server.server_port}/robot/send"
    unit_channel_set(unit=unit("住建局"), user=personas.coordinator, kind="dingtalk", url=url)
    sent = reminder_send(
        period=period(published, 5), chase=chase_of(published, "住建局", 5, date(2022, 5, 20)), user=None,
        channels=("webhook",),
    )  # fmt: skip
    assert sent[0].result == "failed" and "内网" in sent[0].attempts[0]["detail"]
    assert len(sent[0].attempts) == 1 and listener.hits == 0


def test_an_address_stored_before_the_rule_is_refused_at_sending(published, personas, clock, listener):
    clock(date(2022, 5, 20))
    url = f"http://127.0.0.1:{listener.server.server_port}/robot/send"
    PlanSetup.objects.filter(plan=published).update(webhook_kind="dingtalk", webhook_url=url)
    sent = reminder_send(
        period=period(published, 5), chase=chase_of(published, "住建局", 5, date(2022, 5, 20)), user=None,
        channels=("webhook",),
    )  # fmt: skip
    assert sent[0].result == "failed" and listener.hits == 0


def test_the_plan_set_up_refuses_an_internal_robot(published, personas, client_for):
    response = client_for(personas.coordinator).post(
        reverse("progress:setup", args=[published.pk]),
        {
            "frequency": "monthly", "due_day": 25, "starts_on": "2022-01-01", "lagging_threshold": 10,
            "serious_threshold": 25, "reminder_lead_days": 3, "webhook_kind": "dingtalk",
            "webhook_url": "https://127.0.0.1:8000/robot",
        },
    )  # fmt: skip
    assert "群机器人地址" in response.content.decode()
    assert PlanSetup.objects.get(plan=published).webhook_url == ""


def test_a_redirect_is_not_followed_and_the_reply_is_never_repeated(listener, monkeypatch):
    """A robot's reply (here one naming a secret) is reduced to a status in words; a 302 is a failure."""
    monkeypatch.setattr(
        webhooks,
        "_connection",
        lambda checked, timeout: http.client.HTTPConnection("127.0.0.1", listener.server.server_port),
    )
    checked = webhooks.Target(host="oapi.dingtalk.com", port=443, path="/robot/send", address="106.11.23.10")
    ok, detail = webhooks._post_once(checked, b"{}", 5)
    assert not ok and detail == "机器人拒绝（错误码 1）" and "机密" not in detail

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/")
            self.end_headers()

        def log_message(self, *args):
            pass

    listener.server.RequestHandlerClass = Redirect
    ok, detail = webhooks._post_once(checked, b"{}", 5)
    assert not ok and detail == "HTTP 302（不跟随跳转）"
