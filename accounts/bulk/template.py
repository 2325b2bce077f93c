"""The workbook to fill: the headers, the instructions, and the codes of the units in the actor's scope."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.bulk.reading import COLUMNS, MAX_ROWS
from accounts.forms import UnitScope, unit_key, unit_label
from accounts.models import User
from accounts.policy import Role
from info_portal.text import cell_value
from organizations.models import LAO, LAO_ORDER

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _instructions(scope: UnitScope) -> list[str]:
    roles = ", ".join(f"{role.label} ({role.value})" for role in scope.grantable_roles)
    return [
        _("วิธีกรอกแบบฟอร์มสร้างบัญชีผู้ใช้หลายบัญชี"),
        "",
        _("กรอกบัญชีละหนึ่งแถวในแผ่นงานแรก ตั้งแต่แถวที่ 2 ไม่เกิน %(max)s แถว ห้ามแก้ไขแถวหัวตาราง")
        % {"max": f"{MAX_ROWS:,}"},
        _("ชื่อผู้ใช้: อักษรอังกฤษตัวเล็ก a–z ตัวเลข จุด ขีดกลาง หรือขีดล่าง ยาว 3–64 ตัว ห้ามซ้ำกับบัญชีที่มีอยู่หรือแถวอื่น"),
        _("ชื่อ-นามสกุล และอีเมล: ต้องกรอก ระบบส่งลิงก์ตั้งรหัสผ่านไปที่อีเมลของแต่ละบัญชี ไม่ส่งรหัสผ่านทางอีเมล"),
        _("ตำแหน่ง และโทรศัพท์: กรอกหรือเว้นว่างก็ได้"),
        _("บทบาท: ใช้ชื่อบทบาทภาษาไทยหรือรหัสบทบาทในวงเล็บ บทบาทที่คุณกำหนดได้: %(roles)s") % {"roles": roles},
        _("รหัสหน่วยงาน: รหัส อปท. 7 หลัก สำหรับผู้บันทึก ผู้ตรวจสอบ และผู้รับรองข้อมูล รหัสอำเภอ 4 หลัก "
          "สำหรับท้องถิ่นอำเภอ รหัสจังหวัด 2 หลัก สำหรับท้องถิ่นจังหวัด เว้นว่างสำหรับบทบาทกรมส่งเสริมการปกครองท้องถิ่น"),
        _("หน่วยงานต้องอยู่ในขอบเขตที่คุณดูแล ดูรหัสได้ที่แผ่นงาน “หน่วยงาน”"),
        _("หากมีแถวใดไม่ถูกต้อง ระบบจะไม่สร้างบัญชีใดเลย และแจ้งเลขแถวที่ต้องแก้ไข"),
        _("บัญชีหนึ่งมีบทบาทแรกได้หนึ่งบทบาทในไฟล์นี้ เพิ่มบทบาทอื่นได้ที่หน้าบัญชีผู้ใช้ภายหลัง"),
    ]


def bulk_template(*, actor: User) -> bytes:
    """The workbook to fill: Thai headers, the instructions, and the codes of the units in the actor's scope."""
    scope = UnitScope(actor)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("บัญชีผู้ใช้")
    header_fill = PatternFill("solid", fgColor="E8EEF7")
    for index, (_key, label, required) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=f"{label} *" if required else str(label))
        cell.font, cell.fill = Font(bold=True), header_fill
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 28 if _key in ("full_name", "email", "position") else 18
        # Text cells keep the leading zero of a phone number and codes as typed.
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    role_list = ",".join(role.label for role in scope.grantable_roles)
    if len(role_list) < 250:  # Excel's limit for a literal list
        validation = DataValidation(type="list", formula1=f'"{role_list}"', allow_blank=True)
        validation.add(f"F2:F{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet(_("คำอธิบาย"))
    notes.column_dimensions["A"].width = 120
    for line in _instructions(scope):
        notes.append([line])
        notes.cell(row=notes.max_row, column=1).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)

    units = workbook.create_sheet(_("หน่วยงาน"))
    units.append([_("รหัสหน่วยงาน"), _("ชื่อ"), _("ใช้กับบทบาท")])
    for cell in units[1]:
        cell.font, cell.fill = Font(bold=True), header_fill
    units.column_dimensions["A"].width, units.column_dimensions["B"].width = 16, 60
    units.column_dimensions["C"].width = 40
    lao_roles = ", ".join(role.label for role in scope.grantable_roles if role.unit_model is LAO)

    def unit_row(*values) -> None:  # names come from the registry: never a formula, never a control character
        units.append([cell_value(value) for value in values])

    for province in scope.provinces().order_by("code"):
        unit_row(unit_key(province), unit_label(province), Role.PROVINCIAL_OFFICER.label)
    for district in scope.districts().order_by("code"):
        unit_row(unit_key(district), unit_label(district, with_place=True), Role.DISTRICT_OFFICER.label)
    for lao in scope.laos().order_by(*LAO_ORDER):
        unit_row(unit_key(lao), unit_label(lao, with_place=True), lao_roles)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
