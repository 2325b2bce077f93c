"""The sector entry form: the item fields (fields.py), what the page shows of each item (items.py) and the report
form (report.py). The names below are those other modules import from `sectors.forms`."""

from sectors.formatting import format_number, format_value, normalize_number
from sectors.forms.fields import (
    BIGINT_MAX,
    BIGINT_MIN,
    NO,
    TEXT_MAX_LENGTH,
    YES,
    DecimalItemField,
    IntegerItemField,
    NumberItemField,
)
from sectors.forms.items import CheckSummary, CheckWarning, FormItem, FormSection
from sectors.forms.report import ReportForm

__all__ = [
    "BIGINT_MAX", "BIGINT_MIN", "NO", "TEXT_MAX_LENGTH", "YES", "CheckSummary", "CheckWarning", "DecimalItemField",
    "FormItem", "FormSection", "IntegerItemField", "NumberItemField", "ReportForm", "format_number", "format_value",
    "normalize_number",
]
