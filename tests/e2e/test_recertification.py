"""A re-certification in a real browser: the province reopens a certified sector with a reason, the recorder
corrects one value and submits, the verifier and the head see what changed since the seal, the head certifies
again, the new certificate names the changed item, and the checks of both seals say they verify."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from certification import services as certification
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import Sector, SectorReport
from tests.e2e.test_certification_chain import open_from_queue, save, shot, sign_in_as

pytestmark = pytest.mark.browser

VALUES = {"gov_area": 45, "gov_villages": 14, "gov_population_male": 6120, "gov_population_female": 6380,
          "gov_population_total": 12500, "gov_households": 4210, "gov_staff_officials": 38, "gov_budget": 58500000}
REOPEN_REASON = "จำนวนครัวเรือนไม่ตรงกับทะเบียนราษฎร"


@pytest.fixture
def certified(demo_portal) -> SectorReport:
    """The demo LAO's governance certified through the services by its three demo people."""
    fiscal_year = fiscal_year_open(be_year=2568)
    recorder, verifier, head = (User.objects.get(username=f"{role}.demo")
                                for role in ("recorder", "verifier", "certifier"))
    lao = policy.laos_for(recorder, Action.RECORD).get()
    report = sector_services.report_open(lao=lao, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values=VALUES)
    certification.report_submit(report_id=report.pk, actor=recorder, confirm_warnings=True)
    certification.report_verify(report_id=report.pk, actor=verifier)
    certification.report_certify(report_id=report.pk, actor=head)
    return report


def test_a_reopened_sector_is_corrected_and_certified_again(demo_portal, certified, page: Page):
    base, report = demo_portal.url, certified

    # The province reopens it with a reason, from the report's history.
    sign_in_as(page, base, "korat.province")
    page.goto(base + reverse("certification:history", args=[report.pk]))
    page.locator("a.button", has_text="เปิดแก้ไขข้อมูลที่รับรองแล้ว").click()
    page.fill("textarea[name=reason]", REOPEN_REASON)
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("เปิดแก้ไขข้อมูลที่รับรองแล้ว")

    # The recorder corrects the households and submits.
    sign_in_as(page, base, "recorder.demo")
    page.goto(base + report.get_absolute_url())
    expect(page.locator("#recertification")).to_contain_text(REOPEN_REASON)
    page.fill("#id_gov_households", "4,222")
    save(page)
    expect(page.locator("#changed-gov_households")).to_contain_text("4,222")
    page.locator("#submit-button").click()
    expect(page.locator(".messages")).to_contain_text("ส่งข้อมูลให้ผู้ตรวจสอบแล้ว")

    # The verifier sees the difference from the seal and verifies.
    sign_in_as(page, base, "verifier.demo")
    open_from_queue(page, base, "queue-verify", "ตรวจสอบ")
    changed = page.locator("#recertification-items #changed-gov_households")
    expect(changed).to_contain_text("4,210")
    expect(changed).to_contain_text("4,222")
    expect(changed).to_contain_text("สมใจ บันทึกดี")
    shot(page, "recertification-review.png")
    page.locator("#verify-form button[type=submit]").click()
    expect(page.locator("#report-status")).to_have_text("รอรับรอง")

    # The head sees it too and certifies again.
    sign_in_as(page, base, "certifier.demo")
    open_from_queue(page, base, "queue-certify", "รับรอง")
    expect(page.locator("#recertification-items #changed-gov_households")).to_contain_text("4,222")
    page.check("#certify_confirm")
    page.locator("#certify-form button[type=submit]").click()
    expect(page.locator("#report-status")).to_have_text("รับรองแล้ว")

    # The new certificate names the certification it replaces and the changed item.
    page.locator("#certificate-link").click()
    expect(page.locator("#supersedes")).to_contain_text("แทนการรับรองครั้งที่ 1 เมื่อ")
    expect(page.locator("#changed-items #changed-gov_households")).to_contain_text("4,222")
    shot(page, "recertification-certificate.png")

    # Both seals' checks say they verify.
    for number in (1, 2):
        page.goto(base + reverse("certification:seal_check", args=[report.pk]) + f"?n={number}")
        expect(page.locator("#seal-number")).to_contain_text(f"การรับรองครั้งที่ {number}")
        expect(page.locator("#verdict .verdict")).to_have_text("ข้อมูลตรงกับที่รับรอง")
