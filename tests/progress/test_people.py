"""People hold posts for dated periods; a successor takes over the post, the account and the unit's history."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from ecotarget.organisation.models import Membership, Post, Tenure
from ecotarget.organisation.services import Person, TenureError, posts_of, tenure_hand_over
from ecotarget.progress.selectors import unit_page

from .helpers import period, submit, unit


def test_handing_a_post_over_ends_the_old_tenure_starts_the_new_and_moves_the_account(published, personas, clock):
    zhujian = unit("住建局")
    contact = next(p for p in posts_of(zhujian) if p.kind == Post.Kind.CONTACT)
    assert [p.kind for p in posts_of(zhujian)] == ["leader", "responsible", "contact"]
    tenure_hand_over(
        post=contact, successor=Person("王填报", personas.zhujian), on=date(2022, 1, 1), by=personas.coordinator
    )
    clock(date(2022, 4, 20))
    submit(published, personas.zhujian, 12, 4, 30, unit_name="住建局", work_done="王填报的四月报告")

    successor = User.objects.create_user("zhao", password="pw-zhao", first_name="赵接任")
    new = tenure_hand_over(
        post=contact,
        successor=Person("赵接任", successor, email="zhao@example.cn"),
        on=date(2022, 5, 16),
        by=personas.coordinator,
        note="王填报调任",
    )
    old = Tenure.objects.get(post=contact, person="王填报")
    assert (old.ended_on, old.ended_by) == (date(2022, 5, 15), personas.coordinator)
    assert (new.started_on, new.ended_on) == (date(2022, 5, 16), None)
    assert not Membership.objects.filter(user=personas.zhujian).exists()
    assert Membership.objects.get(user=successor).unit == zhujian
    # The successor sees every earlier report of the unit.
    page = unit_page(published, zhujian, period(published, 5), date(2022, 5, 20), with_drafts=True)
    row = next(r for r in page.rows if r.task.number == 12)
    assert row.previous.work_done == "王填报的四月报告"
    clock(date(2022, 5, 20))
    report = submit(published, successor, 12, 5, 40, unit_name="住建局")
    assert report.submitted_by == successor


def test_a_hand_over_must_come_after_the_current_tenure_began_and_to_someone_else(published, personas):
    contact = next(p for p in posts_of(unit("住建局")) if p.kind == Post.Kind.CONTACT)
    tenure_hand_over(post=contact, successor=Person("王填报", personas.zhujian), on=date(2022, 3, 1), by=None)
    with pytest.raises(TenureError, match="晚于"):
        tenure_hand_over(post=contact, successor=Person("赵", None), on=date(2022, 3, 1), by=None)
    with pytest.raises(TenureError, match="同一账号"):
        tenure_hand_over(post=contact, successor=Person("王填报", personas.zhujian), on=date(2022, 4, 1), by=None)


def test_an_account_of_another_unit_cannot_take_the_post(published, personas):
    contact = next(p for p in posts_of(unit("住建局")) if p.kind == Post.Kind.CONTACT)
    with pytest.raises(TenureError, match="已是"):
        tenure_hand_over(post=contact, successor=Person("陈填报", personas.guyong), on=date(2022, 4, 1), by=None)
    assert not Tenure.objects.filter(post=contact).exists()  # nothing half-written


def test_the_leader_post_carries_no_reporting_account(published, personas):
    leader_post = next(p for p in posts_of(unit("住建局")) if p.kind == Post.Kind.LEADER)
    tenure_hand_over(post=leader_post, successor=Person("李副县长", personas.leader), on=date(2022, 1, 1), by=None)
    assert Membership.objects.get(user=personas.leader).role == "leader"
