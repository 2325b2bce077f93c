"""Swagger UI renders the API's schema in a real browser, from the vendored files, under the portal's
Content-Security-Policy (the `page` fixture fails on any refusal); Swagger UI's "Try it out" reaches the API."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def no_outside_requests(page: Page, live_server):
    """Every request the pages make stays on the portal: no CDN, no web fonts from elsewhere."""
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:")) else None)
    yield
    assert not outside, outside


def test_swagger_ui_shows_every_resource(page: Page, live_server, no_outside_requests):
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("INFO portal API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/values/")).to_be_visible()
    page.locator(".opblock-summary-path", has_text="/api/v1/provinces/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text("401")
