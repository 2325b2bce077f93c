"""One sector through the whole chain in a real browser: recorded and submitted, returned with a reason on one
field, fixed and sent again, verified, and certified by the LAO head."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from sectors.catalogue import fiscal_year_open
from sectors.models import ReportStatus, SectorReport
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

GOVERNANCE = "ด้านการจัดการภายในและธรรมาภิบาล"
VALUES = {"gov_area": "45.25", "gov_villages": "14", "gov_population_male": "6,120",
          "gov_population_female": "6,380", "gov_households": "4,210",
          "gov_staff_officials": "38", "gov_budget": "58,500,000"}
REASON = "จำนวนหมู่บ้านไม่ตรงกับประกาศจังหวัด ปีนี้มี 15 หมู่บ้าน"
COMMENT = "กรุณาแก้ไขจำนวนหมู่บ้านตามเหตุผลข้างช่อง"


@pytest.fixture
def portal(demo_portal):
    fiscal_year_open(be_year=2568)
    return demo_portal


def sign_in_as(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#my-roles")).to_be_visible()


def save(page: Page) -> None:
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/governance/")):
        page.locator(".actionbar button[value=save]").click()
    expect(page.locator("#report-form .notice.success")).to_be_visible()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)


def open_from_queue(page: Page, base_url: str, queue_id: str, link: str) -> None:
    page.goto(base_url + reverse("certification:queue"))
    expect(page.locator("h1")).to_have_text("งานที่รอฉัน")
    row = page.locator(f"#{queue_id} tr", has_text=GOVERNANCE)
    expect(row).to_have_count(1)
    row.locator("a.button", has_text=link).click()


def test_a_sector_goes_from_the_recorder_through_the_verifier_to_the_certifier(portal, page):
    base = portal.url

    # The recorder fills governance, saves and submits.
    sign_in_as(page, base, "recorder.demo")
    page.locator("#scope-laos a", has_text="สถานะข้อมูล 8 ด้าน").click()
    page.locator("#sector-governance a.button", has_text="บันทึกข้อมูล").click()
    expect(page.locator("h1")).to_have_text(GOVERNANCE)
    # Opening the sector stored nothing: only the first save makes a report to submit.
    expect(page.locator("#submit-button")).to_have_count(0)
    page.locator("#report-form button[name=action][value=save]").click()
    expect(page.locator("#report-form .notice.success")).to_contain_text("บันทึกข้อมูลแล้ว")
    # Sent before anything is filled: refused, with what is missing.
    page.locator("#submit-button").click()
    expect(page.locator("#submit-refused")).to_contain_text("ยังไม่ได้ส่งตรวจสอบ")
    expect(page.locator("#submit-errors")).to_contain_text("กรุณากรอกหมู่บ้าน/ชุมชน")
    shot(page, "workflow-submit-refused.png")
    page.locator("a.button", has_text="กลับไปแก้ไขข้อมูล").click()
    for code, value in VALUES.items():
        page.fill(f"#id_{code}", value)
    save(page)
    page.locator("#submit-button").click()
    expect(page.locator(".messages")).to_contain_text("ส่งข้อมูลให้ผู้ตรวจสอบแล้ว")
    expect(page.locator(".report-meta .status")).to_have_text("รอตรวจสอบ")
    report = SectorReport.objects.get(sector__code="governance")
    assert report.status == ReportStatus.SUBMITTED

    # The verifier finds it in the queue and returns it with a reason beside one field.
    sign_in_as(page, base, "verifier.demo")
    page.goto(base + reverse("certification:queue"))
    shot(page, "workflow-queue-verifier.png")
    open_from_queue(page, base, "queue-verify", "ตรวจสอบ")
    expect(page.locator("h1")).to_contain_text(GOVERNANCE)
    expect(page.locator("#item-gov_budget .value")).to_have_text("58,500,000")
    page.locator("#item-gov_villages summary").click()
    page.fill("textarea[name=reason-gov_villages]", REASON)
    page.fill("#return_comment", COMMENT)
    shot(page, "workflow-review-return.png")
    page.locator("#return button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("ส่งกลับให้ผู้บันทึกข้อมูลแก้ไขแล้ว")
    expect(page.locator("#report-status")).to_have_text("ส่งกลับแก้ไข")

    # The recorder sees the comment on top and the reason beside the field, fixes it and sends it again.
    sign_in_as(page, base, "recorder.demo")
    open_from_queue(page, base, "queue-record", "แก้ไขตามที่ส่งกลับ")
    expect(page.locator("#return-notice")).to_contain_text(COMMENT)
    expect(page.locator("#item-gov_villages #return-reason-gov_villages")).to_contain_text(REASON)
    shot(page, "workflow-returned-report.png")
    page.fill("#id_gov_villages", "15")
    page.locator("#id_gov_villages").blur()
    # Not saved yet: the page asks to save first, and saves.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/governance/")):
        page.locator("#submit-button").click()
    expect(page.locator("#report-form .notice.success")).to_be_visible()
    assert SectorReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    page.locator("#submit-button").click()
    expect(page.locator(".messages")).to_contain_text("ส่งข้อมูลให้ผู้ตรวจสอบแล้ว")
    expect(page.locator(".report-meta .status")).to_have_text("รอตรวจสอบ")

    # The verifier sees the fixed value and the reason given last time, and verifies.
    sign_in_as(page, base, "verifier.demo")
    open_from_queue(page, base, "queue-verify", "ตรวจสอบ")
    expect(page.locator("#item-gov_villages .value")).to_have_text("15")
    expect(page.locator("#item-gov_villages .last-return-reason")).to_contain_text(REASON)
    page.locator("#verify-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("ยืนยันผลการตรวจสอบแล้ว")
    expect(page.locator("#report-status")).to_have_text("รอรับรอง")

    # The LAO head looks at the summary, then certifies from the review page.
    sign_in_as(page, base, "certifier.demo")
    page.goto(base + reverse("certification:queue"))
    shot(page, "workflow-queue-certifier.png")
    page.goto(base + reverse("certification:certify_all", args=[report.lao_id, 2568]))
    expect(page.locator("#summary-governance")).to_contain_text("6,120")
    shot(page, "workflow-certify-all.png")
    open_from_queue(page, base, "queue-certify", "รับรอง")
    page.locator("#certify-form button[type=submit]").click()
    expect(page.locator("#report-status")).to_have_text("รอรับรอง")  # the declaration is not ticked yet
    page.check("#certify_confirm")
    shot(page, "workflow-review-certify.png")
    page.locator("#certify-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("รับรองข้อมูลแล้ว")
    expect(page.locator("#report-status")).to_have_text("รับรองแล้ว")
    assert SectorReport.objects.get(pk=report.pk).status == ReportStatus.CERTIFIED
    shot(page, "workflow-certified.png")

    # The certified report's review page links to its certificate, which shows the seal's hash.
    certificate = reverse("certification:certificate", args=[report.pk])
    expect(page.locator("#certificate-link")).to_have_attribute("href", certificate)
    page.locator("#certificate-link").click()
    expect(page).to_have_url(re.compile(re.escape(certificate) + "$"))
    expect(page.locator("body")).to_contain_text(re.compile(r"\b[0-9a-f]{64}\b"))
    shot(page, "workflow-certificate.png")
