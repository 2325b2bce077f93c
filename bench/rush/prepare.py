"""Prepare the PostgreSQL database of the deadline-rush benchmark from nothing, and the accounts its users sign in as.

    .venv/bin/python bench/rush/prepare.py                      # the nation (7,332 LAOs), database info_rush
    .venv/bin/python bench/rush/prepare.py --provinces 30,40    # a quicker round in two provinces only
    .venv/bin/python bench/rush/prepare.py --from-template info_bench   # copy a prepared round, add the accounts

Steps: (re)create the database, migrate, load_geography, load_demo (the national demo registry), open_fiscal_year
2568, simulate_round (the nation, or each province given), then the benchmark's accounts, ANALYZE, and the list of
credentials the locustfile reads (bench/rush/out/accounts.json, not committed).

The accounts are real portal accounts (not demo accounts, which production refuses): recorders on distinct LAOs
that have a report to edit, verifiers on LAOs with reports waiting for them, certifiers on LAOs with verified
reports, district, provincial and department officers. They are written in bulk with one password hash computed
once by the production hasher and shared by all, and their roles are stored by the policy as
accounts.services.role_grant writes (the department role through role_grant itself).
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))

PASSWORD = "rush-bench-2568-deadline-passphrase"
FISCAL_YEAR = 2568
PREFIX = "rush."


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("RUSH_DB", "info_rush"),
                        help="PostgreSQL database to (re)create (default info_rush)")
    parser.add_argument("--pg", default=os.environ.get("RUSH_PG", "postgres://postgres@127.0.0.1:5432"),
                        help="the PostgreSQL server, without a database name")
    parser.add_argument("--provinces", default="",
                        help="simulate the round only in these provinces (DOPA codes, comma-separated); "
                             "default: the whole nation")
    parser.add_argument("--from-template", default="",
                        help="copy this database (migrated, with its registry and simulated round) instead of "
                             "building one; nobody may be connected to it")
    parser.add_argument("--accounts-only", action="store_true",
                        help="keep the database as it is and only add the missing accounts")
    parser.add_argument("--complete", action="store_true",
                        help="with --accounts-only: also complete the clerks' drafts")
    parser.add_argument("--complete-laos", type=int, default=300,
                        help="complete the drafts of this many clerks' LAOs (the first clerks, whom the runs use)")
    parser.add_argument("--recorders", type=int, default=1200)
    parser.add_argument("--verifiers", type=int, default=400)
    parser.add_argument("--certifiers", type=int, default=400)
    parser.add_argument("--district-officers", type=int, default=200)
    parser.add_argument("--provincial-officers", type=int, default=77)
    parser.add_argument("--department", type=int, default=10)
    return parser.parse_args()


def _psql(pg: str, sql: str) -> None:
    subprocess.run(["psql", f"{pg}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True)


def _step(label: str, started: list[float]) -> None:
    now = time.perf_counter()
    print(f"[{now - started[0]:7.1f} s] {label}", flush=True)


def _recreate(args: argparse.Namespace) -> None:
    _psql(args.pg, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    if args.from_template:
        _psql(args.pg, f'CREATE DATABASE "{args.database}" TEMPLATE "{args.from_template}" STRATEGY FILE_COPY')
    else:
        _psql(args.pg, f'CREATE DATABASE "{args.database}"')


def _setup_django(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.database}"
    # The production settings, so the password hash is the production hasher's; the key signs nothing here.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.production")
    os.environ.setdefault("SECRET_KEY", "prepare-only-" + "k" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _build(args: argparse.Namespace, started: list[float]) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    _step("migrated", started)
    call_command("load_geography")
    call_command("load_demo")
    call_command("open_fiscal_year", year=FISCAL_YEAR)
    _step("geography, demo registry and fiscal year loaded", started)
    provinces = [code.strip() for code in args.provinces.split(",") if code.strip()]
    for province in provinces or [None]:
        options = {"fiscal_year": FISCAL_YEAR}
        if province:
            options["province"] = province
        call_command("simulate_round", **options)
        _step(f"round simulated ({'province ' + province if province else 'the nation'})", started)


def _units_by_status(status: str, limit: int) -> list[int]:
    """LAOs with the most reports of the fiscal year in these statuses, most first."""
    from django.db.models import Count

    from sectors.models import SectorReport

    rows = (SectorReport.objects.filter(fiscal_year__be_year=FISCAL_YEAR, status__in=status.split(","),
                                        lao__is_active=True)
            .values("lao_id").annotate(n=Count("id")).order_by("-n", "lao_id")[:limit])
    return [row["lao_id"] for row in rows]


def _accounts(args: argparse.Namespace) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count

    from accounts import policy, services
    from accounts.models import AccountAction, AccountEvent, User
    from accounts.policy import Role
    from organizations.models import LAO, District, Province

    password_hash = make_password(PASSWORD)
    laos = {lao.pk: lao for lao in LAO.objects.select_related("district", "province")}
    plan: list[tuple[str, Role, object]] = []
    for lao_id in _units_by_status("draft,returned", args.recorders):
        plan.append((f"{PREFIX}rec.{lao_id}", Role.RECORDER, laos[lao_id]))
    for lao_id in _units_by_status("submitted", args.verifiers):
        plan.append((f"{PREFIX}ver.{lao_id}", Role.VERIFIER, laos[lao_id]))
    for lao_id in _units_by_status("verified", args.certifiers):
        plan.append((f"{PREFIX}cer.{lao_id}", Role.CERTIFIER, laos[lao_id]))
    districts = District.objects.annotate(n=Count("laos")).order_by("-n", "code")[:args.district_officers]
    plan += [(f"{PREFIX}dis.{d.code}", Role.DISTRICT_OFFICER, d) for d in districts]
    provinces = Province.objects.annotate(n=Count("laos")).order_by("-n", "code")[:args.provincial_officers]
    plan += [(f"{PREFIX}pro.{p.code}", Role.PROVINCIAL_OFFICER, p) for p in provinces]
    plan += [(f"{PREFIX}dep.{n}", Role.DEPARTMENT_ADMIN, None) for n in range(1, args.department + 1)]

    existing = set(User.objects.filter(username__startswith=PREFIX).values_list("username", flat=True))
    missing = [(username, role, unit) for username, role, unit in plan if username not in existing]
    with transaction.atomic():
        User.objects.bulk_create([
            User(username=username, full_name=f"{role.label} ({username})", password=password_hash,
                 position=role.label, email="", is_demo=False, must_change_password=False)
            for username, role, _unit in missing
        ], batch_size=1000)
        ids = dict(User.objects.filter(username__in=[m[0] for m in missing]).values_list("username", "pk"))
        grants = []
        for username, role, unit in missing:
            if unit is None:
                services.role_grant(actor=None, user=User.objects.get(pk=ids[username]), role=role)
                continue
            grants.append((ids[username], role, unit))
        policy.grants_bulk_store(grants, batch_size=2000)
        # The audit rows account_create and role_grant write, in the same transaction.
        events = [AccountEvent(account_id=ids[username], action=AccountAction.CREATED) for username, _r, _u in missing]
        events += [AccountEvent(account_id=ids[username], action=AccountAction.ROLE_GRANTED, role=role.value,
                                unit_label=str(unit)[:300], **{type(unit).__name__.lower(): unit})
                   for username, role, unit in missing if unit is not None]  # role_grant wrote the department's
        AccountEvent.objects.bulk_create(events, batch_size=2000)

    accounts = []
    for username, role, unit in plan:
        entry = {"username": username, "role": str(role)}
        if isinstance(unit, LAO):
            entry |= {"lao": unit.pk, "district": unit.district.code if unit.district else "",
                      "province": unit.province.code}
        elif isinstance(unit, District):
            entry |= {"district": unit.code, "province": unit.province.code}
        elif isinstance(unit, Province):
            entry |= {"province": unit.code}
        accounts.append(entry)
    return {"password": PASSWORD, "fiscal_year": FISCAL_YEAR, "accounts": accounts, "created": len(missing)}


def _simulated_values(lao) -> dict:
    """The values the simulated round drew for this LAO's sectors, drawn again: a draft it left holds some of them,
    and all of them pass the rules together (the same seed as simulate_round)."""
    from dashboards.simulation import people
    from dashboards.simulation.values import lao_year_values
    from sectors.models import Indicator

    items = Indicator.objects.filter(fiscal_year__be_year=FISCAL_YEAR).order_by("order", "code")
    return lao_year_values(lao.lao_type, lao_key=people.lao_key(lao), be_year=FISCAL_YEAR, seed=2568,
                           name=lao.name_th, items=items)


def _complete_drafts(accounts: list[dict], limit: int) -> tuple[int, int]:
    """Each clerk's drafts filled in, through report_save, the way a recorder finishes a form days before sending
    it: the last week's forms are complete, and a clerk of the benchmark can send one once it checks out."""
    from django.db import transaction

    from accounts.models import User
    from sectors import selectors, services, values
    from sectors.models import EDITABLE_STATUSES, SectorReport
    from sectors.values import NOT_APPLICABLE

    completed = skipped = 0
    clerks = [entry for entry in accounts if entry["role"] == "recorder"][:limit]
    by_lao = {entry["lao"]: entry["username"] for entry in clerks}
    reports = (SectorReport.objects.filter(lao_id__in=by_lao, fiscal_year__be_year=FISCAL_YEAR,
                                           status__in=EDITABLE_STATUSES)
               .select_related("lao", "sector", "fiscal_year").order_by("lao_id", "sector__order"))
    users = User.objects.in_bulk(list(by_lao.values()), field_name="username")
    known_by_lao: dict[int, dict] = {}
    for report in reports:
        known = known_by_lao.get(report.lao_id)
        if known is None:
            known = known_by_lao[report.lao_id] = _simulated_values(report.lao)
        stored = {code: values.read(row) for code, row in selectors.report_rows(report).items()}
        drawn_again = all(known.get(code) == value for code, value in stored.items()
                          if value is not None and value != NOT_APPLICABLE and code in known)
        indicators = selectors.indicators_for(report)
        new = {i.code: known[i.code] for i in indicators if i.code in known and stored.get(i.code) is None}
        if not drawn_again or not new:
            skipped += 1
            continue
        with transaction.atomic():
            services.report_save(report_id=report.pk, user=users[by_lao[report.lao_id]],
                                 expected_version=report.version, new_values={**stored, **new})
        completed += 1
    return completed, skipped


