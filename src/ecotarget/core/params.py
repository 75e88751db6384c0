"""Numbers a person or a page sends in a query string or a form field."""


def whole_number(value: str | None) -> int | None:
    """A whole number written in ASCII digits, else None. `str.isdigit` alone is not enough: it accepts "²" and
    "①", which `int` then refuses, turning a stray character in a URL into a server error."""
    if value and value.isascii() and value.isdigit():
        return int(value)
    return None
