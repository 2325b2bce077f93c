"""Number every seal of a report (its certification 1, 2, 3 …) in the order it was certified, and keep on each
reopen event the values the seal then guarded."""

from django.db import migrations, models


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
    ]
