"""The workflow screens: what waits for each role, the review page and its steps, submission, certify-all."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.policy import Role
from certification import selectors, services
from certification.models import CertificationSeal, ReportEvent
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import ReportStatus, Sector, SectorReport, Severity, ValidationRule
from tests.certification.conftest import GOVERNANCE
from tests.conftest import make_user

PUBLIC_HEALTH = {"ph_health_centres": 2, "ph_elderly": 1800}
CONFIRM = "ข้าพเจ้าได้ตรวจสอบและรับรองความถูกต้องของข้อมูล"


def queue_url():
    return reverse("certification:queue")


def review_url(report):
    return reverse("certification:review", args=[report.pk])


def submit_url(report):
    return reverse("certification:submit", args=[report.pk])


def certify_all_url(lao, year=2568):
    return reverse("certification:certify_all", args=[lao.pk, year])


def status(report) -> str:
    return SectorReport.objects.get(pk=report.pk).status


def section(page: str, element_id: str) -> str:
    """The part of the page inside the element with this id (up to the next </section>)."""
    return page.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


def open_filled(lao, sector_code, values, recorder, fiscal_year):
    report = sector_services.report_open(lao=lao, sector=Sector.objects.get(code=sector_code),
                                         fiscal_year=fiscal_year)
    return sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                       new_values=values).report


def submitted(report, recorder):
    services.report_submit(report_id=report.pk, actor=recorder)
    return report


def verified(report, recorder, verifier):
    submitted(report, recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    return report


@pytest.fixture
def health_report(world, fiscal_year, recorder):
    return open_filled(world.lao_a1, "public_health", PUBLIC_HEALTH, recorder, fiscal_year)


@pytest.fixture
def foreign_verifier(world):
    return make_user("verifier.b1", Role.VERIFIER, world.lao_b1)


@pytest.fixture
def foreign_certifier(world):
    return make_user("certifier.b1", Role.CERTIFIER, world.lao_b1)


@pytest.fixture
def foreign_report(world, fiscal_year):
    """A submitted report of another province's LAO, by its own recorder."""
    recorder_b = make_user("recorder.b1", Role.RECORDER, world.lao_b1)
    report = open_filled(world.lao_b1, "governance", GOVERNANCE, recorder_b, fiscal_year)
    return submitted(report, recorder_b)


# --- the queues ---------------------------------------------------------------------------------------------------

def test_the_verifier_sees_what_was_submitted_in_their_lao_and_nothing_else(
        client, filled_report, health_report, recorder, verifier, foreign_report):
    # given: one submitted report in lao_a1 (another only a draft), and a submitted report in lao_b1
    submitted(filled_report, recorder)
    client.force_login(verifier)
    # when
    page = client.get(queue_url()).content.decode()
    # then
    waiting = section(page, "queue-verify")
    assert f'id="queue-report-{filled_report.pk}"' in waiting
    assert review_url(filled_report) in waiting
    assert "ด้านการจัดการภายในและธรรมาภิบาล" in waiting and "เทศบาลตำบลด่านขุนทด" in waiting and "2568" in waiting
    assert "recorder" in waiting  # who sent it
    assert f"queue-report-{health_report.pk}" not in page
    assert f"queue-report-{foreign_report.pk}" not in page
    assert 'id="queue-certify"' not in page and 'id="queue-record"' not in page


def test_a_verifier_of_another_lao_sees_nothing_waiting(client, filled_report, recorder, foreign_verifier):
    submitted(filled_report, recorder)
    client.force_login(foreign_verifier)
    page = client.get(queue_url()).content.decode()
    assert f"queue-report-{filled_report.pk}" not in page
    assert "ไม่มีข้อมูลที่รอคุณตรวจสอบ" in page


def test_the_certifier_sees_verified_reports_grouped_by_lao_with_certify_all(
        client, world, filled_report, health_report, recorder, verifier, certifier):
    verified(filled_report, recorder, verifier)
    verified(health_report, recorder, verifier)
    client.force_login(certifier)
    page = client.get(queue_url()).content.decode()
    waiting = section(page, "queue-certify")
    assert f"queue-report-{filled_report.pk}" in waiting and f"queue-report-{health_report.pk}" in waiting
    assert certify_all_url(world.lao_a1) in waiting
    assert "รับรองทั้งหมด 2 ด้าน" in waiting
    assert "verifier" in waiting  # who verified it
    assert 'id="queue-verify"' not in page


