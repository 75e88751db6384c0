"""Zip bombs and oversized sheets for the tests, written streaming: never held in memory whole."""

import zipfile
from pathlib import Path

ZEROS = b"\x00" * (1024 * 1024)


def zip_with(path: Path, parts: dict[str, bytes], *, padding: tuple[str, int] | None = None) -> Path:
    """A zip of `parts`, plus, if given, an entry of `padding[1]` MB of zeros (~1 KB per MB once compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        if padding is not None:
            name, megabytes = padding
            with archive.open(name, "w", force_zip64=True) as entry:
                for _ in range(megabytes):
                    entry.write(ZEROS)
    return path


DOCX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
}


def xlsx_parts(sheet_xml: bytes) -> dict[str, bytes]:
    """The parts of a minimal workbook whose first sheet is `sheet_xml`."""
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml"'
            b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/data.xml"'
            b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
            b' Target="worksheets/data.xml"/></Relationships>'
        ),
        "xl/worksheets/data.xml": sheet_xml,
    }


def sheet_xml(rows: int, *, dimension: str | None = None, cells_per_row: int = 3) -> bytes:
    """A worksheet of `rows` numeric rows, declaring `dimension` (or none)."""
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'.encode()
    body = b"".join(
        f'<row r="{r}">'.encode()
        + b"".join(f'<c r="{chr(65 + c)}{r}"><v>{r}</v></c>'.encode() for c in range(cells_per_row))
        + b"</row>"
        for r in range(1, rows + 1)
    )
    return head + b"<sheetData>" + body + b"</sheetData></worksheet>"
