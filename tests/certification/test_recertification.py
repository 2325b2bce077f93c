"""Re-certification: seals numbered per report, a superseded seal that still verifies, and what changed since."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification import seal as sealing
from certification import services
from certification.diff import recertification_of
from certification.models import CertificationSeal
from sectors import services as sector_services

REASON = "จำนวนประชากรผิดจากทะเบียนราษฎร"


def certify(report, recorder, verifier, certifier) -> CertificationSeal:
    services.report_submit(report_id=report.pk, actor=recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    return services.report_certify(report_id=report.pk, actor=certifier)


def correct(report, recorder, new_values: dict, reasons: dict | None = None) -> None:
    report.refresh_from_db(fields=["version"])
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values=new_values, **({"reasons": reasons} if reasons else {}))


@pytest.fixture
def first(filled_report, recorder, verifier, certifier) -> CertificationSeal:
    return certify(filled_report, recorder, verifier, certifier)


@pytest.fixture
def reopened(first, recorder, provincial_officer):
    """The first seal reopened and the population corrected by the recorder."""
    services.report_reopen(report_id=first.report_id, actor=provincial_officer, reason=REASON)
    correct(first.report, recorder, {"gov_population_male": 6220, "gov_population_total": 12600})
    return first.report


@pytest.fixture
def second(reopened, recorder, verifier, certifier) -> CertificationSeal:
    return certify(reopened, recorder, verifier, certifier)


def test_seals_are_numbered_per_report(first, second):
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert list(CertificationSeal.objects.filter(report=first.report).order_by("number")
                .values_list("number", flat=True)) == [1, 2]


def test_a_first_seal_keeps_its_text_and_a_second_names_the_one_it_replaces(first, second):
    assert "number" not in json.loads(first.canonical) and "supersedes" not in json.loads(first.canonical)
    payload = json.loads(second.canonical)
    assert payload["number"] == 2
    assert payload["supersedes"] == {"number": 1, "sha256": first.sha256}


def test_the_reopen_keeps_the_values_the_seal_guarded(first, reopened):
    event = reopened.events.get(action="reopen")
    assert event.sealed_values == json.loads(first.canonical)["values"]


def test_a_superseded_seal_still_verifies_after_the_correction(first, second):
    first.refresh_from_db()
    assert first.superseded_at is not None
    check = sealing.seal_check(first)
    assert check.ok and check.changed_items == []
    assert sealing.seal_check(second).ok


def test_a_tampered_superseded_seal_fails(first, second):
    first.refresh_from_db()
    stored = json.loads(first.canonical)
    stored["values"]["gov_population_total"]["value"] = 99999
    first.canonical = sealing.canonical(stored)
    assert not sealing.seal_check(first).seal_intact  # the text no longer hashes to the stored hash
    first.sha256 = sealing.digest(first.canonical)  # and a forger who rehashes it is caught by the recompute
    check = sealing.seal_check(first)
    assert check.seal_intact and not check.ok and check.changed_items == ["gov_population_total"]


def test_the_difference_shows_old_new_who_and_why(reopened, recorder):
    diff = recertification_of(reopened)
    assert diff.reason == REASON and diff.seal.number == 1
    by_code = {item.code: item for item in diff.items}
    assert set(by_code) == {"gov_population_male", "gov_population_total"}
    total = by_code["gov_population_total"]
    assert (total.old, total.new) == ("12,500", "12,600")
    assert total.label and total.changed_by == str(recorder) and total.changed_at is not None


def test_there_is_no_difference_before_a_reopen_or_after_the_new_seal(filled_report, first, second):
    assert recertification_of(filled_report) is None
    first.report.refresh_from_db()
    assert recertification_of(first.report) is None


def test_the_difference_takes_the_same_queries_however_many_items_changed(reopened, recorder):
    with CaptureQueriesContext(connection) as few:
        recertification_of(reopened)
    correct(reopened, recorder, {"gov_villages": 15, "gov_households": 4200, "gov_staff_officials": 36})
    with CaptureQueriesContext(connection) as many:
        diff = recertification_of(reopened)
    assert len(diff.items) == 5
    assert len(many) == len(few) == 5


# --- the pages ----------------------------------------------------------------------------------------------------

def page(client, user, name: str, report, query: str = "") -> str:
    client.force_login(user)
    response = client.get(reverse(f"certification:{name}", args=[report.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_page_shows_what_changed_since_the_seal(client, reopened, recorder):
    client.force_login(recorder)
    diff = client.get(reopened.get_absolute_url()).content.decode().split('id="recertification"')[1]
    assert "ประชากรรวม" in diff and "12,500" in diff and "12,600" in diff and REASON in diff


def test_the_verifier_and_the_head_see_what_changed(client, reopened, recorder, verifier, certifier):
    services.report_submit(report_id=reopened.pk, actor=recorder)
    diff = page(client, verifier, "review", reopened).split('id="recertification-items"')[1]
    assert "12,500" in diff and "12,600" in diff and str(recorder) in diff
    services.report_verify(report_id=reopened.pk, actor=verifier)
    diff = page(client, certifier, "review", reopened).split('id="recertification-items"')[1]
    assert "ประชากรรวม" in diff and "12,600" in diff


def test_the_new_certificate_names_the_one_it_replaces_and_the_changes(client, first, second, verifier):
    first.refresh_from_db()
    text = page(client, verifier, "certificate", second.report)
    assert "แทนการรับรองครั้งที่ 1 เมื่อ" in text
    changed = text.split('id="changed-items"')[1]
    assert "ประชากรรวม" in changed and "12,500" in changed and "12,600" in changed
    assert f"?n={second.number}" in text


def test_the_certificate_and_the_check_of_a_superseded_seal_are_kept(client, first, second, verifier):
    old = page(client, verifier, "certificate", first.report, "?n=1")
    assert first.sha256 in old and 'id="superseded"' in old and "12,500" in old
    check = page(client, verifier, "seal_check", first.report, "?n=1")
    assert "ข้อมูลตรงกับที่รับรอง" in check and "ไม่ตรง" not in check
    assert "ข้อมูลตรงกับที่รับรอง" in page(client, verifier, "seal_check", first.report, "?n=2")
    client.force_login(verifier)
    assert client.get(reverse("certification:certificate", args=[first.report_id]) + "?n=3").status_code == 404
    assert client.get(reverse("certification:seal_check", args=[first.report_id]) + "?n=x").status_code == 404


def test_the_history_lists_every_seal(client, first, second, verifier):
    seals = page(client, verifier, "history", first.report).split('id="seals"')[1]
    assert 'id="seal-1"' in seals and 'id="seal-2"' in seals and "?n=1" in seals


def test_a_seal_reopened_before_the_values_were_kept_is_checked_by_undoing_the_changes(
        filled_report, recorder, verifier, certifier, provincial_officer, monkeypatch):
    first = certify(filled_report, recorder, verifier, certifier)
    with monkeypatch.context() as patch:  # a reopen as it was recorded before: without the values
        patch.setattr(services.sealing, "values_snapshot", lambda rows: {})
        services.report_reopen(report_id=first.report_id, actor=provincial_officer, reason=REASON)
    correct(filled_report, recorder, {"gov_population_male": 6220, "gov_population_total": 12600})
    certify(filled_report, recorder, verifier, certifier)
    first.refresh_from_db()
    assert sealing.values_when_superseded(first) == json.loads(first.canonical)["values"]
    assert sealing.seal_check(first).ok
    stored = json.loads(first.canonical)
    stored["values"]["gov_population_total"]["value"] = 12600  # a forged text, rehashed, of the corrected value
    first.canonical = sealing.canonical(stored)
    first.sha256 = sealing.digest(first.canonical)
    assert sealing.seal_check(first).changed_items == ["gov_population_total"]


def test_check_seals_checks_the_superseded_seal_too(first, second):
    out = StringIO()
    call_command("check_seals", stdout=out)
    assert f"report {first.report_id}" in out.getvalue() and "#1 (superseded)" in out.getvalue()
    assert "2 seal(s) checked, all match" in out.getvalue()
    current = StringIO()
    call_command("check_seals", "--current", stdout=current)
    assert "1 seal(s) checked, all match" in current.getvalue()


def test_check_seals_fails_on_a_tampered_superseded_seal(first, second):
    first.refresh_from_db()
    stored = json.loads(first.canonical)
    stored["values"]["gov_population_total"]["value"] = 99999
    text = sealing.canonical(stored)
    with connection.cursor() as cursor:  # as the owner of the tables could, with the guard switched off
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE certification_certificationseal DISABLE TRIGGER info_seals_are_kept")
        cursor.execute("UPDATE certification_certificationseal SET canonical = %s, sha256 = %s WHERE id = %s",
                       [text, sealing.digest(text), first.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE certification_certificationseal ENABLE TRIGGER info_seals_are_kept")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with pytest.raises(CommandError, match="1 of 2 seal"):
        call_command("check_seals", stdout=StringIO())


def test_the_certify_all_summary_shows_what_changed(client, reopened, recorder, verifier, certifier):
    services.report_submit(report_id=reopened.pk, actor=recorder)
    services.report_verify(report_id=reopened.pk, actor=verifier)
    client.force_login(certifier)
    response = client.get(reverse("certification:certify_all",
                                  args=[reopened.lao_id, reopened.fiscal_year.be_year]))
    summary = response.content.decode().split(f'id="recertification-{reopened.sector.code}"')[1].split("</div>")[0]
    assert "เปิดแก้ไขหลังการรับรองครั้งที่ 1" in summary and REASON in summary
    assert "ประชากรรวม" in summary and "12,500" in summary and "12,600" in summary
