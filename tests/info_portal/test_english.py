"""The English catalogue: every Thai msgid has an English text, the compiled .mo matches it, and the language
cookie switches the pages to English while Thai stays the default."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
THAI = re.compile(r"[\u0e00-\u0e7f]")
NAV = re.compile(r"<nav\b.*?</nav>", re.DOTALL)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: flags, and each keyword (msgid, msgid_plural, msgstr, msgstr[0] …) as text."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, key = {"flags": set()}, None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _space, text = line.partition(" ")
                entry[key] = ast.literal_eval(text)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [text for key, text in sorted(entry.items()) if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    entries = po_entries(PO_FILE)
    assert entries[0]["msgid"] == "", "the header comes first"
    return entries[1:]


def test_every_entry_has_an_english_text(catalogue):
    assert len(catalogue) > 400
    empty = [entry["msgid"] for entry in catalogue if not all(text.strip() for text in translations(entry))]
    assert not empty, f"untranslated: {empty}"
    fuzzy = [entry["msgid"] for entry in catalogue if "fuzzy" in entry["flags"]]
    assert not fuzzy, f"fuzzy: {fuzzy}"
    plural = [entry["msgid"] for entry in catalogue if "msgid_plural" in entry and len(translations(entry)) != 2]
    assert not plural, f"English has two plural forms: {plural}"


def test_english_texts_keep_the_placeholders(catalogue):
    for entry in catalogue:
        for text in translations(entry):
            source = entry.get("msgid_plural", entry["msgid"])
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), entry["msgid"]


def test_the_compiled_catalogue_is_up_to_date(catalogue):
    """The .mo is committed: it must not be older than the .po, and must hold exactly its texts. A fresh checkout
    gives both files the time of the checkout, so the texts themselves are compared as well."""
    assert MO_FILE.exists(), "run `make messages`"
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # the parsed .mo, as gettext reads it
    expected = {}
    for entry in catalogue:
        if "msgid_plural" in entry:
            expected.update({(entry["msgid"], n): entry[f"msgstr[{n}]"] for n in range(2)})
        else:
            expected[entry["msgid"]] = entry["msgstr"]
    compiled = {key: text for key, text in compiled.items() if key != ""}
    assert compiled == expected, "django.mo is stale: run `make messages`"
    assert MO_FILE.stat().st_mtime >= PO_FILE.stat().st_mtime - 2, "django.mo is older than django.po"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_navigation_without_thai(html: str) -> None:
    navigation = NAV.findall(html)
    assert navigation
    for nav in navigation:
        assert not THAI.search(nav), nav


def test_login_page_in_english(client, db):
    html = english(client).get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Username" in html and "Password" in html
    assert "LAO Central Information System" in html
    assert "เข้าสู่ระบบ" not in html
    assert_navigation_without_thai(html)


def test_home_page_of_a_recorder_in_english(client, recorder):
    english(client).force_login(recorder)
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert ">Home</a>" in html and ">LAO list</a>" in html
    assert "My roles" in html and "Recorder" in html and "My LAOs" in html
    assert "Sign out" in html and "Change password" in html
    assert "บทบาทของฉัน" not in html and "ผู้บันทึกข้อมูล" not in html
    assert_navigation_without_thai(html)


def test_about_page_in_english(client, recorder):
    english(client).force_login(recorder)
    html = client.get(reverse("about")).content.decode()
    assert "About the LAO Central Information System" in html
    assert "Data sources and licences" in html
    assert "About the system and data sources" in html
    assert_navigation_without_thai(html)


def test_pages_are_thai_without_the_cookie(client, recorder):
    login = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="th">' in login and "<h1>เข้าสู่ระบบ</h1>" in login and "Sign in" not in login
    client.force_login(recorder)
    home = client.get(reverse("home")).content.decode()
    assert "บทบาทของฉัน" in home and "ผู้บันทึกข้อมูล" in home and "หน้าแรก" in home
    assert "My roles" not in home and ">Home</a>" not in home
    about = client.get(reverse("about")).content.decode()
    assert "เกี่ยวกับระบบข้อมูลกลางองค์กรปกครองส่วนท้องถิ่น" in about and "About the LAO" not in about
