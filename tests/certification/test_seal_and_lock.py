"""The seal detects a changed value; on PostgreSQL the database itself refuses to change certified values."""

import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from certification import services
from certification.models import CertificationSeal, ReportEvent
from certification.seal import canonical, digest, seal_check
from certification.services import TransitionRefused
from sectors import services as sector_services
from sectors.models import IndicatorValue, ReportStatus, Sector, SectorReport, ValueChange
from tests.certification.conftest import GOVERNANCE, tamper
from tests.conftest import in_ci


def certify(report, recorder, verifier, certifier) -> CertificationSeal:
    services.report_submit(report_id=report.pk, actor=recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    return services.report_certify(report_id=report.pk, actor=certifier)


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        if in_ci():
            pytest.fail("CI runs these tests on PostgreSQL; the database here is " + connection.vendor)
        pytest.skip("the guard triggers exist on PostgreSQL")


def test_the_seal_is_the_sha256_of_a_canonical_snapshot(filled_report, recorder, verifier, certifier):
    seal = certify(filled_report, recorder, verifier, certifier)
    assert seal.sha256 == digest(seal.canonical)
    assert seal.canonical == canonical(json.loads(seal.canonical))
    snapshot = json.loads(seal.canonical)
    assert snapshot["values"]["gov_population_total"]["value"] == 12500
    assert snapshot["certified_by"] == "certifier"
    assert seal_check(seal).ok


def test_the_seal_check_detects_a_value_changed_behind_the_services(db, filled_report, recorder, verifier,
                                                                    certifier):
    seal = certify(filled_report, recorder, verifier, certifier)
    call_command("check_seals")
    tamper(filled_report)
    result = seal_check(CertificationSeal.objects.get(pk=seal.pk))
    assert not result.ok
    assert result.changed_items == ["gov_population_total"]
    with pytest.raises(CommandError, match="no longer match"):
        call_command("check_seals")


def test_reopening_supersedes_the_seal_and_a_new_certification_seals_again(filled_report, recorder, verifier,
                                                                           certifier, provincial_officer):
    first = certify(filled_report, recorder, verifier, certifier)
    services.report_reopen(report_id=filled_report.pk, actor=provincial_officer, reason="แก้ไขข้อมูล")
    second = certify(filled_report, recorder, verifier, certifier)
    assert CertificationSeal.objects.get(pk=first.pk).superseded_at is not None
    assert second.superseded_at is None and second.pk != first.pk


@pytest.mark.parametrize("statement", [
    "UPDATE sectors_indicatorvalue SET value_integer = 1 WHERE report_id = %s",
    "DELETE FROM sectors_indicatorvalue WHERE report_id = %s",
    "INSERT INTO sectors_indicatorvalue (report_id, indicator_id, value_text, not_applicable, carried_forward, "
    "change_reason, updated_at) SELECT %s, id, '', false, false, '', now() FROM sectors_indicator "
    "WHERE code = 'gov_grants' LIMIT 1",
])
def test_the_database_refuses_raw_changes_to_certified_values(filled_report, recorder, verifier, certifier,
                                                              statement):
    needs_postgresql()
    certify(filled_report, recorder, verifier, certifier)
    with pytest.raises(IntegrityError, match="certified"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [filled_report.pk])


def test_the_database_allows_changes_again_after_a_reopen(filled_report, recorder, verifier, certifier,
                                                          provincial_officer):
    needs_postgresql()
    certify(filled_report, recorder, verifier, certifier)
    services.report_reopen(report_id=filled_report.pk, actor=provincial_officer, reason="แก้ไข")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sectors_indicatorvalue SET value_integer = 1 WHERE report_id = %s AND "
                       "value_integer IS NOT NULL", [filled_report.pk])
        assert cursor.rowcount > 0


@pytest.mark.parametrize("model", [ReportEvent, ValueChange, CertificationSeal])
def test_the_audit_trail_cannot_be_edited_or_deleted_in_the_database(filled_report, recorder, verifier, certifier,
                                                                     model):
    needs_postgresql()
    certify(filled_report, recorder, verifier, certifier)
    table = model._meta.db_table
    column = {ReportEvent: "comment", ValueChange: "channel", CertificationSeal: "sha256"}[model]
    for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)


def test_a_seals_number_cannot_change_in_the_database(filled_report, recorder, verifier, certifier):
    needs_postgresql()
    seal = certify(filled_report, recorder, verifier, certifier)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationSeal.objects.filter(pk=seal.pk).update(number=7)
    CertificationSeal.objects.filter(pk=seal.pk).update(superseded_at=seal.certified_at)  # what a reopen does


def test_the_admin_cannot_change_values_reports_or_the_audit_trail(admin_client, filled_report):
    value = IndicatorValue.objects.filter(report=filled_report).first()
    assert admin_client.post(f"/admin/sectors/indicatorvalue/{value.pk}/change/", {"value_integer": 1}).status_code \
        == 403
    assert admin_client.post(f"/admin/sectors/sectorreport/{filled_report.pk}/change/",
                             {"status": "certified"}).status_code == 403


