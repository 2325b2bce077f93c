from django.core.management.base import BaseCommand

from organizations.services import geography_load


class Command(BaseCommand):
    help = "Load Thailand's provinces, districts and subdistricts from the geothai package (no network; idempotent)."

    def handle(self, *args, **options) -> None:
        for level, counts in geography_load().items():
            self.stdout.write(f"{level}: {counts}")
