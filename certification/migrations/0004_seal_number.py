"""Number every seal of a report (its certification 1, 2, 3 …) in the order it was certified, and keep on each
reopen event the values the seal then guarded. On PostgreSQL a seal's number, like its content, never changes
once written."""

from django.db import migrations, models

SEAL_GUARD = """
CREATE OR REPLACE FUNCTION info_refuse_seal_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.canonical IS DISTINCT FROM OLD.canonical OR NEW.sha256 IS DISTINCT FROM OLD.sha256
       OR NEW.report_id IS DISTINCT FROM OLD.report_id OR NEW.certified_at IS DISTINCT FROM OLD.certified_at
       OR NEW.certified_by_id IS DISTINCT FROM OLD.certified_by_id{numbered} THEN
        RAISE EXCEPTION 'a certification seal cannot be changed or deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = {path};
"""
NUMBERED = " OR NEW.number IS DISTINCT FROM OLD.number"


def _search_path(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    return f"{schema_editor.quote_name(schema)}, pg_temp"


def _guard(schema_editor, numbered: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEAL_GUARD.replace("{path}", _search_path(schema_editor))
                              .replace("{numbered}", numbered), params=None)


def guard_number(apps, schema_editor) -> None:
    _guard(schema_editor, NUMBERED)


def unguard_number(apps, schema_editor) -> None:
    _guard(schema_editor, "")


def number_seals(apps, schema_editor) -> None:
    CertificationSeal = apps.get_model("certification", "CertificationSeal")
    counts: dict[int, int] = {}
    for seal in CertificationSeal.objects.order_by("report_id", "certified_at", "pk").only("pk", "report_id"):
        counts[seal.report_id] = counts.get(seal.report_id, 0) + 1
        CertificationSeal.objects.filter(pk=seal.pk).update(number=counts[seal.report_id])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_certified_report_guards"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportevent",
            name="sealed_values",
            field=models.JSONField(blank=True, default=dict, verbose_name="ค่าที่รับรองไว้เมื่อเปิดแก้ไข"),
        ),
        migrations.AddField(
            model_name="certificationseal",
            name="number",
            field=models.PositiveIntegerField(null=True, verbose_name="การรับรองครั้งที่"),
        ),
        migrations.RunPython(number_seals, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificationseal",
            name="number",
            field=models.PositiveIntegerField(verbose_name="การรับรองครั้งที่"),
        ),
        migrations.AddConstraint(
            model_name="certificationseal",
            constraint=models.UniqueConstraint(fields=("report", "number"), name="seal_number_once_per_report"),
        ),
        migrations.RunPython(guard_number, unguard_number),
    ]
