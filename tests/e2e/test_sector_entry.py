"""A recorder fills a sector in a real browser: a rule error beside the field, fixed, saved and read back."""

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from sectors.catalogue import fiscal_year_open
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

GOVERNANCE = "ด้านการจัดการภายในและธรรมาภิบาล"
RULE = "จำนวนครัวเรือนต้องไม่เกินจำนวนประชากร"


@pytest.fixture
def portal(demo_portal):
    fiscal_year_open(be_year=2568)
    return demo_portal


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#my-roles")).to_be_visible()


def fill(page: Page, values: dict[str, str]) -> None:
    for code, value in values.items():
        page.fill(f"#id_{code}", value)


def save(page: Page) -> None:
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/governance/")):
        page.locator(".actionbar button[value=save]").click()
    expect(page.locator("#report-form .notice")).to_be_visible()


def is_dirty(page: Page) -> bool:
    """Whether leaving now would ask first: the page cancels the beforeunload event."""
    return page.evaluate("""() => {
        const event = new Event("beforeunload", {cancelable: true});
        window.dispatchEvent(event);
        return event.defaultPrevented;
    }""")


def test_recorder_fills_governance_fixes_a_rule_error_and_reads_it_back(portal, page):
    base = portal.url
    sign_in(page, base, "recorder.demo")

    page.locator("#scope-laos a", has_text="สถานะข้อมูล 8 ด้าน").click()
    expect(page.locator("h1")).to_contain_text("ข้อมูล 8 ด้าน")
    expect(page.locator(".sector-card")).to_have_count(8)
    page.locator("#sector-governance a.button", has_text="บันทึกข้อมูล").click()
    expect(page.locator("h1")).to_have_text(GOVERNANCE)
    assert not is_dirty(page)

    fill(page, {"gov_area": "45.25", "gov_villages": "14", "gov_population_male": "6,120",
                "gov_population_female": "๖๓๘๐", "gov_households": "14,210",
                "gov_staff_officials": "38", "gov_budget": "58500000"})
    page.locator("#id_gov_budget").blur()
    expect(page.locator("#id_gov_budget")).to_have_value("58,500,000")  # separators shown as soon as it is left
    expect(page.locator("#id_gov_population_total")).to_have_value("12,500")  # the sum, computed as parts are typed
    expect(page.locator("#id_gov_population_total")).to_have_attribute("readonly", "")
    assert is_dirty(page)

    save(page)
    expect(page.locator("#issues-gov_population_total")).to_contain_text(RULE)
    expect(page.locator("#report-form .notice.success")).to_contain_text("บันทึกข้อมูลแล้ว")
    assert not is_dirty(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "sector-form-rule-error.png", full_page=True)

    fill(page, {"gov_households": "4,210"})
    page.locator("#id_gov_households").blur()
    expect(page.locator("#issues-gov_population_total")).not_to_contain_text(RULE)  # checked on change
    save(page)
    expect(page.locator("#issues-gov_population_total")).not_to_contain_text(RULE)

    page.reload()
    expect(page.locator("#id_gov_population_male")).to_have_value("6,120")
    expect(page.locator("#id_gov_population_female")).to_have_value("6,380")
    expect(page.locator("#id_gov_population_total")).to_have_value("12,500")
    expect(page.locator("#id_gov_budget")).to_have_value("58,500,000")
    expect(page.locator("#id_gov_area")).to_have_value("45.25")
    expect(page.locator(".last-saved")).to_contain_text("สมใจ บันทึกดี")
    assert not is_dirty(page)
    page.screenshot(path=ARTIFACTS / "sector-form.png", full_page=True)

    page.locator("a", has_text="ข้อมูล 8 ด้าน").first.click()
    expect(page.locator("#sector-governance")).to_contain_text("กรอกแล้ว 8 จาก 8")
    page.screenshot(path=ARTIFACTS / "sector-cards.png", full_page=True)
