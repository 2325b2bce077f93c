"""Server time of the national, the largest province's and its largest district's dashboards, each against every
aggregate the page shows written by hand in raw SQL; and the laggard downloads.

Needs a database with the national demo registry and a simulated round in it (every LAO's eight reports in
realistic states), prepared once:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_geography
    .venv/bin/python manage.py load_demo && .venv/bin/python manage.py open_fiscal_year --year 2568
    time .venv/bin/python manage.py simulate_round --fiscal-year 2568

or, in seconds, a national round copied from one simulated province: `simulate_round --fiscal-year 2568
--province 30`, then `psql ... -f bench/dashboards_national_round.sql` (see that file).

Run:   DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_bench nice .venv/bin/python bench/dashboards.py

It only reads (on PostgreSQL it first runs ANALYZE, as autovacuum would). Pages are fetched in-process
through the Django test client (middleware, session, view, template and database, without the network) by the
department account, the largest province's officer and that province's largest district's officer (the
provincial officer when the district has none). The baseline of each page is one hand-written SQL statement
per aggregate the page shows, run on the same connection and fetched: the funnel, the unit table (counts by
unit and state, LAOs and LAOs complete per unit), the unit × sector matrix, the progress over time (events by
day), and the deadlines behind the overdue flags. Wall times are medians of BENCH_ROUNDS runs; CPU times are
the mean CPU of this process and of its PostgreSQL backend (read from /proc when the database runs on this
machine), which a shared machine's waiting for its cores does not inflate. BENCH_ONLY=pages or BENCH_ONLY=exports
runs one half; BENCH_COLD=1 empties the cache before each page (the past days of the progress chart are cached).
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
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
ONLY = os.environ.get("BENCH_ONLY", "")
COLD = os.environ.get("BENCH_COLD", "") == "1"  # empty the cache before each page: the first visit's cost

# Each page's aggregates, one statement each. `{laos}` is the page's set of LAOs: all active LAOs, those of one
# province, or those of one district. %(year)s is the fiscal year, %(round)s its reporting round, %(unit)s the
# province or district, %(sectors)s the number of sectors.
LAOS = {
    "nation": "SELECT id, province_id, district_id FROM organizations_lao WHERE is_active",
    "province": "SELECT id, province_id, district_id FROM organizations_lao WHERE is_active AND province_id = %(unit)s",
    "district": "SELECT id, province_id, district_id FROM organizations_lao WHERE is_active AND district_id = %(unit)s",
}
# The unit one level down: the province of each LAO for the nation, its district for a province (the PAO, which
# has none, is a row of its own), the LAO itself for a district.
UNIT_OF = {"nation": "l.province_id", "province": "l.district_id", "district": "l.id"}
FUNNEL = """
    SELECT r.status, COUNT(*) FROM sectors_sectorreport r JOIN ({laos}) l ON l.id = r.lao_id
    WHERE r.fiscal_year_id = %(year)s GROUP BY r.status
"""
UNIT_COUNTS = """
    SELECT {unit}, r.status, COUNT(*) FROM sectors_sectorreport r JOIN ({laos}) l ON l.id = r.lao_id
    WHERE r.fiscal_year_id = %(year)s GROUP BY 1, 2
"""
UNIT_LAOS = """
    SELECT {unit}, COUNT(*), COUNT(*) FILTER (WHERE c.n >= %(sectors)s) FROM ({laos}) l
    LEFT JOIN (SELECT lao_id, COUNT(*) AS n FROM sectors_sectorreport WHERE fiscal_year_id = %(year)s
               AND status = 'certified' GROUP BY lao_id) c ON c.lao_id = l.id
    GROUP BY 1
"""
MATRIX_GROUPED = """
    SELECT l.province_id, r.sector_id, r.status, COUNT(*) FROM sectors_sectorreport r JOIN ({laos}) l
    ON l.id = r.lao_id WHERE r.fiscal_year_id = %(year)s GROUP BY 1, 2, 3
"""
MATRIX_CELLS = """
    SELECT o.id, o.name_th, o.dla_code, o.lao_type, d.code, d.name_th, r.sector_id, r.status
    FROM organizations_lao o JOIN ({laos}) l ON l.id = o.id LEFT JOIN organizations_district d ON d.id = o.district_id
    LEFT JOIN sectors_sectorreport r ON r.lao_id = o.id AND r.fiscal_year_id = %(year)s
    ORDER BY d.code NULLS FIRST, o.dla_code
"""
PROGRESS = """
    SELECT (e.at AT TIME ZONE 'Asia/Bangkok')::date, e.from_status, e.to_status, COUNT(*)
    FROM certification_reportevent e JOIN sectors_sectorreport r ON r.id = e.report_id JOIN ({laos}) l
    ON l.id = r.lao_id WHERE r.fiscal_year_id = %(year)s GROUP BY 1, 2, 3
"""
DEADLINES = """
    SELECT g.opens_on, g.record_by, g.certify_by, d.province_id, d.district_id, d.record_by, d.certify_by
    FROM deadlines_reportinground g LEFT JOIN deadlines_leveldeadline d ON d.round_id = g.id WHERE g.id = %(round)s
