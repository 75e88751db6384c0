"""Uploaded data files are checked by their content before any reader sees them."""

import io
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from ecotarget.core.errors import Refusal


class UploadRejected(Refusal):
    pass


def sniff_suffix(data: bytes, name: str) -> str:
    """'.xlsx' for a real Excel workbook, '.csv' for text; anything else is refused with the reason."""
    if not data.strip():
        raise UploadRejected(f"{name}: 文件为空 / the file is empty")
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return ".xlsx"
        except zipfile.BadZipFile:
            pass
        raise UploadRejected(f"{name}: 压缩文件但不是 Excel 工作簿 / a zip file that is not an .xlsx workbook")
    if b"\x00" in data[:4096]:
        raise UploadRejected(f"{name}: 不是文本或 Excel 文件 / neither text (CSV) nor an .xlsx workbook")
    return ".csv"


@contextmanager
def as_file(data: bytes, name: str):
    """The upload as a temporary file with the suffix its content calls for; removed afterwards."""
    suffix = sniff_suffix(data, name)
    with tempfile.TemporaryDirectory(prefix="ecotarget-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        yield path
