"""Year two in a real browser: last year's certified values carried into a sector of the new catalogue, and one
section confirmed unchanged with one click."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from sectors import selectors, services
from sectors.catalogue import fiscal_year_open
from sectors.models import Channel, FiscalYear, ReportStatus, Sector, SectorReport, ValueChange
from sectors.year_changes import changes_parse
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_sector_entry import sign_in

pytestmark = pytest.mark.browser

LAST_YEAR = {"gov_area": Decimal("45.25"), "gov_villages": 14, "gov_population_male": 6120,
             "gov_population_female": 6380, "gov_population_total": 12500, "gov_households": 4210,
             "gov_staff_officials": 38, "gov_budget": 58500000}
POPULATION = {"gov_population_male", "gov_population_female", "gov_population_total", "gov_households"}


@pytest.fixture
def year_two(demo_portal):
    """2567 certified for the demo recorder's LAO; 2568 opened from it with an item renamed."""
    recorder = User.objects.get(username="recorder.demo")
    lao = policy.laos_for(recorder, Action.RECORD).get()
    last_year = fiscal_year_open(be_year=2567, make_current=False)
    governance = Sector.objects.get(code="governance")
    report = services.report_open(lao=lao, sector=governance, fiscal_year=last_year)
    services.report_save(report_id=report.pk, user=recorder, expected_version=0, new_values=LAST_YEAR)
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.CERTIFIED)
    fiscal_year_open(be_year=2568, changes=changes_parse(
        {"change": {"gov_villages": {"label_th": "จำนวนหมู่บ้านและชุมชน"}}}))
    return demo_portal, lao


def test_the_recorder_confirms_a_section_unchanged_in_one_click(year_two, page: Page):
    portal, lao = year_two
    sign_in(page, portal.url, "recorder.demo")
    page.goto(portal.url + reverse("sectors:report", args=[lao.pk, 2568, "governance"]))
    expect(page.locator("#report-form .badge.carried")).to_have_count(len(LAST_YEAR))
    expect(page.locator("#report-form")).to_contain_text("จำนวนหมู่บ้านและชุมชน")  # the new name, last year's value
    expect(page.locator("#id_gov_villages")).to_have_value("14")
    population = page.locator("#section-2-head")
    expect(population).to_contain_text("ประชากร")

    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/governance/")):
        population.locator("button[name=confirm_section]").click()
    expect(page.locator("#report-form .notice.success")).to_contain_text("ยืนยันข้อมูลที่ยกมาจากปีก่อนแล้ว")
    expect(page.locator("#section-2-head button[name=confirm_section]")).to_have_count(0)
    expect(page.locator("#section-1-head button[name=confirm_section]")).to_have_count(1)
    expect(page.locator("#report-form .badge.carried")).to_have_count(len(LAST_YEAR) - len(POPULATION))

    report = SectorReport.objects.get(lao=lao, fiscal_year__be_year=2568, sector__code="governance")
    rows = selectors.report_rows(report)
    assert {code for code, row in rows.items() if not row.carried_forward} == POPULATION
    assert set(ValueChange.objects.filter(value__report=report, channel=Channel.CARRY_FORWARD)
               .values_list("value__indicator__code", flat=True)) == POPULATION


def test_the_lao_page_shows_values_across_years(year_two, page: Page):
    portal, lao = year_two
    recorder = User.objects.get(username="recorder.demo")
    report = services.report_open(lao=lao, sector=Sector.objects.get(code="governance"),
                                  fiscal_year=FiscalYear.objects.get(be_year=2568))
    services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                         new_values={"gov_population_male": 6732, "gov_population_female": 7018,
                                     "gov_population_total": 13750})
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.CERTIFIED)
    sign_in(page, portal.url, "recorder.demo")
    page.goto(portal.url + lao.get_absolute_url())
    table = page.locator("#years-table")
    expect(table).to_contain_text("เปลี่ยนแปลง 2567 → 2568")
    expect(table.locator("#years-gov_population_total .change")).to_have_text("+10 %")
    expect(table.locator("#years-gov_villages")).to_contain_text("จำนวนหมู่บ้านและชุมชน")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "lao-values-across-years.png", full_page=True)
