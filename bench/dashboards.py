"""Server time of the national dashboard and of the largest province's, against the same aggregate as raw SQL.

Needs a database with the national demo registry and a simulated round in it (every LAO's eight reports in
realistic states), prepared once:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_geography
    .venv/bin/python manage.py load_demo && .venv/bin/python manage.py open_fiscal_year --year 2568
    time .venv/bin/python manage.py simulate_round --fiscal-year 2568

Run:   DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_bench .venv/bin/python bench/dashboards.py

It only reads (on PostgreSQL it first runs ANALYZE, as autovacuum would). Pages are fetched in-process
through the Django test client (middleware, view, template and database, without the network) by the
department account and by the largest province's officer; the raw SQL is the grouped count each dashboard
is built on, run on the same connection. Medians of BENCH_ROUNDS runs.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("AXES_ENABLED", "False")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))

# The grouped counts the dashboards stand on: reports by unit, sector and status, and active LAOs by unit.
NATION_SQL = """
    SELECT l.province_id, r.sector_id, r.status, COUNT(*)
    FROM sectors_sectorreport r JOIN organizations_lao l ON l.id = r.lao_id
    WHERE r.fiscal_year_id = %s AND l.is_active
    GROUP BY l.province_id, r.sector_id, r.status
"""
NATION_LAOS_SQL = "SELECT province_id, COUNT(*) FROM organizations_lao WHERE is_active GROUP BY province_id"
PROVINCE_SQL = """
    SELECT l.district_id, r.sector_id, r.status, COUNT(*)
    FROM sectors_sectorreport r JOIN organizations_lao l ON l.id = r.lao_id
    WHERE r.fiscal_year_id = %s AND l.is_active AND l.province_id = %s
    GROUP BY l.district_id, r.sector_id, r.status
"""
PROVINCE_LAOS_SQL = """
    SELECT district_id, COUNT(*) FROM organizations_lao WHERE is_active AND province_id = %s GROUP BY district_id
"""


def median_ms(action, rounds: int = ROUNDS) -> float:
    action()  # warm the caches once
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def raw(sql_and_params: list[tuple[str, list]]):
    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in sql_and_params:
                cursor.execute(sql, params)
                cursor.fetchall()
    return run


def page(client: Client, url: str):
    def run() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return run


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def main() -> None:
    from accounts.models import User
    from accounts.policy import Role, is_department, provinces_overseen
    from organizations.models import LAO, Province
    from sectors.models import FiscalYear, SectorReport

    setup_test_environment()
    # The demo accounts sign in only with DEBUG on; the plain model backend lets the benchmark act as them.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "guardian.backends.ObjectPermissionBackend"]
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum keeps them in production: a freshly simulated round has none, and the
        # planner then joins reports to LAOs by scanning the whole year for each LAO.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    fiscal_year = FiscalYear.objects.get(be_year=int(os.environ.get("BENCH_YEAR", "2568")))
    reports = SectorReport.objects.filter(fiscal_year=fiscal_year)
    laos = LAO.objects.filter(is_active=True).count()
    if not reports.exists():
        sys.exit("no reports in this database: run simulate_round first (see the top of this file)")
    largest = Province.objects.annotate(n=Count("laos")).order_by("-n", "code").first()
    department = next(u for u in User.objects.filter(is_active=True, user_permissions__codename="oversee_nation")
                      if is_department(u))
    officer = next((u for u in User.objects.filter(
        is_active=True, provinceuserobjectpermission__permission__codename=Role.PROVINCIAL_OFFICER.codename,
        provinceuserobjectpermission__content_object=largest)
        if provinces_overseen(u).filter(pk=largest.pk).exists()), department)

    nation_client, province_client = signed_in(department), signed_in(officer)
    nation_url, province_url = "/dash/nation/", f"/dash/province/{largest.code}/"
    by_status = dict(reports.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    print(f"database: {connection.vendor}; rounds: {ROUNDS}; active LAOs: {laos:,}; reports: {reports.count():,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(by_status.items()))})")
    print(f"largest province: {largest.code} {largest.name_th} ({largest.n} LAOs), as {officer.username}")

    rows = [
        ("national dashboard", page(nation_client, nation_url), queries(nation_client, nation_url),
         raw([(NATION_SQL, [fiscal_year.pk]), (NATION_LAOS_SQL, [])])),
        ("largest province dashboard", page(province_client, province_url), queries(province_client, province_url),
         raw([(PROVINCE_SQL, [fiscal_year.pk, largest.pk]), (PROVINCE_LAOS_SQL, [largest.pk])])),
    ]
    print(f"{'page':<28} {'server ms':>10} {'queries':>8} {'raw SQL ms':>11} {'ratio':>7}")
    for label, fetch, count, sql in rows:
        server, baseline = median_ms(fetch), median_ms(sql)
        print(f"{label:<28} {server:>10.1f} {count:>8} {baseline:>11.2f} {server / baseline:>7.1f}")

    print("other pages (median of 3):")
    extras = [("province laggards (Excel)", f"{province_url}laggards.xlsx", province_client),
              ("province laggards (PDF)", f"{province_url}laggards.pdf", province_client),
              ("national laggards (Excel)", f"{nation_url}laggards.xlsx", nation_client),
              ("national certified values", f"{nation_url}values/?by=district", nation_client)]
    for label, url, client in extras:
        print(f"{label:<28} {median_ms(page(client, url), rounds=3):>10.1f} {queries(client, url):>8}")
    nation_client.logout()
    province_client.logout()


if __name__ == "__main__":
    main()
