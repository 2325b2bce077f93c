"""The provincial officer of นครราชสีมา opens the province dashboard, drills down to ด่านขุนทด and downloads the
laggard report to attach to a letter, in a real browser."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from sectors.catalogue import fiscal_year_open
from sectors.models import SectorReport
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(demo_portal):
    """The demo portal with a simulated round in two districts of นครราชสีมา (ด่านขุนทด and โนนไทย)."""
    fiscal_year_open(be_year=2568)
    for district in ("3008", "3009"):
        call_command("simulate_round", "--fiscal-year", "2568", "--district", district, "--seed", "5",
                     stdout=io.StringIO())
    return demo_portal


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#my-roles")).to_be_visible()


def test_korat_province_drills_down_to_dan_khun_thot_and_downloads_the_laggards(portal, page, tmp_path):
    sign_in(page, portal.url, "korat.province")
    ARTIFACTS.mkdir(exist_ok=True)

    page.locator("#scope-provinces a", has_text="ความคืบหน้าจังหวัดนครราชสีมา").click()
    expect(page.locator("h1")).to_contain_text("จังหวัดนครราชสีมา")
    expect(page.locator("#funnel .bar")).to_have_count(6)  # one bar per state, in the one table
    expect(page.locator("#progress svg")).to_be_visible()
    expect(page.locator("#units tbody tr")).to_have_count(33)  # 32 districts and the PAO
    certified = SectorReport.objects.filter(lao__province__code="30", status="certified").count()
    expect(page.locator("#funnel-certified td.num").first).to_have_text(f"{certified:,}")
    page.screenshot(path=ARTIFACTS / "dashboard-province.png", full_page=False)

    page.locator("#units th a", has_text="ความสำเร็จ").click()  # sort by completion, lowest first
    expect(page).to_have_url(portal.url + "/dash/province/30/?sort=completion")
    page.locator("#units a", has_text="ด่านขุนทด").click()
    expect(page.locator("h1")).to_contain_text("อำเภอด่านขุนทด")
    laos = SectorReport.objects.filter(lao__district__code="3008").values("lao").distinct().count()
    expect(page.locator("#units tbody tr")).to_have_count(laos + 1)  # and the demo LAO, not simulated
    expect(page.locator("#matrix tbody tr")).to_have_count(laos + 1)
    page.screenshot(path=ARTIFACTS / "dashboard-district.png", full_page=True)

    page.locator(".dash-actions a", has_text="รายชื่อ อปท. ที่ยังไม่ดำเนินการ").click()
    expect(page.locator("h1")).to_contain_text("รายชื่อ อปท. ที่ยังไม่ดำเนินการ ณ วันที่")
    laggards = page.locator("#laggards tbody tr").count()
    assert laggards >= 1
    with page.expect_download() as pdf_download:
        page.locator("#laggard-downloads a", has_text="ดาวน์โหลด PDF").click()
    pdf = tmp_path / "laggards.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf_download.value.suggested_filename.startswith("laggards-district-3008-2568-")
    assert pdf.read_bytes().startswith(b"%PDF-")
    with page.expect_download() as excel_download:
        page.locator("#laggard-downloads a", has_text="ดาวน์โหลด Excel").click()
    excel = tmp_path / "laggards.xlsx"
    excel_download.value.save_as(excel)
    sheet = load_workbook(excel).active
    assert sheet["A1"].value.startswith("รายชื่อ อปท. ที่ยังไม่ดำเนินการ ณ วันที่")
    assert sheet.max_row - 5 == laggards  # the title lines, a blank line and the headings, then one row per LAO
    page.screenshot(path=ARTIFACTS / "dashboard-laggards.png", full_page=False)
