from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sectors.catalogue import fiscal_year_open
from sectors.year_changes import changes_read


class Command(BaseCommand):
    help = ("Open a fiscal year (Buddhist Era) for data entry with a copy of the latest catalogue, or the default "
            "one, and make it the current year (idempotent). --changes names a JSON file of the department's "
            "changes by item code (add, retire, change, rules: see sectors/year_changes.py).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True, help="ปีงบประมาณ พ.ศ., e.g. 2568")
        parser.add_argument("--not-current", action="store_true",
                            help="open the year without making it the current one")
        parser.add_argument("--changes", help="JSON file of catalogue changes for the new year")

    def handle(self, *args, year: int, not_current: bool, changes: str | None, **options) -> None:
        if not 2500 <= year <= 2700:
            raise CommandError(f"{year} is not a Buddhist-Era year (e.g. 2568)")
        try:
            fiscal_year = fiscal_year_open(be_year=year, make_current=not not_current,
                                           changes=changes_read(changes) if changes else None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"fiscal year {fiscal_year.be_year}: {fiscal_year.indicators.count()} items, "
            f"{fiscal_year.rules.count()} rules{' (current)' if fiscal_year.is_current else ''}"
        )
