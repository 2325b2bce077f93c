from django.db import transaction

from accounts.models import User
from opendata.models import PublicSector
from sectors.models import Sector


@transaction.atomic
def public_sectors_set(*, sectors: list[Sector], actor: User) -> None:
    """Exactly these sectors are open data from now on; a sector kept keeps the date it was first published."""
    PublicSector.objects.exclude(sector__in=sectors).delete()
    kept = set(PublicSector.objects.values_list("sector_id", flat=True))
    PublicSector.objects.bulk_create([PublicSector(sector=s, published_by=actor) for s in sectors if s.pk not in kept])
