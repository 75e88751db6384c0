"""Forms as a browser sends them: parse the page's HTML and take each form's fields as rendered (checked boxes
only, the selected option, the text of a textarea), so a test submits what the user would, not what it guesses."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    checkboxes: dict[str, str] = field(default_factory=dict)  # unchecked boxes: name → value, to tick by hand
    required: set[str] = field(default_factory=set)
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)  # name → attributes, as rendered
    buttons: list[str] = field(default_factory=list)  # the text of its buttons

    def data(self, **changes: str) -> dict[str, str]:
        """The fields as the browser sends them, with `changes` typed in or ticked by the user."""
        sent = dict(self.fields)
        for name, value in changes.items():
            sent[name] = value
        return sent


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._selected = False
        self._button = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            form.inputs[name] = a
            if "required" in a:
                form.required.add(name)
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                form.checkboxes[name] = a.get("value", "on")
                return
            form.fields.append((name, a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_first, self._selected = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form.fields.append((self._select, value))
                self._selected = True
        elif tag == "button":
            self._button, self._text = True, []

    def handle_data(self, data):
        if self._textarea is not None or self._button:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text)
            self._form.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._selected and self._select_first is not None and self._form is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "button" and self._button:
            if self._form is not None:
                self._form.buttons.append("".join(self._text).strip())
            self._button = False


def forms(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str, value: str | None = None) -> Form:
    """The one form that has a field `field_name` (with `value`, if given)."""
    found = [
        f
        for f in forms(html)
        if any(n == field_name and (value is None or v == value) for n, v in f.fields)
        or (field_name in f.checkboxes and value is None)
    ]
    assert len(found) == 1, f"{len(found)} forms with {field_name}={value}"
    return found[0]
