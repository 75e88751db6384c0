"""The system's draft of a written report, as a pure function of `selectors.Facts` (no database, no clock).

The text follows the usual shape of a county's report to the city: 总体情况, 各项任务推进情况, 主要指标完成情况,
存在的问题, 下步工作打算, 滞后任务清单. Within a section's text a line that starts with （一） is a second-level
heading and one that starts with 1. a third-level one; the Word export styles them by level.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import NotRequired, TypedDict

from ecotarget.core.numbers import percent
from ecotarget.plans.targets import TargetStanding
from ecotarget.progress.rules import LAGGING, Status

from .selectors import Facts, TaskFact

CHINESE_NUMBERS = "一二三四五六七八九十"
NOTHING = {"", "无", "暂无", "无。", "暂无。", "没有", "/"}
KIND_TITLE = {"half_year": "年上半年", "year_end": "年度"}


class DraftedSection(TypedDict):
    key: str
    heading: str
    text: str
    table: str | None  # the name of the drafted table that follows the text, if any


class ReportSection(DraftedSection):
    """A section as a version stores it (ReportVersion.sections)."""

    drafted: NotRequired[str]  # the system's text it started from
    proposed: NotRequired[str]  # a newer system draft offered beside text the coordinator edited


@dataclass
class Draft:
    title: str
    sections: list[DraftedSection]
    tables: dict[str, dict]  # name → {columns, rows}


def _cn(i: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 (enough for headings)."""
    if i <= 10:
        return CHINESE_NUMBERS[i - 1]
    return "十" + CHINESE_NUMBERS[i - 11] if i < 20 else str(i)


def long_date(day: date) -> str:
    """2022-07-08 → 2022年7月8日, as the report, its Word file, the ledger and their messages write a date."""
    return f"{day.year}年{day.month}月{day.day}日"


def _sentence(text: str) -> str:
    text = text.strip().rstrip("；;，,")
    return text if text.endswith(("。", "！", "？")) else text + "。"


def _counts_text(tasks: list[TaskFact]) -> str:
    counts = Counter(t.status for t in tasks)
    parts = [f"已完成{counts[Status.DONE]}项", f"按序时进度推进{counts[Status.ON_TRACK]}项"]
    behind = counts[Status.LAGGING] + counts[Status.SERIOUS]
    if behind:
        serious = f"（其中严重滞后{counts[Status.SERIOUS]}项）" if counts[Status.SERIOUS] else ""
        parts.append(f"滞后{behind}项{serious}")
    if counts[Status.OVERDUE]:
        parts.append(f"逾期未完成{counts[Status.OVERDUE]}项")
    if counts[Status.NOT_REPORTED]:
        parts.append(f"未按期报送进展{counts[Status.NOT_REPORTED]}项")
    return "，".join(parts)


def _units(task: TaskFact) -> str:
    return "、".join(task.lead_units) or "—"


def _overview(facts: Facts) -> str:
    period = "上半年" if facts.kind == "half_year" else "全年"
    doc = f"（{facts.doc_number}）" if facts.doc_number else ""
    indicators = Counter(i.status for i in facts.indicators)
    first = (
        f"{facts.year}年{period}，{facts.region}对照《{facts.plan_title}》{doc}确定的{len(facts.tasks)}项目标任务，"
        f"逐项明确责任单位和完成时限，按月调度、跟踪督办。截至{long_date(facts.as_of)}，"
        f"{_counts_text(facts.tasks)}。"
    )
    second = ""
    if facts.indicators:
        second = (
            f"方案所列{len(facts.indicators)}项数值指标中，达标{indicators['met']}项，"
            f"有未达标风险{indicators['at_risk']}项，未达标{indicators['missed']}项，"
            f"暂无数据{indicators['no_data']}项。"
        )
    return "\n".join(p for p in (first, second) if p)


def _section_progress(facts: Facts) -> str:
    paragraphs = []
    for i, section in enumerate(facts.sections):
        tasks = [t for t in facts.tasks if t.section == i]
        if not tasks:
            continue
        paragraphs.append(f"（{_cn(i + 1)}）{section.title}")
        paragraphs.append(f"本部分共{len(tasks)}项任务，{_counts_text(tasks)}。")
        for number, task in enumerate(t for t in tasks if t.work_done):
            paragraphs.append(f"{number + 1}. 任务{task.number}（{_units(task)}）。{_sentence(task.work_done)}")
    return "\n".join(paragraphs)


def _indicators(facts: Facts) -> str:
    if not facts.indicators:
        return "本方案未设置数值指标。"
    missed = [i for i in facts.indicators if i.status in (TargetStanding.MISSED, TargetStanding.AT_RISK)]
    text = f"主要指标完成情况见下表。共{len(facts.indicators)}项，数据来源为环境监测数据和责任单位报送数据。"
    if missed:
        names = "；".join(f"{i.metric}（{i.status_zh}，当前{i.value}）" for i in missed)
        text += f"\n需重点关注：{names}。"
    return text


