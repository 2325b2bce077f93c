"""Each demo account switches the portal to English and walks its main pages: no Thai is left in the fixed text.

Data that has no English name (an LAO registered without one, a free-text reason typed in Thai) is marked
lang="th" by the pages and is the only Thai allowed."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts import policy
from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from certification import services as workflow
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import Sector

pytestmark = pytest.mark.browser

YEAR = 2568
GOVERNANCE = {
    "gov_area": 120, "gov_villages": 14, "gov_population_male": 6120, "gov_population_female": 6380,
    "gov_population_total": 12500, "gov_households": 4100, "gov_staff_officials": 35, "gov_budget": 58500000,
}

# Every text node and every attribute people read (titles, labels, placeholders) with a Thai letter, outside the
# elements marked lang="th" (data without an English name) and the language menu's own "ไทย".
THAI_LEFT = """() => {
  const thai = /[\\u0E00-\\u0E7F]/;
  const allowed = (el) => el.closest('[lang="th"], script, style, noscript');
  const found = [];
  if (thai.test(document.title)) found.push('title: ' + document.title);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (thai.test(node.textContent) && !allowed(node.parentElement)) {
      found.push(node.parentElement.tagName.toLowerCase() + ': ' + node.textContent.trim().slice(0, 90));
    }
  }
  for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value && thai.test(value) && !allowed(el)) found.push('@' + name + ': ' + value.slice(0, 90));
    }
  }
  return found;
}"""


@pytest.fixture
def portal(demo_portal):
    """The demo portal with a simulated round in ด่านขุนทด, a published demo round, and the demo LAO's governance
    sector submitted by its recorder, so the verifier has a report to review."""
    fiscal_year = fiscal_year_open(be_year=YEAR)
    call_command("simulate_round", "--fiscal-year", str(YEAR), "--district", "3008", "--seed", "5",
                 stdout=io.StringIO())
    call_command("load_demo_round", stdout=io.StringIO())
    recorder = User.objects.get(username="recorder.demo")
    lao = policy.laos_served(recorder).get()
    report = sector_services.report_open(lao=lao, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                new_values=GOVERNANCE)
    workflow.report_submit(report_id=report.pk, actor=recorder)
    demo_portal.lao, demo_portal.report = lao, report
    return demo_portal


def sign_in_in_english(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#my-roles")).to_be_visible()
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def walk(page: Page, base_url: str, paths: list[str]) -> dict[str, list[str]]:
    """The Thai left on each page, by path; every page must answer 200."""
    left = {}
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", "en")
        found = page.evaluate(THAI_LEFT)
        if found:
            left[path] = found
    return left


def pages_of(username: str, portal) -> list[str]:
    lao, report = portal.lao, portal.report
    sector_cards = reverse("sectors:lao_sectors", args=[lao.pk, YEAR])
    form = reverse("sectors:report", args=[lao.pk, YEAR, "governance"])
    return {
        "recorder.demo": ["/", sector_cards, form, reverse("sectors:report", args=[lao.pk, YEAR, "water"]),
                          reverse("notifications:inbox")],
        "verifier.demo": ["/", reverse("certification:queue"), reverse("certification:review", args=[report.pk]),
                          reverse("certification:history", args=[report.pk])],
        "certifier.demo": ["/", reverse("certification:queue"), sector_cards],
        "dankhunthot.district": ["/", reverse("dashboards:district", args=["3008"]),
                                 reverse("dashboards:district_laggards", args=["3008"]), lao.get_absolute_url()],
        "korat.province": ["/", reverse("dashboards:province", args=["30"]),
                           reverse("dashboards:province_values", args=["30"])],
        "dla.admin": ["/", reverse("dashboards:nation"), reverse("deadlines:round")],
    }[username]


@pytest.mark.parametrize("username", ["recorder.demo", "verifier.demo", "certifier.demo", "dankhunthot.district",
                                      "korat.province", "dla.admin"])
def test_the_main_pages_of_each_role_have_no_thai_in_english(portal, page, username):
    sign_in_in_english(page, portal.url, username)

    assert walk(page, portal.url, pages_of(username, portal)) == {}


def test_catalogue_names_dates_and_fiscal_years_are_english(portal, page):
    sign_in_in_english(page, portal.url, "recorder.demo")

    page.goto(portal.url + reverse("sectors:lao_sectors", args=[portal.lao.pk, YEAR]))
    expect(page.locator("h1")).to_contain_text("Dan Khun Thot Subdistrict Municipality")
    expect(page.locator(".breadcrumbs")).to_contain_text("Nakhon Ratchasima › Dan Khun Thot")
    expect(page.locator("body")).to_contain_text("Internal management and good governance")
    expect(page.locator("body")).to_contain_text(f"FY {YEAR}")
    page.goto(portal.url + reverse("sectors:report", args=[portal.lao.pk, YEAR, "health_environment"]))
    expect(page.locator("h2", has_text="Solid waste management")).to_be_visible()
    expect(page.locator("label", has_text="Solid waste generated")).to_be_visible()
    expect(page.locator("td.unit", has_text="tonnes/day").first).to_be_visible()


def test_the_verifier_reads_item_names_on_the_review_page_and_the_recorder_in_the_inbox(portal, page):
    sign_in_in_english(page, portal.url, "recorder.demo")  # the recorder's account now reads English
    sign_in_in_english(page, portal.url, "verifier.demo")
    page.goto(portal.url + reverse("certification:review", args=[portal.report.pk]))
    expect(page.locator("#item-gov_villages th")).to_contain_text("Villages/communities")
    page.locator("#item-gov_villages summary").click()
    page.fill("textarea[name=reason-gov_villages]", "Please check against the provincial list")
    page.locator("#return button[type=submit]").click()
    expect(page.locator("#report-status")).to_have_text("Returned for correction")

    sign_in_in_english(page, portal.url, "recorder.demo")
    page.goto(portal.url + reverse("notifications:inbox"))
    expect(page.locator("body")).to_contain_text("FY 2568: returned for correction")
    expect(page.locator("body")).to_contain_text("Villages/communities: Please check against the provincial list")
    expect(page.locator("body")).not_to_contain_text("gov_villages")
