"""The encoding of an uploaded text file (a CSV): detected from its bytes, or refused naming what is accepted."""

from __future__ import annotations

ACCEPTED = "UTF-8（可带 BOM）、GBK/GB18030、UTF-16（带 BOM）"
ACCEPTED_EN = "UTF-8 (with or without BOM), GBK/GB18030, UTF-16 with BOM"


class EncodingRefused(ValueError):
    """Text in none of the accepted encodings; the message names the file and the encodings accepted."""


def has_utf16_bom(data: bytes) -> bool:
    return data.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode(data: bytes, name: str) -> str:
    """`data` as text: a BOM decides (UTF-8 or UTF-16); else UTF-8 if it is valid UTF-8, else GB18030 (which reads
    GBK and GB2312). Refused, naming the file and the encodings accepted, when none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif has_utf16_bom(data):
        candidates = ["utf-16"]
    elif b"\x00" in data:  # UTF-16 without a BOM, UTF-32 or binary data: none can be told apart safely
        candidates = []
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EncodingRefused(
        f"{name}: 无法识别文件编码，请另存为 {ACCEPTED} / unknown text encoding, save it as {ACCEPTED_EN}"
    )


def as_utf8(data: bytes, name: str) -> bytes:
    """`data` as UTF-8 without a BOM, for readers that take UTF-8 only (Polars): the same detection and refusal as
    `decode`; a file already in UTF-8 is checked and handed back as it is, never held as text."""
    if not has_utf16_bom(data) and b"\x00" not in data:
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            body.decode("utf-8")  # a check only: the text is dropped at once
            return body
        except UnicodeDecodeError:
            pass
    return decode(data, name).encode("utf-8")
