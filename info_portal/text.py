"""Text as people paste it, and as spreadsheets read it.

Pasting from Word brings control characters (a vertical tab for each soft line break): they are invisible,
XML forbids them, and openpyxl refuses a workbook that holds one. They are removed on input, and again at
every spreadsheet cell for what was stored before. A spreadsheet runs a cell that starts with = + - @ (or a
tab or line break before one) as a formula: exported text that starts so gets a leading apostrophe.
"""

import re
from decimal import Decimal

# C0 controls but tab, line feed and carriage return (multi-line text keeps those); DEL; C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Word's soft line break and page break stand between words: they become a space, not nothing.
_BREAKS = re.compile("[\x0b\x0c]")
_REMOVED = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")  # either of the above: one scan for clean text
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def without_controls(text: str) -> str:
    """The text without control characters, but tab, line feed and carriage return."""
    if _REMOVED.search(text) is None:
        return text
    return _CONTROLS.sub("", _BREAKS.sub(" ", text))


def cell_value(value: object) -> object:
    """A value for an xlsx cell: numbers, dates and empty cells unchanged; text without control characters and
    never read as a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = without_controls(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: object) -> str:
    """The same for CSV, where every cell is text: a negative number is quoted too."""
    text = "" if value is None else without_controls(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def formula_unquoted(value: object) -> object:
    """An imported cell as it was before `cell_value` quoted it, so an export imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
