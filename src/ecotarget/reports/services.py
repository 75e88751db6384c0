"""Business actions on written reports: generate (or re-generate) a draft, and edit it. Each writes a new
version in one transaction, with the acting user; nothing is overwritten.

A report speaks of its period: its data stop at the period's end (30 June, 31 December) and never include what
was reported or accepted later. Drafting one before its period has ended is sometimes needed (the city often
asks for the half-year report in mid-June), so it is allowed, but only when asked for explicitly: the version
is then a forecast (预报稿) whose data stop on the day it is drafted, and it says so on every page and in the
Word document. It is never passed off as the period's report.
"""

import json
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.core.actions import record
from ecotarget.core.errors import Refusal
from ecotarget.plans.models import Plan

from . import drafting
from .drafting import DraftedSection, ReportSection, long_date
from .models import ReportVersion, WrittenReport
from .selectors import cut_off, period_end_of, period_is_over, report_facts


class StaleEdit(Refusal):
    """The edit was made on a version that is no longer the latest."""


class ReportRefused(Refusal):
    """The report cannot be drafted or saved as asked; the message says why, in words for the coordinator."""


def _latest(report: WrittenReport) -> ReportVersion | None:
    return report.versions.select_for_update().order_by("-number").first()


def _merge(previous: list[ReportSection] | None, drafted: list[DraftedSection]) -> tuple[list[ReportSection], int]:
    """New sections from a fresh draft, keeping every section the coordinator edited.

    An edited section keeps its text; the new draft is offered beside it as `proposed` when it says something
    new. Returns the sections and how many edits were kept.
    """
    before = {s["key"]: s for s in previous or []}
    merged: list[ReportSection] = []
    kept = 0
    for section in drafted:
        old = before.get(section["key"])
        new: ReportSection = {**section, "drafted": section["text"], "proposed": ""}
        if old is not None and old["text"] != old.get("drafted", old["text"]):
            kept += 1
            new["text"] = old["text"]
            new["drafted"] = old.get("drafted", "")
            if section["text"] != old.get("drafted"):
                new["proposed"] = section["text"]
            elif old.get("proposed"):
                new["proposed"] = old["proposed"]
        merged.append(new)
    return merged, kept


@transaction.atomic
def written_report_generate(
    *, plan: Plan, kind: str, user: User | None, day: date, early: bool = False
) -> tuple[ReportVersion, bool]:
    """Draft the plan's half-year or year-end report from the data stored up to its cut-off, as a new version;
    returns it and whether it is new.

    Before the period has ended this is refused unless `early` (the coordinator confirmed a forecast). A
    re-generation keeps the coordinator's edited sections (offering the new text beside them) and a 成文日期 the
    coordinator set for a later day. A draft that says exactly what the latest version says (a double click, the
    button pressed again with no new data) is that version, not a new one: the report is locked while this is
    decided, so two requests at once make at most one version.
    """
    if kind not in WrittenReport.Kind.values:
        raise ReportRefused(f"未知的报告类型：{kind}")
    period_end = period_end_of(plan, kind)
    provisional = not period_is_over(period_end, day)
    if provisional and not early:
        raise ReportRefused(
            f"报告期至{long_date(period_end)}尚未结束。如确需提前起草，请确认生成预报稿（数据截至{long_date(day)}）。"
        )
    report, _ = WrittenReport.objects.get_or_create(
        plan=plan, kind=kind, defaults={"period_end": period_end, "created_by": user}
    )
    report = WrittenReport.objects.select_for_update().get(pk=report.pk)
    latest = _latest(report)
    result = drafting.draft(report_facts(plan, kind, day))
    sections, kept = _merge(latest.sections if latest else None, result.sections)
    note = "系统生成" if latest is None else "重新生成" + (f"，保留了{kept}处人工修改" if kept else "")
    if provisional:
        note = f"预报稿，{note}"
    signed_on = day
    if latest is not None and latest.signed_on > signed_on:
        signed_on = latest.signed_on  # a signing day the coordinator planned is kept
    version = ReportVersion(
        report=report,
        number=(latest.number + 1) if latest else 1,
        source=ReportVersion.Source.GENERATED,
        title=latest.title if latest and latest.title != latest.tables.get("_drafted_title") else result.title,
        as_of=cut_off(period_end, day),
        provisional=provisional,
        signed_on=signed_on,
        sections=sections,
        tables={**result.tables, "_drafted_title": result.title},
        note=note,
        created_by=user,
    )
    if latest is not None and _content(latest) == _content(version):
        return latest, False
    version.save()
    _record(user, "written_report.generate", report, version, f"{note}，数据截至{long_date(version.as_of)}")
    return version, True


def _content(version: ReportVersion) -> str:
    """What a version says, as stored (JSON), to tell whether a new draft differs from it."""
    fields = ("title", "as_of", "provisional", "signed_on", "sections", "tables")
    return json.dumps({name: getattr(version, name) for name in fields}, sort_keys=True, default=str)


def _record(user, verb: str, report: WrittenReport, version: ReportVersion, words: str) -> None:
    record(
        user,
        verb,
        report,
        f"{report.get_kind_display()}第{version.number}版：{words}",
        {"版本": [version.number - 1 or None, version.number]},
        label=f"{report.plan.year}年{report.get_kind_display()}",
        plan=report.plan,
    )


@dataclass
class ReportEdit:
    title: str
    texts: dict[str, str]  # section key → text
    adopt: str = ""  # section key whose proposed text replaces the current one
    dismiss: str = ""  # section key whose proposed text is set aside
    signed_on: date | None = None  # 成文日期; None keeps the version's


@transaction.atomic
def written_report_edit(*, report: WrittenReport, base: int, user: User | None, edit: ReportEdit) -> ReportVersion:
    """Save the coordinator's edit of version `base` as a new version; refuse if someone saved after `base`."""
    latest = _latest(report)
    if latest is None or latest.number != base:
        raise StaleEdit("该报告已被他人修改或重新生成，请刷新后再修改")
    # Copies of the stored JSON, which _merge and this function wrote.
    sections: list[ReportSection] = [section.copy() for section in latest.sections]
    for section in sections:
        text = edit.texts.get(section["key"], section["text"]).replace("\r\n", "\n").strip()
        section["text"] = text
        if edit.adopt == section["key"] and section.get("proposed"):
            section["text"] = section["drafted"] = section["proposed"]
            section["proposed"] = ""
        elif edit.dismiss == section["key"]:
            section["proposed"] = ""
    title = edit.title.strip() or latest.title
    signed_on = edit.signed_on or latest.signed_on
    if signed_on < latest.as_of:
        raise ReportRefused(f"成文日期不能早于报告的数据截止日（{long_date(latest.as_of)}）")
    if sections == latest.sections and title == latest.title and signed_on == latest.signed_on:
        return latest
    version = ReportVersion.objects.create(
        report=report,
        number=latest.number + 1,
        source=ReportVersion.Source.EDITED,
        title=title,
        as_of=latest.as_of,
        provisional=latest.provisional,
        signed_on=signed_on,
        sections=sections,
        tables=latest.tables,
        note="人工修改" if signed_on == latest.signed_on else f"人工修改，成文日期{long_date(signed_on)}",
        created_by=user,
    )
    _record(user, "written_report.edit", report, version, version.note)
    return version
