"""The user's roles read once and kept on the user object for as long as it lives: one request for
`request.user`, as Django keeps its own permission cache. The menu, the banner and every `can` of a page share
the one read; role_grant and role_revoke forget it."""

from collections.abc import Collection

from django.db.models import QuerySet

from accounts.models import User
from accounts.policy import grants
from accounts.policy.grants import Held
from accounts.policy.roles import Role

_HELD_ATTRIBUTE = "_policy_held"


def held(user: User) -> Held:
    """The user's roles: read on the first question of the request, from memory after."""
    roles = getattr(user, _HELD_ATTRIBUTE, None)
    if roles is None:
        roles = grants.held_load(user)
        setattr(user, _HELD_ATTRIBUTE, roles)
    return roles


def lao_ids(user: User, roles: Collection[Role]) -> frozenset[int] | QuerySet:
    """The LAOs where the user holds one of `roles`: from memory once read, else as a subquery of the query that
    asks, so a page that needs nothing else of the user's roles makes no query of its own for them."""
    roles_held = getattr(user, _HELD_ATTRIBUTE, None)
    if roles_held is not None:
        return roles_held.lao_ids(roles)
    return grants.lao_ids_subquery(user, roles)


def forget_roles(user: User) -> None:
    """Drop what the policy remembers of the user's roles (after they change)."""
    user.__dict__.pop(_HELD_ATTRIBUTE, None)
