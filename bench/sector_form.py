"""Server time to render and to save a full sector form, and the save's SQL query count as items grow.

Run (SQLite, the embedded set-up):      .venv/bin/python bench/sector_form.py
Run (PostgreSQL):  DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_portal .venv/bin/python bench/sector_form.py

It builds a throw-away test database (test_<name>), so it never touches real data. Times are measured
in-process around the Django test client: middleware, view, template and database, without the network.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))


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


def post_data(client: Client, url: str, step: int) -> dict:
    """A full form: every integer item filled, male + female = total so no rule fails."""
    form = client.get(url).context["form"]
    data = {"version": form.initial["version"], "action": "save"}
    for indicator in form.indicators:
        code = indicator.code
        data[code] = "12.5" if indicator.kind == "decimal" else str(1000 + step)
    data["gov_population_male"] = str(500 + step)
    data["gov_population_female"] = str(500 + step)
    data["gov_population_total"] = str(1000 + 2 * step)
    data["gov_households"] = str(300 + step)
    data["gov_complaints_resolved"] = "0"
    return data


def measure(client: Client, url: str) -> dict:
    renders, saves, queries = [], [], []
    for step in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        renders.append(time.perf_counter() - started)
        assert response.status_code == 200
        data = post_data(client, url, step)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data)
            saves.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
        queries.append(len(captured))
    return {"render_ms": statistics.median(renders) * 1000, "save_ms": statistics.median(saves) * 1000,
            "queries": sorted(set(queries)), "items": len(data) - 2}


def main() -> None:
    from sectors.models import FiscalYear, Indicator, Sector

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        lao, recorder = build_world()
        client = Client()
        client.force_login(recorder)
        fiscal_year = FiscalYear.objects.get(be_year=2568)
        governance = Sector.objects.get(code="governance")
        url = f"/data/lao/{lao.pk}/2568/governance/"
        print(f"database: {connection.vendor}; rounds: {ROUNDS}")
        print(f"{'items in the form':>18} {'render median ms':>17} {'save median ms':>15} {'save queries':>13}")
        added = 0
        for extra in (0, 50, 150):
            add_items(fiscal_year, governance, extra, start=added)
            added += extra
            result = measure(client, url)
            items = Indicator.objects.filter(fiscal_year=fiscal_year, sector=governance).count()
            print(f"{items:>18} {result['render_ms']:>17.1f} {result['save_ms']:>15.1f} "
                  f"{', '.join(map(str, result['queries'])):>13}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
