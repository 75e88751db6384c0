"""What the dashboard says on 8 July 2022 about the half-year in scenario.py, and that every figure leads to
exactly the tasks it counts."""

from datetime import date
from decimal import Decimal

from ecotarget.dashboard.charts import all_charts
from ecotarget.dashboard.selectors import BEHIND, TaskQuery, dashboard, filtered_progress
from ecotarget.organisation.models import Unit
from ecotarget.progress.rules import LAGGING, Status

DAY = date(2022, 7, 8)


def status_of(board, number: int) -> Status:
    return next(p.status for p in board.progress if p.task.number == number)


def test_every_task_is_counted_once_overall_and_in_its_section(half_year):
    board = dashboard(half_year, DAY)
    assert sum(n for _, n in board.counts) == 64
    assert sum(row.total for row in board.sections) == 64
    for status, n in board.counts:
        assert sum(row.counts[status] for row in board.sections) == n


def test_a_task_reported_done_is_done_and_one_far_behind_is_lagging(half_year):
    board = dashboard(half_year, DAY)
    assert status_of(board, 43) == Status.DONE
    assert status_of(board, 12) in LAGGING
    assert status_of(board, 17) == Status.NOT_REPORTED


def unit_row(board, name: str):
    return next(row for row in board.units if row.unit.name == name)


def test_a_unit_owes_one_report_per_task_for_each_month_since_the_hand_out(half_year):
    board = dashboard(half_year, DAY)
    zhujian = unit_row(board, "住建局")
    # 9 tasks × March–June; task 12 on time four times and 35 once, 43 late once in June, the rest never reported.
    assert (zhujian.lead_tasks, zhujian.expected, zhujian.on_time, zhujian.late, zhujian.missing) == (8, 36, 5, 1, 30)
    assert zhujian.on_time_rate == Decimal("13.9")
    assert zhujian.behind == 2  # task 12, far behind, and task 35, whose reported value misses its target
    guyong = unit_row(board, "古镛镇")
    assert (guyong.expected, guyong.on_time, guyong.late, guyong.missing) == (20, 4, 0, 16)
    assert guyong.on_time_rate == Decimal("20.0")


def test_units_are_ranked_by_tasks_behind_then_by_late_and_missing_reports(half_year):
    board = dashboard(half_year, DAY)
    ranked = board.ranked_units
    keys = [(-u.behind, -(u.late + u.missing)) for u in ranked]
    assert keys == sorted(keys)
    assert unit_row(board, "住建局") in ranked
    assert board.top_units == ranked[:10] and board.more_units == ranked[10:]


def test_a_target_that_is_not_measured_shows_the_value_of_the_latest_accepted_report(half_year):
    board = dashboard(half_year, DAY)
    sewage = next(r for r in board.targets if r.target.metric == "城区生活污水处理率")
    assert (sewage.value, sewage.status, sewage.source, sewage.as_of) == (
        Decimal(93),
        "missed",
        "填报",
        date(2022, 6, 20),
    )
    assert status_of(board, 35) in LAGGING
    assert next(r for r in board.targets if r.target.metric == "PM2.5浓度").status == "no_data"


def test_the_next_30_days_show_the_july_due_date(half_year):
    board = dashboard(half_year, DAY)
    assert any(item.kind == "报送截止" and item.day == date(2022, 7, 25) for item in board.due)
    assert all(DAY <= item.day <= date(2022, 8, 7) for item in board.due)


def test_every_bar_of_the_section_chart_leads_to_the_tasks_it_counts(half_year):
    board = dashboard(half_year, DAY)
    chart = all_charts(board, "/tasks/")["sections"]
    for series in chart["series"]:
        for row, count, url in zip(board.sections, series["data"], series["urls"], strict=True):
            status = Status(url.split("status=")[1])
            assert f"section={row.section.pk}" in url
            shown = filtered_progress(half_year, DAY, TaskQuery(status=status, section_id=row.section.pk))
            assert len(shown) == count


def test_the_units_behind_figure_leads_to_the_tasks_the_unit_leads_that_are_behind(half_year):
    zhujian = Unit.objects.get(region__code="350428", name="住建局")
    shown = filtered_progress(half_year, DAY, TaskQuery(status=BEHIND, unit_id=zhujian.pk, lead_only=True))
    board = dashboard(half_year, DAY)
    assert len(shown) == unit_row(board, "住建局").behind
    assert 12 in [p.task.number for p in shown]


def test_measured_targets_show_their_reading_and_chart_against_the_target_line(half_year, bound, air_days):
    from monitoring.test_readings import CLEAN

    air_days({date(2022, m, d): CLEAN | {"pm2_5": 10 + m} for m in (1, 2, 3) for d in range(1, 11)})
    board = dashboard(half_year, DAY)
    pm25 = next(r for r in board.targets if r.target.metric == "PM2.5浓度")
    assert pm25.source == "监测" and pm25.value is not None
    chart = all_charts(board, "/tasks/")["pm25"]
    assert chart["line"] == 15.0
    assert chart["values"][:3] == [11.0, 12.0, 13.0] and chart["values"][3:] == [None] * 9
    assert chart["url"] == "/tasks/?indicator=pm2_5_annual"
    shown = filtered_progress(half_year, DAY, TaskQuery(indicator="pm2_5_annual"))
    assert [p.task.number for p in shown] == [pm25.task.number]


def test_water_sections_are_counted_by_class(half_year, bound, stations):
    from monitoring.test_readings import GOOD_RIVER, store_water

    store_water(half_year.region, stations, {"JL-W01": GOOD_RIVER, "JL-W02": GOOD_RIVER | {"nh3n": 1.8}})
    board = dashboard(half_year, DAY)
    classes = dict(board.water_classes)
    assert classes["Ⅱ"] == 1 and classes["Ⅴ"] == 1 and sum(classes.values()) == 2
    names = {s.code: s.class_name for s in board.water}
    assert names["JL-W01"] == "Ⅱ" and names["JL-W02"] == "Ⅴ" and names["JL-W03"] == "未评价"
    assert "JL-D01" not in names  # drinking-water sources are not sections