def test_the_recorder_sees_returned_reports_first_with_the_comment_then_drafts(
        client, filled_report, health_report, recorder, verifier):
    submitted(filled_report, recorder)
    services.report_return(report_id=filled_report.pk, actor=verifier, comment="ตัวเลขประชากรไม่ตรงทะเบียนราษฎร")
    client.force_login(recorder)
    page = client.get(queue_url()).content.decode()
    waiting = section(page, "queue-record")
    assert waiting.index(f"queue-report-{filled_report.pk}") < waiting.index(f"queue-report-{health_report.pk}")
    assert "ตัวเลขประชากรไม่ตรงทะเบียนราษฎร" in waiting
    assert "แก้ไขตามที่ส่งกลับ" in waiting and "บันทึกข้อมูล" in waiting
    assert filled_report.get_absolute_url() in waiting


def test_nothing_waits_for_the_person_who_submitted_it(client, world, filled_report, recorder, verifier):
    """The recorder and the verifier of one report are different people: a report one sent is not one's to check."""
    account_services.role_grant(actor=None, user=recorder, role=Role.VERIFIER, unit=world.lao_a1)
    submitted(filled_report, recorder)
    client.force_login(recorder)
    assert f"queue-report-{filled_report.pk}" not in section(client.get(queue_url()).content.decode(), "queue-verify")
    client.force_login(verifier)
    assert f"queue-report-{filled_report.pk}" in client.get(queue_url()).content.decode()


def test_a_user_without_lao_roles_is_told_so(client, district_officer):
    client.force_login(district_officer)
    assert "ไม่มีงานที่รอคุณ" in client.get(queue_url()).content.decode()


def test_the_queue_needs_sign_in(client, db):
    response = client.get(queue_url())
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def _fill(laos, fiscal_year, everyone):
    """In each LAO a draft, a returned, a submitted and a verified report, and `everyone` holding every LAO role."""
    sectors = list(Sector.objects.order_by("order"))
    someone = make_user(f"someone-{laos[0].pk}")
    for lao in laos:
        for role in (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER):
            account_services.role_grant(actor=None, user=everyone, role=role, unit=lao)
        for sector, status_ in zip(sectors, (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED,
                                             ReportStatus.VERIFIED), strict=False):
            report = SectorReport.objects.create(lao=lao, sector=sector, fiscal_year=fiscal_year, status=status_)
            if status_ != ReportStatus.DRAFT:
                ReportEvent.objects.create(report=report, action="return" if status_ == ReportStatus.RETURNED
                                           else "submit", from_status="draft", to_status=status_, actor=someone,
                                           comment="ตรวจดู")


def test_the_queue_takes_the_same_number_of_queries_however_much_waits(
        client, world, fiscal_year, django_assert_max_num_queries):
    # given: what waits in one LAO, and the queries the queue takes for it
    everyone = make_user("everyone")
    _fill([world.lao_a1], fiscal_year, everyone)
    client.force_login(everyone)
    with CaptureQueriesContext(connection) as one_lao:
        assert client.get(queue_url()).content.decode().count('id="queue-report-') == 4
    # when three more LAOs wait
    _fill([world.lao_a1_sao, world.lao_a2, world.pao_a], fiscal_year, everyone)
    # then the queue shows four times as much with no more queries
    with django_assert_max_num_queries(len(one_lao)):
        page = client.get(queue_url()).content.decode()
    assert page.count('id="queue-report-') == 16
    assert len(selectors.queue_for(everyone).to_fix) == 8


# --- the review page --------------------------------------------------------------------------------------------

def test_a_report_of_another_lao_is_not_found(client, filled_report, recorder, foreign_verifier):
    submitted(filled_report, recorder)
    client.force_login(foreign_verifier)
    assert client.get(review_url(filled_report)).status_code == 404
    response = client.post(review_url(filled_report), {"step": "verify"})
    assert response.status_code == 404
    assert status(filled_report) == ReportStatus.SUBMITTED


