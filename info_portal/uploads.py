"""Checks every uploaded spreadsheet passes before anything parses it: size, a real xlsx package, no zip bomb."""

import io
import zipfile
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

# zipfile never inflates a member past the size the zip directory declares for it, so bounding the declared
# sizes (and each member's compression ratio) bounds what parsing can unpack from a small upload.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_COMPRESSION_RATIO = 100


class UploadRefused(Exception):
    """The file is refused before parsing; the message is Thai and says why."""


def read_limited(file: BinaryIO, *, limit: int | None = None) -> bytes:
    """The file's bytes, refused if it is larger than UPLOAD_MAX_BYTES."""
    limit = limit or settings.UPLOAD_MAX_BYTES
    file.seek(0)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_("ไฟล์ใหญ่เกินกำหนด (ไม่เกิน %(limit)s)") % {"limit": filesizeformat(limit)})
    return data


def check_xlsx(data: bytes) -> None:
    """Refuse what is not an xlsx package, or would unpack to far more than it weighs."""
    not_xlsx = _("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง กรุณาบันทึกเป็น .xlsx แล้วลองอีกครั้ง")
    if not data.startswith(b"PK\x03\x04"):
        raise UploadRefused(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise UploadRefused(not_xlsx) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRefused(not_xlsx)
    if "xl/vbaProject.bin" in names or any(m.flag_bits & 0x1 for m in members):
        raise UploadRefused(_("ไม่รับไฟล์ที่มีแมโครหรือเข้ารหัสผ่าน กรุณาบันทึกเป็นไฟล์ .xlsx ธรรมดา"))
    if (len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES
            or any(m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) for m in members)):
        raise UploadRefused(_("ไฟล์นี้เมื่อแตกออกแล้วมีขนาดใหญ่ผิดปกติ (เกิน %(limit)s) จึงไม่รับไฟล์นี้")
                            % {"limit": filesizeformat(MAX_UNCOMPRESSED_BYTES)})


def open_xlsx(data: bytes) -> Workbook:
    """A checked xlsx opened read-only with cell values (no formulas); refused if openpyxl cannot read it."""
    check_xlsx(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook; each means the same here
        raise UploadRefused(_("อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกใหม่เป็น .xlsx แล้วลองอีกครั้ง")) from None
