"""Business actions on written reports: generate (or re-generate) a draft, and edit it. Each writes a new
version in one transaction, with the acting user; nothing is overwritten."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from ecotarget.plans.models import Plan

from . import drafting
from .models import ReportVersion, WrittenReport
from .selectors import period_end_of, report_facts


class StaleEdit(Exception):
    """The edit was made on a version that is no longer the latest."""


def _latest(report: WrittenReport) -> ReportVersion | None:
    return report.versions.select_for_update().order_by("-number").first()


def _merge(previous: list[dict] | None, drafted: list[dict]) -> tuple[list[dict], int]:
    """New sections from a fresh draft, keeping every section the coordinator edited.

    An edited section keeps its text; the new draft is offered beside it as `proposed` when it says something
    new. Returns the sections and how many edits were kept.
    """
    before = {s["key"]: s for s in previous or []}
    merged, kept = [], 0
    for section in drafted:
        old = before.get(section["key"])
        new = {**section, "drafted": section["text"], "proposed": ""}
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
def written_report_generate(*, plan: Plan, kind: str, user: User | None, day: date) -> ReportVersion:
    """Draft the plan's half-year or year-end report from stored data, as a new version.

    A re-generation keeps the coordinator's edited sections and offers the new text beside them.
    """
    if kind not in WrittenReport.Kind.values:
        raise ValueError(f"未知的报告类型：{kind}")
    report, _ = WrittenReport.objects.get_or_create(
        plan=plan, kind=kind, defaults={"period_end": period_end_of(plan, kind), "created_by": user}
    )
    latest = _latest(report)
    result = drafting.draft(report_facts(plan, kind, day))
    sections, kept = _merge(latest.sections if latest else None, result.sections)
    note = "系统生成" if latest is None else "重新生成" + (f"，保留了{kept}处人工修改" if kept else "")
    return ReportVersion.objects.create(
        report=report,
        number=(latest.number + 1) if latest else 1,
        source=ReportVersion.Source.GENERATED,
        title=latest.title if latest and latest.title != latest.tables.get("_drafted_title") else result.title,
        as_of=min(day, report.period_end),
        sections=sections,
        tables={**result.tables, "_drafted_title": result.title},
        note=note,
        created_by=user,
    )


@dataclass
class ReportEdit:
    title: str
    texts: dict[str, str]  # section key → text
    adopt: str = ""  # section key whose proposed text replaces the current one
    dismiss: str = ""  # section key whose proposed text is set aside


@transaction.atomic
def written_report_edit(*, report: WrittenReport, base: int, user: User | None, edit: ReportEdit) -> ReportVersion:
    """Save the coordinator's edit of version `base` as a new version; refuse if someone saved after `base`."""
    latest = _latest(report)
    if latest is None or latest.number != base:
        raise StaleEdit("该报告已被他人修改或重新生成，请刷新后再修改")
    sections = []
    for section in latest.sections:
        section = dict(section)
        text = edit.texts.get(section["key"], section["text"]).replace("\r\n", "\n").strip()
        section["text"] = text
        if edit.adopt == section["key"] and section.get("proposed"):
            section["text"] = section["drafted"] = section["proposed"]
            section["proposed"] = ""
        elif edit.dismiss == section["key"]:
            section["proposed"] = ""
        sections.append(section)
    title = edit.title.strip() or latest.title
    if sections == latest.sections and title == latest.title:
        return latest
    return ReportVersion.objects.create(
        report=report,
        number=latest.number + 1,
        source=ReportVersion.Source.EDITED,
        title=title,
        as_of=latest.as_of,
        sections=sections,
        tables=latest.tables,
        note="人工修改",
        created_by=user,
    )
