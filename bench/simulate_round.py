"""simulate_round through the bulk services against the same round one by one through the services, on PostgreSQL.

Needs a PostgreSQL database prepared once as a template (national demo registry and the year's catalogue, no
round yet):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_simulate_base
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_geography
    .venv/bin/python manage.py load_demo && .venv/bin/python manage.py open_fiscal_year --year 2568

Run:   nice .venv/bin/python bench/simulate_round.py --template info_simulate_base --province 30 [--repeat 3]

Each run copies the template into a fresh database (CREATE DATABASE … TEMPLATE), simulates the province's round
there in a child process (bulk, then one by one, alternating when repeated), and drops the copy. It prints, per
way of writing: the median wall time, the statements sent (COPY counted as one each), statements per LAO, and
the rows each table gained; then the ratio of the medians. `--nation` also times the whole nation by the bulk
path once (the one-by-one nation takes the better part of an hour; its statements per LAO are the province's).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("accounts_user", "accounts_laouserobjectpermission", "accounts_accountevent", "sectors_sectorreport",
          "sectors_indicatorvalue", "sectors_valuechange", "certification_reportevent",
          "certification_certificationseal", "notifications_notification")


def _url(database: str) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return urlunsplit(base._replace(path=f"/{database}"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def child(args: argparse.Namespace) -> None:
    """Simulate in this process against DATABASE_URL and print what it cost as one line of JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import logging

    from django.db import connection

    from dashboards.simulation import round_simulate
    from sectors.models import FiscalYear

    logging.getLogger("accounts.services").setLevel(logging.WARNING)

    class Counter:  # stands in for the debug log: counts every statement, keeps none
        maxlen, count = None, 0

        def append(self, _query) -> None:
            self.count += 1

    def rows() -> dict[str, int]:
        with connection.cursor() as cursor:
            return {table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}

    before = rows()
    counter = Counter()
    connection.ensure_connection()
    connection.queries_log, connection.force_debug_cursor = counter, True
    fiscal_year = FiscalYear.objects.get(be_year=args.year)
    started = time.perf_counter()
    outcome = round_simulate(fiscal_year=fiscal_year, today=args.today, seed=2568, province_code=args.province,
                             one_by_one=args.one_by_one)
    seconds = time.perf_counter() - started
    connection.force_debug_cursor = False
    after = rows()
    print(json.dumps({"seconds": seconds, "statements": counter.count, "laos": outcome.laos,
                      "reports": outcome.reports, "events": outcome.events, "refused": outcome.refused,
                      "rows": {table: after[table] - before[table] for table in TABLES}}))


def run(template: str, *, province: str | None, one_by_one: bool, year: int) -> dict:
    copy = f"{template}_run"
    _admin(f'DROP DATABASE IF EXISTS "{copy}"')
    _admin(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    try:
        command = [sys.executable, __file__, "--child", "--year", str(year)]
        command += ["--province", province] if province else []
        command += ["--one-by-one"] if one_by_one else []
        done = subprocess.run(command, env={**os.environ, "DATABASE_URL": _url(copy)}, cwd=ROOT, check=True,
                              capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{copy}"')


def report(label: str, runs: list[dict]) -> float:
    median = statistics.median(r["seconds"] for r in runs)
    first, each = runs[0], ", ".join(f"{r['seconds']:.1f}" for r in runs)
    print(f"{label}: {first['laos']:,} LAOs, {first['reports']:,} reports, {first['events']:,} transitions; "
          f"median {median:.1f} s of {len(runs)} ({each}); "
          f"{first['statements']:,} statements, {first['statements'] / max(first['laos'], 1):.1f} per LAO")
    print("  rows written: " + ", ".join(f"{table} {n:,}" for table, n in first["rows"].items()))
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--template", default="info_simulate_base")
    parser.add_argument("--province", default="30")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--nation", action="store_true")
    parser.add_argument("--year", type=int, default=2568)
    parser.add_argument("--today", default="2025-06-12")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--one-by-one", action="store_true")
    args = parser.parse_args()
    if args.child:
        from datetime import date

        args.today = date.fromisoformat(args.today)
        child(args)
        return
    bulk, one_by_one = [], []
    for _ in range(args.repeat):
        bulk.append(run(args.template, province=args.province, one_by_one=False, year=args.year))
        one_by_one.append(run(args.template, province=args.province, one_by_one=True, year=args.year))
    fast = report(f"province {args.province}, bulk services", bulk)
    slow = report(f"province {args.province}, one by one through the services", one_by_one)
    print(f"one by one / bulk: {slow / fast:.1f}x the time, "
          f"{one_by_one[0]['statements'] / bulk[0]['statements']:.0f}x the statements")
    if args.nation:
        report("nation, bulk services", [run(args.template, province=None, one_by_one=False, year=args.year)])


if __name__ == "__main__":
    main()
