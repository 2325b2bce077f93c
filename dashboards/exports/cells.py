"""Cell values that a spreadsheet can neither read as a formula nor refuse (control characters removed)."""

from info_portal.text import cell_text, cell_value

safe = cell_value
safe_text = cell_text
