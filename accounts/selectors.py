"""Reads on accounts that are not permission questions (those live in accounts.policy)."""

from django.db.models import QuerySet

from accounts import policy
from accounts.models import AccountEvent, User


def account_history(*, actor: User, account: User) -> QuerySet[AccountEvent]:
    """The audit trail of an account, newest first, as far as the actor's units go: an officer sees the changes
    made on their own units (and those about no unit), never the units of others."""
    history = AccountEvent.objects.filter(account=account).select_related("actor")
    scope = policy.units_in_scope_filter(actor)
    return history if scope is None else history.filter(scope)