def _second_factors(accounts: list[dict]) -> int:
    """Department and provincial accounts must sign in with a second factor where the portal has one: each gets a
    confirmed authenticator whose key the locustfile knows (in accounts.json), so it signs in as its owner would."""
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return 0
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    officers = [entry for entry in accounts if entry["role"] in ("provincial_officer", "department_admin")]
    for entry in officers:
        entry["totp"] = hashlib.sha1(entry["username"].encode()).hexdigest()
    users = User.objects.in_bulk([entry["username"] for entry in officers], field_name="username")
    have = set(TOTPDevice.objects.filter(user__in=users.values(), confirmed=True).values_list("user__username",
                                                                                              flat=True))
    TOTPDevice.objects.bulk_create([TOTPDevice(user=users[entry["username"]], name="authenticator", confirmed=True,
                                               key=entry["totp"]) for entry in officers
                                    if entry["username"] not in have and entry["username"] in users])
    return len(officers)


def _free_items() -> dict:
    """The numbers no rule mentions: a clerk's correction of one of them leaves a form that checked out still
    fit to send."""
    from sectors.models import Indicator, IndicatorKind, ValidationRule

    rules = " ".join(ValidationRule.objects.filter(fiscal_year__be_year=FISCAL_YEAR).values_list("expression",
                                                                                                  flat=True))
    mentioned = set(re.findall(r"[a-z][a-z0-9_]*", rules))
    free = {}
    for item in Indicator.objects.filter(fiscal_year__be_year=FISCAL_YEAR,
                                         kind__in=(IndicatorKind.INTEGER, IndicatorKind.DECIMAL)):
        if item.code not in mentioned:
            free[item.code] = {"kind": item.kind,
                               "min": float(item.min_value) if item.min_value is not None else None,
                               "max": float(item.max_value) if item.max_value is not None else None}
    return free


