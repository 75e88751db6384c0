"""Reminders (催办): who is chased, e-mail and group robots posted to a real HTTP server, retries, idempotent runs.

The robot runs on 127.0.0.1, an address reminders refuse (tests/progress/test_robot_addresses.py): the robots'
address here is a public one the administrator allowed, and the connection to it reaches the local robot instead
(the one stand-in: this machine has no route to a robot of its own on the internet)."""

import http.client
import io
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from ecotarget.organisation.models import Post
from ecotarget.organisation.services import Person, posts_of, tenure_hand_over
from ecotarget.progress import webhooks
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import PlanSetup, Reminder, UnitChannel
from ecotarget.progress.selectors import chase_list, unit_webhook
from ecotarget.progress.services.reminders import reminder_send, unit_channel_set
from ecotarget.progress.services.reporting import report_return

from .helpers import accept, period, submit, unit

ROBOT_HOST = "106.11.23.10"


class Robot:
    """A group robot on 127.0.0.1: answers like DingTalk/WeCom, after failing the first `failures` posts."""

    running: "Robot | None" = None

    def __init__(self, failures: int = 0):
        self.failures, self.received = failures, []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                robot.received.append(body)
                if len(robot.received) <= robot.failures:
                    self.send_response(502)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"https://{ROBOT_HOST}/robot/send?access_token=secret"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        Robot.running = self
        return self

    def __exit__(self, *exc):
        Robot.running = None
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def robot_network(settings, monkeypatch):
    """The allowed robot address leads to the robot running now (none running: a closed port)."""
    settings.ECOTARGET_WEBHOOK_HOSTS = [ROBOT_HOST]

    def connection(checked, timeout):
        assert checked.address == ROBOT_HOST
        return http.client.HTTPConnection("127.0.0.1", Robot.running.server.server_port if Robot.running else 1)

    monkeypatch.setattr(webhooks, "_connection", connection)


@pytest.fixture
def zhujian_contact(published, personas):
    contact = next(p for p in posts_of(unit("住建局")) if p.kind == Post.Kind.CONTACT)
    tenure_hand_over(
        post=contact, successor=Person("王填报", personas.zhujian, email="wang@jl.gov.cn"), on=date(2022, 1, 1), by=None
    )
    return contact


def chase_of(plan, name, month, day):
    return next(c for c in chase_list(plan, period(plan, month), day) if c.unit.name == name)


def test_the_chase_list_names_missing_returned_and_lagging_reports(published, personas, clock):
    clock(date(2022, 5, 20))
    returned = submit(published, personas.zhujian, 12, 5, 40, unit_name="住建局")
    report_return(report=returned, user=personas.coordinator, version=returned.version, comment="请补充")
    accept(submit(published, personas.zhujian, 43, 5, 5, unit_name="住建局"), personas.coordinator)
    accept(submit(published, personas.zhujian, 29, 5, 40, unit_name="住建局"), personas.coordinator)
    chase = chase_of(published, "住建局", 5, date(2022, 5, 20))
    assert chase.returned == [12]
    assert chase.lagging == [43]
    assert 12 not in chase.missing and 43 not in chase.missing and 29 not in chase.missing
    assert 17 in chase.missing
    assert chase.reasons[0].startswith("未报送任务")


def test_a_task_accepted_as_done_is_no_longer_chased(published, personas, clock):
    clock(date(2022, 4, 20))
    accept(submit(published, personas.zhujian, 12, 4, 100, unit_name="住建局"), personas.coordinator)
    clock(date(2022, 5, 20))
    assert 12 not in chase_of(published, "住建局", 5, date(2022, 5, 20)).missing


def test_a_reminder_goes_by_email_to_the_post_holders_and_by_dingtalk_and_is_logged(
    published, personas, clock, zhujian_contact
):
    clock(date(2022, 5, 20))
    with Robot() as robot:
        PlanSetup.objects.filter(plan=published).update(webhook_kind="dingtalk", webhook_url=robot.url)
        chase = chase_of(published, "住建局", 5, date(2022, 5, 20))
        sent = reminder_send(period=period(published, 5), chase=chase, user=personas.coordinator)
    assert [(r.channel, r.result) for r in sent] == [("email", "sent"), ("dingtalk", "sent")]
    assert mail.outbox[0].to == ["wang@jl.gov.cn"] and "2022年5月" in mail.outbox[0].subject
    message = robot.received[0]
    assert message["msgtype"] == "markdown" and "住建局" in message["markdown"]["title"]
    assert "未报送任务" in message["markdown"]["text"]
    assert sent[1].recipient.endswith("/robot/send?…")  # the robot's secret is not logged
    assert sent[1].sent_by == personas.coordinator


