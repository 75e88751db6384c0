"""Numbers as people write them, for every page and document: one formatter, so that no page prints "3E+1".

A Decimal read from the database may carry an exponent (`Decimal("100").normalize()` is `1E+2`) or trailing
zeros (`98.4000`); a float may carry binary noise (`45.800000000000004`). People expect "100", "98.4" and "45.8".
No Django import: the Word and Excel exports use it too.
"""

from decimal import Decimal, InvalidOperation

NONE = "—"
# Floats are computed (scheduled progress, ratios); 6 significant decimals is far below anything shown.
FLOAT_PLACES = 6


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, float):
            number = Decimal(repr(round(value, FLOAT_PLACES)))
        else:
            number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def plain_number(value: object, none: str = NONE) -> str:
    """A number without exponent and without trailing zeros: 3E+1 → 30, 98.4000 → 98.4, 45.80000001 → 45.8.

    Anything that is not a number (text a user typed, a dash) is returned as it is; None gives `none`.
    """
    if value is None:
        return none
    number = _decimal(value)
    if number is None:
        return str(value)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(value: object, measure_unit: str = "", none: str = NONE) -> str:
    """A number with its measure unit: "30%" (a percent sign follows the number directly), "28 微克/立方米"."""
    if value is None:
        return none
    number = plain_number(value, none)
    measure_unit = (measure_unit or "").strip()
    if not measure_unit or _decimal(value) is None:
        return number
    return f"{number}{measure_unit}" if measure_unit in ("%", "％", "‰") else f"{number} {measure_unit}"


def percent(value: object, none: str = NONE) -> str:
    """A percentage with its sign: 45.8 → "45.8%"."""
    return with_unit(value, "%", none)
