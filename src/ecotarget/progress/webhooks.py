"""Group-robot messages (DingTalk and WeCom) and a delivery that retries and keeps every attempt (no Django)."""

import http.client
import ipaddress
import json
import socket
import ssl
import time
import urllib.parse
from collections.abc import Iterable
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


# The robots' own hosts; an administrator may allow others (settings.ECOTARGET_WEBHOOK_HOSTS), for a robot
# run inside a government network under its own name.
KNOWN_HOSTS = frozenset({"oapi.dingtalk.com", "qyapi.weixin.qq.com"})


class Refused(ValueError):
    """A robot address this site will not post to (its words say why, for the page)."""


@dataclass(frozen=True)
class Target:
    """A checked robot address: the host as named (for TLS and the Host header) and the public address to reach."""

    host: str
    port: int
    path: str
    address: str


def masked(url: str) -> str:
    """The robot's address without its secret (robot URLs carry their token in the query string), for logs and pages."""
    return url.split("?", 1)[0] + ("?…" if "?" in url else "")


def check(url: str, allowed_hosts: Iterable[str] = ()) -> tuple[str, int, str]:
    """Refuse a robot address that is not https to a known or allowed host, or names a non-public address;
    returns (host, port, path and query). No name is looked up here (see `target`)."""
    parts = urllib.parse.urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme != "https":
        raise Refused("群机器人地址须以 https:// 开头")
    if parts.username or parts.password:
        raise Refused("群机器人地址不能含用户名或密码")
    if host not in KNOWN_HOSTS | {h.lower() for h in allowed_hosts}:
        raise Refused(
            "群机器人地址只能是钉钉（oapi.dingtalk.com）或企业微信（qyapi.weixin.qq.com），或管理员允许的地址"
        )
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not _public(literal):
        raise Refused("群机器人地址不能指向内网、本机或保留地址")
    try:
        port = parts.port or 443
    except ValueError:
        raise Refused("群机器人地址的端口无效") from None
    return host, port, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_link_local)


def target(url: str, allowed_hosts: Iterable[str] = ()) -> Target:
    """The checked address to post to: every address the host resolves to must be public (one private answer
    refuses it), and the post goes to the address checked, so a second lookup cannot point it elsewhere."""
    host, port, path = check(url, allowed_hosts)
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise Refused("群机器人地址的域名无法解析") from None
    addresses = [str(answer[4][0]) for answer in answers]
    if not addresses or not all(_public(ipaddress.ip_address(a.split("%", 1)[0])) for a in addresses):
        raise Refused("群机器人地址不能指向内网、本机或保留地址")
    return Target(host=host, port=port, path=path, address=addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """https to the host by name (certificate and Host header) over a socket to the address already checked."""

    def __init__(self, checked: Target, timeout: float):
        super().__init__(checked.host, checked.port, timeout=timeout, context=ssl.create_default_context())
        self._address = checked.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _connection(checked: Target, timeout: float) -> http.client.HTTPConnection:
    return _PinnedHTTPSConnection(checked, timeout)


def _post_once(checked: Target, body: bytes, timeout: float) -> tuple[bool, str]:
    """One post; a redirect is not followed. The robot's reply is read, never repeated: the detail kept (and shown
    on the reminders page) is a status in words."""
    connection = _connection(checked, timeout)
    try:
        connection.request("POST", checked.path, body=body, headers={"Content-Type": "application/json; charset=utf-8"})
        response = connection.getresponse()
        raw = response.read(65536)
    except (OSError, http.client.HTTPException) as exc:
        return False, "连接失败" + ("（超时）" if isinstance(exc, TimeoutError) else "")
    finally:
        connection.close()
    if 300 <= response.status < 400:
        return False, f"HTTP {response.status}（不跟随跳转）"
    if response.status != 200:
        return False, f"HTTP {response.status}"
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a refusal.
    try:
        answer = json.loads(raw.decode("utf-8"))
    except ValueError:
        return False, "应答无法识别"
    if not isinstance(answer, dict):
        return False, "应答无法识别"
    code = answer.get("errcode", 0)
    if code != 0:
        return False, f"机器人拒绝（错误码 {code}）" if isinstance(code, int) else "机器人拒绝"
    return True, "ok"


def deliver(
    url: str,
    message: dict[str, object],
    *,
    retries: int,
    backoff_ms: int,
    allowed_hosts: Iterable[str] = (),
    timeout: float = 10.0,
) -> Delivery:
    """Post the message; on failure wait backoff, 2×backoff, … and try again, `retries` more times at most.
    An address refused by `target` is not tried (one failed attempt saying why)."""
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    delivery = Delivery(ok=False)
    try:
        checked = target(url, allowed_hosts)
    except Refused as refused:
        delivery.attempts.append({"at": clock.now().isoformat(timespec="seconds"), "ok": False, "detail": str(refused)})
        return delivery
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff_ms * (2 ** (attempt - 1)) / 1000)
        ok, detail = _post_once(checked, body, timeout)
        delivery.attempts.append({"at": clock.now().isoformat(timespec="seconds"), "ok": ok, "detail": detail})
        if ok:
            delivery.ok = True
            break
    return delivery
