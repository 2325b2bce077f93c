"""Many accounts from one Excel file: the template to fill, the checks, and the all-or-nothing creation.

Every row passes the same form as the single account page, so the rules cannot drift apart. A file with
any bad row creates nothing; a good file creates every account and its role in one transaction, and
each owner gets an invitation e-mail once it commits.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from accounts import services
from accounts.forms import AccountCreateForm, UnitScope, unit_key, unit_label
from accounts.models import User
from accounts.policy import ROLE_LABELS, Role
from info_portal import uploads
from info_portal.text import cell_value
from jobs.models import Job
from jobs.services import JobRefused, Outcome, Progress, job_start, job_succeed
from organizations.models import LAO

MAX_ROWS = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = (
    ("username", gettext_lazy("ชื่อผู้ใช้"), True),
    ("full_name", gettext_lazy("ชื่อ-นามสกุล"), True),
    ("email", gettext_lazy("อีเมล"), True),
    ("position", gettext_lazy("ตำแหน่ง"), False),
    ("phone", gettext_lazy("โทรศัพท์"), False),
    ("role", gettext_lazy("บทบาท"), True),
    ("unit_code", gettext_lazy("รหัสหน่วยงาน"), False),
)


@dataclass(frozen=True)
class RowError:
    line: int
    messages: list[str]


@dataclass
class BulkResult:
    created: list[User] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.row_errors


class FileRefused(Exception):
    """The upload is refused as a whole, before or while it is read."""


class _RowFailed(Exception):
    def __init__(self, line: int, messages: list[str]):
        super().__init__(line)
        self.line, self.messages = line, messages


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


def _form_messages(form: AccountCreateForm, *, skip: tuple[str, ...] = ()) -> list[str]:
    """The form's errors, each after the name of its column in the file."""
    column_labels = {"unit": dict((key, label) for key, label, _required in COLUMNS)["unit_code"]}
    found = []
    for name, errors in form.errors.items():
        if name in skip:
            continue
        label = column_labels.get(name) or (form.fields[name].label if name in form.fields else "")
        found.extend(f"{label}: {error}" if label else error for error in errors)
    return found


PROGRESS_EVERY = 100  # rows checked between two progress reports of a job


def _validate(actor: User, rows: list[tuple[int, dict[str, str]]], progress=None) -> tuple[list, list[RowError]]:
    """Check every row as the single account form would, plus usernames repeated within the file."""
    scope = UnitScope(actor)
    role_names = _role_names()
    first_line_of: dict[str, int] = {}
    valid, errors = [], []
    for number, (line, data) in enumerate(rows):
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, len(rows))
        role_text = data.get("role", "")
        role = role_names.get(_normal(role_text))
        form = AccountCreateForm({**data, "role": role.value if role else "", "unit": data.get("unit_code", "")},
                                 actor=actor, scope=scope)
        form.is_valid()
        problems = []
        if role_text and role is None:
            problems.append(_("ไม่รู้จักบทบาท “%(role)s” ใช้ชื่อบทบาทตามแผ่นงานคำอธิบาย") % {"role": role_text})
        problems.extend(_form_messages(form, skip=("role",) if problems else ()))
        username = _normal(data.get("username", ""))
        if username in first_line_of:
            problems.append(_("ชื่อผู้ใช้ %(username)s ซ้ำกับแถวที่ %(line)d ในไฟล์นี้")
                            % {"username": username, "line": first_line_of[username]})
        elif username:
            first_line_of[username] = line
        if problems:
            errors.append(RowError(line, problems))
        else:
            valid.append((line, form.cleaned_data))
    return valid, errors


def _create_all(actor: User, valid: list) -> list[User]:
    created = []
    with transaction.atomic():
        for line, data in valid:
            try:
                created.append(services.account_create(
                    actor=actor, username=data["username"], full_name=data["full_name"], email=data["email"],
                    position=data["position"], phone=data["phone"], grants=[(data["role"], data["unit"])],
                    password=None, invite=False,
                ))
            except (PermissionDenied, ValidationError, IntegrityError) as error:
                messages = error.messages if isinstance(error, ValidationError) else [
                    str(error) if isinstance(error, PermissionDenied) else _("ชื่อผู้ใช้นี้เพิ่งถูกใช้ไป")]
                raise _RowFailed(line, messages) from error
        # The invitations go to the outbox with the accounts: both are committed, or neither.
        services.invitations_send(users=created, actor=actor)
    return created


def accounts_bulk_create(*, actor: User, file: UploadedFile) -> BulkResult:
    """Create every account of the file with its role and invitation, or none if any row is wrong."""
    try:
        rows = _read_rows(file)
    except FileRefused as refused:
        return BulkResult(file_error=str(refused))
    valid, errors = _validate(actor, rows)
    if errors:
        return BulkResult(row_errors=errors)
    try:
        return BulkResult(created=_create_all(actor, valid))
    except _RowFailed as failed:
        return BulkResult(row_errors=[RowError(failed.line, failed.messages)])


def accounts_bulk_start(*, actor: User, file: UploadedFile) -> Job:
    """Refuse a file that is not a filled template at once (FileRefused); queue the rest as a job: the rows are
    checked and the accounts created by a worker, and the job's page shows the progress and the outcome."""
    from accounts.tasks import accounts_bulk_create_task  # tasks call services: import here, not above

    _read_rows(file)
    file.seek(0)
    return job_start(kind="accounts_bulk", task=accounts_bulk_create_task, started_by=actor, input_file=file,
                     title=_("สร้างบัญชีจากไฟล์ %(name)s") % {"name": file.name},
                     return_url=reverse("accounts:user_list"))


def _refused(errors: list[RowError]) -> JobRefused:
    return JobRefused(_("ยังไม่ได้สร้างบัญชีใด: พบข้อผิดพลาด %(count)d แถว กรุณาแก้ไขในไฟล์แล้วอัปโหลดใหม่")
                      % {"count": len(errors)},
                      result={"errors": [_("แถวที่ %(line)d: %(messages)s") % {"line": e.line,
                                                                                "messages": " ".join(e.messages)}
                                         for e in errors],
                              "rows": [{"line": e.line, "messages": e.messages} for e in errors]})


def accounts_bulk_job(job: Job, progress: Progress) -> Outcome:
    """The work of an accounts_bulk job: the same checks and the same all-or-nothing creation as
    accounts_bulk_create. The accounts, their invitations and the job's outcome commit together, so a worker that
    dies before the commit leaves nothing and the task delivered again after it does nothing."""
    actor = job.started_by
    with job.input_file.open("rb") as file:
        try:
            rows = _read_rows(file)
        except FileRefused as refused:
            raise JobRefused(str(refused)) from None
    valid, errors = _validate(actor, rows, progress=progress)
    if errors:
        raise _refused(errors)
    progress(len(rows), len(rows), step=_("กำลังสร้างบัญชีและส่งคำเชิญ"))
    with transaction.atomic():
        try:
            created = _create_all(actor, valid)
        except _RowFailed as failed:
            raise _refused([RowError(failed.line, failed.messages)]) from None
        outcome = Outcome(summary=_("สร้างบัญชี %(count)d บัญชีแล้ว และส่งลิงก์ตั้งรหัสผ่านทางอีเมลให้ทุกบัญชี")
                          % {"count": len(created)}, result={"created": len(created)})
        job_succeed(job_id=job.pk, outcome=outcome)
    return outcome


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
    for lao in scope.laos().order_by("province__code", "district__code", "name_th"):
        unit_row(unit_key(lao), unit_label(lao, with_place=True), lao_roles)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
