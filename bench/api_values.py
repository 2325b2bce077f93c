"""All certified values of one fiscal year as CSV through the API (`/api/v1/values.csv`, streamed) against
PostgreSQL's COPY of the same rows, and the server time of pages of 1,000 values (`/api/v1/values/`).

Needs a PostgreSQL database with a simulated round in it, prepared once (see bench/dashboards.py: the national
registry and round, ~0.8 M certified values; or one province's round for a smaller figure):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_geography
    .venv/bin/python manage.py load_demo && .venv/bin/python manage.py open_fiscal_year --year 2568
    .venv/bin/python manage.py simulate_round --fiscal-year 2568 --province 30
    psql "$DATABASE_URL" -f bench/dashboards_national_round.sql      # optional: the province's round nationwide

Run:   DATABASE_URL=... nice .venv/bin/python bench/api_values.py [--fiscal-year 2568] [--pages 30]

Requests go through the Django test client in-process (every middleware, authentication by key, throttling,
the view, rendering and the database, without the network), with one national key that the run creates and
deletes again; the usage rows it logs are deleted too. COPY runs on the same connection and is read to the end.
Wall times are medians of BENCH_ROUNDS runs for pages; the stream and COPY are each timed BENCH_ROUNDS times
(default 3), best and median reported, with this process's CPU time.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.test")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("AXES_ENABLED", "False")
os.environ.setdefault("API_KEY_THROTTLE_RATE", "1000000/minute")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from api import services  # noqa: E402
from api.models import AgencyKey  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

# The rows and columns of /api/v1/values.csv, in one statement.
COPY_SQL = """
COPY (
    SELECT v.id, r.lao_id, l.dla_code, l.lao_type, p.code, d.code, fy.be_year, s.code, i.code, i.kind,
           CASE WHEN v.not_applicable THEN NULL
                WHEN i.kind = 'integer' THEN v.value_integer::text
                WHEN i.kind = 'decimal' THEN trim_scale(v.value_decimal)::text
                WHEN i.kind = 'yes_no' THEN v.value_bool::text
                ELSE NULLIF(v.value_text, '') END,
           v.not_applicable, r.id, seal.sha256, seal.certified_at
    FROM sectors_indicatorvalue v
    JOIN sectors_sectorreport r ON r.id = v.report_id
    JOIN organizations_lao l ON l.id = r.lao_id
    JOIN organizations_province p ON p.id = l.province_id
    LEFT JOIN organizations_district d ON d.id = l.district_id
    JOIN sectors_fiscalyear fy ON fy.id = r.fiscal_year_id
    JOIN sectors_sector s ON s.id = r.sector_id
    JOIN sectors_indicator i ON i.id = v.indicator_id
    LEFT JOIN certification_certificationseal seal ON seal.report_id = r.id AND seal.superseded_at IS NULL
    WHERE r.status = 'certified' AND fy.be_year = {year}
    ORDER BY v.id
) TO STDOUT WITH (FORMAT csv, HEADER)
"""


def timed(action):
    cpu, wall = time.process_time(), time.perf_counter()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def stream(client: Client, year: int) -> tuple[int, int]:
    response = client.get("/api/v1/values.csv", {"fiscal_year": year})
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return lines - 1, size


def copy(year: int) -> tuple[int, int]:
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_SQL.format(year=int(year))) as out:
        for data in out:
            buffer.write(data)
    data = buffer.getvalue()
    return data.count(b"\n") - 1, len(data)


def pages(client: Client, year: int, count: int) -> list[tuple[float, int, int]]:
    """(wall seconds, queries, rows) of `count` consecutive pages of 1,000 values."""
    url, params, out = "/api/v1/values/", {"fiscal_year": year, "page_size": 1000}, []
    for _ in range(count):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            body = response.json()
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        out.append((elapsed, len(queries), len(body["results"])))
        if not body["next"]:
            break
        url, params = body["next"], None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiscal-year", type=int, default=2568)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark compares with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
    setup_test_environment()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    key, raw = services.key_create(name="bench", province=None, expires_at=None, actor=None)
    client = Client(headers={"Authorization": f"Api-Key {raw}"})
    try:
        page_times = pages(client, args.fiscal_year, args.pages)
        walls = sorted(wall for wall, _q, _n in page_times[1:] or page_times)
        print(f"pages of 1,000 values ({len(page_times)} pages, first one left out of the figures): "
              f"median {statistics.median(walls) * 1000:.1f} ms, p95 {walls[int(len(walls) * 0.95) - 1] * 1000:.1f}"
              f" ms, max {walls[-1] * 1000:.1f} ms, {page_times[-1][1]} queries per page")
        runs = {"api": [], "copy": []}
        for _ in range(ROUNDS):
            runs["api"].append(timed(lambda: stream(client, args.fiscal_year)))
            runs["copy"].append(timed(lambda: copy(args.fiscal_year)))
        (rows, size), *_ = runs["api"][0]
        (copy_rows, copy_size), *_ = runs["copy"][0]
        print(f"FY {args.fiscal_year}: {rows:,} certified values; API CSV {size / 1e6:.1f} MB, COPY CSV "
              f"{copy_size / 1e6:.1f} MB ({copy_rows:,} rows)")
        best = {}
        for name, results in runs.items():
            walls = [wall for _r, wall, _c in results]
            cpus = [cpu for _r, _w, cpu in results]
            best[name] = min(walls)
            print(f"  {name:5} best {min(walls):7.2f} s  median {statistics.median(walls):7.2f} s  "
                  f"client CPU {statistics.median(cpus):6.2f} s  ({rows / min(walls):,.0f} rows/s)")
        print(f"  ratio API / COPY: {best['api'] / best['copy']:.1f}×")
    finally:
        AgencyKey.objects.filter(pk=key.pk).delete()


if __name__ == "__main__":
    main()
