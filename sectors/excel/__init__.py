"""A recorder's Excel round trip: one workbook per LAO and fiscal year, read back as a preview, applied at once.

The workbook has a sheet per sector whose code, label, unit and last year's columns are locked, and a hidden
sheet with each report's version at export, so a save made after the download is caught as a conflict.
An upload is refused before it is parsed if it is too large, not an .xlsx package, or a zip bomb. Every cell
passes the same parsing as the web form; a file with any bad cell changes nothing. Applying saves each
changed sector through services.report_save in one transaction: one refused sector refuses them all.
"""
from sectors.excel.apply import workbook_apply
from sectors.excel.export import _sheet_names, workbook_export
from sectors.excel.layout import (
    COLUMN_INDEXES,
    HEADER_ROW,
    LABEL,
    LAST_YEAR,
    LISTS_SHEET,
    META_SHEET,
    NOT_APPLICABLE_FLAG,
    NOTES_SHEET,
    REASON,
    VALUE,
    XLSX_CONTENT_TYPE,
    UploadPreview,
    WorkbookRefused,
    workbook_filename,
)
from sectors.excel.upload import workbook_parse

__all__ = [
    "COLUMN_INDEXES", "HEADER_ROW", "LABEL", "LAST_YEAR", "LISTS_SHEET", "META_SHEET", "NOTES_SHEET",
    "NOT_APPLICABLE_FLAG", "REASON", "VALUE", "XLSX_CONTENT_TYPE", "UploadPreview", "WorkbookRefused",
    "_sheet_names", "workbook_apply", "workbook_export", "workbook_filename", "workbook_parse",
]
