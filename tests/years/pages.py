"""Read pages the way a browser does: the forms they render, with the values a browser would send."""

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "lxml")


def form_data(form, **chosen) -> dict:
    """What the form sends as rendered: hidden and filled inputs, each select's selected option (or its first),
    ticked checkboxes; `chosen` overrides fields by name (a select must offer the chosen value)."""
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "select":
            options = [o.get("value", o.text) for o in field.find_all("option")]
            if name in chosen:
                assert str(chosen[name]) in options, (name, chosen[name], options)
                continue
            selected = [o.get("value", o.text) for o in field.find_all("option", selected=True)]
            data.setdefault(name, []).extend(selected[:1] or options[:1])
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") in ("submit", "button"):
            continue
        else:
            data.setdefault(name, []).append(field.get("value", "") if field.name == "input" else field.text)
    for name, value in chosen.items():
        data[name] = value if isinstance(value, list) else [str(value)]
    return data