def main() -> None:
    args = _parse()
    started = [time.perf_counter()]
    if not args.accounts_only:
        _recreate(args)
        _step(f"database {args.database} created" + (f" from {args.from_template}" if args.from_template else ""),
              started)
    _setup_django(args)
    if not args.accounts_only and not args.from_template:
        _build(args, started)
    else:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)  # the database may predate a migration
    result = _accounts(args)
    by_role: dict[str, int] = {}
    for entry in result["accounts"]:
        by_role[entry["role"]] = by_role.get(entry["role"], 0) + 1
    _step(f"accounts: {len(result['accounts']):,} ({result['created']:,} new): "
          + ", ".join(f"{role} {n:,}" for role, n in by_role.items()), started)
    if not args.accounts_only or args.complete:
        completed, skipped = _complete_drafts(result["accounts"], args.complete_laos)
        _step(f"clerks' drafts completed: {completed:,} ({skipped:,} left as they were)", started)
    result["free_items"] = _free_items()
    if _second_factors(result["accounts"]):
        _step("department and provincial accounts: an authenticator each", started)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    OUT.mkdir(exist_ok=True)
    result["database"] = args.database
    (OUT / "accounts.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    _step(f"analyzed; credentials in {OUT / 'accounts.json'}", started)


if __name__ == "__main__":
    main()
