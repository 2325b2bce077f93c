"""The embedded set-up (SQLite file, `manage.py runserver`) serves two people writing at the same moment.

The server runs in a subprocess on a real SQLite file, whatever database the rest of the suite uses, because
the locking being tested is SQLite's own. Four recorders save their own sector again and again while field
checks fire in between: no answer may be a 500 and every save must land.
"""

import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROUNDS = 8
CHECKS_PER_ROUND = 2
CSRF = "c" * 32  # an unmasked CSRF secret: Django accepts it as both the cookie and the header

SETUP = """
import json, sys
from django.conf import settings
from django.test import Client
from accounts import services as accounts
from accounts.policy import Role
from organizations.models import LAO, District, LAOType, Province
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import Sector

province = Province.objects.create(code="30", name_th="นครราชสีมา", name_en="Nakhon Ratchasima")
district = District.objects.create(code="3008", name_th="ด่านขุนทด", name_en="Dan Khun Thot", province=province)
lao = LAO.objects.create(lao_type=LAOType.SUBDISTRICT_MUNICIPALITY, name_th="เทศบาลตำบลด่านขุนทด",
                         district=district, province=province, dla_code="5300801")
year = fiscal_year_open(be_year=2568)
out = {"lao": lao.pk, "sessions": {}}
for sector in SECTORS:
    user = accounts.account_create(actor=None, username=f"recorder.{sector}", full_name=sector, password="x" * 16,
                                   grants=[(Role.RECORDER, lao)])
    sector_services.report_open(lao=lao, sector=Sector.objects.get(code=sector), fiscal_year=year)
    client = Client()
    client.force_login(user)
    out["sessions"][sector] = client.cookies[settings.SESSION_COOKIE_NAME].value
json.dump(out, sys.stdout)
"""

RESULT = """
import json, sys
from sectors.models import SectorReport
json.dump({r.sector.code: {"version": r.version, "values": {v.indicator.code: v.value_integer for v in r.values.all()}}
           for r in SectorReport.objects.select_related("sector").prefetch_related("values__indicator")},
          sys.stdout)
"""

# What each writer saves in round n: a value that changes each round, so the final one proves the last save.
ITEM = {"governance": "gov_villages", "water": "wat_households_tap", "infrastructure": "inf_bridges",
        "society_culture": "soc_temples"}


def _free_port() -> int:
    requested = int(os.environ.get("INFO_TEST_SERVER_PORT", "0"))
    if requested:
        return requested
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sqlite_portal(tmp_path: Path):
    """`manage.py runserver` (the server of `make run`) on a migrated SQLite file; yields its URL and data."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CELERY_", "DATABASE_", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="info_portal.settings.dev",
               PYTHONUNBUFFERED="1")
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def run(*args: str) -> str:
        return subprocess.run([*manage, *args], env=env, check=True, capture_output=True, text=True,
                              cwd=settings.BASE_DIR, timeout=300).stdout

    run("migrate", "--noinput", "-v", "0")
    data = json.loads(run("shell", "--no-imports", "-c", SETUP.replace("SECTORS", json.dumps(list(ITEM)))))
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None:
                    pytest.fail("runserver exited: " + (tmp_path / "server.log").read_text())
                time.sleep(0.1)
        else:
            pytest.fail("runserver did not answer within 30 s")
        yield {"base": base, "result": lambda: json.loads(run("shell", "--no-imports", "-c", RESULT)),
               "log": lambda: (tmp_path / "server.log").read_text()[-4000:], **data}
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _opener(base: str, session: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    host = urllib.parse.urlparse(base).hostname
    for name, value in ((settings.SESSION_COOKIE_NAME, session), (settings.CSRF_COOKIE_NAME, CSRF)):
        jar.set_cookie(http.cookiejar.Cookie(0, name, value, None, False, host, False, False, "/", True, False,
                                             None, False, None, None, {}))

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def _post(opener, url: str, data: dict[str, str], **headers: str) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST",
                                     headers={"X-CSRFToken": CSRF, **headers})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_writers_and_field_checks_at_once_on_sqlite(sqlite_portal):
    base, lao = sqlite_portal["base"], sqlite_portal["lao"]
    statuses: list[tuple[str, int]] = []
    lock = threading.Lock()

    def record(what: str, status: int) -> None:
        with lock:
            statuses.append((what, status))

    def writer(sector: str) -> None:
        opener = _opener(base, sqlite_portal["sessions"][sector])
        url = f"{base}/data/lao/{lao}/2568/{sector}/"
        for version in range(ROUNDS):
            record(f"save {sector}", _post(opener, url, {"version": str(version), "action": "save",
                                                         ITEM[sector]: str(100 + version)}))

    def checker(sector: str) -> None:
        opener = _opener(base, sqlite_portal["sessions"][sector])
        url = f"{base}/data/lao/{lao}/2568/{sector}/check/"
        for n in range(ROUNDS * CHECKS_PER_ROUND):
            record(f"check {sector}", _post(opener, url, {ITEM[sector]: str(n)}, **{
                "HX-Request": "true", "HX-Trigger-Name": ITEM[sector]}))

    threads = [threading.Thread(target=target, args=(sector,)) for sector in ITEM for target in (writer, checker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)

    assert not any(thread.is_alive() for thread in threads)
    assert len(statuses) == len(ITEM) * ROUNDS * (1 + CHECKS_PER_ROUND)
    failures = [(what, status) for what, status in statuses if status >= 500]
    assert failures == [], sqlite_portal["log"]()
    assert {status for what, status in statuses if what.startswith("save")} == {302}
    assert {status for what, status in statuses if what.startswith("check")} == {200}
    stored = sqlite_portal["result"]()
    for sector, item in ITEM.items():
        assert stored[sector]["version"] == ROUNDS
        assert stored[sector]["values"][item] == 100 + ROUNDS - 1
