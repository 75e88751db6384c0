"""Small .xlsx workbooks people fill in (a region file, a 通讯录, a station list, a 评分细则): opened only after their
zip package is checked, and their cells read as the person typed them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .zips import ZipLimits, check_zip


def open_workbook(source: bytes | Path, name: str, limits: ZipLimits) -> Any:
    """The workbook, read-only with cached values, once its package is within `limits` (PackageRefused if not;
    a file that is no workbook raises what openpyxl raises: zipfile.BadZipFile, KeyError, ValueError, OSError)."""
    from openpyxl import load_workbook

    check_zip(source, name, limits)
    return load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True, data_only=True)


def cell_text(value: object) -> str:
    """A cell as the person typed it: nothing is "", and 13800000000 (a number to Excel) is never '13800000000.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
