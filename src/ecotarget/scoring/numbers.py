"""Points and values as the working sentences write them (no Django: `core.numbers` is a layer above)."""

from decimal import Decimal

from ecotarget.standards.rounding import round_decimal


def points(value: Decimal, places: int = 2) -> Decimal:
    """Points rounded by GB/T 8170 (half to even) to `places` decimals."""
    return round_decimal(value, places)


def plain(value: Decimal | int) -> str:
    """A value without exponent or trailing zeros: 17.0 → 17, 96.20 → 96.2."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pts(value: Decimal | int) -> str:
    """Points with at least one decimal, as the published working writes them: 1 → 1.0, 0.25 → 0.25."""
    text = plain(value)
    return text if "." in text else f"{text}.0"


def with_unit(value: Decimal, unit: str) -> str:
    """17 μg/m³, 96.2%: a percent sign follows the number directly."""
    if not unit:
        return plain(value)
    return f"{plain(value)}{unit}" if unit in ("%", "％") else f"{plain(value)} {unit}"
