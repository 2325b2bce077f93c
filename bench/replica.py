"""Server time of the dashboards reading from the streaming replica against the same pages reading the primary,
and the replica's lag behind a commit on the primary.

Needs a primary with a simulated round and its streaming replica (`.ci/replica` starts one on port 5433):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_replica
    export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/info_replica
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_geography
    .venv/bin/python manage.py load_demo && .venv/bin/python manage.py open_fiscal_year --year 2568
    .venv/bin/python manage.py simulate_round --fiscal-year 2568 --province 30
    .ci/replica

Run:   nice .venv/bin/python bench/replica.py

Pages are fetched in-process through the Django test client (middleware, view, template and database,
without the network), alternately through the router to the replica and with the router kept on the primary,
BENCH_ROUNDS times each; each figure is a median, and each page's queries are counted on both databases to
show where they went. The lag is measured on a scratch table this script creates and drops: for each of
BENCH_LAG_COMMITS commits on the primary, the time until the replica has replayed the commit's WAL position.
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
from django.db import DEFAULT_DB_ALIAS, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from info_portal import db_router  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
LAG_COMMITS = int(os.environ.get("BENCH_LAG_COMMITS", "200"))
LAG_ROWS = (1, 1000)  # rows per commit: one form's worth, and a batch


def timed(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000


def on_primary(action):
    """The same request with the router keeping every read on the primary."""
    configured = db_router.replica_configured
    db_router.replica_configured = lambda: False
    try:
        return action()
    finally:
        db_router.replica_configured = configured


def query_counts(client: Client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary, \
            CaptureQueriesContext(connections[db_router.REPLICA]) as replica:
        client.get(url)
    return len(primary), len(replica)


def replay_seconds(primary, replica, lsn: str) -> float:
    started = time.perf_counter()
    with replica.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return time.perf_counter() - started
            time.sleep(0.0005)


def lag(rows: int) -> list[float]:
    """Milliseconds from each commit on the primary until the replica has replayed it."""
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[db_router.REPLICA]
    lags = []
    with primary.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_replica_lag (id integer PRIMARY KEY, at timestamptz)")
        for n in range(LAG_COMMITS):
            # Autocommit: each statement is a commit; the position read after it covers it.
            cursor.execute("INSERT INTO bench_replica_lag SELECT g, now() FROM generate_series(%s, %s) g "
                           "ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at", [1, rows])
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            lags.append(replay_seconds(primary, replica, cursor.fetchone()[0]) * 1000)
            if n % 20 == 19:
                time.sleep(0.05)
    return lags


def main() -> None:
    from accounts.policy import Role, is_department, provinces_overseen, users_with_role
    from organizations.models import LAO, Province
    from sectors.models import FiscalYear, SectorReport

    if db_router.REPLICA not in settings.DATABASES:
        sys.exit("DATABASE_REPLICA_URL is not set (see the top of this file)")
    setup_test_environment()
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "guardian.backends.ObjectPermissionBackend"]
    replica = connections[db_router.REPLICA]
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), version()")
        in_recovery, version = cursor.fetchone()
    if not in_recovery:
        sys.exit("DATABASE_REPLICA_URL does not name a standby (pg_is_in_recovery() is false)")
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics replicate too: both sides plan the same way
    fiscal_year = FiscalYear.objects.get(be_year=int(os.environ.get("BENCH_YEAR", "2568")))
    reports = SectorReport.objects.filter(fiscal_year=fiscal_year)
    if not reports.exists():
        sys.exit("no reports in this database: run simulate_round first (see the top of this file)")
    top = reports.values("lao__province").annotate(n=Count("lao", distinct=True)).order_by("-n").first()
    simulated = Province.objects.get(pk=top["lao__province"])
    simulated.n = top["n"]
    department = next(u for u in users_with_role(None, Role.DEPARTMENT_ADMIN) if is_department(u))
    officer = next((u for u in users_with_role(simulated, Role.PROVINCIAL_OFFICER)
                    if provinces_overseen(u).filter(pk=simulated.pk).exists()), department)
    nation, province = Client(), Client()
    nation.force_login(department, backend="django.contrib.auth.backends.ModelBackend")
    province.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    time.sleep(1)  # the ANALYZE and the sessions reach the replica
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"primary and replica: {version.split(' on ')[0]}; rounds: {ROUNDS}; "
          f"active LAOs: {LAO.objects.filter(is_active=True).count():,}; reports: {reports.count():,}")
    print(f"simulated province: {simulated.code} {simulated.name_th} ({simulated.n} LAOs), as {officer.username}")

    pages = [("national dashboard", nation, "/dash/nation/"),
             ("province dashboard", province, f"/dash/province/{simulated.code}/"),
             ("province laggards (Excel)", province, f"/dash/province/{simulated.code}/laggards.xlsx"),
             ("national certified values", nation, "/dash/nation/values/?by=district")]
    print(f"{'page':<28} {'replica ms':>10} {'primary ms':>10} {'ratio':>6}  queries on primary / replica")
    for label, client, url in pages:
        timed(client, url)  # warm both connections and the caches
        on_primary(lambda c=client, u=url: timed(c, u))
        via_replica, via_primary = [], []
        for _round in range(ROUNDS):
            via_replica.append(timed(client, url))
            via_primary.append(on_primary(lambda c=client, u=url: timed(c, u)))
        routed = query_counts(client, url)
        kept = on_primary(lambda c=client, u=url: query_counts(c, u))
        a, b = statistics.median(via_replica), statistics.median(via_primary)
        print(f"{label:<28} {a:>10.1f} {b:>10.1f} {a / b:>6.2f}  routed {routed[0]} / {routed[1]}, "
              f"kept {kept[0]} / {kept[1]}")
    nation.logout()
    province.logout()

    try:
        for rows in LAG_ROWS:
            lags = sorted(lag(rows))
            print(f"replay lag after a commit of {rows:>4} row(s), {LAG_COMMITS} commits: "
                  f"median {statistics.median(lags):.2f} ms, p95 {lags[int(len(lags) * 0.95)]:.2f} ms, "
                  f"max {lags[-1]:.2f} ms")
    finally:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_replica_lag")


if __name__ == "__main__":
    main()
