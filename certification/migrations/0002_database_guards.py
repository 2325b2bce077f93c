"""PostgreSQL refuses, below the application, any change to the values of a certified report and any edit of
the audit trail: neither the admin, a raw SQL session nor a later API can slip past the services."""

from django.db import migrations

GUARDS = """
CREATE OR REPLACE FUNCTION info_refuse_certified_value_change() RETURNS trigger AS $$
DECLARE
    changed_report bigint;
BEGIN
    FOR changed_report IN
        SELECT report_id FROM (VALUES
            (CASE WHEN TG_OP <> 'INSERT' THEN OLD.report_id END),
            (CASE WHEN TG_OP <> 'DELETE' THEN NEW.report_id END)) AS touched(report_id)
        WHERE report_id IS NOT NULL
    LOOP
        IF EXISTS (SELECT 1 FROM sectors_sectorreport WHERE id = changed_report AND status = 'certified') THEN
            RAISE EXCEPTION 'report % is certified: its values cannot change until it is reopened', changed_report
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER info_certified_values_are_sealed
    BEFORE INSERT OR UPDATE OR DELETE ON sectors_indicatorvalue
    FOR EACH ROW EXECUTE FUNCTION info_refuse_certified_value_change();

CREATE OR REPLACE FUNCTION info_refuse_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are an audit trail: they cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER info_report_events_are_kept
    BEFORE UPDATE OR DELETE ON certification_reportevent
    FOR EACH ROW EXECUTE FUNCTION info_refuse_audit_change();

CREATE TRIGGER info_value_changes_are_kept
    BEFORE UPDATE OR DELETE ON sectors_valuechange
    FOR EACH ROW EXECUTE FUNCTION info_refuse_audit_change();

-- A seal can only be marked superseded (on reopen); its content never changes.
CREATE OR REPLACE FUNCTION info_refuse_seal_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.canonical IS DISTINCT FROM OLD.canonical OR NEW.sha256 IS DISTINCT FROM OLD.sha256
       OR NEW.report_id IS DISTINCT FROM OLD.report_id OR NEW.certified_at IS DISTINCT FROM OLD.certified_at
       OR NEW.certified_by_id IS DISTINCT FROM OLD.certified_by_id THEN
        RAISE EXCEPTION 'a certification seal cannot be changed or deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER info_seals_are_kept
    BEFORE UPDATE OR DELETE ON certification_certificationseal
    FOR EACH ROW EXECUTE FUNCTION info_refuse_seal_change();
"""

DROP = """
DROP TRIGGER IF EXISTS info_seals_are_kept ON certification_certificationseal;
DROP FUNCTION IF EXISTS info_refuse_seal_change();
DROP TRIGGER IF EXISTS info_value_changes_are_kept ON sectors_valuechange;
DROP TRIGGER IF EXISTS info_report_events_are_kept ON certification_reportevent;
DROP FUNCTION IF EXISTS info_refuse_audit_change();
DROP TRIGGER IF EXISTS info_certified_values_are_sealed ON sectors_indicatorvalue;
DROP FUNCTION IF EXISTS info_refuse_certified_value_change();
"""


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS, params=None)


def remove(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
        ("sectors", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
