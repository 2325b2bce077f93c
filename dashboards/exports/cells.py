"""Cell values that a spreadsheet cannot read as a formula."""

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe(value: object) -> object:
    """Text that starts like a formula gets a leading apostrophe; numbers and empty cells pass unchanged."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_text(value: object) -> str:
    """The same for CSV, where every cell is text: a negative number is quoted too."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
