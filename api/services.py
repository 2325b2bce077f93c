"""Writes of the API: keys are created (the raw key is returned once and never stored) and revoked; each request
made with a key is logged."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from api.models import AgencyKey, ApiUsage
from organizations.models import Province


def key_create(*, name: str, province: Province | None, expires_at: datetime | None,
               actor: User | None) -> tuple[AgencyKey, str]:
    """A new key; the raw key is in the answer only: the database keeps its hash."""
    return AgencyKey.objects.create_key(name=name, province=province, expiry_date=expires_at, created_by=actor)


@transaction.atomic
def key_revoke(*, key_id: str, actor: User, now: datetime | None = None) -> AgencyKey:
    """A revoked key answers 401 from its next request on; revoking cannot be undone."""
    key = AgencyKey.objects.select_for_update().get(pk=key_id)
    if not key.revoked:
        key.revoked, key.revoked_at, key.revoked_by = True, now or timezone.now(), actor
        key.save(update_fields=["revoked", "revoked_at", "revoked_by"])
    return key


def usage_record(*, key: AgencyKey, resource: str, count: int, status: int) -> None:
    ApiUsage.objects.create(key=key, resource=resource, count=count, status=status)
