"""An acting head in a real browser: the district officer appoints the deputy head by order on the LAO's page, and
the deputy certifies a verified sector; the certificate names the capacity, the office and the order."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ActingAppointment, User
from certification import services
from organizations.models import LAO
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import ReportStatus, Sector, SectorReport
from tests.certification.conftest import GOVERNANCE
from tests.e2e.test_certification_chain import shot, sign_in_as

pytestmark = pytest.mark.browser

ORDER = "คำสั่งอำเภอด่านขุนทด ที่ 123/2568"


@pytest.fixture
def verified(demo_portal):
    """The demo LAO's governance sector, recorded, submitted and verified by its own people."""
    fiscal_year = fiscal_year_open(be_year=2568)
    recorder, verifier = User.objects.get(username="recorder.demo"), User.objects.get(username="verifier.demo")
    lao = LAO.objects.get(user_grants__user=recorder)
    report = sector_services.report_open(lao=lao, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values=GOVERNANCE)
    services.report_submit(report_id=report.pk, actor=recorder)
    services.report_verify(report_id=report.pk, actor=verifier)
    return report


def test_the_district_appoints_an_acting_head_who_certifies(demo_portal, verified, page):
    base = demo_portal.url
    lao_page = base + reverse("organizations:lao", args=[verified.lao_id])

    # The deputy has no role: the queue holds nothing to certify.
    sign_in_as(page, base, "deputy.demo")
    page.goto(base + reverse("certification:queue"))
    expect(page.locator("#queue-certify tr", has_text="ด้านการจัดการภายในและธรรมาภิบาล")).to_have_count(0)

    # The district officer appoints the deputy on the LAO's page; a missing order number is refused first.
    sign_in_as(page, base, "dankhunthot.district")
    page.goto(lao_page)
    form = page.locator("#acting-form")
    expect(form.locator("#id_acting_for")).to_have_value("นายกเทศมนตรีตำบลด่านขุนทด")
    form.locator("#id_username").fill("deputy.demo")
    form.locator("button[type=submit]").click()
    expect(page.locator("#acting-form")).to_contain_text("กรุณาระบุเลขที่คำสั่งแต่งตั้ง")
    page.locator("#acting-form #id_order_ref").fill(ORDER)
    page.locator("#acting-form #id_ends_on").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.locator("#acting-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("แต่งตั้งผู้รักษาราชการแทนแล้ว")
    row = page.locator("#acting-appointments tbody tr", has_text="สมหมาย แทนการ")
    expect(row).to_contain_text(ORDER)
    expect(row).to_contain_text("กำลังรักษาราชการแทน")
    shot(page, "acting-appointed.png")
    assert ActingAppointment.objects.get().appointed_by.username == "dankhunthot.district"

    # The acting head finds the sector in the queue and certifies it.
    sign_in_as(page, base, "deputy.demo")
    page.goto(base + reverse("certification:queue"))
    page.locator("#queue-certify tr", has_text="ด้านการจัดการภายในและธรรมาภิบาล").locator(
        "a.button", has_text="รับรอง").click()
    page.check("#certify_confirm")
    page.locator("#certify-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("รับรองข้อมูลแล้ว")
    assert SectorReport.objects.get(pk=verified.pk).status == ReportStatus.CERTIFIED

    # The certificate names the acting head, the capacity, the office and the order.
    certificate = reverse("certification:certificate", args=[verified.pk])
    page.goto(base + certificate)
    expect(page.locator(".signature")).to_contain_text("สมหมาย แทนการ")
    expect(page.locator("#acting-capacity")).to_have_text(re.compile(r"รักษาราชการแทน\s+นายกเทศมนตรีตำบลด่านขุนทด"))
    expect(page.locator(".signature")).to_contain_text(ORDER)
    shot(page, "acting-certificate.png")