"""
EXTENSIONS = "SELECT lao_id, district_id, certify_by FROM deadlines_extension WHERE round_id = %(round)s"
UNIT_NAMES = {
    "nation": "SELECT id, code, name_th FROM organizations_province",
    "province": "SELECT id, code, name_th FROM organizations_district WHERE province_id = %(unit)s",
    "district": "SELECT id, code, name_th FROM organizations_district WHERE id = %(unit)s",
}


def baseline(level: str) -> list[str]:
    """The statements behind one page: funnel, unit table, matrix, progress, deadlines and names."""
    laos, unit = LAOS[level], UNIT_OF[level]
    matrix = MATRIX_GROUPED if level == "nation" else MATRIX_CELLS
    statements = [FUNNEL, UNIT_COUNTS, UNIT_LAOS, matrix, PROGRESS]
    return [s.format(laos=laos, unit=unit) for s in statements] + [DEADLINES, EXTENSIONS, UNIT_NAMES[level]]


def _backend_cpu() -> float | None:
    """CPU seconds spent so far by this connection's PostgreSQL backend, when it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def timed(action, rounds: int = ROUNDS) -> tuple[float, float | None]:
    """The median wall time in ms, and the mean CPU time in ms of this process and its PostgreSQL backend: on a
    shared machine the wall time waits for the cores, the CPU time does not."""
    action()  # warm the caches once
    times = []
    backend_before, cpu_before = _backend_cpu(), time.process_time()
    for _round in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu_before
    backend_after = _backend_cpu()
    if backend_before is not None and backend_after is not None:
        cpu += backend_after - backend_before
    return statistics.median(times) * 1000, cpu / rounds * 1000


def median_ms(action, rounds: int = ROUNDS) -> float:
    return timed(action, rounds)[0]


def raw(statements: list[str], params: dict):
    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
    return run


def page(client: Client, url: str):
    def run() -> None:
        if COLD:
            cache.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return run


def measured(client: Client, url: str) -> tuple[int, int]:
    """Queries and bytes of one response."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), len(response.content)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def officer_of(unit, role, fallback):
    from accounts.policy import users_with_role

    return users_with_role(unit, role).order_by("pk").first() or fallback


def main() -> None:
    from accounts.policy import Role, is_department, users_with_role
    from deadlines.models import ReportingRound
    from organizations.models import LAO, District, Province
    from sectors.models import FiscalYear, Sector, SectorReport

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
    round_ = ReportingRound.objects.filter(fiscal_year=fiscal_year).first()
    largest = Province.objects.annotate(n=Count("laos")).order_by("-n", "code").first()
    district = District.objects.filter(province=largest).annotate(n=Count("laos")).order_by("-n", "code").first()
    department = next(u for u in users_with_role(None, Role.DEPARTMENT_ADMIN) if is_department(u))
    province_officer = officer_of(largest, Role.PROVINCIAL_OFFICER, department)
    district_officer = officer_of(district, Role.DISTRICT_OFFICER, province_officer)

    clients = {who: signed_in(user) for who, user in
               (("nation", department), ("province", province_officer), ("district", district_officer))}
    urls = {"nation": "/dash/nation/", "province": f"/dash/province/{largest.code}/",
            "district": f"/dash/district/{district.code}/"}
    units = {"nation": None, "province": largest.pk, "district": district.pk}
    by_status = dict(reports.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    print(f"database: {connection.vendor}; rounds: {ROUNDS}; active LAOs: {laos:,}; reports: {reports.count():,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(by_status.items()))})")
    print(f"largest province: {largest.code} {largest.name_th} ({largest.n} LAOs), as {province_officer.username}; "
          f"its largest district: {district.code} {district.name_th} ({district.n} LAOs), as "
          f"{district_officer.username}")

    if ONLY in ("", "pages"):
        print(f"{'page':<20} {'server ms':>10} {'CPU ms':>7} {'queries':>8} {'KB':>6} {'raw SQL ms':>11} "
              f"{'CPU ms':>7} {'statements':>10} {'ratio':>6} {'CPU ratio':>9}")
        for level in ("nation", "province", "district"):
            params = {"year": fiscal_year.pk, "round": round_.pk if round_ else 0, "unit": units[level],
                      "sectors": Sector.objects.count()}
            statements = baseline(level)
            count, size = measured(clients[level], urls[level])
            (server, server_cpu), (sql, sql_cpu) = timed(page(clients[level], urls[level])), timed(raw(statements,
                                                                                                        params))
            print(f"{level + ' dashboard':<20} {server:>10.1f} {server_cpu:>7.1f} {count:>8} {size / 1024:>6.0f} "
                  f"{sql:>11.2f} {sql_cpu:>7.1f} {len(statements):>10} {server / sql:>6.2f} "
                  f"{server_cpu / sql_cpu if sql_cpu else 0:>9.2f}")

    if ONLY in ("", "exports"):
        print("laggard downloads (median of 3):")
        extras = [("province laggards (Excel)", f"{urls['province']}laggards.xlsx", clients["province"]),
                  ("province laggards (PDF)", f"{urls['province']}laggards.pdf", clients["province"]),
                  ("national laggards (Excel)", f"{urls['nation']}laggards.xlsx", clients["nation"]),
                  ("national certified values", f"{urls['nation']}values/?by=district", clients["nation"])]
        print(f"{'download':<28} {'server ms':>10} {'CPU ms':>7} {'queries':>8} {'KB':>6}")
        for label, url, client in extras:
            count, size = measured(client, url)
            wall, cpu = timed(page(client, url), rounds=3)
            print(f"{label:<28} {wall:>10.1f} {cpu:>7.1f} {count:>8} {size / 1024:>6.0f}")
    for client in clients.values():
        client.logout()


if __name__ == "__main__":
    main()
