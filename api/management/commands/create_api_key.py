"""manage.py create_api_key --name NAME [--province CODE] [--days N]: prints a new key (shown this once only)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from api import services
from organizations.models import Province


class Command(BaseCommand):
    help = "Create an API key for an agency and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who the key is for (at most 50 characters)")
        parser.add_argument("--province", default="", help="Limit the key to one province (2-digit code)")
        parser.add_argument("--days", type=int, default=None, help="Expire the key after this many days")

    def handle(self, *args, name: str, province: str, days: int | None, **options):
        name = name.strip()
        if not name or len(name) > 50:
            raise CommandError("--name must have 1 to 50 characters")
        unit = None
        if province:
            unit = Province.objects.filter(code=province).first()
            if unit is None:
                raise CommandError(f"No province with code {province!r}")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        _key, raw = services.key_create(name=name, province=unit, expires_at=expires_at, actor=None)
        self.stdout.write(raw)
