"""What a hostile upload costs before it is refused: a ~1 MB .docx zip bomb given as a plan, and .xlsx sheets of a
million rows (declaring their size, and not) given as monitoring data. Issue 10 measured 280 s / +2.4 GB and
478 s / +1.05 GB for these; the target is under 2 s and under 100 MB each.

Each file is built streaming into a temporary folder, then refused by the same calls the pages make: the plan
reader (`plandoc.extract_text`), the upload check (`monitoring.uploads.as_file`) and the reader the import runs
(`standards.io.read_air` with the default limits). Reported: wall seconds (best of --runs), peak Python memory
during the check (tracemalloc, a separate run) and the growth of the process's peak RSS.

    PYTHONPATH=src .venv/bin/python bench/uploads_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

from ecotarget.monitoring.uploads import UploadRejected, as_file
from ecotarget.plandoc import PlanParseError, extract_text
from ecotarget.standards.io import read_air
from ecotarget.standards.sheet_extent import SheetTooLarge

MB = 1024 * 1024
ROWS = 1_000_000
HEADER = ["站点名称", "时间", "PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml"'
    b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
    b' Target="worksheets/sheet1.xml"/></Relationships>'
)


def docx_bomb(path: Path) -> Path:
    """word/document.xml of one paragraph repeated until the package is ~1 MB (about a GB once expanded)."""
    paragraph = b"<w:p><w:r><w:t>" + "重点任务".encode() * 8 + b"</w:t></w:r></w:p>"
    block = paragraph * (MB // len(paragraph))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            while path.stat().st_size < MB:
                for _ in range(64):
                    entry.write(block)
            entry.write(b"</w:body></w:document>")
    return path


def million_rows(path: Path, declared: bool) -> Path:
    """A station-time sheet of a million rows of 8 cells, with or without its <dimension>."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            entry.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if declared:
                entry.write(f'<dimension ref="A1:H{ROWS}"/>'.encode())
            entry.write(b"<sheetData>")
            header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER)
            entry.write(f"<row>{header}</row>".encode())
            chunk = []
            for r in range(2, ROWS + 1):
                chunk.append(
                    f'<row><c t="inlineStr"><is><t>A</t></is></c><c><v>{44600 + r / 24:.4f}</v></c>'
                    f"<c><v>{r % 90}</v></c><c><v>40</v></c><c><v>6</v></c><c><v>12</v></c><c><v>0.6</v></c>"
                    f"<c><v>70</v></c></row>"
                )
                if len(chunk) == 10_000:
                    entry.write("".join(chunk).encode())
                    chunk = []
            entry.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return path


def refuse_plan(path: Path) -> str:
    try:
        extract_text(path.read_bytes(), source=path.name)
    except PlanParseError as exc:
        return str(exc)
    raise SystemExit(f"{path.name} was read, not refused")


def refuse_data(path: Path) -> str:
    """The upload check, then the reader the import runs."""
    try:
        with path.open("rb") as upload, as_file(upload, path.name) as saved:
            read_air(saved)
    except (UploadRejected, SheetTooLarge) as exc:
        return str(exc)
    raise SystemExit(f"{path.name} was read, not refused")


def measure(label: str, check: Callable[[Path], str], path: Path, runs: int) -> None:
    best = float("inf")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(runs):
        started = time.perf_counter()
        message = check(path)
        best = min(best, time.perf_counter() - started)
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    tracemalloc.start()
    check(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {path.stat().st_size / MB:6.2f} MB  {best:6.3f} s  peak {peak / MB:6.1f} MB"
          f"  (peak RSS +{rss_growth:.0f} MB)")  # fmt: skip
    print(f"    {message[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="uploads-bench-") as folder:
        folder_path = Path(folder)
        files = [
            ("a .docx zip bomb as a plan", refuse_plan, docx_bomb(folder_path / "bomb.docx")),
            ("an .xlsx of 1M rows, dimension declared", refuse_data, million_rows(folder_path / "d.xlsx", True)),
            ("an .xlsx of 1M rows, no dimension", refuse_data, million_rows(folder_path / "n.xlsx", False)),
        ]
        for label, check, path in files:
            measure(label, check, path, runs)


if __name__ == "__main__":
    main()
