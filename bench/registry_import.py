"""A 10,000-row registry import through the real import path, against PostgreSQL COPY of the same rows.

Needs a PostgreSQL database with the geography loaded and no LAOs the file names (any other LAOs may be there):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/info_jobs
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_geography

Run:   nice .venv/bin/python bench/registry_import.py [--rows 10000] [--rounds 3] [--write registry.csv]

The file is generated from the real geography the way the official registry reads: an อบจ. per province
(outside Bangkok), Bangkok and Pattaya without a code, an LAO per subdistrict (a เทศบาลเมือง for the first of
each เมือง district, an อบต. for the rest) and เทศบาลตำบล beside them until the file has --rows rows, each with
its DLA code, English name, the subdistricts it covers and its active flag. Each round times, in one process on
one connection:

- `create`: organizations.registry.registry_import of the file into a registry holding none of its LAOs (the
  rows it created are removed after the round, outside the timing);
- `again`: the same file imported a second time (every row unchanged);
- `copy`: PostgreSQL COPY of the same rows into organizations_lao and their subdistricts into the link table,
  in a transaction that is rolled back.

It prints the median of each and the ratios create/copy and again/copy.
"""

import argparse
import csv
import io
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

from django.db import connection, transaction  # noqa: E402

from organizations.models import LAO, District, Province, Subdistrict  # noqa: E402
from organizations.registry import registry_import  # noqa: E402

HEADER = ["รหัส อปท.", "ประเภท", "ชื่อ อปท.", "ชื่อภาษาอังกฤษ", "รหัสจังหวัด", "รหัสอำเภอ", "รหัสตำบลในเขต", "ใช้งาน"]
TYPES = {"2": "อบจ.", "4": "ทม.", "5": "ทต.", "6": "อบต."}
PREFIX = {"2": "องค์การบริหารส่วนจังหวัด", "4": "เทศบาลเมือง", "5": "เทศบาลตำบล", "6": "องค์การบริหารส่วนตำบล"}
ENGLISH = {"2": "Provincial Administrative Organization", "4": "Town Municipality",
           "5": "Subdistrict Municipality", "6": "Subdistrict Administrative Organization"}


def registry_rows(size: int) -> list[list[str]]:
    """`size` rows of a plausible national registry on the loaded geography (see the module's docstring)."""
    provinces = list(Province.objects.order_by("code"))
    districts = list(District.objects.select_related("province").order_by("code"))
    subdistricts = list(Subdistrict.objects.select_related("district").order_by("code"))
    rows = [["", "special", "กรุงเทพมหานคร", "Bangkok", "10", "", "", "ใช่"],
            ["", "special", "เมืองพัทยา", "Pattaya City", "20", "2004", "", "ใช่"]]
    rows += [[f"2{p.code}0101", TYPES["2"], f"{PREFIX['2']}{p.name_th}", f"{p.name_en} {ENGLISH['2']}", p.code, "", "",
              "ใช่"] for p in provinces if p.code != "10"]
    numbers: dict[tuple[str, str], int] = {}

    def add(digit: str, sub: Subdistrict) -> None:
        district = sub.district
        numbers[digit, district.code] = numbers.get((digit, district.code), 0) + 1
        code = f"{digit}{district.code}{numbers[digit, district.code]:02d}"
        rows.append([code, TYPES[digit], f"{PREFIX[digit]}{sub.name_th}", f"{sub.name_en} {ENGLISH[digit]}",
                     district.code[:2], district.code, sub.code, "ใช่" if len(rows) % 50 else "ไม่ใช่"])

    first_of_district = {d.pk: None for d in districts}
    outside_bangkok = [sub for sub in subdistricts if not sub.code.startswith("10")]
    for sub in outside_bangkok:
        mueang = first_of_district[sub.district_id] is None and sub.district.name_en.startswith("Mueang")
        first_of_district[sub.district_id] = sub
        add("4" if mueang else "6", sub)
    for sub in outside_bangkok:
        if len(rows) >= size:
            break
        add("5", sub)
    return rows[:size]


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8-sig")


