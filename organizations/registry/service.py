"""registry_import: the one entry point of the admin page and the command."""

from typing import BinaryIO

from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from organizations.registry.columns import RegistryError, RegistryFileError, RegistryImportResult, RegistryRow
from organizations.registry.files import _dataset, _read_rows
from organizations.registry.resource import LAORegistryResource


def _errors(result: Result, lines: list[int]) -> list[RegistryError]:
    errors = [RegistryError(None, _("นำเข้าไม่สำเร็จ (%s)") % e.error) for e in result.base_errors]
    for row in result.error_rows:
        errors += [RegistryError(lines[row.number - 1], _("บันทึกไม่ได้ (%s)") % e.error) for e in row.errors]
    for invalid in result.invalid_rows:
        errors += [RegistryError(lines[invalid.number - 1], m) for m in invalid.error.messages]
    return sorted(errors, key=lambda e: e.line or 0)


def registry_import(*, file: BinaryIO, file_name: str, dry_run: bool) -> RegistryImportResult:
    """Create or update an LAO (is_demo=False) for each row in one transaction; nothing if any row is bad."""
    try:
        dataset, lines = _dataset(_read_rows(file, file_name))
    except RegistryFileError as refused:
        return RegistryImportResult(dry_run=dry_run, errors=refused.errors)
    resource = LAORegistryResource(lines=lines)
    result = resource.import_data(dataset, dry_run=dry_run, rollback_on_validation_errors=True)
    errors = _errors(result, lines)
    if errors:
        return RegistryImportResult(dry_run=dry_run, errors=errors)
    return RegistryImportResult(
        dry_run=dry_run,
        created=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
        unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        rows=[RegistryRow(line, row.import_type, row.object_repr, row.instance.dla_code or "",
                          None if row.import_type == RowResult.IMPORT_TYPE_NEW else row.instance.pk,
                          resource.changes.get(line, []))
              for line, row in zip(lines, result.rows, strict=True)],
        import_result=result,
    )
