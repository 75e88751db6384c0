"""Deadlines in a task's text ("9月底前完成…", "年底前", "半年和年终", "三季度末") as dates of the plan's year.

A deadline without a written year falls in the plan's year; without a plan year it is skipped rather than
guessed. Recurring phrases expand: 每季度 → the four quarter ends, 每半年 → 30 June and 31 December.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .model import Deadline
from .numerals import cn_to_int

_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:(?P<year>(?:19|20)\d{2})年)?"
_BEFORE = r"(?:前|之前|以前|为止)?"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    dates: Callable[[re.Match[str], int], list[date]]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _num(text: str | None) -> int:
    value = cn_to_int(text or "")
    return value if value is not None else 0


def _day(match: re.Match[str], year: int) -> list[date]:
    return [date(year, _num(match.group("month")), _num(match.group("day")))]


def _end_of_month(match: re.Match[str], year: int) -> list[date]:
    return [_month_end(year, _num(match.group("month")))]


def _before_month(match: re.Match[str], year: int) -> list[date]:
    # "10月前" is before October begins: the last day of September.
    return [date(year, _num(match.group("month")), 1) - timedelta(days=1)]


def _decade(match: re.Match[str], year: int) -> list[date]:
    month = _num(match.group("month"))
    part = match.group("part")
    if part == "上旬":
        return [date(year, month, 10)]
    if part == "中旬":
        return [date(year, month, 20)]
    return [_month_end(year, month)]


def _quarter(match: re.Match[str], year: int) -> list[date]:
    return [_month_end(year, _num(match.group("quarter")) * 3)]


def _fixed(month: int, day: int) -> Callable[[re.Match[str], int], list[date]]:
    return lambda match, year: [date(year, month, day)]


def _each(*days: tuple[int, int]) -> Callable[[re.Match[str], int], list[date]]:
    return lambda match, year: [date(year, m, d) for m, d in days]


# Ordered: the first rule to match at a position wins, so longer phrases come first.
RULES = [
    _Rule(re.compile(rf"{_YEAR}(?P<month>{_N})月(?P<day>{_N})日{_BEFORE}"), _day),
    _Rule(re.compile(rf"{_YEAR}(?P<month>{_N})月(?:份)?(?:底|末){_BEFORE}"), _end_of_month),
    _Rule(re.compile(rf"{_YEAR}(?P<month>{_N})月(?P<part>上旬|中旬|下旬){_BEFORE}"), _decade),
    _Rule(re.compile(rf"{_YEAR}(?P<month>{_N})月(?:份)?(?:前|之前|以前)"), _before_month),
    # "9月完成", "2022年12月" at the end of a clause: within that month.
    _Rule(re.compile(rf"{_YEAR}(?P<month>{_N})月(?:份)?(?=完成|建成|办结|[,;。)]|$)"), _end_of_month),
    _Rule(re.compile(rf"{_YEAR}第?(?P<quarter>[一二三四1-4])季度(?:末|底)?{_BEFORE}"), _quarter),
    _Rule(re.compile(r"每季度(?:末|底)?"), _each((3, 31), (6, 30), (9, 30), (12, 31))),
    _Rule(re.compile(r"每半年"), _each((6, 30), (12, 31))),
    _Rule(re.compile(rf"{_YEAR}(?:上半年|年中|半年)(?:末|底)?{_BEFORE}"), _fixed(6, 30)),
    _Rule(re.compile(rf"{_YEAR}下半年{_BEFORE}"), _fixed(12, 31)),
    _Rule(re.compile(rf"(?P<year>(?:19|20)\d{{2}})年(?:底|末|年底|年末){_BEFORE}"), _fixed(12, 31)),
    _Rule(re.compile(rf"(?:年底|年末|年终|年内){_BEFORE}"), _fixed(12, 31)),
]
_JOINERS = re.compile(r"^(?:和|及|与|、|或)$")
_CLAUSE_END = ",;。!?"


def extract_deadlines(text: str, year: int | None) -> list[Deadline]:
    """Every deadline in the text with the clause it governs."""
    hits: list[tuple[int, int, list[date]]] = []
    position = 0
    while position < len(text):
        best: tuple[int, int, list[date]] | None = None
        for rule in RULES:
            match = rule.pattern.search(text, position)
            if match is None or match.end() == match.start():
                continue
            if best is not None and match.start() >= best[0]:
                continue
            written = match.groupdict().get("year")
            plan_year = int(written) if written else year
            if plan_year is None:
                continue
            try:
                dates = rule.dates(match, plan_year)
            except ValueError:
                continue
            best = (match.start(), match.end(), dates)
        if best is None:
            break
        if not _inside_other_number(text, best[0]):
            hits.append(best)
        position = best[1]

    deadlines: list[Deadline] = []
    i = 0
    while i < len(hits):
        # "半年和年终,…": phrases joined by 和/及/、 govern the same clause.
        group = [hits[i]]
        while i + 1 < len(hits) and _JOINERS.match(text[group[-1][1] : hits[i + 1][0]]):
            i += 1
            group.append(hits[i])
        next_start = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        what = _what(text, group[0][0], group[-1][1], next_start)
        for _, _, dates in group:
            for day in dates:
                deadline = Deadline(day, what)
                if deadline not in deadlines:
                    deadlines.append(deadline)
        i += 1
    return deadlines


def _inside_other_number(text: str, start: int) -> bool:
    # "12月底" must not be read from the "2月底" inside it; the pattern anchors on whole numbers.
    return start > 0 and text[start - 1].isdigit()


def _what(text: str, start: int, end: int, next_start: int) -> str:
    """The clause a deadline governs: what follows it, or what precedes it when it closes the clause."""
    rest = text[end:next_start]
    if rest[:1] in (",", ":"):
        rest = rest[1:]
    stop = min((rest.find(ch) for ch in _CLAUSE_END + ")】" if ch in rest), default=len(rest))
    following = rest[:stop].strip()
    following = re.sub(r"^(?:前|之前|以前|要|应|须|,)+", "", following).strip()
    if following:
        return following
    before = re.sub(r"[(【]?(?:完成)?(?:时间|时限|期限|时间节点)(?:要求)?:?$", "", text[:start].rstrip("(【:"))
    for clause in reversed(re.split(rf"[{_CLAUSE_END}]", before)):
        clause = re.sub(r"(?:于|在|到|至|截至|并)+$", "", clause.strip(" ()【】")).strip()
        if clause:
            return clause
    return ""
