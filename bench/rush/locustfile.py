"""The deadline rush as locust users: clerks, verifiers, heads and officers, each signed in once as its own account.

Run by bench/rush/run.py, which starts the server and reads the CSV files; by hand:

    .venv/bin/locust -f bench/rush/locustfile.py --headless -H http://127.0.0.1:8100 -u 50 -r 5 -t 90s \
        --reset-stats --csv bench/rush/out/mix50 Clerk Verifier Certifier DistrictOfficer ProvincialOfficer \
        DepartmentOfficer

Closed loops without think time (RUSH_SOLO names the request; "save" is the saves-only run):

    RUSH_SOLO=save .venv/bin/locust -f bench/rush/locustfile.py --headless -H http://127.0.0.1:8100 -u 12 -r 12 \
        -t 60s --reset-stats --csv bench/rush/out/solo-save Solo

Each request is the one a browser sends: the sector form's fields as the page renders them, its CSRF token and
optimistic-lock version, htmx's headers on a field check and a save. The server runs with the production settings
behind what a TLS-terminating proxy sends (X-Forwarded-Proto: https, an Origin on every POST), so its secure
cookies and CSRF checks are the production ones. A response that is not 2xx or 3xx is a failure; a save refused
because someone else saved first (409) is reported under its own name, "409 lost-update conflict".
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from html import unescape
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, task
from locust.exception import StopUser

ACCOUNTS_FILE = Path(os.environ.get("RUSH_ACCOUNTS", Path(__file__).resolve().parent / "out" / "accounts.json"))
THINK = (float(os.environ.get("RUSH_THINK_MIN", "3")), float(os.environ.get("RUSH_THINK_MAX", "15")))
SOLO = os.environ.get("RUSH_SOLO", "")
SUBMIT_SHARE = float(os.environ.get("RUSH_SUBMIT_SHARE", "0.25"))
CONFLICT = "409 lost-update conflict"

_data = json.loads(ACCOUNTS_FILE.read_text()) if ACCOUNTS_FILE.exists() else {"accounts": [], "password": ""}
PASSWORD = _data["password"]
YEAR = _data.get("fiscal_year", 2568)
FREE_ITEMS: dict[str, dict] = _data.get("free_items", {})
_by_role: dict[str, list[dict]] = {}
for _account in _data["accounts"]:
    _by_role.setdefault(_account["role"], []).append(_account)
# Each virtual user takes the next unused account of its role: no two sign in as the same person.
_next = {role: itertools.count() for role in _by_role}


def take_account(role: str) -> dict:
    accounts = _by_role.get(role, [])
    index = next(_next.setdefault(role, itertools.count()))
    if index >= len(accounts):
        raise StopUser(f"no {role} account left: prepare more (bench/rush/prepare.py)")
    return accounts[index]


def totp(key_hex: str, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django-otp's TOTP devices compute it (SHA-1, 30 s, 6 digits)."""
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


class _BehindTLSProxy(DefaultCookiePolicy):
    """The browser is on HTTPS at the proxy: it sends the portal's secure cookies back."""

    def return_ok_secure(self, cookie, request):
        return True


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_INPUT = re.compile(r'<input type="hidden" name="version" value="(\d+)"')


