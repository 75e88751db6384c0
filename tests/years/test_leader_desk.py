"""A leader's own page: the tasks it watches and the instructions it gave, each with the lead unit's answer from
its report or 待答复; watching and instructing twice (a double click) records once."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from ecotarget.progress.models import Instruction, Watch
from progress.helpers import period, submit, task

from .pages import form_data, soup

DESK = reverse("progress:leader")


def task_page_form(client, task_pk: int, action: str):
    page = soup(client.get(reverse("progress:task", args=[task_pk])))
    return next(f for f in page.select("form") if f.get("action") == reverse(f"progress:{action}", args=[task_pk]))


def test_a_double_click_watches_once_and_instructs_once(published, personas, client_for, clock):
    clock(date(2022, 6, 10))
    client = client_for(personas.leader)
    twelve = task(published, 12).pk
    watch = task_page_form(client, twelve, "watch")
    instruct = task_page_form(client, twelve, "instruct")
    for form, data in ((watch, form_data(watch)), (instruct, form_data(instruct, text="请加快进度，7月底前开工"))):
        client.post(form["action"], data)
        client.post(form["action"], data)  # the second click of a double click, sent from the same page
    assert Watch.objects.filter(task_id=twelve, until__isnull=True).count() == 1
    given = Instruction.objects.filter(task_id=twelve).values_list("text", flat=True)
    assert list(given) == ["请加快进度，7月底前开工"]
    # Another instruction, in other words, is a second one.
    client.post(instruct["action"], form_data(instruct, text="请报告资金落实情况"))
    assert Instruction.objects.filter(task_id=twelve).count() == 2


def test_the_leader_page_lists_watched_tasks_and_instructions_with_their_answers(
    published, personas, client_for, clock
):
    clock(date(2022, 6, 10))
    client = client_for(personas.leader)
    twelve, fifteen = task(published, 12).pk, task(published, 15).pk
    for pk in (twelve, fifteen):
        form = task_page_form(client, pk, "instruct")
        client.post(form["action"], form_data(form, text=f"请抓紧推进任务{published.tasks.get(pk=pk).number}"))
    header = soup(client.get(DESK)).select_one(f"header a[href='{DESK}']")
    assert header.text == "我的关注与批示"

    # 住建局, the lead unit of task 12, answers in its June report.
    clock(date(2022, 6, 20))
    submit(published, personas.zhujian, 12, 6, 20, unit_name="住建局", instruction_answer="已召开专题会，资金已落实")

    page = soup(client.get(DESK))
    watched = [row.select("td")[1].a.text for row in page.select("table")[0].select("tbody tr")]
    assert watched == ["任务 12", "任务 15"]  # instructing a task watches it
    statuses = [row.select_one("[data-status]") for row in page.select("table")[0].select("tbody tr")]
    assert all(s is not None and s.text for s in statuses)
    answers = {
        row.select("td")[1].text: (row.select("td")[2].text, row.select("td")[3].text)
        for row in page.select("table.instructions tbody tr")
    }
    answer = f"住建局（{period(published, 6).label}报告，6月20日）：已召开专题会，资金已落实"
    assert answers["2022年 任务 12"] == ("请抓紧推进任务12", answer)
    assert answers["2022年 任务 15"] == ("请抓紧推进任务15", "待答复")


def test_only_leaders_have_the_page_and_its_link(published, personas, client_for):
    for persona in ("coordinator", "zhujian", "guyong"):
        client = client_for(getattr(personas, persona))
        assert client.get(DESK).status_code == 403
        home = soup(client.get(reverse("plans:list")))
        assert not home.select(f"a[href='{DESK}']")
    assert client_for(personas.outsider).get(DESK).status_code == 403
    assert client_for(personas.nobody).get(DESK).status_code == 403
    assert Client().get(DESK)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["coordinator", "zhujian"])
def test_nobody_but_a_leader_watches_or_instructs(published, personas, client_for, persona):
    twelve = task(published, 12).pk
    client = client_for(getattr(personas, persona))
    assert client.post(reverse("progress:watch", args=[twelve]), {"watch": "1"}).status_code == 403
    assert client.post(reverse("progress:instruct", args=[twelve]), {"text": "抓紧"}).status_code == 403
    assert not Watch.objects.exists() and not Instruction.objects.exists()
