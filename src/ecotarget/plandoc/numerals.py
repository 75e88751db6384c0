"""Chinese numerals as plans write them in headings, dates and table numbers (一 … 九十九, 〇 for years)."""

from __future__ import annotations

DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# A character class for regexes that look for a small Chinese number.
CN_NUMBER_CHARS = "〇零○一二两三四五六七八九十百"


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; Arabic digits pass through; anything else → None."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if any(ch not in DIGITS and ch not in "十百" for ch in text):
        return None
    total = 0
    current = 0
    seen_unit = False
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
            seen_unit = True
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
            seen_unit = True
    if not seen_unit and len(text) > 1:
        # "二〇二二" is a year written digit by digit, not a quantity.
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    return total + current


def int_to_cn(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五 (the inverse of `cn_to_int` for 1…999)."""
    names = "零一二三四五六七八九"
    if number < 10:
        return names[number]
    if number < 20:
        return "十" + (names[number - 10] if number > 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return names[tens] + "十" + (names[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        return names[hundreds] + "百"
    if rest < 10:
        return names[hundreds] + "百零" + names[rest]
    tail = int_to_cn(rest)
    if rest < 20:
        tail = "一" + tail
    return names[hundreds] + "百" + tail


def number_value(text: str) -> int | None:
    """A heading or table number in either script."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 6 else None
    return cn_to_int(text)