def remove(codes: list[str], names: list[str]) -> None:
    """Take the file's LAOs out again (raw SQL: the ORM's cascade collector is not what is measured)."""
    with connection.cursor() as cursor:
        ids = "SELECT id FROM organizations_lao WHERE dla_code = ANY(%s) OR (dla_code IS NULL AND name_th = ANY(%s))"
        cursor.execute(f"DELETE FROM organizations_lao_subdistricts WHERE lao_id IN ({ids})", [codes, names])
        cursor.execute(f"DELETE FROM organizations_lao WHERE id IN ({ids})", [codes, names])


def copy_rows(rows: list[list[str]]) -> float:
    """COPY of the same rows (and their subdistrict links) into the same tables; rolled back. Seconds."""
    provinces = dict(Province.objects.values_list("code", "pk"))
    districts = dict(District.objects.values_list("code", "pk"))
    subdistricts = dict(Subdistrict.objects.values_list("code", "pk"))
    kinds = {"อบจ.": "pao", "ทม.": "town", "ทต.": "subdistrict_municipality", "อบต.": "sao", "special": "special"}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM organizations_lao")
        (next_id,) = cursor.fetchone()
        links = []
        with cursor.cursor.copy("COPY organizations_lao (id, lao_type, name_th, name_en, dla_code, province_id, "
                                "district_id, is_active, is_demo) FROM STDIN") as copy:
            for code, kind, name_th, name_en, province, district, subs, active in rows:
                next_id += 1
                copy.write_row((next_id, kinds[kind], name_th, name_en, code or None, provinces[province],
                                districts.get(district), active == "ใช่", False))
                links += [(next_id, subdistricts[sub]) for sub in subs.split()]
        with cursor.cursor.copy("COPY organizations_lao_subdistricts (lao_id, subdistrict_id) FROM STDIN") as copy:
            for link in links:
                copy.write_row(link)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", help="also write the generated file here")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the comparison with COPY needs PostgreSQL (DATABASE_URL)"
    rows = registry_rows(args.rows)
    data = csv_file(rows)
    if args.write:
        Path(args.write).write_bytes(data)
    codes = [row[0] for row in rows if row[0]]
    names = [row[2] for row in rows if not row[0]]
    if LAO.objects.filter(dla_code__in=codes).exists():
        sys.exit("the database already holds LAOs of the file: run on a registry without them")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    times: dict[str, list[float]] = {"create": [], "again": [], "copy": []}
    cpu_create: list[float] = []
    cpu_again: list[float] = []  # this process's CPU alone: the share of the machine it got does not count
    for _round in range(args.rounds):
        times["copy"].append(copy_rows(rows))
        started, cpu = time.perf_counter(), time.process_time()
        created = registry_import(file=io.BytesIO(data), file_name="registry.csv", dry_run=False)
        times["create"].append(time.perf_counter() - started)
        cpu_create.append(time.process_time() - cpu)
        assert created.ok and created.created == len(rows), (created.errors[:5], created.created)
        started, cpu = time.perf_counter(), time.process_time()
        again = registry_import(file=io.BytesIO(data), file_name="registry.csv", dry_run=False)
        times["again"].append(time.perf_counter() - started)
        cpu_again.append(time.process_time() - cpu)
        assert again.ok and again.unchanged == len(rows), (again.errors[:5], again.created, again.updated)
        remove(codes, names)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"registry import of {len(rows):,} rows ({len(data) / 1024 / 1024:.1f} MB CSV), "
          f"median of {args.rounds} rounds:")
    for name in ("create", "again", "copy"):
        runs = ", ".join(f"{v:.2f}" for v in times[name])
        print(f"  {name:<7} {median[name]:8.2f} s   (runs: {runs})")
    print(f"  this process's own CPU: create {statistics.median(cpu_create):.2f} s, "
          f"again {statistics.median(cpu_again):.2f} s")
    print(f"  ratio create/copy {median['create'] / median['copy']:.0f}x, again/copy "
          f"{median['again'] / median['copy']:.0f}x")


if __name__ == "__main__":
    main()
