"""The records of a report in the browser: history, certificate, seal check and reopening certified data."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.policy import Role
from certification import services
from certification.models import CertificationSeal, ReportEvent, TransitionAction
from certification.views.records import HISTORY_PAGE_SIZE, readable
from info_portal.templatetags.thai import be_date, be_datetime
from sectors import services as sector_services
from sectors import values
from sectors.models import Channel, Indicator, ReportStatus, SectorReport, ValueChange
from tests.certification.conftest import tamper
from tests.conftest import make_user

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


def url(name: str, report) -> str:
    return reverse(f"certification:{name}", args=[report.pk])


def certify(report, recorder, verifier, certifier) -> CertificationSeal:
    services.report_submit(report_id=report.pk, actor=recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    return services.report_certify(report_id=report.pk, actor=certifier)


def status(report) -> str:
    return SectorReport.objects.values_list("status", flat=True).get(pk=report.pk)


def save(report, recorder, new_values: dict) -> None:
    report.refresh_from_db(fields=["version"])
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values=new_values)


@pytest.fixture
def head(certifier):
    """The certifier with a Thai name and position, as on a real certificate."""
    certifier.full_name, certifier.position = "นายสมชาย ใจดี", "นายกเทศมนตรีตำบลด่านขุนทด"
    certifier.save(update_fields=["full_name", "position"])
    return certifier


@pytest.fixture
def sealed(filled_report, recorder, verifier, head) -> CertificationSeal:
    return certify(filled_report, recorder, verifier, head)


@pytest.fixture
def other_province_officer(world):
    return make_user("province.b", Role.PROVINCIAL_OFFICER, world.province_b)


# --- readable values ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "kind", "shown"), [
    (None, "integer", ""),
    ({"not_applicable": True}, "integer", "ไม่เกี่ยวข้อง"),
    (12500, "integer", "12,500"),
    ("58500000", "decimal", "58,500,000"),
    ("1E+3", "decimal", "1,000"),
    ("1234.5", "decimal", "1,234.5"),
    (True, "yes_no", "มี"),
    (False, "yes_no", "ไม่มี"),
    ("เตาเผา", "choice", "เตาเผา"),
])
def test_values_are_shown_as_people_read_them(raw, kind, shown):
    assert readable(raw, Indicator(kind=kind)) == shown


def test_thai_digits_are_given_on_request():
    assert readable(12500, Indicator(kind="integer"), thai_digits=True) == "๑๒,๕๐๐"


# --- history ------------------------------------------------------------------------------------------------------

def test_the_history_lists_transitions_and_value_changes_newest_first(client, filled_report, recorder, verifier):
    recorder.position = "นักวิเคราะห์นโยบายและแผน"
    recorder.save(update_fields=["position"])
    services.report_submit(report_id=filled_report.pk, actor=recorder)
    services.report_return(report_id=filled_report.pk, actor=verifier, comment="ตรวจตัวเลขอีกครั้ง",
                           field_reasons={"gov_households": "จำนวนครัวเรือนไม่ตรงกับทะเบียนราษฎร"})
    save(filled_report, recorder, {"gov_households": 4200, "gov_council_members": values.NOT_APPLICABLE})
    client.force_login(verifier)

    response = client.get(url("history", filled_report))

    assert response.status_code == 200
    page = response.content.decode()
    assert "ส่งตรวจสอบ" in page and "ส่งกลับแก้ไข" in page
    assert "ตรวจตัวเลขอีกครั้ง" in page
    assert "<strong>ครัวเรือน</strong>: จำนวนครัวเรือนไม่ตรงกับทะเบียนราษฎร" in page
    assert "นักวิเคราะห์นโยบายและแผน" in page
    assert "4,100" in page and "4,200" in page and "58,500,000" in page
    assert "ไม่เกี่ยวข้อง" in page and "สมาชิกสภาท้องถิ่น" in page
    assert "แบบฟอร์ม" in page
    event = ReportEvent.objects.filter(report=filled_report, action=TransitionAction.RETURN).get()
    assert be_datetime(event.at) in page
    newest = ValueChange.objects.filter(value__report=filled_report).first()
    first_change = ValueChange.objects.filter(value__report=filled_report).last()
    assert page.index(f'id="change-{newest.pk}"') < page.index(f'id="event-{event.pk}"') \
        < page.index(f'id="change-{first_change.pk}"')


@pytest.mark.parametrize("who", ["nobody", "other_province_officer"])
def test_the_history_is_404_out_of_scope(request, client, filled_report, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("history", filled_report)).status_code == 404


@pytest.mark.parametrize("who", ["recorder", "district_officer", "provincial_officer", "department_admin"])
def test_everyone_who_sees_the_lao_sees_the_history(request, client, filled_report, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("history", filled_report)).status_code == 200


def test_the_history_asks_for_a_login(client, filled_report):
    response = client.get(url("history", filled_report))
    assert response.status_code == 302 and "/login" in response.url


def test_a_missing_report_is_404(client, recorder, filled_report):
    client.force_login(recorder)
    assert client.get(reverse("certification:history", args=[filled_report.pk + 1000])).status_code == 404


def _history_queries(client, report) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("history", report)).status_code == 200
    return len(queries)


def test_the_history_takes_the_same_queries_however_long_it_is(client, filled_report, recorder, verifier):
    client.force_login(verifier)
    services.report_submit(report_id=filled_report.pk, actor=recorder)
    services.report_return(report_id=filled_report.pk, actor=verifier, comment="แก้ไข",
                           field_reasons={"gov_area": "ตรวจพื้นที่"})
    save(filled_report, recorder, {"gov_staff_permanent": 1})
    short = _history_queries(client, filled_report)
    for n in range(2, 12):
        save(filled_report, recorder, {"gov_staff_permanent": n, "gov_staff_contract": n})
    assert _history_queries(client, filled_report) == short


def test_a_long_history_is_paginated(client, filled_report, recorder):
    for n in range(1, HISTORY_PAGE_SIZE):
        save(filled_report, recorder, {"gov_staff_permanent": n})
    total = ValueChange.objects.filter(value__report=filled_report).count()
    assert total > HISTORY_PAGE_SIZE
    client.force_login(recorder)
    first = client.get(url("history", filled_report)).content.decode()
    second = client.get(url("history", filled_report) + "?page=2").content.decode()
    assert first.count('class="change"') == HISTORY_PAGE_SIZE
    assert second.count('class="change"') == total - HISTORY_PAGE_SIZE
    assert "?page=2" in first


# --- certificate --------------------------------------------------------------------------------------------------

def test_the_certificate_shows_the_values_who_certified_and_the_full_hash(client, sealed, verifier):
    client.force_login(verifier)

    response = client.get(url("certificate", sealed.report))

    assert response.status_code == 200
    page = response.content.decode()
    assert "หนังสือรับรองข้อมูล" in page
    assert "เทศบาลตำบลด่านขุนทด" in page and "ปีงบประมาณ พ.ศ. 2568" in page
    assert sealed.sha256 in page and HEX64.search(page)
    assert "ประชากรรวม" in page and "12,500" in page and "58,500,000" in page
    assert "นายสมชาย ใจดี" in page and "นายกเทศมนตรีตำบลด่านขุนทด" in page
    assert be_date(sealed.certified_at) in page
    assert "ข้อมูลตรงกับที่รับรอง" in page
    # The print layout is a stylesheet of its own (the Content-Security-Policy refuses inline styles).
    assert "css/certificate.css" in page and "certificate-thai-digits.css" not in page
    stylesheet = Path(finders.find("css/certificate.css")).read_text(encoding="utf-8")
    assert "@media print" in stylesheet and "size: A4" in stylesheet


def test_the_certificate_can_be_printed_in_thai_digits(client, sealed, verifier):
    client.force_login(verifier)
    page = client.get(url("certificate", sealed.report) + "?digits=thai").content.decode()
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๘" in page
    assert "css/certificate-thai-digits.css" in page
    assert "๑๒,๕๐๐" in page and "๕๘,๕๐๐,๐๐๐" in page
    assert be_date(sealed.certified_at, "thai") in page
    assert sealed.sha256 in page  # the hash stays as it is, to be compared


def test_the_certificate_tells_when_the_values_no_longer_match(client, sealed, verifier):
    tamper(sealed.report)
    client.force_login(verifier)
    page = client.get(url("certificate", sealed.report)).content.decode()
    assert "ข้อมูลไม่ตรงกับที่รับรอง: ประชากรรวม" in page


def test_there_is_no_certificate_without_a_seal(client, filled_report, verifier):
    client.force_login(verifier)
    assert client.get(url("certificate", filled_report)).status_code == 404


def test_a_reopened_report_has_no_certificate(client, sealed, verifier, provincial_officer):
    services.report_reopen(report_id=sealed.report_id, actor=provincial_officer, reason="แก้ไขจำนวนประชากร")
    client.force_login(verifier)
    assert client.get(url("certificate", sealed.report)).status_code == 404


def test_the_certificate_is_404_out_of_scope(client, sealed, other_province_officer):
    client.force_login(other_province_officer)
    assert client.get(url("certificate", sealed.report)).status_code == 404


# --- seal check ---------------------------------------------------------------------------------------------------

def test_the_seal_check_says_the_data_matches(client, sealed, district_officer):
    client.force_login(district_officer)
    page = client.get(url("seal_check", sealed.report)).content.decode()
    assert "ข้อมูลตรงกับที่รับรอง" in page and "ไม่ตรง" not in page
    assert page.count(sealed.sha256) == 2  # stored and recomputed


def test_the_seal_check_names_the_item_changed_behind_the_services(client, sealed, recorder):
    tamper(sealed.report)
    client.force_login(recorder)

    page = client.get(url("seal_check", sealed.report)).content.decode()

    assert "ข้อมูลไม่ตรงกับที่รับรอง" in page
    changed = page.split('id="changed-items"')[1]
    assert "ประชากรรวม" in changed and "12,500" in changed and "99,999" in changed
    assert sealed.sha256 in page
    assert HEX64.findall(page.split('id="current-hash"')[1])[0] != sealed.sha256


def test_the_seal_check_is_404_out_of_scope_or_without_a_seal(client, world, sealed, other_province_officer):
    client.force_login(other_province_officer)
    assert client.get(url("seal_check", sealed.report)).status_code == 404
    own = sector_services.report_open(lao=world.lao_b1, sector=sealed.report.sector,
                                      fiscal_year=sealed.report.fiscal_year)
    assert client.get(url("seal_check", own)).status_code == 404


def test_check_seals_reports_each_seal_and_a_summary(sealed):
    out = StringIO()
    call_command("check_seals", stdout=out)
    assert f"report {sealed.report_id}" in out.getvalue()
    assert "1 seal(s) checked, all match" in out.getvalue()


# --- reopen -------------------------------------------------------------------------------------------------------

def test_a_provincial_officer_reopens_with_a_reason(client, sealed, provincial_officer):
    client.force_login(provincial_officer)
    form = client.get(url("reopen", sealed.report))
    assert form.status_code == 200
    assert 'name="reason"' in form.content.decode() and 'maxlength="2000"' in form.content.decode()

    response = client.post(url("reopen", sealed.report), {"reason": "จำนวนประชากรผิดจากทะเบียนราษฎร"}, follow=True)

    assert response.redirect_chain[-1] == (url("history", sealed.report), 302)
    page = response.content.decode()
    assert "เปิดแก้ไขข้อมูลที่รับรองแล้ว" in page
    assert "จำนวนประชากรผิดจากทะเบียนราษฎร" in page
    assert status(sealed.report) == ReportStatus.RETURNED
    assert CertificationSeal.objects.get(pk=sealed.pk).superseded_at is not None


def test_the_department_may_reopen(client, sealed, department_admin):
    client.force_login(department_admin)
    response = client.post(url("reopen", sealed.report), {"reason": "ตรวจพบข้อมูลซ้ำ"})
    assert response.status_code == 302
    assert status(sealed.report) == ReportStatus.RETURNED


@pytest.mark.parametrize("reason", ["", "   ", "ก" * 2001])
def test_reopening_without_a_fitting_reason_is_refused(client, sealed, provincial_officer, reason):
    client.force_login(provincial_officer)
    response = client.post(url("reopen", sealed.report), {"reason": reason})
    assert response.status_code == 200
    page = response.content.decode()
    assert "กรุณาระบุเหตุผลที่เปิดแก้ไขข้อมูลที่รับรองแล้ว" in page or "ไม่เกิน 2,000 ตัวอักษร" in page
    assert status(sealed.report) == ReportStatus.CERTIFIED
    assert CertificationSeal.objects.get(pk=sealed.pk).superseded_at is None


@pytest.mark.parametrize("who", ["district_officer", "recorder", "verifier", "head"])
def test_those_who_see_but_may_not_reopen_get_403(request, client, sealed, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("reopen", sealed.report)).status_code == 403
    assert client.post(url("reopen", sealed.report), {"reason": "ขอแก้"}).status_code == 403
    assert status(sealed.report) == ReportStatus.CERTIFIED


@pytest.mark.parametrize("who", ["other_province_officer", "nobody"])
def test_reopen_is_404_out_of_scope(request, client, sealed, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("reopen", sealed.report)).status_code == 404
    assert client.post(url("reopen", sealed.report), {"reason": "ขอแก้"}).status_code == 404
    assert status(sealed.report) == ReportStatus.CERTIFIED


def test_reopening_what_is_not_certified_is_refused_with_409(client, filled_report, provincial_officer):
    client.force_login(provincial_officer)
    form = client.get(url("reopen", filled_report)).content.decode()
    assert "ยังไม่ได้รับการรับรอง" in form and 'name="reason"' not in form

    response = client.post(url("reopen", filled_report), {"reason": "ขอแก้"})

    assert response.status_code == 409
    assert "ทำรายการนี้ไม่ได้ เพราะรายงานอยู่ในสถานะ “กำลังบันทึก”" in response.content.decode()
    assert status(filled_report) == ReportStatus.DRAFT


def test_the_history_offers_reopening_only_to_those_who_may(client, sealed, provincial_officer, district_officer):
    client.force_login(provincial_officer)
    assert url("reopen", sealed.report) in client.get(url("history", sealed.report)).content.decode()
    client.force_login(district_officer)
    page = client.get(url("history", sealed.report)).content.decode()
    assert url("reopen", sealed.report) not in page
    assert url("certificate", sealed.report) in page


def test_value_changes_through_other_channels_are_labelled(client, filled_report, recorder):
    report = filled_report
    report.refresh_from_db(fields=["version"])
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values={"gov_villages": 15}, channel=Channel.EXCEL)
    client.force_login(recorder)
    assert "ไฟล์ Excel" in client.get(url("history", report)).content.decode()


def test_the_report_page_links_its_records(client, filled_report, recorder, verifier, certifier, provincial_officer):
    from django.urls import reverse

    from certification import services as certification_services

    certification_services.report_submit(report_id=filled_report.pk, actor=recorder)
    certification_services.report_verify(report_id=filled_report.pk, actor=verifier)
    certification_services.report_certify(report_id=filled_report.pk, actor=certifier)
    page_url = reverse("sectors:report", args=[filled_report.lao_id, 2568, "governance"])
    client.force_login(recorder)
    page = client.get(page_url).content.decode()
    assert reverse("certification:history", args=[filled_report.pk]) in page
    assert reverse("certification:certificate", args=[filled_report.pk]) in page
    assert reverse("certification:reopen", args=[filled_report.pk]) not in page
    client.force_login(provincial_officer)
    assert reverse("certification:reopen", args=[filled_report.pk]) in client.get(page_url).content.decode()
