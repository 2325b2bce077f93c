import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from dashboards.simulation import round_ensure, round_simulate
from dashboards.simulation.demo import demo_build
from dashboards.simulation.parallel import round_simulate_parallel
from organizations.models import District, Province
from sectors.catalogue import fiscal_year_open
from sectors.models import FiscalYear


@contextmanager
def _mail_kept_in_memory() -> Iterator[None]:
    """The e-mails of the simulated days are delivered as the services deliver them (each row marked sent), to an
    outbox in memory: they belong to days gone by, and the console would bury the summary under them."""
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = backend


class Command(BaseCommand):
    help = ("Without --fiscal-year: build the demo around --date (default today) for one province (default 30): "
            "last fiscal year certified, this year's round published and part-way through, internal deadlines, "
            "the messages of each simulated day (idempotent). With --fiscal-year: simulate that year's round for "
            "the demo LAOs: three people per LAO, plausible values and a spread "
            "of states dated between the opening of the round and --today, written through the bulk services (the "
            "rules, events and seals of the services, a province per transaction, on PostgreSQL --jobs "
            "provinces at once) or with --one-by-one through the services themselves. LAOs that already have "
            "reports this year, or people of their own, are left alone.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fiscal-year", type=int, help="Buddhist-Era year, e.g. 2568; without it, the demo")
        parser.add_argument("--date", type=date.fromisoformat,
                            help="the day the demo is built around, YYYY-MM-DD (default: today in Bangkok)")
        parser.add_argument("--seed", type=int, default=2568)
        parser.add_argument("--province", help="DOPA code of one province (e.g. 30); default: the nation")
        parser.add_argument("--district", help="DOPA code of one district (e.g. 3008)")
        parser.add_argument("--today", type=date.fromisoformat,
                            help="the simulated today, YYYY-MM-DD; default: two days after the round's record-by date "
                                 "(12 June for a round set here: opens 24 May, record by 10 June, certify by 15 June)")
        parser.add_argument("--one-by-one", action="store_true",
                            help="one LAO, report and step at a time through the services (slow: the reference the "
                                 "bulk path is measured and tested against)")
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                            help="for the nation on PostgreSQL: provinces written side by side in this many processes "
                                 "(default: the machine's cores)")

    def handle(self, *args, **options) -> None:
        self._quiet()
        be_year = options["fiscal_year"]
        if be_year is None:
            self._demo(options)
            return
        fiscal_year = FiscalYear.objects.filter(be_year=be_year).first()
        if fiscal_year is None or not fiscal_year.indicators.exists():
            fiscal_year = fiscal_year_open(be_year=be_year, make_current=not FiscalYear.objects.exists())
        round_ = round_ensure(fiscal_year)
        # Two days after the record-by date (12 June for the usual round): some are done, some late, some behind.
        today = options["today"] or round_.record_by + timedelta(days=2)
        province, district = options["province"], options["district"]
        if province and not Province.objects.filter(code=province).exists():
            raise CommandError(f"no province with code {province}")
        if district and not District.objects.filter(code=district).exists():
            raise CommandError(f"no district with code {district}")

        def progress(done: int, total: int) -> None:
            if not options["one_by_one"] or done % 250 == 0 or done == total:  # the bulk path reports per province
                self.stdout.write(f"  {done:,}/{total:,} LAOs")

        if province or district or options["one_by_one"]:
            outcome = round_simulate(fiscal_year=fiscal_year, today=today, seed=options["seed"],
                                     province_code=province, district_code=district,
                                     one_by_one=options["one_by_one"], progress=progress)
        else:
            outcome = round_simulate_parallel(fiscal_year=fiscal_year, today=today, seed=options["seed"],
                                              jobs=options["jobs"], progress=progress)
        states = ", ".join(f"{state} {n:,}" for state, n in sorted(outcome.states.items()))
        self.stdout.write(
            f"simulated round {be_year} to {today.isoformat()}: {outcome.laos:,} LAOs "
            f"({outcome.skipped:,} left alone), {outcome.reports:,} reports, {outcome.events:,} transitions, "
            f"{outcome.officers:,} officers created, in {outcome.seconds:.1f} s\n  sectors: {states}")
        if outcome.refused:
            self.stdout.write(f"  {outcome.refused:,} steps refused by the checks (reports left where they were)")

    def _quiet(self) -> None:
        # One line per account made would bury the summary: thousands of them.
        logging.getLogger("accounts.services").setLevel(logging.WARNING)
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Thousands of small commits (each notification is written once its transition commits): a demo
            # loader need not wait for the disk on each; this lasts for this connection only.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")

    def _demo(self, options) -> None:
        if options["district"] or options["one_by_one"] or options["today"]:
            raise CommandError("--district, --one-by-one and --today need --fiscal-year; the demo takes --date")
        province = options["province"] or "30"
        if not Province.objects.filter(code=province).exists():
            raise CommandError(f"no province with code {province}: run `manage.py load_geography` and "
                               f"`manage.py load_demo` first")
        today = options["date"] or timezone.localdate()
        with _mail_kept_in_memory():
            built = demo_build(today=today, province_code=province, seed=options["seed"])
        round_ = built.round
        self.stdout.write(f"demo around {today.isoformat()}: fiscal year {built.current.be_year} (current), "
                          f"{built.previous.be_year} certified")
        for year, outcome in sorted(built.simulated.items()):
            states = ", ".join(f"{state} {n:,}" for state, n in sorted(outcome.states.items()))
            self.stdout.write(f"  {year}: {outcome.laos:,} LAOs ({outcome.skipped:,} left alone), "
                              f"{outcome.reports:,} reports, {outcome.events:,} transitions, "
                              f"{outcome.refused:,} refused, in {outcome.seconds:.1f} s; {states or 'nothing new'}")
        self.stdout.write(f"  round {round_.fiscal_year.be_year}: opens {round_.opens_on}, record by "
                          f"{round_.record_by}, certify by {round_.certify_by}; announcements written "
                          f"{sum(built.published.values()):,}, reminders written {built.reminders:,}")
        for line in built.deadlines:
            self.stdout.write(f"  internal deadline {line}")
        for line in built.acting:
            self.stdout.write(f"  acting head {line}")
        if built.recertified:
            self.stdout.write(f"  {built.recertified}")
