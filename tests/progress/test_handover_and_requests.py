"""Hand-over and receipt (交办/签收), change requests (申请调整), set-up and the holiday arrangement."""

from datetime import date

import pytest

from ecotarget.plans.models import TaskChange
from ecotarget.progress.errors import ProgressError
from ecotarget.progress.models import ChangeRequest, Period, Receipt
from ecotarget.progress.services.changes import change_request_create, change_request_decide
from ecotarget.progress.services.handout import SetupData, plan_publish, plan_setup_save, receipt_sign
from ecotarget.progress.services.holidays import holiday_year_save

from .helpers import submit, task, unit


def test_publishing_asks_every_reporting_unit_to_sign_and_the_coordinator_sees_who_has_not(published, personas):
    receipts = Receipt.objects.filter(plan=published)
    names = set(receipts.values_list("unit__name", flat=True))
    assert {"住建局", "古镛镇", "生态环境局"} <= names and "有关乡(镇)" not in names
    receipt_sign(receipt=receipts.get(unit__name="住建局"), user=personas.zhujian)
    unsigned = receipts.filter(signed_at__isnull=True)
    assert "住建局" not in set(unsigned.values_list("unit__name", flat=True))
    assert unsigned.count() == len(names) - 1
    with pytest.raises(ProgressError, match="本单位"):
        receipt_sign(receipt=receipts.get(unit__name="古镛镇"), user=personas.zhujian)


def test_publishing_again_keeps_signatures_and_creates_no_duplicates(published, personas):
    receipt_sign(receipt=Receipt.objects.get(plan=published, unit__name="住建局"), user=personas.zhujian)
    count = Receipt.objects.filter(plan=published).count()
    plan_publish(plan=published, user=personas.coordinator)
    assert Receipt.objects.filter(plan=published).count() == count
    assert Receipt.objects.get(plan=published, unit__name="住建局").signed_by == personas.zhujian


def test_a_granted_wording_change_is_applied_to_the_task_and_both_stay_on_record(published, personas):
    request = change_request_create(
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        kind="wording",
        proposal="推进生活垃圾分类，城区实现全覆盖。",
        reason="原表述未写明范围",
    )
    change_request_decide(change_request=request, user=personas.coordinator, grant=True, note="同意")
    request.refresh_from_db()
    assert (request.state, request.decided_by) == ("granted", personas.coordinator)
    assert task(published, 12).text == "推进生活垃圾分类，城区实现全覆盖。"
    change = TaskChange.objects.filter(task__number=12, plan=published, action="request").get()
    assert change.user == personas.coordinator and "text" in change.changes


def test_a_granted_deadline_change_moves_the_tasks_last_deadline(published, personas):
    request = change_request_create(
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        kind="deadline",
        proposal="",
        reason="设备到货延迟",
        new_due_on=date(2022, 11, 30),
    )
    change_request_decide(change_request=request, user=personas.coordinator, grant=True)
    assert list(task(published, 12).milestones.values_list("due_on", flat=True)) == [date(2022, 11, 30)]


def test_a_refusal_needs_a_reason_and_leaves_the_task_as_it_was(published, personas):
    before = task(published, 12).text
    request = change_request_create(
        task=task(published, 12),
        unit=unit("住建局"),
        user=personas.zhujian,
        kind="owners",
        proposal="改由城管局牵头",
        reason="职能调整",
    )
    with pytest.raises(ProgressError, match="意见"):
        change_request_decide(change_request=request, user=personas.coordinator, grant=False)
    change_request_decide(change_request=request, user=personas.coordinator, grant=False, note="职能未调整")
    assert ChangeRequest.objects.get(pk=request.pk).state == "refused"
    assert task(published, 12).text == before
    with pytest.raises(ProgressError, match="已处理"):
        change_request_decide(change_request=request, user=personas.coordinator, grant=True)


def test_a_unit_asks_only_about_its_own_tasks_and_with_a_reason(published, personas):
    with pytest.raises(ProgressError, match="本单位"):
        change_request_create(
            task=task(published, 14),
            unit=unit("住建局"),
            user=personas.zhujian,
            kind="wording",
            proposal="x",
            reason="y",
        )
    with pytest.raises(ProgressError, match="理由"):
        change_request_create(
            task=task(published, 12),
            unit=unit("住建局"),
            user=personas.zhujian,
            kind="wording",
            proposal="x",
            reason="",
        )


def test_quarterly_reporting_can_be_chosen_until_someone_has_reported(published, personas, clock):
    plan_setup_save(plan=published, user=personas.coordinator, data=SetupData(frequency="quarterly", due_day=20))
    assert list(Period.objects.filter(plan=published).values_list("label", flat=True)) == [
        "2022年第一季度",
        "2022年上半年",
        "2022年第三季度",
        "2022年全年",
    ]
    clock(date(2022, 3, 10))
    submit(published, personas.zhujian, 12, 1, 10, unit_name="住建局")
    with pytest.raises(ProgressError, match="频次"):
        plan_setup_save(plan=published, user=personas.coordinator, data=SetupData(frequency="monthly"))


def test_entering_an_unknown_years_arrangement_re_dates_that_years_periods(plan, personas, settings):
    plan.year = 2031
    plan.save()
    plan_setup_save(plan=plan, user=personas.coordinator, data=SetupData())
    october = Period.objects.get(plan=plan, number=10)
    assert october.due_on == date(2031, 10, 27)  # 25th is a Saturday: assumed Monday
    holiday_year_save(
        region=plan.region,
        year=2031,
        user=personas.coordinator,
        notice="国办发明电〔2030〕7号",
        holidays=[(date(2031, 10, 25), "调休"), (date(2031, 10, 27), "调休")],
        workdays=[date(2031, 10, 26)],
    )
    october.refresh_from_db()
    assert october.due_on == date(2031, 10, 26)  # a working Sunday
    with pytest.raises(ProgressError, match="日历库"):
        holiday_year_save(region=plan.region, year=2022, user=personas.coordinator, notice="", holidays=[], workdays=[])
    with pytest.raises(ProgressError, match="周末"):
        holiday_year_save(
            region=plan.region,
            year=2031,
            user=personas.coordinator,
            notice="",
            holidays=[],
            workdays=[date(2031, 10, 28)],
        )
