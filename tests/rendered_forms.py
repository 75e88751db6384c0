"""Forms read out of a rendered page, and what a browser would send for them.

A browser sends, for the button it clicks: every named, enabled input's value, including those outside the form
that name it in their `form` attribute (checkboxes and radios only when checked, "on" when they have no value),
the selected option of each select (the first one when none is selected), each textarea's text, and the clicked
button's name and value. It refuses to send a form while a `required` control is empty or unticked; a person
fills those first, so `submission()` fills them with a plain sample value (the only thing not taken from the
page); likewise a person picks a row before a batch action on rows chosen by checkboxes outside the form.
File inputs are sent empty.
htmx forms go where their hx-post / hx-get says, with the HX-Request header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SUBMIT_TYPES = {"submit", "image"}
NOT_SENT = {"reset", "button", "file"}

# What a person types into an empty required control before the browser lets the form go.
SAMPLE_BY_TYPE = {
    "date": "2022-07-01",
    "number": "1",
    "email": "user@example.cn",
    "url": "https://example.cn/hook",
    "tel": "13800000000",
}
SAMPLE_TEXT = "按计划推进"


@dataclass
class Button:
    name: str
    value: str
    label: str


@dataclass
class RenderedForm:
    page_url: str
    method: str  # "get" or "post"
    url: str  # where the browser (or htmx) sends it
    htmx: bool
    hx_target: str
    controls: list[tuple[str, str]]  # (name, value) as a browser sends them
    filled: list[str]  # required controls the page left empty, filled with a sample value
    buttons: list[Button]
    needs_file: bool
    date_values: list[tuple[str, str]] = field(default_factory=list)
    html: str = ""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def submission(self, button: Button | None = None) -> list[tuple[str, str]]:
        """The (name, value) pairs a browser sends when `button` (default: the first submit button) is clicked."""
        data = list(self.controls)
        button = button or (self.buttons[0] if self.buttons else None)
        if button is not None and button.name:
            data.append((button.name, button.value))
        return data

    def data(self, button: Button | None = None, **typed: str | None) -> dict[str, list[str]]:
        """The submission as the test client posts it, with what a person types (None: a control left empty or
        unticked, to see that the server refuses what a browser would not send)."""
        sent: dict[str, list[str]] = {}
        for name, value in self.submission(button):
            sent.setdefault(name, []).append(value)
        for name, value in typed.items():
            if value is None:
                sent.pop(name, None)
            else:
                sent[name] = [value]
        return sent

    def describe(self, button: Button | None = None) -> str:
        clicked = f" [{(button or self.buttons[0]).label}]" if self.buttons else ""
        typed = f", typed into {', '.join(self.filled)}" if self.filled else ""
        return f"{self.method.upper()} {self.path} (form on {self.page_url}{typed}){clicked}"


def _text(element) -> str:
    return (element.text_content() or "").strip()


def _select_value(select) -> str | None:
    options = select.xpath(".//option")
    if not options:
        return None
    chosen = [o for o in options if o.get("selected") is not None] or options[:1]
    option = chosen[-1] if select.get("multiple") is None else chosen[0]
    value = option.get("value")
    return value if value is not None else _text(option)


def _inside(form) -> list:
    return form.xpath(".//input | .//select | .//textarea | .//button")


def _outside(form, inside: list) -> list:
    """Controls outside the form that name it in their `form` attribute."""
    form_id = form.get("id")
    if not form_id:
        return []
    return [e for e in form.getroottree().xpath("//*[@form=$id]", id=form_id) if e not in inside]


def _controls(form) -> tuple[list[tuple[str, str]], list[str], list[Button], bool, list[tuple[str, str]]]:
    controls, filled, buttons, needs_file, dates = [], [], [], False, []
    inside = _inside(form)
    outside = _outside(form, inside)
    for element in inside + outside:
        name = element.get("name") or ""
        if element.get("disabled") is not None:
            continue
        tag = element.tag
        kind = (element.get("type") or ("submit" if tag == "button" else "text")).lower()
        required = element.get("required") is not None
        if tag == "button" or (tag == "input" and kind in SUBMIT_TYPES):
            if kind in SUBMIT_TYPES:
                buttons.append(Button(name, element.get("value") or "", _text(element) or element.get("value", "")))
            continue
        if tag == "input" and kind == "date":
            dates.append((name, element.get("value") or ""))
        if tag == "input" and kind == "file":
            needs_file = needs_file or required
            continue
        if not name or (tag == "input" and kind in NOT_SENT):
            continue
        if tag == "select":
            value = _select_value(element)
            if value is not None:
                if required and value == "":  # a person picks the first real option
                    real = [o.get("value", _text(o)) for o in element.xpath(".//option") if o.get("value") != ""]
                    value = real[0] if real else ""
                    filled.append(name)
                controls.append((name, value))
            continue
        if tag == "textarea":
            # A browser drops the one newline that may follow <textarea> (Django writes one); lxml keeps it.
            value = element.text or ""
            value = value[1:] if value.startswith("\n") else value
        elif kind in ("checkbox", "radio"):
            if element.get("checked") is None:
                if not (kind == "checkbox" and required):
                    continue
                filled.append(name)  # the browser will not send the form until a person ticks it
            value = element.get("value") if element.get("value") is not None else "on"
        else:
            value = element.get("value") or ""
        if required and value == "":
            # The example the page gives, else the lowest number it allows, else a plain sample of the type.
            value = element.get("placeholder") or element.get("min") or SAMPLE_BY_TYPE.get(kind, SAMPLE_TEXT)
            filled.append(name)
        controls.append((name, value))
    # Rows picked for a batch action (checkboxes outside the form that name it): a person picks the first.
    picked = [e for e in outside if (e.get("type") or "") == "checkbox" and e.get("name") and e.get("disabled") is None]
    if picked and not any(e.get("checked") is not None for e in picked):
        first = picked[0]
        controls.append((first.get("name"), first.get("value") if first.get("value") is not None else "on"))
        filled.append(first.get("name"))
    # A required radio group with nothing checked: a person picks the first.
    for group in {r.get("name") for r in form.xpath(".//input[@type='radio'][@required]")}:
        if group and not any(n == group for n, _ in controls):
            first = form.xpath(f".//input[@type='radio'][@name='{group}']")[0]
            controls.append((group, first.get("value", "on")))
            filled.append(group)
    return controls, filled, buttons, needs_file, dates


def forms_in(html: str, page_url: str) -> list[RenderedForm]:
    """Every <form> of the page, with where it goes and what it would send."""
    document = lxml.html.document_fromstring(html)
    found = []
    for form in document.xpath("//form"):
        hx_post, hx_get = form.get("hx-post"), form.get("hx-get")
        if hx_post is not None or hx_get is not None:
            method = "post" if hx_post is not None else "get"
            target = hx_post if hx_post is not None else hx_get
            htmx = True
        else:
            method = (form.get("method") or "get").lower()
            target = form.get("action")
            htmx = False
        url = urljoin(page_url, target) if target else page_url
        controls, filled, buttons, needs_file, dates = _controls(form)
        found.append(
            RenderedForm(
                page_url=page_url,
                method=method,
                url=url,
                htmx=htmx,
                hx_target=form.get("hx-target") or "",
                controls=controls,
                filled=filled,
                buttons=buttons,
                needs_file=needs_file,
                date_values=dates,
                html=lxml.html.tostring(form, encoding="unicode"),
            )
        )
    return found


ERROR_MARKUP = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' errorlist ')]"
    " | //*[@role='alert']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' card-error ')]"
    " | //ul[contains(@class, 'messages')]/li[contains(concat(' ', normalize-space(@class), ' '), ' error ')]"
)


def errors_in(html: str) -> list[str]:
    """The error messages a page shows: field and form errors, alerts, and error messages of the message list."""
    if not html.strip():
        return []
    document = lxml.html.fromstring(html)
    return [_text(e) or lxml.html.tostring(e, encoding="unicode") for e in document.xpath(ERROR_MARKUP)]


def date_inputs(html: str) -> list[tuple[str, str]]:
    """(name, value) of every <input type=date> of the page."""
    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    return [(i.get("name") or "", i.get("value") or "") for i in document.xpath("//input[@type='date']")]


def links_in(html: str, page_url: str) -> list[str]:
    document = lxml.html.document_fromstring(html)
    return [urljoin(page_url, a.get("href")) for a in document.xpath("//a[@href]")]


def form_with(html: str, page_url: str, name: str, value: str | None = None) -> RenderedForm:
    """The one form of the page that sends a control `name` (with `value`, if given)."""
    found = [
        f
        for f in forms_in(html, page_url)
        if any(n == name and (value is None or v == value) for n, v in f.controls) or name in f.filled
    ]
    assert len(found) == 1, f"{len(found)} forms on {page_url} send {name}={value}"
    return found[0]


def the_form(html: str, page_url: str, action: str | None = None) -> RenderedForm:
    """The one form of the page that goes to `action` (default: the page itself)."""
    wanted = urlsplit(action or page_url).path
    found = [f for f in forms_in(html, page_url) if f.path == wanted]
    assert len(found) == 1, f"{len(found)} forms to {wanted} on {page_url}"
    return found[0]
