"""Reading a registry file (CSV or Excel) into numbered rows, refusing what is not one."""

import csv
import io
from pathlib import PurePath
from typing import BinaryIO

import tablib
from django.utils.translation import gettext as _

from info_portal import uploads
from organizations.registry.columns import (
    _CONTROL_CHARACTERS,
    COLUMNS,
    RegistryError,
    RegistryFileError,
    _header_keys,
    _key,
    _text,
)


def _csv_rows(data: bytes) -> list[tuple[int, list]]:
    not_csv = RegistryError(None, _("ไฟล์นี้ไม่ใช่ไฟล์ CSV ที่อ่านได้ กรุณาบันทึกจาก Excel เป็น CSV UTF-8 หรือใช้ไฟล์ .xlsx"))
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise RegistryFileError(not_csv)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp874")  # what Thai Windows Excel writes for "CSV (Comma delimited)"
        except UnicodeDecodeError:
            raise RegistryFileError(not_csv) from None
    if _CONTROL_CHARACTERS.search(text):
        raise RegistryFileError(not_csv)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        raise RegistryFileError(RegistryError(None, _("อ่านไฟล์ CSV ไม่ได้ (%s)") % error)) from None


def _xlsx_rows(data: bytes) -> list[tuple[int, list]]:
    try:
        book = uploads.open_xlsx(data)
    except uploads.UploadRefused as refused:
        raise RegistryFileError(RegistryError(None, str(refused))) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions; read the cells as they are
        return list(enumerate((list(r) for r in sheet.iter_rows(min_row=1, values_only=True)), start=1))
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook; each means the same here
        raise RegistryFileError(RegistryError(None, _("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"))) from None
    finally:
        book.close()


def _read_rows(file: BinaryIO, file_name: str) -> list[tuple[int, list]]:
    """The file's rows numbered from 1, refusing files too large or not really CSV or XLSX."""
    try:
        data = uploads.read_limited(file)
    except uploads.UploadRefused as refused:
        raise RegistryFileError(RegistryError(None, str(refused))) from None
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(data)
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    raise RegistryFileError(RegistryError(None, _("รองรับเฉพาะไฟล์ .csv หรือ .xlsx")))


def _dataset(rows: list[tuple[int, list]]) -> tuple[tablib.Dataset, list[int]]:
    """The rows under the header as a dataset keyed by column, with each row's line in the file."""
    rows = [(line, [_text(cell) for cell in cells]) for line, cells in rows]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise RegistryFileError(RegistryError(None, _("ไฟล์ว่าง ไม่มีหัวคอลัมน์และข้อมูล")))
    (header_line, header), body = rows[0], rows[1:]
    known, keys, errors = _header_keys(), [], []
    for title in header:
        key = known.get(_key(title)) if title else None
        if title and key is None:
            errors.append(RegistryError(header_line, _("ไม่รู้จักคอลัมน์ \"%s\"") % title))
        elif key is not None and key in keys:
            errors.append(RegistryError(header_line, _("คอลัมน์ \"%s\" ซ้ำ") % title))
            key = None
        keys.append(key)
    for key, title, required in COLUMNS:
        if required and key not in keys:
            errors.append(RegistryError(header_line, _("ไม่พบคอลัมน์ \"%(header)s\" (%(key)s)")
                                        % {"header": title, "key": key}))
    dataset, lines = tablib.Dataset(headers=[k for k in keys if k]), []
    for line, cells in body:
        if any(cell and (i >= len(header) or not header[i]) for i, cell in enumerate(cells)):
            errors.append(RegistryError(line, _("มีข้อมูลในคอลัมน์ที่ไม่มีหัวคอลัมน์")))
            continue
        cells += [""] * (len(keys) - len(cells))
        dataset.append([cell for cell, key in zip(cells, keys, strict=False) if key])
        lines.append(line)
    if not body:
        errors.append(RegistryError(None, _("ไฟล์ไม่มีแถวข้อมูลใต้หัวคอลัมน์")))
    if errors:
        raise RegistryFileError(*errors)
    return dataset, lines
