"""The application's database role cannot change certified data by any route it has, in raw SQL.

The suite itself connects as the owner of the tables (it creates the test database and runs the migrations, as
the migrate step does in production). These tests open a second connection, as the application role named by
APP_DATABASE_URL, to the same test database, grant it exactly what `manage.py grant_app_role` grants in
production, and try every way around the guards. Their data is committed (transactional tests) so that the other
connection sees it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from certification import services
from certification.models import CertificationSeal, ReportEvent
from certification.seal import seal_check
from sectors.models import IndicatorValue, ReportStatus, SectorReport
from tests.conftest import in_ci

pytestmark = pytest.mark.django_db(transaction=True)

GUARDED_TABLES = ["sectors_indicatorvalue", "sectors_valuechange", "certification_reportevent",
                  "certification_certificationseal", "sectors_sectorreport"]


def _app_settings() -> dict:
    """The application role's connection settings, pointed at the test database."""
    def unavailable(reason: str):
        if in_ci():
            pytest.fail(f"CI tests the application role on PostgreSQL, but {reason}", pytrace=False)
        pytest.skip(reason)

    if connection.vendor != "postgresql":
        unavailable("the database is " + connection.vendor)
    url = os.environ.get("APP_DATABASE_URL")
    if not url:
        unavailable("APP_DATABASE_URL (the application role's URL) is not set")
    config = environ.Env.db_url_config(url)
    config["NAME"] = connection.settings_dict["NAME"]
    return config


@pytest.fixture
def app_sql():
    """A raw psycopg connection to the test database as the application role, with the production grants."""
    import psycopg

    config = _app_settings()
    call_command("grant_app_role", config["USER"], stdout=open(os.devnull, "w"))  # noqa: SIM115
    raw = psycopg.connect(dbname=config["NAME"], user=config["USER"], password=config.get("PASSWORD") or None,
                          host=config.get("HOST") or None, port=config.get("PORT") or None, autocommit=True)
    yield raw
    raw.close()