class FormFields(HTMLParser):
    """The name/value pairs a browser would send for one form (by id): inputs, checked boxes, selects, textareas."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.numbers: dict[str, str] = {}  # the number inputs and their values, to edit one
        self.check_url = ""
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if a.get("id") == self.form_id:
                self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "")))
                if "data-number" in a:
                    self.numbers[name] = a.get("value", "")
            if not self.check_url and a.get("hx-post"):
                self.check_url = a["hx-post"]
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select is not None:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else (self._select_first or "")
            self.fields.append((self._select, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, form_id: str) -> FormFields:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser


def _edited(value: str, item: dict) -> str:
    """A small, plausible correction of a number: a few per cent, inside the item's range."""
    text = value.replace(",", "")
    if item["kind"] == "integer":
        number = int(float(text))
        step = max(1, abs(number) // 40)
        new = number + random.choice((-1, 1)) * random.randint(1, step)
    else:
        number = float(text)
        new = round(number * random.uniform(0.97, 1.03) + random.choice((-0.5, 0.5)), 2)
    low, high = item.get("min"), item.get("max")
    if low is not None and new < low:
        new = low
    if high is not None and new > high:
        new = high
    return str(int(new)) if item["kind"] == "integer" else f"{new:.2f}"


class PortalUser(FastHttpUser):
    """Signs in once, as its own account, like a person at a browser behind the portal's TLS proxy."""

    abstract = True
    role = ""
    wait_time = between(*THINK)
    # One connection per person, as a browser keeps one open.
    concurrency = 1
    insecure = True

    def on_start(self):
        self.client.cookiejar.set_policy(_BehindTLSProxy())
        self.account = take_account(self.role)
        self.proxy_headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        self.origin = "https://" + self.host.split("://", 1)[1].rstrip("/")
        for _attempt in range(5):
            page = self.get("/accounts/login/", name="sign-in page")
            token = self.csrf(page.text)
            if token:
                break
            self.wait()  # no page, no CSRF token: a person tries again a little later
        else:
            raise StopUser
        with self.client.post("/accounts/login/", name="sign in", allow_redirects=False, catch_response=True,
                              headers=self.post_headers("/accounts/login/"),
                              data={"csrfmiddlewaretoken": token, "username": self.account["username"],
                                    "password": PASSWORD, "next": ""}) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused ({response.status_code})")
                raise StopUser
        if self.account.get("totp"):
            self.second_factor()
        self.started()

    def second_factor(self):
        """Department and provincial accounts prove their second factor: the code their authenticator shows now."""
        path = "/accounts/second-factor/"
        page = self.get(path, name="second factor page")
        code = totp(self.account["totp"])
        with self.client.post(path, name="second factor", allow_redirects=False, catch_response=True,
                              data=urlencode({"csrfmiddlewaretoken": self.csrf(page.text), "code": code}),
                              headers=self.post_headers(path, {"Content-Type": "application/x-www-form-urlencoded"})
                              ) as response:
            if response.status_code != 302:
                response.failure(f"second factor refused ({response.status_code})")
                raise StopUser

    def started(self):
        """What the user does right after signing in."""

    def post_headers(self, path: str, extra: dict | None = None) -> dict:
        return {**self.proxy_headers, "Origin": self.origin, "Referer": self.origin + path, **(extra or {})}

    def get(self, path: str, *, name: str, headers: dict | None = None):
        with self.client.get(path, name=name, headers={**self.proxy_headers, **(headers or {})},
                             catch_response=True) as response:
            if not 200 <= response.status_code < 400:
                response.failure(f"{response.status_code}")
        return response

    def post(self, path: str, data, *, name: str, headers: dict | None = None, ok=(200, 302), referer: str = ""):
        # A form's fields in page order, repeated names included, encoded as the browser does.
        body = urlencode(list(data.items()) if isinstance(data, dict) else data)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        with self.client.post(path, name=name, data=body, allow_redirects=False, catch_response=True,
                              headers=self.post_headers(referer or path, headers)) as response:
            if response.status_code == 409 and 'id="conflict"' in (response.text or ""):
                response.failure(CONFLICT)
            elif response.status_code not in ok:
                response.failure(f"{response.status_code}")
            elif name == "save (htmx)" and 'class="notice success"' not in (response.text or ""):
                response.failure("save answered 200 without saving (the form was refused)")
        return response

    @staticmethod
    def csrf(html: str) -> str:
        match = CSRF_INPUT.search(html or "")
        return unescape(match.group(1)) if match else ""


SECTOR_CARD = re.compile(r'<li class="card sector-card" id="sector-([\w-]+)">(.*?)</li>', re.S)


class Clerk(PortalUser):
    """A recorder of one LAO: opens a sector that is still a draft, corrects a number (the page checks the field
    as it changes), saves, and now and then checks the whole form and sends it for verification."""

    role = "recorder"
    weight = 70

    def started(self):
        self.lao = self.account["lao"]
        self.sectors: list[str] = []
        self.form_page = None

    def editable_sectors(self) -> list[str]:
        page = self.get(f"/data/lao/{self.lao}/{YEAR}/", name="sector cards")
        return [code for code, body in SECTOR_CARD.findall(page.text or "")
                if 'class="status draft"' in body or 'class="status returned"' in body]

    def open_form(self, sector: str):
        path = f"/data/lao/{self.lao}/{YEAR}/{sector}/"
        page = self.get(path, name="form GET")
        form = form_fields(page.text or "", "report-form")
        if not form.fields:
            return None
        return path, form, page.text

    @task
    def work_on_a_sector(self):
        if not self.sectors:
            self.sectors = self.editable_sectors()
            if not self.sectors:
                return  # all sent: nothing left to record
        sector = random.choice(self.sectors)
        opened = self.open_form(sector)
        if opened is None:
            self.sectors.remove(sector)
            return
        path, form, html = opened
        fields = dict(form.fields)
        free = [name for name, value in form.numbers.items() if value and name in FREE_ITEMS]
        if free:
            self.wait()
            name = random.choice(free)
            fields[name] = _edited(fields[name], FREE_ITEMS[name])
            # htmx posts the whole form on the field's change, with the name of the field that triggered it.
            self.post(form.check_url, list(fields.items()), name="field check (htmx)", referer=path,
                      headers={"HX-Request": "true", "HX-Trigger": f"id_{name}", "HX-Trigger-Name": name,
                               "HX-Target": f"extra-{name}", "HX-Current-URL": self.origin + path})
        self.wait()
        saved = self.post(path, [*fields.items(), ("action", "save")], name="save (htmx)", referer=path,
                          headers={"HX-Request": "true", "HX-Trigger": "report-form", "HX-Target": "report-form",
                                   "HX-Current-URL": self.origin + path})
        if saved.status_code != 200 or random.random() >= SUBMIT_SHARE:
            return
        version = VERSION_INPUT.search(saved.text or "")
        if version:
            fields["version"] = version.group(1)
        self.wait()
        checked = self.post(path, [*fields.items(), ("action", "check")], name="check before submit (htmx)",
                            referer=path, headers={"HX-Request": "true", "HX-Target": "report-form",
                                                   "HX-Current-URL": self.origin + path})
        if 'class="ready"' not in (checked.text or ""):
            return
        submit = re.search(r'<form id="submit-form" method="post" action="([^"]+)"', html)
        if submit is None:
            return
        self.wait()
        sent = self.post(submit.group(1), {"csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
                                           "comment": "", "confirm_warnings": "on"}, name="submit", referer=path)
        if sent.status_code == 302:
            self.sectors.remove(sector)
            self.get(path, name="form GET")  # the redirect: the report, read-only now


QUEUE_ROW = re.compile(r'<tr id="queue-report-(\d+)">')


class Reviewer(PortalUser):
    abstract = True
    section = ""

    def waiting(self) -> list[str]:
        page = self.get("/workflow/queue/", name="my queue")
        html = page.text or ""
        start = html.find(f'id="{self.section}"')
        if start < 0:
            return []
        end = html.find("</section>", start)
        return re.findall(r'/workflow/reports/(\d+)/review/', html[start:end])

    def review(self, report_id: str) -> tuple[str, str]:
        path = f"/workflow/reports/{report_id}/review/"
        page = self.get(path, name="review GET")
        return path, page.text or ""


class Verifier(Reviewer):
    """Checks what was submitted: mostly passes it on, sometimes returns it with a reason."""

    role = "verifier"
    weight = 10
    section = "queue-verify"

    @task
    def verify_or_return(self):
        reports = self.waiting()
        if not reports:
            return
        self.wait()
        path, html = self.review(random.choice(reports))
        token = self.csrf(html)
        self.wait()
        if random.random() < 0.2 and 'id="return-form"' in html:
            self.post(path, {"csrfmiddlewaretoken": token, "step": "return",
                             "comment": "กรุณาตรวจสอบตัวเลขให้ตรงกับทะเบียนอีกครั้ง"}, name="return")
        elif 'id="verify-form"' in html:
            self.post(path, {"csrfmiddlewaretoken": token, "step": "verify", "comment": ""}, name="verify")
        else:
            return
        self.review(path.split("/")[3])  # the redirect back to the review page


class Certifier(Reviewer):
    """The LAO head: certifies verified sectors one at a time."""

    role = "certifier"
    weight = 6
    section = "queue-certify"

    @task
    def certify(self):
        reports = self.waiting()
        if not reports:
            return
        self.wait()
        path, html = self.review(random.choice(reports))
        if 'id="certify-form"' not in html:
            return
        self.wait()
        self.post(path, {"csrfmiddlewaretoken": self.csrf(html), "step": "certify", "comment": "",
                         "confirm": "on"}, name="certify")
        self.review(path.split("/")[3])


class Officer(PortalUser):
    """Watches a dashboard, opens its laggard list now and then and downloads it."""

    abstract = True
    level = ""
    pdf = True

    def started(self):
        code = self.account.get(self.level, "")
        self.base = f"/dash/{self.level}/{code}/" if code else "/dash/nation/"

    @task(6)
    def dashboard(self):
        self.get(self.base, name=f"dashboard {self.level or 'nation'}")

    @task(2)
    def laggard_list(self):
        self.get(self.base + "laggards/", name=f"laggards {self.level or 'nation'}")

    @task(1)
    def laggard_excel(self):
        self.get(self.base + "laggards.xlsx", name=f"laggards.xlsx {self.level or 'nation'}")

    @task(1)
    def laggard_pdf(self):
        if self.pdf:
            self.get(self.base + "laggards.pdf", name=f"laggards.pdf {self.level or 'nation'}")


class DistrictOfficer(Officer):
    role = "district_officer"
    weight = 8
    level = "district"


class ProvincialOfficer(Officer):
    role = "provincial_officer"
    weight = 4
    level = "province"


class DepartmentOfficer(Officer):
    role = "department_admin"
    weight = 2
    level = ""
    # The national PDF outlives the worker timeout today; the department downloads the Excel list.
    pdf = False


class Solo(PortalUser):
    """One kind of request in a closed loop, no think time: its throughput alone (RUSH_SOLO names it)."""

    wait_time = constant(0)

    def on_start(self):
        kind = SOLO or "save"
        self.role = {"dashboard_nation": "department_admin", "dashboard_province": "provincial_officer",
                     "dashboard_district": "district_officer"}.get(kind, "recorder")
        self.kind = kind
        super().on_start()

    def started(self):
        if self.role != "recorder":
            code = self.account.get(self.kind.rsplit("_", 1)[1], "")
            self.path = f"/dash/{self.kind.rsplit('_', 1)[1]}/{code}/" if code else "/dash/nation/"
            return
        clerk_cards = self.get(f"/data/lao/{self.account['lao']}/{YEAR}/", name="sector cards")
        sectors = [code for code, body in SECTOR_CARD.findall(clerk_cards.text or "")
                   if 'class="status draft"' in body or 'class="status returned"' in body]
        if not sectors:
            raise StopUser
        self.path = f"/data/lao/{self.account['lao']}/{YEAR}/{random.choice(sectors)}/"
        form = form_fields(self.get(self.path, name="form GET").text or "", "report-form")
        self.fields = dict(form.fields)
        self.check_url = form.check_url
        self.free = [name for name, value in form.numbers.items() if value and name in FREE_ITEMS]
        if not self.free and self.kind in ("save", "field_check"):
            raise StopUser

    @task
    def one(self):
        if self.role != "recorder":
            self.get(self.path, name=f"dashboard {self.kind.rsplit('_', 1)[1]}")
        elif self.kind == "form_get":
            self.get(self.path, name="form GET")
        elif self.kind == "field_check":
            name = random.choice(self.free)
            self.fields[name] = _edited(self.fields[name], FREE_ITEMS[name])
            self.post(self.check_url, list(self.fields.items()), name="field check (htmx)", referer=self.path,
                      headers={"HX-Request": "true", "HX-Trigger-Name": name, "HX-Target": f"extra-{name}",
                               "HX-Current-URL": self.origin + self.path})
        else:
            name = random.choice(self.free)
            self.fields[name] = _edited(self.fields[name], FREE_ITEMS[name])
            saved = self.post(self.path, [*self.fields.items(), ("action", "save")], name="save (htmx)",
                              referer=self.path, headers={"HX-Request": "true", "HX-Target": "report-form",
                                                          "HX-Current-URL": self.origin + self.path})
            version = VERSION_INPUT.search(saved.text or "")
            if version:  # the saved form comes back with the report's new version
                self.fields["version"] = version.group(1)
