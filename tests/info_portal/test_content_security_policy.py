"""The Content-Security-Policy allows only the portal's own files, and no page template needs more."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# E-mails are read in mail clients, which need inline styles and never see the portal's headers.
PAGE_TEMPLATES = sorted(p for p in TEMPLATES.rglob("*.html") if "email" not in p.relative_to(TEMPLATES).parts)
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "htmx code attribute": re.compile(r"\s(?:data-)?hx-on[:-]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_every_page_carries_a_policy_of_the_portals_own_files_only(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    for directive in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        assert "unsafe" not in directives[directive] and "*" not in directives[directive]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_page_template_holds_inline_code_or_style(template):
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"{template.relative_to(TEMPLATES)}: {found}; move it to static/js or static/css"
