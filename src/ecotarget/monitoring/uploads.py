"""Uploaded data files are checked by their content before any reader sees them."""

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ecotarget.core.errors import Refusal
from ecotarget.files.text import has_utf16_bom
from ecotarget.files.zips import DATA_LIMITS, PackageRefused, check_zip


class UploadRejected(Refusal):
    pass


def sniff_suffix(file: IO[bytes], name: str) -> str:
    """'.xlsx' for a real Excel workbook of a size it is safe to open, '.csv' for text (the encoding is the
    reader's to tell); anything else is refused with the reason."""
    file.seek(0)
    head = file.read(4096)
    file.seek(0)
    if not head.strip():
        raise UploadRejected(f"{name}: 文件为空 / the file is empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            entries = check_zip(file, name, DATA_LIMITS)
        except PackageRefused as exc:
            raise UploadRejected(str(exc)) from None
        except (zipfile.BadZipFile, ValueError):
            entries = []
        if "xl/workbook.xml" in {entry.filename for entry in entries}:
            return ".xlsx"
        raise UploadRejected(f"{name}: 压缩文件但不是 Excel 工作簿 / a zip file that is not an .xlsx workbook")
    if b"\x00" in head and not has_utf16_bom(head):
        raise UploadRejected(f"{name}: 不是文本或 Excel 文件 / neither text (CSV) nor an .xlsx workbook")
    return ".csv"


@contextmanager
def as_file(file: IO[bytes], name: str) -> Iterator[Path]:
    """The upload as a temporary file with the suffix its content calls for, copied in chunks (an upload Django
    already streamed to disk is never held in memory); removed afterwards."""
    suffix = sniff_suffix(file, name)
    with tempfile.TemporaryDirectory(prefix="ecotarget-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        file.seek(0)
        with path.open("wb") as out:
            shutil.copyfileobj(file, out, 1024 * 1024)
        yield path