def test_a_unit_with_its_own_wecom_robot_gets_the_wecom_format(published, personas, clock):
    clock(date(2022, 5, 20))
    with Robot() as robot:
        UnitChannel.objects.create(unit=unit("住建局"), webhook_kind="wecom", webhook_url=robot.url)
        chase = chase_of(published, "住建局", 5, date(2022, 5, 20))
        sent = reminder_send(period=period(published, 5), chase=chase, user=personas.coordinator)
    assert sent[0].result == "no_address"  # nobody with an e-mail address: reported, not dropped
    assert sent[1].channel == "wecom" and sent[1].result == "sent"
    assert set(robot.received[0]) == {"msgtype", "markdown"} and "content" in robot.received[0]["markdown"]


def test_a_failing_robot_is_retried_and_succeeds_with_every_attempt_logged(published, personas, clock):
    clock(date(2022, 5, 20))
    with Robot(failures=2) as robot:
        UnitChannel.objects.create(unit=unit("住建局"), webhook_kind="dingtalk", webhook_url=robot.url)
        chase = chase_of(published, "住建局", 5, date(2022, 5, 20))
        sent = reminder_send(period=period(published, 5), chase=chase, user=None, channels=("webhook",))
    assert sent[0].result == "sent"
    assert [a["ok"] for a in sent[0].attempts] == [False, False, True]
    assert sent[0].attempts[0]["detail"] == "HTTP 502"
    assert len(robot.received) == 3


def test_a_robot_that_always_fails_is_reported_as_failed_after_the_retries(published, personas, clock, settings):
    clock(date(2022, 5, 20))
    settings.ECOTARGET_WEBHOOK_RETRIES = 2
    with Robot(failures=99) as robot:
        UnitChannel.objects.create(unit=unit("住建局"), webhook_kind="dingtalk", webhook_url=robot.url)
        chase = chase_of(published, "住建局", 5, date(2022, 5, 20))
        sent = reminder_send(period=period(published, 5), chase=chase, user=None, channels=("webhook",))
    assert sent[0].result == "failed" and len(sent[0].attempts) == 3 and len(robot.received) == 3
    assert Reminder.objects.filter(result="failed").count() == 1


def test_a_robot_that_refuses_the_message_is_a_failure(published, personas, clock):
    clock(date(2022, 5, 20))
    with Robot() as robot:
        UnitChannel.objects.create(unit=unit("住建局"), webhook_kind="dingtalk", webhook_url=robot.url)
    # The robot has stopped: nothing answers.
    chase = chase_of(published, "住建局", 5, date(2022, 5, 20))
    sent = reminder_send(period=period(published, 5), chase=chase, user=None, channels=("webhook",))
    assert sent[0].result == "failed" and "连接失败" in sent[0].attempts[-1]["detail"]


def test_the_scheduled_command_reminds_within_the_lead_time_once_and_retries_failures(
    published, personas, clock, zhujian_contact, settings
):
    # May's report is due Wednesday 25 May; three working days before is Friday 20 May.
    clock(date(2022, 5, 19))
    call_command("send_reminders", stdout=io.StringIO())
    due_soon = Reminder.objects.filter(trigger="due_soon")
    assert not due_soon.exists()
    assert Reminder.objects.filter(trigger="overdue", period__number=4).exists()  # April's, missed
    clock(date(2022, 5, 20))
    with Robot(failures=99) as robot:
        UnitChannel.objects.create(unit=unit("住建局"), webhook_kind="dingtalk", webhook_url=robot.url)
        settings.ECOTARGET_WEBHOOK_RETRIES = 0
        with pytest.raises(SystemExit):
            call_command("send_reminders", stdout=io.StringIO())
        emails = len(mail.outbox)
        assert due_soon.filter(unit__name="住建局", channel="email", result="sent").count() == 1
        robot.failures = 0
        call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == emails  # e-mails are not sent twice
    assert due_soon.filter(unit__name="住建局", channel="dingtalk", result="sent").count() == 1
    assert due_soon.filter(unit__name="住建局", channel="dingtalk", result="failed").count() == 1


def test_after_the_due_date_the_command_sends_an_overdue_notice_once(published, personas, clock, zhujian_contact):
    clock(date(2022, 5, 26))
    call_command("send_reminders", stdout=io.StringIO())
    overdue = Reminder.objects.filter(trigger="overdue", unit__name="住建局")
    assert overdue.count() == 1 and overdue.get().period.number == 5
    call_command("send_reminders", stdout=io.StringIO())
    assert overdue.count() == 1


def test_the_coordinator_gives_a_unit_its_own_robot_and_takes_it_away(published, personas):
    zhujian = unit("住建局")
    url = "https://oapi.dingtalk.com/robot/send?access_token=zj"
    with pytest.raises(ProgressError, match="管理员"):
        unit_channel_set(unit=zhujian, user=personas.zhujian, kind="dingtalk", url=url)
    assert unit_webhook(zhujian, None) is None
    unit_channel_set(unit=zhujian, user=personas.coordinator, kind="dingtalk", url=url)
    assert unit_webhook(zhujian, None) == ("dingtalk", url)
    unit_channel_set(unit=zhujian, user=personas.coordinator, kind="", url="")
    assert not UnitChannel.objects.filter(unit=zhujian).exists()