def test_the_review_shows_each_value_beside_last_years_with_the_change_reasons_and_warnings(
        client, world, fiscal_year, filled_report, recorder, verifier):
    # given: last year certified, this year's budget much larger with the recorder's reason, and a warning rule
    last_year = fiscal_year_open(be_year=2567, make_current=False)
    last = open_filled(world.lao_a1, "governance", {**GOVERNANCE, "gov_villages": 10, "gov_budget": 35000000},
                       recorder, last_year)
    SectorReport.objects.filter(pk=last.pk).update(status=ReportStatus.CERTIFIED)
    sector_services.report_save(report_id=filled_report.pk, user=recorder, expected_version=filled_report.version,
                                new_values={"gov_budget": Decimal("58500000")},
                                reasons={"gov_budget": "ได้รับเงินอุดหนุนเฉพาะกิจสร้างถนน"})
    ValidationRule.objects.create(fiscal_year=fiscal_year, expression="gov_staff_officials ≤ 30",
                                  severity=Severity.WARNING, message_th="จำนวนข้าราชการมากกว่าที่คาด")
    services.report_submit(report_id=filled_report.pk, actor=recorder, confirm_warnings=True)
    client.force_login(verifier)
    # when
    response = client.get(review_url(filled_report))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    budget = page.split('id="item-gov_budget"')[1].split("</tr>")[0]
    assert "58,500,000" in budget and "35,000,000" in budget
    assert "+23,500,000" in budget and "+67.1%" in budget
    assert "ได้รับเงินอุดหนุนเฉพาะกิจสร้างถนน" in budget
    villages = page.split('id="item-gov_villages"')[1].split("</tr>")[0]
    assert "+4" in villages and "+40.0%" in villages
    assert "จำนวนข้าราชการมากกว่าที่คาด" in page.split('id="item-gov_staff_officials"')[1].split("</tr>")[0]
    assert 'name="reason-gov_budget"' in page  # a reason box per item for a return
    assert 'id="verify-form"' in page and 'id="return-form"' in page and 'id="certify-form"' not in page


def test_someone_who_may_only_see_gets_no_steps(client, filled_report, recorder, district_officer):
    submitted(filled_report, recorder)
    client.force_login(district_officer)
    page = client.get(review_url(filled_report)).content.decode()
    assert "ไม่มีขั้นตอนที่รอคุณ" in page
    assert "<form method=\"post\"" not in page.split('id="steps"')[1].split("</section>")[0]
    assert 'name="reason-gov_area"' not in page


def test_the_verify_button_comes_after_the_data_it_is_about(client, filled_report, recorder, verifier):
    submitted(filled_report, recorder)
    client.force_login(verifier)
    page = client.get(review_url(filled_report)).content.decode()
    last_item = max(page.index(f'id="item-{code}"') for code in GOVERNANCE)
    assert last_item < page.index('id="verify-form"')


def test_the_verifier_verifies_by_post(client, filled_report, recorder, verifier):
    submitted(filled_report, recorder)
    client.force_login(verifier)
    response = client.post(review_url(filled_report), {"step": "verify", "comment": "ถูกต้อง"})
    assert response.status_code == 302 and response.url == review_url(filled_report)
    assert status(filled_report) == ReportStatus.VERIFIED
    assert ReportEvent.objects.get(report=filled_report, action="verify").comment == "ถูกต้อง"
    page = client.get(response.url).content.decode()
    assert "ยืนยันผลการตรวจสอบแล้ว" in page and 'id="verify-form"' not in page


