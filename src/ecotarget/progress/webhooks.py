"""Group-robot messages (DingTalk and WeCom) and a delivery that retries and keeps every attempt (no Django)."""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TypedDict

from ecotarget.core import clock

DINGTALK, WECOM = "dingtalk", "wecom"


def payload(kind: str, title: str, text: str) -> dict[str, object]:
    """A markdown message in the robot's own format."""
    if kind == DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}
    if kind == WECOM:
        return {"msgtype": "markdown", "markdown": {"content": f"**{title}**\n{text}"}}
    raise ValueError(f"未知的群机器人类型：{kind}")


class Attempt(TypedDict):
    """One try at sending, as a reminder keeps it (a JSON field, so a dict)."""

    at: str  # ISO time
    ok: bool
    detail: str  # "ok", or why it failed


@dataclass
class Delivery:
    ok: bool
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def detail(self) -> str:
        return self.attempts[-1]["detail"] if self.attempts else ""


def _post_once(url: str, body: bytes, timeout: float) -> tuple[bool, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return False, f"连接失败：{getattr(exc, 'reason', exc)}"
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a refusal.
    try:
        answer = json.loads(raw)
    except ValueError:
        return False, f"无法识别的应答：{raw[:100]}"
    if answer.get("errcode", 0) != 0:
        return False, f"机器人拒绝：{answer.get('errcode')} {answer.get('errmsg', '')}".strip()
    return True, "ok"


def deliver(url: str, message: dict[str, object], *, retries: int, backoff_ms: int, timeout: float = 10.0) -> Delivery:
    """Post the message; on failure wait backoff, 2×backoff, … and try again, `retries` more times at most."""
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    delivery = Delivery(ok=False)
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff_ms * (2 ** (attempt - 1)) / 1000)
        ok, detail = _post_once(url, body, timeout)
        delivery.attempts.append({"at": clock.now().isoformat(timespec="seconds"), "ok": ok, "detail": detail})
        if ok:
            delivery.ok = True
            break
    return delivery
