"""Each fiscal year's catalogue stamp changes, in the database, whenever one of its items or rules (or any sector)
is written, however it is written: admin, import, bulk copy or raw SQL. The stamp keys the catalogue kept in
memory, so no process serves a catalogue older than the one stored."""

from django.db import migrations, models

import sectors.models

POSTGRESQL = """
CREATE OR REPLACE FUNCTION sectors_renew_catalogue_stamp() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'sectors_sector' THEN
        UPDATE sectors_fiscalyear SET catalogue_stamp = md5(random()::text || clock_timestamp()::text);
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE sectors_fiscalyear SET catalogue_stamp = md5(random()::text || clock_timestamp()::text)
        WHERE id = OLD.fiscal_year_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE sectors_fiscalyear SET catalogue_stamp = md5(random()::text || clock_timestamp()::text)
        WHERE id = NEW.fiscal_year_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER sectors_indicator_renews_stamp AFTER INSERT OR UPDATE OR DELETE ON sectors_indicator
    FOR EACH ROW EXECUTE FUNCTION sectors_renew_catalogue_stamp();
CREATE TRIGGER sectors_validationrule_renews_stamp AFTER INSERT OR UPDATE OR DELETE ON sectors_validationrule
    FOR EACH ROW EXECUTE FUNCTION sectors_renew_catalogue_stamp();
CREATE TRIGGER sectors_sector_renews_stamp AFTER INSERT OR UPDATE OR DELETE ON sectors_sector
    FOR EACH STATEMENT EXECUTE FUNCTION sectors_renew_catalogue_stamp();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS sectors_sector_renews_stamp ON sectors_sector;
DROP TRIGGER IF EXISTS sectors_validationrule_renews_stamp ON sectors_validationrule;
DROP TRIGGER IF EXISTS sectors_indicator_renews_stamp ON sectors_indicator;
DROP FUNCTION IF EXISTS sectors_renew_catalogue_stamp();
"""

_RENEW = "UPDATE sectors_fiscalyear SET catalogue_stamp = lower(hex(randomblob(16)))"
SQLITE = [
    f"CREATE TRIGGER sectors_{table}_{event.lower()}_renews_stamp AFTER {event} ON sectors_{table} "
    f"BEGIN {_RENEW} WHERE id IN ({rows}); END"
    for table in ("indicator", "validationrule")
    for event, rows in (("INSERT", "NEW.fiscal_year_id"), ("UPDATE", "OLD.fiscal_year_id, NEW.fiscal_year_id"),
                        ("DELETE", "OLD.fiscal_year_id"))
] + [
    f"CREATE TRIGGER sectors_sector_{event.lower()}_renews_stamp AFTER {event} ON sectors_sector BEGIN {_RENEW}; END"
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS sectors_{table}_{event}_renews_stamp"
    for table in ("indicator", "validationrule", "sector") for event in ("insert", "update", "delete")
]


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def remove(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("sectors", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="fiscalyear",
            name="catalogue_stamp",
            field=models.CharField(default=sectors.models._new_stamp, editable=False, max_length=32),
        ),
        migrations.RunPython(install, remove),
    ]