def test_the_verifier_returns_with_reasons_per_item_and_the_recorder_sees_them_beside_the_fields(
        client, filled_report, recorder, verifier):
    submitted(filled_report, recorder)
    client.force_login(verifier)
    response = client.post(review_url(filled_report), {
        "step": "return", "comment": "กรุณาตรวจสอบตัวเลขอีกครั้ง",
        "reason-gov_villages": "จำนวนหมู่บ้านไม่ตรงกับประกาศกระทรวงมหาดไทย", "reason-gov_area": "  "})
    assert response.status_code == 302
    assert status(filled_report) == ReportStatus.RETURNED
    event = selectors.latest_return(filled_report)
    assert event.field_reasons == {"gov_villages": "จำนวนหมู่บ้านไม่ตรงกับประกาศกระทรวงมหาดไทย"}

    client.force_login(recorder)
    page = client.get(filled_report.get_absolute_url()).content.decode()
    notice = page.split('id="return-notice"')[1].split('id="report-form"')[0]
    assert "กรุณาตรวจสอบตัวเลขอีกครั้ง" in notice and "verifier" in notice
    villages = page.split('id="item-gov_villages"')[1].split("</tr>")[0]
    assert 'id="return-reason-gov_villages"' in villages
    assert "จำนวนหมู่บ้านไม่ตรงกับประกาศกระทรวงมหาดไทย" in villages
    assert "return-reason" not in page.split('id="item-gov_area"')[1].split("</tr>")[0]
    assert 'id="submit-button"' in page  # and may send it again


