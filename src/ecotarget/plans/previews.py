"""A plan upload's text waiting for the coordinator to confirm the import.

It waits in a file under the var dir named by a random token, and the session keeps only the token: a plan of
megabytes kept in the session would be read and written again by every later request of that user. A preview is
removed once imported, replaced by the next upload, or after ECOTARGET_PREVIEW_SECONDS.
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _path(token: str) -> Path | None:
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    return Path(settings.ECOTARGET_PREVIEW_DIR) / f"{token}.txt"


def _purge_expired() -> None:
    oldest = time.time() - settings.ECOTARGET_PREVIEW_SECONDS
    for path in Path(settings.ECOTARGET_PREVIEW_DIR).glob("*.txt"):
        try:
            if path.stat().st_mtime < oldest:
                path.unlink()
        except FileNotFoundError:  # another worker removed it first
            pass


def preview_save(text: str) -> str:
    """Keep the text; returns the token that finds it again. Expired previews are removed on the way."""
    folder = Path(settings.ECOTARGET_PREVIEW_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    _purge_expired()
    token = secrets.token_urlsafe(24)
    path = _path(token)
    assert path is not None
    path.write_text(text, encoding="utf-8")
    return token


def preview_load(token: str) -> str | None:
    """The text kept under the token, or None when there is none (imported, replaced or expired)."""
    path = _path(token)
    if path is None:
        return None
    try:
        if path.stat().st_mtime < time.time() - settings.ECOTARGET_PREVIEW_SECONDS:
            path.unlink(missing_ok=True)
            return None
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def preview_discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)
