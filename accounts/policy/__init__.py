"""The one permission policy: which org units a user may see, record, verify, certify, oversee or manage.

Every view, selector, service and export asks this package; nothing else knows how roles are stored or their
permission codenames. Its parts:
- roles: the roles, the actions, a grant;
- grants: the storage of the roles (django-guardian object permissions), the only reader and writer of it, with
  the bulk questions (who holds which role on which units);
- cache: one user's roles, read once per request and kept on the user object;
- scope: the units a user may act on, and `can`;
- management: who manages which accounts and grants which roles;
- acting: the acting heads, who certify for an LAO in place of its head between two days;
- rules: the named rules of rounds and dashboards (who extends a deadline, who chases as whom).
"""

from accounts.policy.acting import (
    ActingStanding,
    acting_appointments_of,
    acting_overlaps,
    acting_standing,
)
from accounts.policy.cache import forget_roles, grants_of
from accounts.policy.grants import (
    Holder,
    department_accounts,
    first_holders,
    grant_delete,
    grant_store,
    grants_bulk_store,
    holds_grant,
    role_holders,
    users_with_role,
)
from accounts.policy.management import (
    districts_managed,
    may_administer_account,
    may_manage_accounts,
    may_manage_unit,
    requires_second_factor,
    roles_actor_may_grant,
    unit_in_scope,
    units_in_scope_filter,
    users_managed_by,
)
from accounts.policy.roles import LAO_ROLES, ROLE_LABELS, Action, Grant, Role
from accounts.policy.rules import (
    chases_as_district,
    may_extend,
    may_set_level_deadline,
    may_set_round,
    oversees_district,
    oversees_province,
    sees_nation,
)
from accounts.policy.scope import (
    PairPolicy,
    can,
    district_or_404,
    districts_overseen,
    is_department,
    lao_ids_for,
    lao_ids_for_params,
    lao_or_404,
    lao_role_holders,
    laos_for,
    laos_served,
    oversees_any_unit,
    province_or_404,
    provinces_overseen,
    serves_any_lao,
)

__all__ = [
    "LAO_ROLES", "ROLE_LABELS", "ActingStanding", "Action", "Grant", "Holder", "PairPolicy", "Role",
    "acting_appointments_of", "acting_overlaps", "acting_standing", "can", "chases_as_district", "department_accounts",
    "district_or_404", "districts_managed", "districts_overseen", "first_holders", "forget_roles", "grant_delete",
    "grant_store", "grants_bulk_store", "grants_of", "holds_grant", "is_department", "lao_ids_for",
    "lao_ids_for_params", "lao_or_404", "lao_role_holders", "laos_for", "laos_served", "may_administer_account",
    "may_extend", "may_manage_accounts", "may_manage_unit", "may_set_level_deadline", "may_set_round",
    "oversees_any_unit", "oversees_district", "oversees_province", "province_or_404", "provinces_overseen",
    "requires_second_factor", "role_holders", "roles_actor_may_grant", "sees_nation", "serves_any_lao", "unit_in_scope",
    "units_in_scope_filter", "users_managed_by", "users_with_role",
]
