"""PostgreSQL keeps certified data as it was sealed against every route the application's database role has.

- A certified report's status changes only in the transaction that writes its reopen event: each event row carries
  the id of the transaction that inserted it (the column `db_xact`, stamped by a trigger, not by the application),
  and the report's trigger looks for a reopen event of this report stamped with the current transaction.
- A certified report keeps its LAO, sector and fiscal year, and cannot be deleted.
- Values, value changes, events, seals and reports cannot be truncated, except by their owner (the role that runs
  the migrations, and the test runner that empties the tables between tests), who could drop the triggers anyway.
- An item's code, kind, sector or fiscal year, a fiscal year's number and a sector's code cannot change once a
  certified report uses them: the seal names them, so changing them would change what the sealed values mean.

Every guard function runs with a fixed search_path (the schema of the tables, then pg_temp), so that a session
cannot shadow the tables it reads with temporary tables of the same name.
"""

from django.db import migrations

GUARDS = """
ALTER FUNCTION info_refuse_certified_value_change() SET search_path = {path};
ALTER FUNCTION info_refuse_audit_change() SET search_path = {path};
ALTER FUNCTION info_refuse_seal_change() SET search_path = {path};

ALTER TABLE certification_reportevent ADD COLUMN db_xact xid8;

CREATE FUNCTION info_stamp_event_transaction() RETURNS trigger AS $$
BEGIN
    NEW.db_xact := pg_current_xact_id();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = {path};

CREATE TRIGGER info_report_events_carry_their_transaction
    BEFORE INSERT ON certification_reportevent
    FOR EACH ROW EXECUTE FUNCTION info_stamp_event_transaction();

CREATE FUNCTION info_guard_certified_report() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'certified' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'report % is certified: it cannot be deleted', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.lao_id IS DISTINCT FROM OLD.lao_id OR NEW.sector_id IS DISTINCT FROM OLD.sector_id
       OR NEW.fiscal_year_id IS DISTINCT FROM OLD.fiscal_year_id THEN
        RAISE EXCEPTION 'report % is certified: its LAO, sector and fiscal year cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM 'certified' AND NOT EXISTS (
        SELECT 1 FROM certification_reportevent AS event
        WHERE event.report_id = OLD.id AND event.action = 'reopen' AND event.from_status = 'certified'
          AND event.to_status = NEW.status AND event.db_xact = pg_current_xact_id()
    ) THEN
        RAISE EXCEPTION 'report % is certified: only a reopen with its event in this transaction changes its status', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = {path};

CREATE TRIGGER info_certified_reports_are_kept
    BEFORE UPDATE OR DELETE ON sectors_sectorreport
    FOR EACH ROW EXECUTE FUNCTION info_guard_certified_report();

CREATE FUNCTION info_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% holds certified data and its audit trail: it cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql SET search_path = {path};

CREATE TRIGGER info_no_truncate BEFORE TRUNCATE ON sectors_indicatorvalue
    FOR EACH STATEMENT EXECUTE FUNCTION info_refuse_truncate();
CREATE TRIGGER info_no_truncate BEFORE TRUNCATE ON sectors_valuechange
    FOR EACH STATEMENT EXECUTE FUNCTION info_refuse_truncate();
CREATE TRIGGER info_no_truncate BEFORE TRUNCATE ON sectors_sectorreport
    FOR EACH STATEMENT EXECUTE FUNCTION info_refuse_truncate();
CREATE TRIGGER info_no_truncate BEFORE TRUNCATE ON certification_reportevent
    FOR EACH STATEMENT EXECUTE FUNCTION info_refuse_truncate();
CREATE TRIGGER info_no_truncate BEFORE TRUNCATE ON certification_certificationseal
    FOR EACH STATEMENT EXECUTE FUNCTION info_refuse_truncate();

CREATE FUNCTION info_guard_certified_indicator() RETURNS trigger AS $$
BEGIN
    IF (NEW.code, NEW.kind, NEW.sector_id, NEW.fiscal_year_id)
           IS DISTINCT FROM (OLD.code, OLD.kind, OLD.sector_id, OLD.fiscal_year_id)
       AND EXISTS (SELECT 1 FROM sectors_sectorreport
                   WHERE status = 'certified' AND fiscal_year_id IN (OLD.fiscal_year_id, NEW.fiscal_year_id)) THEN
        RAISE EXCEPTION 'item % is in a fiscal year with certified reports: its code, kind, sector and year are fixed', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = {path};

CREATE TRIGGER info_certified_items_are_kept
    BEFORE UPDATE ON sectors_indicator
    FOR EACH ROW EXECUTE FUNCTION info_guard_certified_indicator();

CREATE FUNCTION info_guard_certified_fiscal_year() RETURNS trigger AS $$
BEGIN
    IF NEW.be_year IS DISTINCT FROM OLD.be_year
       AND EXISTS (SELECT 1 FROM sectors_sectorreport WHERE status = 'certified' AND fiscal_year_id = OLD.id) THEN
        RAISE EXCEPTION 'fiscal year % has certified reports: its number cannot change', OLD.be_year
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = {path};

CREATE TRIGGER info_certified_fiscal_years_are_kept
    BEFORE UPDATE ON sectors_fiscalyear
    FOR EACH ROW EXECUTE FUNCTION info_guard_certified_fiscal_year();

CREATE FUNCTION info_guard_certified_sector() RETURNS trigger AS $$
BEGIN
    IF NEW.code IS DISTINCT FROM OLD.code
       AND EXISTS (SELECT 1 FROM sectors_sectorreport WHERE status = 'certified' AND sector_id = OLD.id) THEN
        RAISE EXCEPTION 'sector % has certified reports: its code cannot change', OLD.code
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql SET search_path = {path};

CREATE TRIGGER info_certified_sectors_are_kept
    BEFORE UPDATE ON sectors_sector
    FOR EACH ROW EXECUTE FUNCTION info_guard_certified_sector();
"""

DROP = """
DROP TRIGGER IF EXISTS info_certified_sectors_are_kept ON sectors_sector;
DROP FUNCTION IF EXISTS info_guard_certified_sector();
DROP TRIGGER IF EXISTS info_certified_fiscal_years_are_kept ON sectors_fiscalyear;
DROP FUNCTION IF EXISTS info_guard_certified_fiscal_year();
DROP TRIGGER IF EXISTS info_certified_items_are_kept ON sectors_indicator;
DROP FUNCTION IF EXISTS info_guard_certified_indicator();
DROP TRIGGER IF EXISTS info_no_truncate ON certification_certificationseal;
DROP TRIGGER IF EXISTS info_no_truncate ON certification_reportevent;
DROP TRIGGER IF EXISTS info_no_truncate ON sectors_sectorreport;
DROP TRIGGER IF EXISTS info_no_truncate ON sectors_valuechange;
DROP TRIGGER IF EXISTS info_no_truncate ON sectors_indicatorvalue;
DROP FUNCTION IF EXISTS info_refuse_truncate();
DROP TRIGGER IF EXISTS info_certified_reports_are_kept ON sectors_sectorreport;
DROP FUNCTION IF EXISTS info_guard_certified_report();
DROP TRIGGER IF EXISTS info_report_events_carry_their_transaction ON certification_reportevent;
DROP FUNCTION IF EXISTS info_stamp_event_transaction();
ALTER TABLE certification_reportevent DROP COLUMN IF EXISTS db_xact;
"""


def _search_path(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()
    return f"{schema_editor.quote_name(schema)}, pg_temp"


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARDS.replace("{path}", _search_path(schema_editor)), params=None)


def remove(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_database_guards"),
        ("sectors", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
