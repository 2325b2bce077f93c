"""Reading the filled template: its columns, found by key or label, and its rows as text by column key."""

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.policy import ROLE_LABELS, Role
from info_portal import uploads

MAX_ROWS = 2000

COLUMNS = (
    ("username", gettext_lazy("ชื่อผู้ใช้"), True),
    ("full_name", gettext_lazy("ชื่อ-นามสกุล"), True),
    ("email", gettext_lazy("อีเมล"), True),
    ("position", gettext_lazy("ตำแหน่ง"), False),
    ("phone", gettext_lazy("โทรศัพท์"), False),
    ("role", gettext_lazy("บทบาท"), True),
    ("unit_code", gettext_lazy("รหัสหน่วยงาน"), False),
)


class FileRefused(Exception):
    """The upload is refused as a whole, before or while it is read."""


def _normal(text: object) -> str:
    return " ".join(str(text).split()).lower()


def _names(items) -> dict[str, object]:
    """Each (key, label, value) findable by its key, its label in the current language, and its Thai label."""
    names = {}
    for key, label, value in items:
        with translation.override("th"):
            thai = str(label)
        names.update({_normal(key): value, _normal(label): value, _normal(thai): value})
    return names


def _role_names() -> dict[str, Role]:
    return _names((role.value, ROLE_LABELS[role], role) for role in Role)


def _cell_text(key: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.isoformat() if isinstance(value, date) else str(value).strip()
    # A phone number typed into a number cell loses its leading zero; Thai numbers have 9 or 10 digits.
    if key == "phone" and isinstance(value, int) and len(text) in (8, 9):
        text = "0" + text
    return text


def _read_rows(file: UploadedFile) -> list[tuple[int, dict[str, str]]]:
    """The filled rows of the first sheet as (line number, values by column key); blank rows are skipped."""
    unreadable = _("อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกใหม่เป็น .xlsx แล้วลองอีกครั้ง")
    try:
        workbook = uploads.open_xlsx(uploads.read_limited(file))
    except uploads.UploadRefused as refused:
        raise FileRefused(str(refused)) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        known = _names((key, label, key) for key, label, _required in COLUMNS)
        columns = {index: known[_normal(value).rstrip("* ")] for index, value in enumerate(header)
                   if value is not None and _normal(value).rstrip("* ") in known}
        missing = [str(label) for key, label, required in COLUMNS if required and key not in columns.values()]
        if missing:
            raise FileRefused(_("แถวแรกของไฟล์ไม่มีคอลัมน์ %(columns)s กรุณาใช้แบบฟอร์มที่ดาวน์โหลดจากหน้านี้")
                              % {"columns": ", ".join(missing)})
        found = []
        for line, values in enumerate(rows, start=2):
            data = {key: _cell_text(key, values[index] if index < len(values) else None)
                    for index, key in columns.items()}
            if not any(data.values()):
                continue
            if len(found) == MAX_ROWS:
                raise FileRefused(_("ไฟล์มีข้อมูลเกิน %(max)s แถว กรุณาแบ่งเป็นหลายไฟล์") % {"max": f"{MAX_ROWS:,}"})
            found.append((line, data))
    except FileRefused:
        raise
    except Exception as error:  # a damaged sheet can fail while it is streamed, too
        raise FileRefused(unreadable) from error
    finally:
        workbook.close()
    if not found:
        raise FileRefused(_("ไม่พบข้อมูลในไฟล์ กรุณากรอกบัญชีตั้งแต่แถวที่ 2 ของแผ่นงานแรก"))
    return found
