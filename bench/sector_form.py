"""Server time and SQL queries of the sector form: the page (GET), an htmx save and an htmx field check,
for the 17-item governance sector and the same sector grown to 67 and 217 items, against the targets.

Run (SQLite):      nice .venv/bin/python bench/sector_form.py
Run (PostgreSQL):  DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_portal \
                   nice .venv/bin/python bench/sector_form.py
Environment: BENCH_ROUNDS (default 40) requests of each kind per size; BENCH_SIZES (default 17,67,217).

It builds a throw-away test database (test_<name>), so it never touches real data. Times are measured
in-process around Django's WSGI handler (middleware, view, template and database, without the network and
without the test client's template instrumentation); the database connection stays open, as it does under
gunicorn with CONN_MAX_AGE. Each figure is the median of BENCH_ROUNDS requests; the query count is that of
every request of the kind (a set when they differ).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "17,67,217").split(",")]
# The targets for the 17-item form: (median server ms, queries).
TARGETS = {"GET": (15, 8), "save": (20, 10), "check": (5, 4)}
HTMX = {"HTTP_HX_REQUEST": "true"}


def build_world():
    from accounts import services as account_services
    from accounts.policy import Role
    from organizations.models import LAO, District, LAOType, Province
    from sectors.catalogue import fiscal_year_open

    province = Province.objects.create(code="30", name_th="นครราชสีมา", name_en="Nakhon Ratchasima")
    district = District.objects.create(code="3008", name_th="ด่านขุนทด", name_en="Dan Khun Thot", province=province)
    lao = LAO.objects.create(lao_type=LAOType.SUBDISTRICT_MUNICIPALITY, name_th="เทศบาลตำบลด่านขุนทด",
                             province=province, district=district, dla_code="5300801")
    recorder = account_services.account_create(actor=None, username="bench.recorder", full_name="bench",
                                               password="bench-password-2568", grants=[(Role.RECORDER, lao)])
    fiscal_year_open(be_year=2568)
    return lao, recorder


def add_items(fiscal_year, sector, count: int, *, start: int) -> None:
    from sectors.models import Indicator, IndicatorKind

    Indicator.objects.bulk_create([
        Indicator(fiscal_year=fiscal_year, sector=sector, code=f"bench_item_{n:03d}", label_th=f"รายการทดสอบ {n}",
                  kind=IndicatorKind.INTEGER, unit="แห่ง", section="รายการเพิ่ม", order=1000 + n)
        for n in range(start, start + count)
    ])


def post_data(report, step: int) -> dict:
    """A full form of the current version: every item filled, male + female = total so no rule fails."""
    from sectors import selectors

    report.refresh_from_db(fields=["version"])
    data = {"version": str(report.version), "action": "save"}
    for indicator in selectors.indicators_for(report):
        if indicator.kind == "decimal":
            data[indicator.code] = f"12.{step % 9 + 1}"
        elif indicator.kind == "integer":
            data[indicator.code] = str(1000 + step)
        elif indicator.kind == "yes_no":
            data[indicator.code] = "yes"
        elif indicator.kind == "choice":
            data[indicator.code] = indicator.choices[0]
        else:
            data[indicator.code] = f"ข้อความ {step}"
    data.update({"gov_population_male": str(500 + step), "gov_population_female": str(500 + step),
                 "gov_population_total": str(1000 + 2 * step), "gov_households": str(300 + step),
                 "gov_complaints_resolved": "0"})
    return data


def timed(call) -> tuple[tuple[float, float], object]:
    """Wall-clock ms and this process's CPU ms (the web side only; the database's own work is in the wall time)."""
    started, cpu = time.perf_counter(), time.process_time()
    response = call()
    return ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000), response


def counted(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return len(captured), response


def measure(client: Client, report, url: str, check_url: str) -> dict:
    times: dict[str, list[tuple[float, float]]] = {"GET": [], "save": [], "check": []}
    queries: dict[str, set[int]] = {"GET": set(), "save": set(), "check": set()}
    for step in range(ROUNDS + 1):
        # Every third round counts queries (the capture itself costs time); the others are timed.
        run = counted if step % 3 == 0 else timed
        save = post_data(report, step)
        check = {**post_data(report, step), "gov_villages": str(step)}
        calls = {
            "GET": lambda: client.get(url),
            "save": lambda save=save: client.post(url, save, **HTMX),
            "check": lambda check=check: client.post(check_url, check, HTTP_HX_TRIGGER_NAME="gov_villages", **HTMX),
        }
        for kind, call in calls.items():
            figure, response = run(call)
            assert response.status_code == 200, (kind, response.status_code)
            if step == 0:
                continue  # the first round warms the caches of templates and the catalogue
            (queries[kind].add if run is counted else times[kind].append)(figure)
    return {kind: (statistics.median(t[0] for t in times[kind]), statistics.median(t[1] for t in times[kind]),
                   sorted(queries[kind])) for kind in times}


def main() -> None:
    from sectors import services
    from sectors.models import FiscalYear, Indicator, Sector

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        lao, recorder = build_world()
        client = Client()
        client.force_login(recorder)
        fiscal_year = FiscalYear.objects.get(be_year=2568)
        governance = Sector.objects.get(code="governance")
        report = services.report_open(lao=lao, sector=governance, fiscal_year=fiscal_year)
        url = f"/data/lao/{lao.pk}/2568/governance/"
        check_url = f"{url}check/"
        print(f"database: {connection.vendor}; rounds: {ROUNDS}; median server ms / median CPU ms of the web process "
              f"(queries)")
        print(f"{'items':>6} {'GET':>22} {'htmx save':>22} {'field check':>22}")
        base = Indicator.objects.filter(fiscal_year=fiscal_year, sector=governance).count()
        added, rows = 0, {}
        for size in SIZES:
            add_items(fiscal_year, governance, size - base - added, start=added)
            added = size - base
            result = measure(client, report, url, check_url)
            rows[size] = result
            cells = [f"{ms:.1f} / {cpu:.1f} ({'/'.join(map(str, count))})" for ms, cpu, count in result.values()]
            print(f"{size:>6} " + " ".join(f"{cell:>22}" for cell in cells))
        if 17 in rows:
            print("targets for 17 items: " + "; ".join(
                f"{kind} {ms:.1f} ms / {max(count)} queries against <= {target_ms} ms / <= {target_queries}: "
                f"{'met' if ms <= target_ms and max(count) <= target_queries else 'MISSED'}"
                for kind, ((ms, _cpu, count), (target_ms, target_queries)) in
                ((kind, (rows[17][kind], TARGETS[kind])) for kind in TARGETS)))
        counts = {kind: {tuple(rows[size][kind][2]) for size in rows} for kind in TARGETS}
        print("query counts constant in the number of items: " + ", ".join(
            f"{kind} {'yes' if len(found) == 1 else 'NO ' + str(sorted(found))}" for kind, found in counts.items()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
