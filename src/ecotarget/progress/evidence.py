"""What an evidence file really is, decided from its content, never from its name (no Django).

Accepted: PNG and JPEG images, PDF, Word and Excel (the .docx/.xlsx zip packages with their main part, and the
old .doc/.xls OLE compound files with their main stream). Anything else is refused with a message a user can act on.
"""

import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED_TEXT = "图片（PNG、JPG）、PDF、Word（doc、docx）、Excel（xls、xlsx）"
# The file names users give each kind; a name from another family means the name lies about the content.
NAME_SUFFIXES = {
    "png": {".png"},
    "jpg": {".jpg", ".jpeg"},
    "pdf": {".pdf"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "doc": {".doc"},
    "xls": {".xls"},
}
CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}


class EvidenceRejected(ValueError):
    pass


def _ooxml_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _ole_kind(data: bytes) -> str | None:
    # The compound file's directory names its streams in UTF-16: a Word file has "WordDocument",
    # an Excel file "Workbook" (Excel 97+) or "Book" (Excel 5).
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "xls"
    return None


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    return None


def _too_large(name: str, limit: int) -> EvidenceRejected:
    return EvidenceRejected(f"“{name}”超过 {limit // (1024 * 1024)} MB 的上限")


def read_within(name: str, chunks: Iterable[bytes], *, limit: int) -> bytes:
    """An upload's bytes read chunk by chunk, refused as soon as they pass `limit`: a file far over it is never
    held in memory whole."""
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise _too_large(name, limit)
        parts.append(chunk)
    return b"".join(parts)


def quota_refusal(used: int, adding: int, quota: int) -> str:
    """Why new files would pass a unit's evidence quota ("" when they fit or there is no quota)."""
    if not quota or used + adding <= quota:
        return ""
    mb = 1024 * 1024
    return (
        f"本单位的佐证材料已用 {used / mb:.1f} MB，再上传 {adding / mb:.1f} MB 将超过 {quota / mb:.0f} MB 的总额度，"
        "请压缩图片或联系管理员"
    )


def check(name: str, data: bytes, *, limit: int) -> str:
    """The kind of an uploaded file (an extension without the dot), or EvidenceRejected with the reason."""
    if not data:
        raise EvidenceRejected(f"“{name}”是空文件")
    if len(data) > limit:
        raise _too_large(name, limit)
    kind = sniff(data)
    if kind is None:
        raise EvidenceRejected(f"“{name}”不是可接受的文件类型，只接受{ACCEPTED_TEXT}")
    suffix = PurePath(name).suffix.lower()
    if suffix and suffix not in NAME_SUFFIXES[kind]:
        raise EvidenceRejected(f"“{name}”的内容是 {kind.upper()} 文件，与扩展名 {suffix} 不符")
    return kind
