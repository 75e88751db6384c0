"""`ecotarget parse FILE [--json]`: read a plan document and print its tasks, without Django or a database."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence

from .model import PlanDocument, PlanParseError, Target, Task, json_number
from .parser import parse_file

_OPS = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">"}
_BASELINES = {"previous_year": "上年", "three_year_average": "近三年平均"}
_MAX_WIDTHS = (6, 16, 24, 44, 40)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecotarget parse",
        description=(
            "读取生态环境保护目标责任分解方案（.txt / .docx / .xlsx / .html），列出任务、责任单位、目标和时限；\n"
            "未能完整读出的任务照常列出并标“需核对”。\n"
            "Read an ecological target-responsibility breakdown plan (.txt, .docx, .xlsx or .html) and list its\n"
            "tasks with their responsible units (牵头 lead / 配合 co-unit), numeric targets and deadlines; items it\n"
            "could not read fully are listed all the same, flagged 需核对 with the reason."
        ),
        epilog=(
            "示例 / examples:\n"
            "  ecotarget parse 分解方案.docx\n"
            "  ecotarget parse plan.html --json > plan.json\n"
            "出错时返回 2 并在标准错误输出“文件:行: 原因” / on a parse error exits 2, printing FILE:LINE: REASON."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="方案文件 / the plan document (.txt, .docx, .xlsx, .html)")
    parser.add_argument(
        "--json",
        action="store_true",
        help="输出 JSON（UTF-8，缩进 2）/ print the parsed plan as JSON instead of a table",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        document = parse_file(args.file)
    except PlanParseError as error:
        print(str(error), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(document.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(document))
    return 0


def render(document: PlanDocument) -> str:
    """The plan as a readable table: one row per task, long cells wrapped."""
    meta = document.meta
    head = [meta.title or "(无标题 / untitled)"]
    facts = [f for f in (meta.doc_number, meta.issuer, meta.issued_on.isoformat() if meta.issued_on else "") if f]
    if facts:
        head.append("  ".join(facts))
    head.append(f"{len(document.tasks)} 项任务 / tasks, {len(document.sections)} 个部分 / sections")
    rows = [("序号", "章节", "责任单位", "目标", "时限")]
    rows += [_row(task) for task in document.tasks]
    out = "\n".join(head) + "\n\n" + _table(rows)
    if document.goals:
        out += "\n\n方案总体目标 / plan-level goals:\n" + "\n".join(f"  {goal.text}" for goal in document.goals)
    if document.flagged:
        out += "\n\n需核对 / to check:\n" + "\n".join(
            f"  任务{task.number}（第{task.line}行）：{'；'.join(task.review_reasons)}" for task in document.flagged
        )
    return out


def _row(task: Task) -> tuple[str, str, str, str, str]:
    section = task.section + (f" / {task.subsection}" if task.subsection else "")
    # One item per line: a unit's name or a target is never broken across lines unless it is too long.
    units = "\n".join(f"{u.name} {'牵头' if u.role == 'lead' else '配合'}" for u in task.units)
    targets = "\n".join(describe_target(t) for t in task.targets)
    deadlines = "\n".join(f"{d.date.isoformat()} {d.what}".strip() for d in task.deadlines)
    return str(task.number), section, units, targets or "—", deadlines or "—"


def describe_target(target: Target) -> str:
    """PM2.5浓度≤15微克/立方米; 农药使用量较上年减少≥2%; 优良天数比例>近三年平均."""
    op = _OPS[target.op]
    baseline = _BASELINES.get(target.baseline or "", "")
    if target.value is None:
        return f"{target.metric}{op}{baseline}"
    amount = f"{json_number(target.value)}{target.measure_unit or ''}"
    if target.reduction:
        return f"{target.metric}较{baseline or '基准'}减少{op}{amount}"
    if baseline:
        return f"{target.metric}较{baseline}增加{op}{amount}"
    return f"{target.metric}{op}{amount}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for item in text.split("\n"):
        current = ""
        for ch in item:
            if _width(current + ch) > width:
                lines.append(current)
                current = ""
            current += ch
        lines.append(current)
    return lines


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [
        min(_MAX_WIDTHS[i], max(_width(line) for r in rows for line in r[i].split("\n"))) for i in range(len(rows[0]))
    ]
    out = []
    for index, row in enumerate(rows):
        cells = [_wrap(cell, widths[i]) for i, cell in enumerate(row)]
        for line in range(max(len(c) for c in cells)):
            parts = [c[line] if line < len(c) else "" for c in cells]
            out.append("  ".join(p + " " * (widths[i] - _width(p)) for i, p in enumerate(parts)).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
