"""Normalising published text so that one parser reads every copy of a plan the same way.

Government sites, Word files and scraped pages write the same plan with full- or half-width punctuation,
traditional or simplified characters, padded "索 引 号" labels and stray control characters. Everything after
this module sees simplified characters, ASCII punctuation for ，：（）；, and lines whose table cells are
separated by tabs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import opencc

# Full-width ASCII forms fold to ASCII; 、。〔〕“” have no ASCII twin and stay as they are.
_WIDTH: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,
        0x300C: 0x201C,  # 「」『』 are the traditional-script quotation marks
        0x300D: 0x201D,
        0x300E: 0x2018,
        0x300F: 0x2019,
        0xFE50: 0x2C,  # small-form comma
        0xFE51: 0x3001,
        0xFE52: 0x2E,
        0xFE54: 0x3B,
        0xFE55: 0x3A,
        0x2028: 0x0A,
        0x2029: 0x0A,
        0x0B: 0x0A,
        0x0C: 0x0A,
        0x85: 0x0A,
    }
)
for _cp in range(0x2000, 0x200B):
    _WIDTH[_cp] = 0x20
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _WIDTH[_cp] = None
for _cp in range(0x20):
    if _cp not in (0x09, 0x0A, 0x0B, 0x0C, 0x0D):
        _WIDTH[_cp] = None
for _cp in range(0x7F, 0xA0):
    _WIDTH.setdefault(_cp, None)
# Lone surrogates (from lenient decoding) cannot be encoded anywhere downstream.
for _cp in range(0xD800, 0xE000):
    _WIDTH[_cp] = 0xFFFD

_NON_ASCII = r"[^\x00-\x7f]"
_SPACE_NEAR_CJK = re.compile(rf" +(?={_NON_ASCII})|(?<={_NON_ASCII}) +")
_SPACE_BEFORE_MARKER = re.compile(
    r" (?=\d{1,4}[.、](?!\d)|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))"
)
_MANY_SPACES = re.compile(r" {2,}")
_SPACES_AROUND_TAB = re.compile(r" *\t *")


@dataclass(frozen=True)
class Line:
    """One non-blank line of the document: ``no`` is its 1-based line number in the text as given."""

    no: int
    text: str


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    # Characters that t2s changes; converting them one per line keeps phrase rules from firing.
    chars = [chr(cp) for cp in range(0x4E00, 0xA000)]
    converted = _t2s().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - depends on the OpenCC dictionaries
        return frozenset()
    return frozenset(a for a, b in zip(chars, converted, strict=True) if a != b)


def is_traditional(text: str) -> bool:
    """True when enough characters are traditional-only that the text is written in traditional script.

    A simplified text may hold a stray 乾 or 於 in a name; converting it would corrupt the name.
    """
    traditional = _traditional_chars()
    cjk = 0
    hits = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            if ch in traditional:
                hits += 1
    return hits >= 2 and hits * 100 >= cjk


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if is_traditional(text) else text


def normalise(text: str) -> str:
    """Fold width, newlines and script; drop invisible characters. Line count is preserved."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_WIDTH)
    return to_simplified(text)


_RUN_ON_LABELS = re.compile(r"(?:单位|部门)\s*[:：]")


def _space_as_boundary(line: str) -> str:
    """In run-on text a space between two words is where a line break was; a space between single characters
    ("索 引 号", "13 号") is padding."""
    pieces = line.split(" ")
    out = [pieces[0]]
    for left, right in pairwise(pieces):
        if left and right and len(left) > 1 and len(right) > 1 and not left[-1].isascii() and not right[0].isascii():
            out.append("\t")
        else:
            out.append(" ")
        out.append(right)
    return "".join(out)


def clean_line(raw: str) -> str:
    """Trim a line; runs of spaces become a tab (a table cell gap), spaces next to CJK characters go.

    "索 引 号" and "13 号" lose their padding; "PM2.5 and NOx" keeps its single spaces.
    """
    line = _space_as_boundary(raw) if len(_RUN_ON_LABELS.findall(raw)) >= 2 else raw
    line = _MANY_SPACES.sub("\t", line)
    line = _SPACES_AROUND_TAB.sub("\t", line)
    line = line.strip(" \t")
    # A space before a heading or task number is a boundary in run-on text; keep it as a tab.
    line = _SPACE_BEFORE_MARKER.sub("\t", line)
    return _SPACE_NEAR_CJK.sub("", line)


def to_lines(text: str) -> list[Line]:
    """Normalised non-blank lines, numbered as in the text given."""
    lines = []
    for no, raw in enumerate(normalise(text).split("\n"), start=1):
        cleaned = clean_line(raw)
        if cleaned:
            lines.append(Line(no, cleaned))
    return lines


_TAB_NEAR_CJK = re.compile(rf"\t+(?={_NON_ASCII})|(?<={_NON_ASCII})\t+")


def flat(text: str) -> str:
    """A line as prose: table-cell tabs vanish next to CJK characters and become spaces elsewhere."""
    if "\t" not in text:
        return text
    return _TAB_NEAR_CJK.sub("", text).replace("\t", " ")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def split_outside(text: str, separators: str, opening: str, closing: str) -> list[str]:
    """Split on any of `separators` that stands outside brackets (the `opening` / `closing` characters), so that
    "各县(市、区)" or a quoted "三线一单" is never cut."""
    parts = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
