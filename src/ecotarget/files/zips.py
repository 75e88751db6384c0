"""Zip packages (.docx, .xlsx) checked by their central directory before any part is decompressed.

A zip's central directory states each entry's uncompressed size. Python's `zipfile`, which python-docx and
openpyxl read through, never yields more than that stated size (it stops there and fails the CRC), so the stated
sizes bound what parsing can cost: a package is refused when they add up to too much, when there are too many
entries, or when an entry expands far more than real documents do (a zip bomb).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MB = 1024 * 1024


class PackageRefused(ValueError):
    """A zip package too costly to open: `reason` names the limit, the message the file too."""

    def __init__(self, name: str, reason: str):
        self.name, self.reason = name, reason
        super().__init__(f"{name}: {reason}")


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int
    max_total_bytes: int  # the uncompressed size of all entries together
    max_ratio: int = 100  # uncompressed / compressed, for entries above `ratio_from_bytes`
    ratio_from_bytes: int = MB  # small entries (a styles part of repeated runs) may compress very well


# A plan: its XML parts are a few MB even for a long document; images do not count for much once compressed.
PLAN_LIMITS = ZipLimits(max_entries=2000, max_total_bytes=100 * MB)
# A monitoring workbook: a year of a county's hourly data is well under 100 MB of sheet XML.
DATA_LIMITS = ZipLimits(max_entries=2000, max_total_bytes=200 * MB)


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def check_zip(source: bytes | str | Path | IO[bytes], name: str, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The package's entries, or PackageRefused. Reads the central directory only; `source` is the file's bytes,
    its path or an open binary file. A damaged zip raises zipfile.BadZipFile for the caller to word."""
    if isinstance(source, bytes):
        import io

        source = io.BytesIO(source)
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise PackageRefused(
            name,
            f"压缩包内有 {len(infos)} 个部件，超过上限 {limits.max_entries} 个"
            f" / the package holds {len(infos)} entries, more than the limit of {limits.max_entries}",
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise PackageRefused(
            name,
            f"解压后共 {_mb(total)}，超过上限 {_mb(limits.max_total_bytes)}"
            f" / it expands to {_mb(total)}, more than the limit of {_mb(limits.max_total_bytes)}",
        )
    for info in infos:
        if info.file_size > limits.ratio_from_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackageRefused(
                name,
                f"部件 {info.filename} 压缩比 {ratio}:1 异常（上限 {limits.max_ratio}:1），疑为压缩炸弹"
                f" / entry {info.filename} expands {ratio} times (limit {limits.max_ratio}), a zip bomb",
            )
    return infos