def certify(report, recorder, verifier, certifier) -> CertificationSeal:
    services.report_submit(report_id=report.pk, actor=recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    return services.report_certify(report_id=report.pk, actor=certifier)


@pytest.fixture
def certified(filled_report, recorder, verifier, certifier) -> CertificationSeal:
    return certify(filled_report, recorder, verifier, certifier)


def refused(app_sql, *statements) -> str:
    """Run the statements (text, or text and parameters) as the application role in one transaction; it must
    fail. Returns the database's error message."""
    import psycopg

    with pytest.raises(psycopg.Error) as error, app_sql.transaction():
        for statement in statements:
            text, params = (statement, ()) if isinstance(statement, str) else statement
            app_sql.execute(text, params)
    return str(error.value)


def test_the_application_role_owns_nothing_and_is_no_superuser(app_sql):
    row = app_sql.execute(
        "SELECT rolsuper, rolbypassrls, "
        "       (SELECT count(*) FROM pg_class WHERE relowner = r.oid), "
        "       (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) "
        "FROM pg_roles AS r WHERE rolname = current_user").fetchone()
    assert row == (False, False, 0, 0)


def test_a_raw_status_update_cannot_leave_certified(app_sql, certified):
    report = certified.report_id
    for status in (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.VERIFIED):
        message = refused(app_sql, ("UPDATE sectors_sectorreport SET status = %s WHERE id = %s", (status, report)))
        assert "only a reopen" in message
    # A marker of the application's own making does not count: only a reopen event written in the same transaction.
    assert "only a reopen" in refused(
        app_sql, ("SELECT set_config('info.reopen', %s, true)", (str(report),)),
        ("UPDATE sectors_sectorreport SET status = 'returned' WHERE id = %s", (report,)))
    assert SectorReport.objects.get(pk=report).status == ReportStatus.CERTIFIED


def test_a_reopen_event_from_an_earlier_transaction_does_not_open_the_report(app_sql, certified,
                                                                           provincial_officer):
    report = certified.report_id
    app_sql.execute("INSERT INTO certification_reportevent (report_id, action, from_status, to_status, actor_id, "
                    "comment, field_reasons, at) VALUES (%s, 'reopen', 'certified', 'returned', %s, 'x', '{}', now())",
                    (report, provincial_officer.pk))
    assert "only a reopen" in refused(app_sql, ("UPDATE sectors_sectorreport SET status = 'returned' WHERE id = %s",
                                               (report,)))
    # The stamp of the transaction is the database's, not the writer's.
    assert "cannot be changed" in refused(app_sql, ("UPDATE certification_reportevent SET db_xact = "
                                                    "pg_current_xact_id() WHERE report_id = %s", (report,)))


def test_a_certified_report_keeps_its_identity_and_its_row(app_sql, certified, world):
    report = certified.report_id
    assert "cannot change" in refused(app_sql, ("UPDATE sectors_sectorreport SET lao_id = %s WHERE id = %s",
                                               (world.lao_a2.pk, report)))
    assert "cannot be deleted" in refused(app_sql, ("DELETE FROM sectors_sectorreport WHERE id = %s", (report,)))


@pytest.mark.parametrize("statement", [
    "UPDATE sectors_indicatorvalue SET value_integer = 1 WHERE report_id = %s",
    "UPDATE sectors_indicatorvalue SET report_id = report_id WHERE report_id = %s",
    "DELETE FROM sectors_indicatorvalue WHERE report_id = %s",
    "UPDATE certification_reportevent SET comment = 'x' WHERE report_id = %s",
    "DELETE FROM certification_reportevent WHERE report_id = %s",
    "UPDATE certification_certificationseal SET sha256 = 'x' WHERE report_id = %s",
    "DELETE FROM certification_certificationseal WHERE report_id = %s",
])
def test_certified_values_events_and_seals_cannot_change(app_sql, certified, statement):
    message = refused(app_sql, (statement, (certified.report_id,)))
    assert "certified" in message or "cannot be changed" in message
    assert seal_check(CertificationSeal.objects.get(pk=certified.pk)).ok


def test_value_changes_cannot_be_edited_or_deleted(app_sql, certified):
    for statement in ("UPDATE sectors_valuechange SET channel = 'x'", "DELETE FROM sectors_valuechange"):
        assert "audit trail" in refused(app_sql, statement)


@pytest.mark.parametrize("table", GUARDED_TABLES)
def test_truncate_is_refused(app_sql, certified, table):
    assert "permission denied" in refused(app_sql, f"TRUNCATE {table} CASCADE")
    # Even a role given TRUNCATE by mistake meets the statement-level triggers (CASCADE reaches every table that
    # refers to this one, so it needs the privilege on all of them).
    role = connection.ops.quote_name(app_sql.info.user)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {role}")
    try:
        assert "cannot be truncated" in refused(app_sql, f"TRUNCATE {table} CASCADE")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM {role}")
    assert IndicatorValue.objects.filter(report_id=certified.report_id).exists()


@pytest.mark.parametrize("statement", [
    "ALTER TABLE sectors_indicatorvalue DISABLE TRIGGER info_certified_values_are_sealed",
    "ALTER TABLE sectors_indicatorvalue DISABLE TRIGGER ALL",
    "ALTER TABLE sectors_sectorreport DISABLE TRIGGER info_certified_reports_are_kept",
    "DROP TRIGGER info_certified_values_are_sealed ON sectors_indicatorvalue",
    "CREATE OR REPLACE FUNCTION info_refuse_certified_value_change() RETURNS trigger AS "
    "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "SET session_replication_role = replica",
    "SET LOCAL session_replication_role = replica",
])
def test_the_guards_cannot_be_switched_off(app_sql, certified, statement):
    message = refused(app_sql, statement)
    assert "must be owner" in message or "permission denied" in message


def test_temporary_tables_cannot_shadow_what_the_guards_read(app_sql, certified):
    """The guards read sectors_sectorreport with a fixed search_path, so a session's own empty copy changes nothing."""
    with app_sql.transaction():
        app_sql.execute("CREATE TEMPORARY TABLE sectors_sectorreport (id bigint, status text) ON COMMIT DROP")
        message = None
        try:
            with app_sql.transaction():
                app_sql.execute("UPDATE public.sectors_indicatorvalue SET value_integer = 1 WHERE report_id = %s",
                                (certified.report_id,))
        except Exception as error:
            message = str(error)
    assert message and "certified" in message


def test_a_certified_fiscal_year_cannot_be_renumbered(app_sql, certified, fiscal_year):
    assert "cannot change" in refused(app_sql, ("UPDATE sectors_fiscalyear SET be_year = 2599 WHERE id = %s",
                                               (fiscal_year.pk,)))
    assert seal_check(CertificationSeal.objects.get(pk=certified.pk)).ok


@pytest.mark.parametrize("change", [
    "code = 'gov_population_all'",
    "kind = 'decimal'",
    "fiscal_year_id = (SELECT id FROM sectors_fiscalyear WHERE be_year = 2569)",
    "sector_id = (SELECT id FROM sectors_sector WHERE code = 'water')",
])
def test_an_item_of_a_certified_year_keeps_its_code_kind_sector_and_year(app_sql, certified, change):
    from sectors.models import FiscalYear

    FiscalYear.objects.create(be_year=2569)
    statement = f"UPDATE sectors_indicator SET {change} WHERE code = 'gov_population_total'"
    assert "fixed" in refused(app_sql, statement)


def test_an_item_cannot_move_into_a_certified_year_and_other_years_stay_editable(app_sql, certified,
                                                                                 fiscal_year):
    from sectors.catalogue import fiscal_year_open

    later = fiscal_year_open(be_year=2569)
    app_sql.execute("UPDATE sectors_indicator SET code = 'gov_area_km2', kind = 'decimal' "
                    "WHERE fiscal_year_id = %s AND code = 'gov_area'", (later.pk,))
    assert "fixed" in refused(app_sql, ("UPDATE sectors_indicator SET fiscal_year_id = %s "
                                        "WHERE fiscal_year_id = %s AND code = 'gov_area_km2'",
                                        (fiscal_year.pk, later.pk)))


def test_a_sector_with_certified_reports_keeps_its_code(app_sql, certified):
    assert "cannot change" in refused(app_sql, "UPDATE sectors_sector SET code = 'gov' WHERE code = 'governance'")


def _as_application(code: str) -> dict:
    """Run Python with the portal's settings in a fresh process connected as the application role."""
    config = _app_settings()
    url = os.environ["APP_DATABASE_URL"].rsplit("/", 1)[0] + "/" + config["NAME"]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "DATABASE_"))}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="info_portal.settings.test")
    result = subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "shell", "--no-imports",
                             "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_reopen_service_works_as_the_application_role(app_sql, certified, provincial_officer):
    report = certified.report_id
    outcome = _as_application(
        "import json\n"
        "from accounts.models import User\n"
        "from certification import services\n"
        "from django.db import connection\n"
        f"event = services.report_reopen(report_id={report}, actor=User.objects.get(pk={provincial_officer.pk}),"
        " reason='แก้ไขจำนวนประชากร')\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SELECT current_user')\n"
        "    user = cursor.fetchone()[0]\n"
        "print(json.dumps({'event': event.pk, 'user': user}))\n")
    assert outcome["user"] == app_sql.info.user
    assert SectorReport.objects.get(pk=report).status == ReportStatus.RETURNED
    assert ReportEvent.objects.get(pk=outcome["event"]).action == "reopen"
    assert CertificationSeal.objects.get(pk=certified.pk).superseded_at is not None
    # Reopened, the values are the recorder's again, also in raw SQL.
    updated = app_sql.execute("UPDATE sectors_indicatorvalue SET value_integer = 1 WHERE report_id = %s "
                              "AND value_integer IS NOT NULL", (report,))
    assert updated.rowcount > 0


def test_a_reopen_written_by_hand_in_one_transaction_is_a_reopen(app_sql, certified, provincial_officer):
    """What the service does, in raw SQL: the event and the status in one transaction pass; the event is kept."""
    report = certified.report_id
    with app_sql.transaction():
        app_sql.execute("INSERT INTO certification_reportevent (report_id, action, from_status, to_status, actor_id, "
                        "comment, field_reasons, at) VALUES (%s, 'reopen', 'certified', 'returned', %s, 'x', '{}', "
                        "now())", (report, provincial_officer.pk))
        app_sql.execute("UPDATE sectors_sectorreport SET status = 'returned' WHERE id = %s", (report,))
    assert SectorReport.objects.get(pk=report).status == ReportStatus.RETURNED
    assert ReportEvent.objects.filter(report_id=report, action="reopen").count() == 1


def test_grant_app_role_refuses_a_role_that_could_switch_the_guards_off(app_sql):
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(CommandError, match="ordinary role"):
        call_command("grant_app_role", owner)
