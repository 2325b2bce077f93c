"""The user's roles read once and kept on the user object for as long as it lives: one request for
`request.user`, as Django keeps its own permission cache. The menu, the banner and every `can` of a page share
the one read; role_grant and role_revoke forget it."""

from collections.abc import Collection

from django.db.models import QuerySet

from accounts.models import User
from accounts.policy import grants
from accounts.policy.grants import Held
from accounts.policy.roles import Grant, Role
from organizations.models import LAO, District, Province

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


def lao_ids_params(user: User, roles: Collection[Role]) -> tuple | None:
    """When `lao_ids(user, roles)` is the subquery of the user's grants (the roles not read yet, no certifier role):
    the parameters of its SQL, which has that one shape for every user, to run a query compiled once with. None
    when it is the ids in memory, whose SQL varies with their number."""
    if getattr(user, _HELD_ATTRIBUTE, None) is not None:
        return None
    return grants.lao_ids_subquery_params(user, roles)


def forget_roles(user: User) -> None:
    """Drop what the policy remembers of the user's roles (after they change)."""
    user.__dict__.pop(_HELD_ATTRIBUTE, None)


def grants_of(user: User) -> list[Grant]:
    """Every role the user holds, with its unit: for the home page and the account pages. From the roles in
    memory, and one query for the units of each level the user holds a role on."""
    roles = held(user)
    grants = [Grant(Role.DEPARTMENT_ADMIN, None)] if user.is_superuser or roles.nation_granted else []
    units = {}
    for model in (Province, District, LAO):
        ids = [unit_id for role, unit_id in roles.on_units if role.unit_model is model]
        if ids:
            units[model] = model.objects.in_bulk(ids)
    for role, unit_id in roles.on_units:
        unit = units[role.unit_model].get(unit_id)
        if unit is not None:
            grants.append(Grant(role, unit))
    return grants