def _race(target_a, target_b) -> list:
    """Run two callables at the same moment, each on its own database connection; return their outcomes."""
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def run(index, target):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = target()
        except Exception as error:  # the loser's refusal is the expected outcome
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate((target_a, target_b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_verifiers_at_once_leave_one_event(world, recorder, verifier, second_verifier, fiscal_year):
    needs_postgresql()

    report = sector_services.report_open(lao=world.lao_a1, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=0, new_values=GOVERNANCE)
    services.report_submit(report_id=report.pk, actor=recorder)
    outcomes = _race(lambda: services.report_verify(report_id=report.pk, actor=verifier),
                     lambda: services.report_verify(report_id=report.pk, actor=second_verifier))
    assert sum(isinstance(o, ReportEvent) for o in outcomes) == 1
    assert sum(isinstance(o, TransitionRefused) for o in outcomes) == 1
    assert ReportEvent.objects.filter(report=report, action="verify").count() == 1
    assert SectorReport.objects.get(pk=report.pk).status == ReportStatus.VERIFIED


@pytest.mark.django_db(transaction=True)
def test_a_save_racing_a_certification_leaves_one_consistent_result(world, recorder, verifier, certifier,
                                                                    fiscal_year):
    needs_postgresql()

    report = sector_services.report_open(lao=world.lao_a1, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    saved = sector_services.report_save(report_id=report.pk, user=recorder, expected_version=0,
                                        new_values=GOVERNANCE).report
    services.report_submit(report_id=report.pk, actor=recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    outcomes = _race(lambda: services.report_certify(report_id=report.pk, actor=certifier),
                     lambda: sector_services.report_save(report_id=report.pk, user=recorder,
                                                         expected_version=saved.version,
                                                         new_values={"gov_area": 1}))
    assert isinstance(outcomes[0], CertificationSeal)
    assert isinstance(outcomes[1], sector_services.ReportNotEditable)
    assert seal_check(outcomes[0]).ok


def test_the_admin_shows_the_audit_trail_read_only(admin_client, filled_report, recorder, verifier, certifier):
    seal = certify(filled_report, recorder, verifier, certifier)
    event = ReportEvent.objects.filter(report=filled_report).first()
    assert admin_client.get("/admin/certification/reportevent/").status_code == 200
    assert admin_client.post(f"/admin/certification/reportevent/{event.pk}/change/", {"comment": "x"}).status_code \
        == 403
    assert admin_client.post(f"/admin/certification/reportevent/{event.pk}/delete/", {"post": "yes"}).status_code \
        == 403
    assert admin_client.post(f"/admin/certification/certificationseal/{seal.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert ReportEvent.objects.filter(pk=event.pk, comment=event.comment).exists()


def test_the_seal_check_detects_a_renumbered_fiscal_year(filled_report, recorder, verifier, certifier, fiscal_year):
    seal = certify(filled_report, recorder, verifier, certifier)
    with connection.cursor() as cursor:  # as the owner of the tables could, with the guard switched off
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE sectors_fiscalyear DISABLE TRIGGER info_certified_fiscal_years_are_kept")
        cursor.execute("UPDATE sectors_fiscalyear SET be_year = 2599 WHERE id = %s", [fiscal_year.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE sectors_fiscalyear ENABLE TRIGGER info_certified_fiscal_years_are_kept")
    assert not seal_check(CertificationSeal.objects.get(pk=seal.pk)).ok


def test_the_admin_keeps_the_number_of_a_certified_year_and_says_why(admin_client, filled_report, recorder,
                                                                     verifier, certifier, fiscal_year):
    certify(filled_report, recorder, verifier, certifier)
    url = f"/admin/sectors/fiscalyear/{fiscal_year.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "ปีงบประมาณ 2568 มีรายงานที่รับรองแล้ว จึงเปลี่ยนเลขปีไม่ได้" in page
    assert 'name="be_year"' not in page
    response = admin_client.post(url, {"be_year": "2599", "is_current": "on"})
    assert response.status_code == 302
    fiscal_year.refresh_from_db()
    assert fiscal_year.be_year == 2568


def test_the_admin_renumbers_a_year_without_certified_reports(admin_client, fiscal_year):
    url = f"/admin/sectors/fiscalyear/{fiscal_year.pk}/change/"
    assert 'name="be_year"' in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"be_year": "2599", "is_current": "on"}).status_code == 302
    fiscal_year.refresh_from_db()
    assert fiscal_year.be_year == 2599


def test_the_admin_keeps_the_code_of_a_sector_with_certified_reports(admin_client, filled_report, recorder,
                                                                     verifier, certifier):
    certify(filled_report, recorder, verifier, certifier)
    sector = filled_report.sector
    url = f"/admin/sectors/sector/{sector.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "มีรายงานที่รับรองแล้ว จึงเปลี่ยนรหัสด้านไม่ได้" in page
    response = admin_client.post(url, {"code": "gov", "order": sector.order, "name_th": sector.name_th,
                                       "name_en": sector.name_en})
    assert response.status_code == 302
    sector.refresh_from_db()
    assert sector.code == "governance"
