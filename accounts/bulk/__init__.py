"""Many accounts from one Excel file: the template to fill, the checks, and the all-or-nothing creation.

Every row passes the same form as the single account page, so the rules cannot drift apart. A file with
any bad row creates nothing; a good file creates every account and its role in one transaction, and
each owner gets an invitation e-mail once it commits.

The parts: reading (the file's columns and rows), checks (each row as the single account form sees it), create
(the all-or-nothing write) and template (the workbook to fill). The entries below put them together, and call
_validate and job_succeed by their names in this package, so one replaced here is the one that runs.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.bulk.checks import PROGRESS_EVERY, RowError, _validate
from accounts.bulk.create import _create_all, _RowFailed
from accounts.bulk.reading import COLUMNS, MAX_ROWS, FileRefused, _read_rows, _role_names
from accounts.bulk.template import XLSX_CONTENT_TYPE, bulk_template
from accounts.models import User
from jobs.models import Job
from jobs.services import JobRefused, Outcome, Progress, job_start, job_succeed

__all__ = [
    "COLUMNS", "MAX_ROWS", "PROGRESS_EVERY", "XLSX_CONTENT_TYPE", "BulkResult", "FileRefused", "RowError",
    "_role_names", "_validate", "accounts_bulk_create", "accounts_bulk_job", "accounts_bulk_start", "bulk_template",
    "job_succeed",
]


@dataclass
class BulkResult:
    created: list[User] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.row_errors


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
