import logging
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dashboards.simulation import round_ensure, round_simulate
from organizations.models import District, Province
from sectors.catalogue import fiscal_year_open
from sectors.models import FiscalYear


class Command(BaseCommand):
    help = ("Simulate a reporting round for the demo LAOs: three people per LAO, plausible values and a spread "
            "of states dated between the opening of the round and --today, written through the bulk services (the "
            "rules, events and seals of the services, a province per transaction) or with --one-by-one through the "
            "services themselves. LAOs that already have reports this year, or people of their own, are left alone.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fiscal-year", type=int, required=True, help="Buddhist-Era year, e.g. 2568")
        parser.add_argument("--seed", type=int, default=2568)
        parser.add_argument("--province", help="DOPA code of one province (e.g. 30); default: the nation")
        parser.add_argument("--district", help="DOPA code of one district (e.g. 3008)")
        parser.add_argument("--today", type=date.fromisoformat,
                            help="the simulated today, YYYY-MM-DD; default: two days after the round's record-by date "
                                 "(12 June for a round set here: opens 24 May, record by 10 June, certify by 15 June)")
        parser.add_argument("--one-by-one", action="store_true",
                            help="one LAO, report and step at a time through the services (slow: the reference the "
                                 "bulk path is measured and tested against)")

    def handle(self, *args, **options) -> None:
        be_year = options["fiscal_year"]
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

        # One line per account made would bury the summary: thousands of them.
        logging.getLogger("accounts.services").setLevel(logging.WARNING)
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Thousands of small commits (each notification is written once its transition commits): a demo
            # loader need not wait for the disk on each; this lasts for this connection only.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous = OFF")
        outcome = round_simulate(fiscal_year=fiscal_year, today=today, seed=options["seed"], province_code=province,
                                 district_code=district, one_by_one=options["one_by_one"], progress=progress)
        states = ", ".join(f"{state} {n:,}" for state, n in sorted(outcome.states.items()))
        self.stdout.write(
            f"simulated round {be_year} to {today.isoformat()}: {outcome.laos:,} LAOs "
            f"({outcome.skipped:,} left alone), {outcome.reports:,} reports, {outcome.events:,} transitions, "
            f"{outcome.officers:,} officers created, in {outcome.seconds:.1f} s\n  sectors: {states}")
        if outcome.refused:
            self.stdout.write(f"  {outcome.refused:,} steps refused by the checks (reports left where they were)")
