"""Browser fixtures: Debian's Chromium driven by Playwright (no browser download), one launch per module."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if in_ci():
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests' ORM calls are synchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def page(browser):
    """A fresh context (no cookies) per test, in Thai as the portal's users are."""
    context = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Every browser test also proves the pages work under the Content-Security-Policy: Chromium reports each
    # refused script, style or handler on the console.
    refused = []
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text} {message.location}")
            if "Content Security Policy" in message.text else None)
    try:
        yield page
    finally:
        context.close()
    assert not refused, "the Content-Security-Policy refused: " + "; ".join(dict.fromkeys(refused))


@pytest.fixture
def demo_portal(live_server, settings):
    """The live portal with the real geography, demo registry and demo accounts (sign-in needs DEBUG)."""
    settings.DEBUG = True
    call_command("load_geography", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return live_server