def _grouped(tasks: list[TaskFact], attribute: str) -> list[str]:
    """The units' own words, each said once with the tasks and units that said it, in task order."""
    groups: dict[str, list[TaskFact]] = {}
    for task in tasks:
        text = getattr(task, attribute).strip()
        if text not in NOTHING:
            groups.setdefault(_sentence(text), []).append(task)
    lines = []
    for text, said_by in groups.items():
        numbers = "、".join(str(t.number) for t in said_by)
        units = "、".join(dict.fromkeys(u for t in said_by for u in t.lead_units))
        lines.append(f"{text.rstrip('。')}（任务{numbers}，{units or '相关单位'}）。")
    return lines


def _problems(facts: Facts) -> str:
    behind = [t for t in facts.tasks if t.status in LAGGING]
    unreported = [t for t in facts.tasks if t.status == Status.NOT_REPORTED]
    items = []
    if behind:
        numbers = "、".join(str(t.number) for t in behind)
        items.append(
            f"部分任务推进滞后。共有{len(behind)}项任务（任务{numbers}）进度落后于序时进度或逾期未完成，"
            "详见滞后任务清单。"
        )
    if unreported:
        items.append(f"部分单位未按期报送进展。共有{len(unreported)}项任务的牵头单位未在截止日前报送进展。")
    missed = [i for i in facts.indicators if i.status == TargetStanding.MISSED]
    if missed:
        items.append(f"个别指标未达目标要求。{'、'.join(i.metric for i in missed)}未达到目标值。")
    items += [
        f"责任单位反映的困难：{line}"
        for line in _grouped([t for t in facts.tasks if t.status != Status.DONE], "problems")
    ]
    if not items:
        return "各项任务总体按计划推进，暂未发现突出问题。"
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


def _next_steps(facts: Facts) -> str:
    behind = [t for t in facts.tasks if t.status in LAGGING]
    period = "下半年" if facts.kind == "half_year" else f"{facts.year + 1}年"
    lines = [f"{period}，将继续对照目标任务逐项调度，对滞后任务实行清单化督办，确保按期完成。"]
    items = []
    if behind:
        units = "、".join(dict.fromkeys(u for t in behind for u in t.lead_units))
        items.append(f"加快滞后任务推进。督促{units or '相关单位'}逐项明确整改措施和完成时限，按月跟踪销号。")
    missed = [i for i in facts.indicators if i.status in (TargetStanding.MISSED, TargetStanding.AT_RISK)]
    if missed:
        items.append(f"紧盯重点指标。针对{'、'.join(i.metric for i in missed)}，加密监测调度，落实管控措施。")
    items += [
        f"各单位计划：{line}" for line in _grouped([t for t in facts.tasks if t.status != Status.DONE], "next_steps")
    ]
    lines += [f"{n}. {item}" for n, item in enumerate(items, start=1)]
    return "\n".join(lines)


def _lagging(facts: Facts) -> str:
    behind = [t for t in facts.tasks if t.status in LAGGING]
    if not behind:
        return f"截至{long_date(facts.as_of)}，无滞后任务。"
    return f"截至{long_date(facts.as_of)}，滞后（含严重滞后、逾期未完成）任务共{len(behind)}项，清单如下。"


def tables_of(facts: Facts) -> dict[str, dict]:
    tasks = {
        "columns": ["序号", "任务", "牵头单位", "状态", "序时进度", "报告进度"],
        "rows": [
            [
                str(t.number),
                t.text if len(t.text) <= 60 else t.text[:58] + "……",
                _units(t),
                t.status.label,
                percent(t.expected),
                percent(t.reported),
            ]
            for t in facts.tasks
        ],
    }
    indicators = {
        "columns": ["任务", "指标", "目标", "当前值", "是否达标", "来源"],
        "rows": [[str(i.task_number), i.metric, i.target, i.value, i.status_zh, i.source] for i in facts.indicators],
    }
    lagging = {
        "columns": ["序号", "任务", "牵头单位", "配合单位", "状态", "序时进度", "报告进度"],
        "rows": [
            [
                str(t.number),
                t.text if len(t.text) <= 60 else t.text[:58] + "……",
                _units(t),
                "、".join(t.co_units) or "—",
                t.status.label,
                percent(t.expected),
                percent(t.reported),
            ]
            for t in facts.tasks
            if t.status in LAGGING
        ],
    }
    return {"tasks": tasks, "indicators": indicators, "lagging": lagging}


def draft(facts: Facts) -> Draft:
    """The report's title, its sections of text (each with the table that follows it, if any) and its tables."""
    title = f"{facts.region}{facts.year}{KIND_TITLE[facts.kind]}生态环境保护目标责任书落实情况的报告"
    parts = [
        ("overview", "总体情况", _overview(facts), None),
        ("sections", "各项任务推进情况", _section_progress(facts), "tasks"),
        ("indicators", "主要指标完成情况", _indicators(facts), "indicators"),
        ("problems", "存在的问题", _problems(facts), None),
        ("next_steps", "下步工作打算", _next_steps(facts), None),
        ("lagging", "滞后任务清单", _lagging(facts), "lagging"),
    ]
    sections: list[DraftedSection] = [
        {"key": key, "heading": f"{_cn(i)}、{heading}", "text": text, "table": table}
        for i, (key, heading, text, table) in enumerate(parts, start=1)
    ]
    return Draft(title=title, sections=sections, tables=tables_of(facts))
