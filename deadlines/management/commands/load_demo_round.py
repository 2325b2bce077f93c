import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from deadlines.demo import demo_people_load, demo_round_set
from deadlines.services import round_publish
from organizations.models import LAO
from sectors.selectors import current_fiscal_year


class Command(BaseCommand):
    help = ("Set the demo round of the current fiscal year around a day (recording due in 3 days, certifying in 7) "
            "and publish it as the demo department account (idempotent: nobody hears the announcement twice).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD the round is set around (default: today in Bangkok)")
        parser.add_argument("--everyone", action="store_true",
                            help="first create demo accounts for the three roles of every LAO and an officer for "
                                 "every district and province (about 23,000 accounts for the whole demo registry)")
        parser.add_argument("--no-publish", action="store_true", help="set the round without announcing it")

    def handle(self, *args, date: str | None, everyone: bool, no_publish: bool, **options) -> None:
        today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        fiscal_year = current_fiscal_year()
        if fiscal_year is None:
            raise CommandError("no fiscal year is open: run `manage.py open_fiscal_year --year 2568` first")
        actor = User.objects.filter(username="dla.admin").first()
        if actor is None:
            raise CommandError("the demo department account dla.admin is missing: run `manage.py load_demo` first")
        if everyone:
            created = demo_people_load(laos=LAO.objects.filter(is_active=True))
            self.stdout.write(f"demo accounts created for every LAO, district and province: {created}")
        round_ = demo_round_set(actor=actor, fiscal_year=fiscal_year, today=today)
        self.stdout.write(f"round {round_}: opens {round_.opens_on}, record by {round_.record_by}, "
                          f"certify by {round_.certify_by}")
        if not no_publish:
            written = round_publish(actor=actor, round_=round_)
            self.stdout.write(f"published; announcement rows written: {written.created} "
                              f"(already there: {written.existing})")
