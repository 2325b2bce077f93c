from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DEPUTY, demo_accounts_load
from organizations.demo import demo_registry_load


class Command(BaseCommand):
    help = "Create the demo LAO registry for the whole nation and the demo accounts (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        created = demo_registry_load()
        self.stdout.write(f"demo LAOs created: {created}")
        spec = demo_accounts_load()
        self.stdout.write(f"demo accounts (password {DEMO_PASSWORD}):")
        for entry in spec:
            unit = f" · {entry['unit']}" if entry["unit"] is not None else ""
            self.stdout.write(f"  {entry['username']:<22} {entry['role'].label}{unit}")
        self.stdout.write(f"  {DEPUTY['username']:<22} (no role: the district appoints it acting head)")
