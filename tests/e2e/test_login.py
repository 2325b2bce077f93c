"""Signing in with each demo account in a real browser: a Thai login page, each role's own scope, no other.

The six demo accounts hold one role each on the demo geography: the department, the province of
นครราชสีมา, the district of ด่านขุนทด, and the recorder, verifier and certifier of เทศบาลตำบลด่านขุนทด.
"""

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_DISTRICT, DEMO_PASSWORD, DEMO_PROVINCE
from organizations.models import LAO, LAOType, Province
from sectors.catalogue import fiscal_year_open
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

LOGIN = "/accounts/login/"
OWN_LAO = "เทศบาลตำบลด่านขุนทด"
LAO_USERS = ("recorder.demo", "verifier.demo", "certifier.demo")


def sign_in(page: Page, base_url: str, username: str, password: str):
    response = page.goto(base_url + LOGIN)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("main h1")).to_have_text("เข้าสู่ระบบ")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_load_state()


def expect_not_found(page: Page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 404, f"{url} answered {response and response.status}"
    expect(page.locator("body")).not_to_contain_text(name)


def foreign_lao() -> LAO:
    """An LAO outside the demo province: no demo account but the department's may see it."""
    laos = LAO.objects.exclude(province__code=DEMO_PROVINCE).exclude(district__isnull=True)
    return laos.order_by("pk").first()


@pytest.mark.parametrize("username", [
    "dla.admin", "korat.province", "dankhunthot.district", *LAO_USERS,
])
def test_demo_account_sees_its_own_scope(demo_portal, page, username):
    fiscal_year_open(be_year=2568)  # the home page's work lists are of the current fiscal year
    base = demo_portal.url
    sign_in(page, base, username, DEMO_PASSWORD)
    expect(page).to_have_url(base + "/")
    expect(page.locator("#my-roles li")).to_have_count(1)

    if username == "dla.admin":
        expect(page.locator("#scope-nation tbody tr")).to_have_count(Province.objects.count())
        expect(page.locator("#scope-nation tbody tr")).to_have_count(77)
        expect(page.locator("#scope-provinces, #scope-districts, #scope-laos")).to_have_count(0)
    elif username == "korat.province":
        expect(page.locator("#scope-provinces section.worklist")).to_have_count(1)
        expect(page.locator("#work-province-30")).to_contain_text("นครราชสีมา")
        expect(page.locator("#scope-nation, #scope-districts, #scope-laos")).to_have_count(0)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "home-korat.province.png", full_page=True)
    elif username == "dankhunthot.district":
        expect(page.locator("#scope-districts section.worklist")).to_have_count(1)
        expect(page.locator("#work-district-3008")).to_contain_text("ด่านขุนทด")
        expect(page.locator("#scope-nation, #scope-provinces, #scope-laos")).to_have_count(0)
    else:
        expect(page.locator("#scope-laos")).to_contain_text("อปท. ของฉัน")
        expect(page.locator("#scope-laos tbody tr")).to_have_count(1)
        expect(page.locator("#scope-laos")).to_contain_text(OWN_LAO)
        expect(page.locator("#scope-nation, #scope-provinces, #scope-districts")).to_have_count(0)
        own = LAO.objects.get(district__code=DEMO_DISTRICT, lao_type=LAOType.SUBDISTRICT_MUNICIPALITY)
        response = page.goto(base + own.get_absolute_url())
        assert response is not None and response.status == 200
        expect(page.locator("main")).to_contain_text(OWN_LAO)

    if username in (*LAO_USERS, "dankhunthot.district"):
        other = foreign_lao()
        assert other is not None
        expect_not_found(page, base + other.get_absolute_url(), other.name_th)


def test_wrong_password_shows_a_thai_error(demo_portal, page):
    base = demo_portal.url
    sign_in(page, base, "korat.province", "not-the-demo-password")
    expect(page).to_have_url(base + LOGIN)
    expect(page.locator("ul.errorlist[role=alert]")).to_contain_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    response = page.goto(base + "/")
    assert response is not None
    expect(page).to_have_url(f"{base}{LOGIN}?next=/")
