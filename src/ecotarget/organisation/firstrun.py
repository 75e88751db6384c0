"""The first run: while the database holds no region, the site is only its set-up page, and that page asks for a
one-time token kept on the server.

Why a token: the page creates the first coordinator, who may do everything. Served on a LAN
(`ECOTARGET_BIND=0.0.0.0:8000`), whoever opened the page first would own the installation. The token is written to
`<var dir>/setup-token` (mode 0600) the first time the page is opened, and printed to the server's log (the console
of `ecotarget serve`), so only someone who can read the server's files or console can set it up. It is spent with
the set-up; `ecotarget init` needs none (it runs on the server).
"""

import hmac
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings

from .models import Region

log = logging.getLogger(__name__)


def token_path() -> Path:
    return Path(getattr(settings, "ECOTARGET_SETUP_TOKEN_FILE", settings.VAR_DIR / "setup-token"))


def setup_needed() -> bool:
    """No region yet (one query): the site sends everyone to the set-up page."""
    return not Region.objects.exists()


def setup_token() -> Path:
    """The token file, written (readable by the server's user only) and logged if it does not exist yet."""
    path = token_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(18)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(token + "\n")
        log.warning("首次安装口令 / first-run setup token: %s (also in %s)", token, path)
    return path


def token_matches(given: str) -> bool:
    path = token_path()
    try:
        expected = path.read_text(encoding="ascii").strip()
    except OSError:
        return False
    return bool(expected) and hmac.compare_digest(expected.encode(), given.strip().encode())


def token_spend() -> None:
    token_path().unlink(missing_ok=True)
