"""Accessibility in a real browser: axe-core finds no serious or critical violation on the pages each role works
on, and the keyboard alone records a sector and sends it for checking.

axe-core is vendored in static/vendor/axe-core and evaluated into the page by the test (the portal never links
it; the production image leaves it out), so the Content-Security-Policy of the pages stays as users get it."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_DISTRICT, DEMO_PASSWORD
from accounts.models import User
from certification import services as certification
from organizations.models import LAO, LAOType
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import FiscalYear, ReportStatus, Sector, SectorReport

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
GOVERNANCE = {"gov_area": 45.25, "gov_villages": 14, "gov_population_male": 6120, "gov_population_female": 6380,
              "gov_population_total": 12500, "gov_households": 4210, "gov_staff_officials": 38,
              "gov_budget": 58500000}


@pytest.fixture
def portal(demo_portal):
    """The demo portal in a simulated round of ด่านขุนทด, so the dashboards and laggard list hold data."""
    fiscal_year_open(be_year=2568)
    call_command("simulate_round", "--fiscal-year", "2568", "--district", "3008", "--seed", "5",
                 stdout=io.StringIO())
    return demo_portal


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    expect(page).to_have_url(base_url + "/")


def violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands, one line per rule and element."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the browser's debugger, outside the CSP
    # Folded parts (a province's matrix, the reason boxes of a review) are checked open: axe skips hidden content.
    page.evaluate("() => document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert result["passes"] or result["violations"], f"axe-core checked nothing on {page.url}"
    return [f"{page.url} {rule['id']} ({rule['impact']}): {rule['help']} at {node['target']}"
            for rule in result["violations"] if rule["impact"] in BLOCKING for node in rule["nodes"]]


def audit(page: Page, url: str, found: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found.extend(violations(page))


def test_no_serious_violation_on_the_pages_each_role_works_on(portal, page):
    base = portal.url
    found: list[str] = []
    recorder = User.objects.get(username="recorder.demo")
    lao = _demo_lao()
    report = sector_services.report_open(lao=lao, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=FiscalYear.objects.get(be_year=2568))
    report = sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                         new_values=GOVERNANCE).report
    certification.report_submit(report_id=report.pk, actor=recorder)

    audit(page, base + "/accounts/login/", found)
    sign_in(page, base, "recorder.demo")
    found.extend(violations(page))
    audit(page, base + reverse("sectors:lao_current", args=[lao.pk]), found)
    audit(page, base + reverse("sectors:report", args=[lao.pk, 2568, "water"]), found)

    sign_in(page, base, "verifier.demo")
    found.extend(violations(page))
    audit(page, base + reverse("certification:queue"), found)
    audit(page, base + reverse("certification:review", args=[report.pk]), found)
    certification.report_verify(report_id=report.pk, actor=User.objects.get(username="verifier.demo"))

    sign_in(page, base, "certifier.demo")
    found.extend(violations(page))
    audit(page, base + reverse("certification:review", args=[report.pk]), found)
    certification.report_certify(report_id=report.pk, actor=User.objects.get(username="certifier.demo"))
    audit(page, base + reverse("certification:certificate", args=[report.pk]), found)

    sign_in(page, base, "dankhunthot.district")
    found.extend(violations(page))
    audit(page, base + reverse("dashboards:district", args=["3008"]), found)
    audit(page, base + reverse("dashboards:district_laggards", args=["3008"]), found)

    sign_in(page, base, "korat.province")
    found.extend(violations(page))
    audit(page, base + reverse("dashboards:province", args=["30"]), found)

    sign_in(page, base, "dla.admin")
    found.extend(violations(page))
    audit(page, base + reverse("dashboards:nation"), found)

    assert not found, "axe-core found:\n" + "\n".join(found)


def _demo_lao() -> LAO:
    return LAO.objects.get(district__code=DEMO_DISTRICT, lao_type=LAOType.SUBDISTRICT_MUNICIPALITY, is_demo=True)


def test_the_keyboard_alone_records_a_sector_and_sends_it_for_checking(portal, page):
    base = portal.url
    page.goto(base + "/accounts/login/")
    page.keyboard.press("Tab")
    focus_until(page, "#id_username")
    page.keyboard.type("recorder.demo")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")

    cards = reverse("sectors:lao_current", args=[_demo_lao().pk])
    focus_until(page, f"a[href$='{cards}']")
    page.keyboard.press("Enter")
    expect(page.locator(".sector-card")).to_have_count(8)
    focus_until(page, "#sector-governance a.button")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("ด้านการจัดการภายในและธรรมาภิบาล")

    for code, value in GOVERNANCE.items():
        if code == "gov_population_total":
            continue  # computed from its parts: read-only
        focus_until(page, f"#id_{code}")
        page.keyboard.type(f"{value}")
    focus_until(page, ".actionbar button[value=save]")
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/governance/")):
        page.keyboard.press("Enter")
    expect(page.locator("#report-form .notice.success")).to_be_visible()

    focus_until(page, "#submit-button")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("ส่งข้อมูลให้ผู้ตรวจสอบแล้ว")
    assert SectorReport.objects.get(sector__code="governance", lao=_demo_lao()).status == ReportStatus.SUBMITTED


def focus_until(page: Page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element the selector names has the focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        if page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} is never reached with the Tab key on {page.url}")