def test_a_refused_return_keeps_what_was_typed(client, world, filled_report, recorder):
    """The recorder who also verifies may not return a report they submitted: 409, and the reasons stay."""
    account_services.role_grant(actor=None, user=recorder, role=Role.VERIFIER, unit=world.lao_a1)
    submitted(filled_report, recorder)
    client.force_login(recorder)
    response = client.post(review_url(filled_report), {
        "step": "return", "comment": "ส่งกลับเอง", "reason-gov_area": "พื้นที่ผิด"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "ต้องเป็นคนละคน" in page
    assert "ส่งกลับเอง</textarea>" in page and "พื้นที่ผิด</textarea>" in page
    assert status(filled_report) == ReportStatus.SUBMITTED


def test_a_return_without_any_reason_is_refused(client, filled_report, recorder, verifier):
    submitted(filled_report, recorder)
    client.force_login(verifier)
    response = client.post(review_url(filled_report), {"step": "return", "comment": ""})
    assert response.status_code == 409
    assert "กรุณาระบุเหตุผลที่ส่งกลับแก้ไข" in response.content.decode()
    assert status(filled_report) == ReportStatus.SUBMITTED


def test_a_step_the_user_may_not_take_is_forbidden(client, filled_report, recorder, district_officer):
    submitted(filled_report, recorder)
    client.force_login(district_officer)
    assert client.post(review_url(filled_report), {"step": "verify"}).status_code == 403
    assert client.post(review_url(filled_report), {"step": "nonsense"}).status_code == 400
    assert status(filled_report) == ReportStatus.SUBMITTED


def test_the_certifier_must_tick_the_declaration_then_certifies(client, filled_report, recorder, verifier,
                                                                 certifier):
    verified(filled_report, recorder, verifier)
    client.force_login(certifier)
    page = client.get(review_url(filled_report)).content.decode()
    assert CONFIRM in page and 'id="certify-form"' in page and 'id="return-form"' in page
    response = client.post(review_url(filled_report), {"step": "certify"})
    assert response.status_code == 200
    assert "กรุณาทำเครื่องหมายยืนยันก่อนรับรองข้อมูล" in response.content.decode()
    assert status(filled_report) == ReportStatus.VERIFIED

    response = client.post(review_url(filled_report), {"step": "certify", "confirm": "on"})
    assert response.status_code == 302
    assert status(filled_report) == ReportStatus.CERTIFIED
    seal = CertificationSeal.objects.get(report=filled_report)
    assert seal.certified_by == certifier and len(seal.sha256) == 64
    page = client.get(review_url(filled_report)).content.decode()
    assert "ไม่มีขั้นตอนที่รอคุณ" in page and "รับรองแล้ว" in page


def test_the_verifier_cannot_certify(client, filled_report, recorder, verifier, second_verifier):
    verified(filled_report, recorder, verifier)
    client.force_login(second_verifier)
    assert client.post(review_url(filled_report), {"step": "certify", "confirm": "on"}).status_code == 403
    assert status(filled_report) == ReportStatus.VERIFIED


# --- submission -------------------------------------------------------------------------------------------------

def test_the_recorder_sees_the_submit_button_on_a_draft_and_others_do_not(client, filled_report, recorder,
                                                                         verifier):
    client.force_login(recorder)
    page = client.get(filled_report.get_absolute_url()).content.decode()
    assert 'id="submit-button"' in page and f'action="{submit_url(filled_report)}"' in page
    client.force_login(verifier)
    page = client.get(filled_report.get_absolute_url()).content.decode()
    assert 'id="submit-button"' not in page and 'id="submit-form"' not in page


def test_submission_sends_the_stored_values(client, filled_report, recorder):
    client.force_login(recorder)
    response = client.post(submit_url(filled_report), {"comment": "ข้อมูลครบแล้ว"})
    assert response.status_code == 302 and response.url == filled_report.get_absolute_url()
    assert status(filled_report) == ReportStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "ส่งข้อมูลให้ผู้ตรวจสอบแล้ว" in page and 'id="submit-button"' not in page
    assert ReportEvent.objects.get(report=filled_report).comment == "ข้อมูลครบแล้ว"


def test_submission_is_refused_while_a_rule_error_stands_and_shows_it(client, filled_report, recorder):
    sector_services.report_save(report_id=filled_report.pk, user=recorder, expected_version=filled_report.version,
                                new_values={"gov_population_total": 12000, "gov_villages": None})
    client.force_login(recorder)
    response = client.post(submit_url(filled_report))
    assert response.status_code == 409
    page = response.content.decode()
    errors = section(page, "submit-errors")
    assert "ประชากรชายรวมกับหญิงต้องเท่ากับประชากรรวม" in errors
    assert "กรุณากรอกหมู่บ้าน/ชุมชน" in errors
    assert f'{filled_report.get_absolute_url()}#item-gov_villages' in errors
    assert 'id="submit-form"' not in page  # nothing to confirm: the errors must be fixed first
    assert status(filled_report) == ReportStatus.DRAFT


def test_warnings_are_confirmed_then_submitted(client, fiscal_year, filled_report, recorder):
    ValidationRule.objects.create(fiscal_year=fiscal_year, expression="gov_staff_officials ≤ 30",
                                  severity=Severity.WARNING, message_th="จำนวนข้าราชการมากกว่าที่คาด")
    client.force_login(recorder)
    response = client.post(submit_url(filled_report))
    assert response.status_code == 409
    page = response.content.decode()
    assert "จำนวนข้าราชการมากกว่าที่คาด" in section(page, "submit-warnings")
    assert 'name="confirm_warnings"' in page and "ยืนยันว่าตรวจดูแล้ว" in page
    assert status(filled_report) == ReportStatus.DRAFT

    response = client.post(submit_url(filled_report), {"confirm_warnings": "on"})
    assert response.status_code == 302
    assert status(filled_report) == ReportStatus.SUBMITTED


def test_only_the_recorder_submits(client, filled_report, verifier, foreign_verifier):
    client.force_login(verifier)
    assert client.post(submit_url(filled_report)).status_code == 403
    client.force_login(foreign_verifier)
    assert client.post(submit_url(filled_report)).status_code == 404
    assert client.get(submit_url(filled_report)).status_code in (404, 405)
    assert status(filled_report) == ReportStatus.DRAFT


# --- the sector cards lead to the review ------------------------------------------------------------------------

def test_the_verifiers_and_certifiers_card_actions_open_the_review(client, world, filled_report, health_report,
                                                                  recorder, verifier, certifier):
    submitted(filled_report, recorder)
    verified(health_report, recorder, verifier)
    cards = reverse("sectors:lao_sectors", args=[world.lao_a1.pk, 2568])
    client.force_login(verifier)
    page = client.get(cards).content.decode()
    assert f'href="{review_url(filled_report)}">ตรวจสอบ</a>' in page
    client.force_login(certifier)
    page = client.get(cards).content.decode()
    assert f'href="{review_url(health_report)}">รับรอง</a>' in page


# --- certify all ------------------------------------------------------------------------------------------------

def test_certify_all_shows_a_summary_of_the_verified_sectors(client, world, filled_report, health_report,
                                                             recorder, verifier, certifier):
    verified(filled_report, recorder, verifier)
    verified(health_report, recorder, verifier)
    client.force_login(certifier)
    response = client.get(certify_all_url(world.lao_a1))
    assert response.status_code == 200
    page = response.content.decode()
    summary = page.split('id="certify-summary"')[1].split("</table>")[0]
    assert "ด้านการจัดการภายในและธรรมาภิบาล" in summary and "ด้านสาธารณสุข" in summary
    assert "8 จาก 17" in summary  # governance: items filled of all its items
    assert "6,120" in summary  # a key figure
    assert CONFIRM in page and "รับรองข้อมูล 2 ด้าน" in page


def test_certify_all_certifies_every_verified_sector(client, world, filled_report, health_report, recorder,
                                                     verifier, certifier):
    verified(filled_report, recorder, verifier)
    verified(health_report, recorder, verifier)
    client.force_login(certifier)
    response = client.post(certify_all_url(world.lao_a1),
                           {"reports": [filled_report.pk, health_report.pk], "confirm": "on"})
    assert response.status_code == 302
    assert response.url == reverse("sectors:lao_sectors", args=[world.lao_a1.pk, 2568])
    assert status(filled_report) == status(health_report) == ReportStatus.CERTIFIED
    assert CertificationSeal.objects.count() == 2


def test_certify_all_certifies_none_when_one_is_refused(client, world, filled_report, health_report, recorder,
                                                        verifier, certifier):
    # given: the certifier also records, and submitted the health sector: they may not certify it
    account_services.role_grant(actor=None, user=certifier, role=Role.RECORDER, unit=world.lao_a1)
    verified(filled_report, recorder, verifier)
    verified(health_report, certifier, verifier)
    client.force_login(certifier)
    # when
    response = client.post(certify_all_url(world.lao_a1),
                           {"reports": [filled_report.pk, health_report.pk], "confirm": "on"})
    # then
    assert response.status_code == 409
    page = response.content.decode()
    assert "ยังไม่ได้รับรองด้านใดเลย" in page and "ด้านสาธารณสุข" in page and "ต้องเป็นคนละคน" in page
    assert status(filled_report) == status(health_report) == ReportStatus.VERIFIED
    assert not CertificationSeal.objects.exists()
    assert not ReportEvent.objects.filter(action="certify").exists()


def test_certify_all_refuses_a_list_that_changed_since_the_summary(client, world, filled_report, health_report,
                                                                   recorder, verifier, certifier):
    verified(filled_report, recorder, verifier)
    submitted(health_report, recorder)  # not verified: was never in the summary
    client.force_login(certifier)
    response = client.post(certify_all_url(world.lao_a1),
                           {"reports": [filled_report.pk, health_report.pk], "confirm": "on"})
    assert response.status_code == 200
    assert "กรุณาตรวจดูสรุปอีกครั้ง" in response.content.decode()
    assert status(filled_report) == ReportStatus.VERIFIED


def test_certify_all_needs_the_declaration(client, world, filled_report, recorder, verifier, certifier):
    verified(filled_report, recorder, verifier)
    client.force_login(certifier)
    response = client.post(certify_all_url(world.lao_a1), {"reports": [filled_report.pk]})
    assert response.status_code == 200
    assert "กรุณาทำเครื่องหมายยืนยันก่อนรับรองข้อมูล" in response.content.decode()
    assert status(filled_report) == ReportStatus.VERIFIED


def test_certify_all_is_for_the_certifiers_of_the_lao(client, world, filled_report, recorder, verifier,
                                                      foreign_certifier):
    verified(filled_report, recorder, verifier)
    client.force_login(verifier)
    assert client.get(certify_all_url(world.lao_a1)).status_code == 403
    assert client.post(certify_all_url(world.lao_a1),
                       {"reports": [filled_report.pk], "confirm": "on"}).status_code == 403
    client.force_login(foreign_certifier)
    assert client.get(certify_all_url(world.lao_a1)).status_code == 404
    assert client.post(certify_all_url(world.lao_a1),
                       {"reports": [filled_report.pk], "confirm": "on"}).status_code == 404
    assert status(filled_report) == ReportStatus.VERIFIED
