"""The demo recorder and the district officer of ด่านขุนทด sign in and find today's work on their home page, in a
real browser: the deadline, what to do next, who is behind, and the button that chases them."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from organizations.models import LAO
from sectors.catalogue import fiscal_year_open
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_dashboards import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(demo_portal):
    """The demo portal with a simulated ด่านขุนทด and a round published around today."""
    fiscal_year_open(be_year=2568)
    call_command("simulate_round", "--fiscal-year", "2568", "--district", "3008", "--seed", "5",
                 stdout=io.StringIO())
    call_command("load_demo_round", "--date", timezone.localdate().isoformat(), stdout=io.StringIO())
    return demo_portal


def test_the_demo_recorder_sees_its_sectors_the_deadline_and_the_next_step(portal, page: Page):
    sign_in(page, portal.url, "recorder.demo")
    lao = LAO.objects.get(name_th="เทศบาลตำบลด่านขุนทด")
    work = page.locator(f"#work-record-{lao.pk}")
    expect(work).to_be_visible()
    expect(work.locator(f"#work-record-{lao.pk}-deadline")).to_contain_text("เหลือ 7 วัน")
    expect(work.locator("tbody tr")).to_have_count(8)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home-recorder.png", full_page=True)
    work.locator(f"#work-record-{lao.pk}-next").click()
    expect(page.locator("#report-form")).to_be_visible()


def test_the_district_officer_sees_who_is_behind_and_chases_one(portal, page: Page):
    sign_in(page, portal.url, "dankhunthot.district")
    work = page.locator("#work-district-3008")
    expect(work).to_be_visible()
    expect(work.locator("#work-district-3008-deadline")).to_be_visible()
    expect(work.locator("#work-district-3008-behind-list tbody tr")).to_have_count(5)
    page.screenshot(path=ARTIFACTS / "home-district.png", full_page=True)
    first = work.locator("#work-district-3008-behind-list tbody tr").first
    name = first.locator("td a").first.inner_text()
    first.locator("a.button", has_text="ติดตามเร่งรัด").click()
    expect(page.locator("h1")).to_contain_text(name)
    work_link = page.locator("a", has_text="หน้าแรก").first
    work_link.click()
    page.locator("#work-district-3008-behind").click()
    expect(page.locator("h1")).to_contain_text("รายชื่อ อปท. ที่ยังไม่ดำเนินการ")
