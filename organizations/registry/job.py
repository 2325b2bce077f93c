"""The registry import (check or import) of the admin as a background job: one transaction, finished once."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.models import Job
from jobs.services import JobRefused, Outcome, Progress, job_start, job_succeed
from organizations.registry.columns import RegistryImportResult
from organizations.registry.service import registry_import


def registry_import_start(*, actor, file, dry_run: bool) -> Job:
    """Keep the upload with the job and queue it; one registry import (or check) runs at a time."""
    from organizations.tasks import registry_import_task  # tasks call services: import here, not above

    title = _("ตรวจไฟล์ทะเบียน อปท. %(name)s") if dry_run else _("นำเข้าทะเบียน อปท. จากไฟล์ %(name)s")
    return job_start(kind="registry_import", task=registry_import_task, started_by=actor, scope="registry",
                     title=title % {"name": file.name}, params={"dry_run": dry_run, "file_name": file.name},
                     input_file=file, return_url=reverse("admin:organizations_lao_changelist"))


def preview_lines(outcome: RegistryImportResult) -> list[str]:
    """Each line that creates or changes an LAO, as the preview and the command print it."""
    lines = []
    for row in outcome.rows:
        if row.action == "new":
            lines.append(_("บรรทัด %(line)d: เพิ่มใหม่ %(name)s") % {"line": row.line, "name": row.name})
        elif row.action == "update":
            changes = "; ".join(f"{field}: {before or '–'} → {after or '–'}" for field, before, after in row.changes)
            lines.append(_("บรรทัด %(line)d: ปรับปรุง %(name)s (#%(id)d) %(changes)s")
                         % {"line": row.line, "name": row.name, "id": row.lao_id, "changes": changes})
    return lines


def registry_import_job(job: Job, progress: Progress) -> Outcome:
    """Check or import the job's file. The import, its admin history and the job's outcome commit together, so
    a worker that dies before the commit leaves nothing, and the task delivered again after it does nothing."""
    dry_run = job.params["dry_run"]
    progress(0, step=_("กำลังตรวจทุกแถว") if dry_run else _("กำลังตรวจและบันทึกทุกแถว"))
    with transaction.atomic():
        with job.input_file.open("rb") as file:
            outcome = registry_import(file=file, file_name=job.params["file_name"], dry_run=dry_run)
        if not outcome.ok:
            raise JobRefused(_("ไม่ได้นำเข้าข้อมูลใดเลย: พบข้อผิดพลาด %d รายการ") % len(outcome.errors),
                             result={"errors": [str(error) for error in outcome.errors]})
        counts = {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged}
        summary = _("เพิ่มใหม่ %(created)d ปรับปรุง %(updated)d ไม่เปลี่ยนแปลง %(unchanged)d") % counts
        if dry_run:
            summary = _("ตรวจสอบแล้ว ไม่พบข้อผิดพลาด (ยังไม่ได้บันทึก): %s") % summary
        done = Outcome(summary=summary, result={**counts, "lines": preview_lines(outcome)})
        if not dry_run:
            rows = outcome.import_result.rows
            for action, flag in (("new", ADDITION), ("update", CHANGE)):
                laos = [row.instance for row in rows if row.import_type == action]
                if laos:
                    LogEntry.objects.log_actions(job.started_by_id, laos, flag,
                                                 change_message=_("นำเข้าจากไฟล์ทะเบียน"))
            job_succeed(job_id=job.pk, outcome=done)
    return done
