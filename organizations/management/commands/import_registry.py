from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from organizations.registry import registry_import
from organizations.registry.job import preview_lines


class Command(BaseCommand):
    help = "Import the official LAO registry from a CSV or XLSX file (docs/registry-import.md); all rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the registry file, .csv (UTF-8) or .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")

    def handle(self, *args, path: str, dry_run: bool, **options) -> None:
        try:
            with Path(path).open("rb") as file:
                outcome = registry_import(file=file, file_name=path, dry_run=dry_run)
        except OSError as error:
            raise CommandError(_("เปิดไฟล์ %(path)s ไม่ได้ (%(error)s)") % {"path": path, "error": error}) from None
        for error in outcome.errors:
            self.stderr.write(str(error))
        if not outcome.ok:
            raise CommandError(_("ไม่ได้นำเข้าข้อมูลใดเลย: พบข้อผิดพลาด %d รายการ") % len(outcome.errors))
        if dry_run or options["verbosity"] > 1:
            for line in preview_lines(outcome):
                self.stdout.write(line)
        counts = {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged}
        summary = _("เพิ่มใหม่ %(created)d ปรับปรุง %(updated)d ไม่เปลี่ยนแปลง %(unchanged)d") % counts
        if dry_run:
            summary = _("ตรวจสอบแล้ว ไม่พบข้อผิดพลาด (ยังไม่ได้บันทึก): %s") % summary
        self.stdout.write(self.style.SUCCESS(summary))
