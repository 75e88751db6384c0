"""Read a published ecological target-responsibility breakdown plan (分解方案 / 任务分工方案 / 任务分解表) into
plain dataclasses: metadata, sections, tasks with their responsible units, numeric targets and deadlines.

Pure Python; no Django. Entry points: `parse_text`, `parse_bytes`, `parse_file`, `extract_text`.
"""

from .model import (
    Deadline,
    Goal,
    Meta,
    PlanDocument,
    PlanParseError,
    Section,
    Subsection,
    Target,
    Task,
    UnitRef,
)
from .parser import parse_bytes, parse_file, parse_text
from .sources import extract_text

__all__ = [
    "Deadline",
    "Goal",
    "Meta",
    "PlanDocument",
    "PlanParseError",
    "Section",
    "Subsection",
    "Target",
    "Task",
    "UnitRef",
    "extract_text",
    "parse_bytes",
    "parse_file",
    "parse_text",
]
