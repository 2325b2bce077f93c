"""Where the roles are stored, and the only module that reads or writes them there.

A role on an org unit is a django-guardian object permission in the direct foreign-key table of its level
(`accounts.models`); the department role is a global permission, with the admin-site group that comes with it.
Everything else asks the questions below, by role, never by table or permission codename.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, Permission
from django.db.models import BigIntegerField, CharField, F, Model, Q, QuerySet, Value
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import (
    DistrictUserObjectPermission,
    LAOUserObjectPermission,
    ProvinceUserObjectPermission,
    User,
)
from accounts.policy import acting
from accounts.policy.roles import Role
from organizations.models import LAO, District, Province

_TABLES = {LAO: LAOUserObjectPermission, District: DistrictUserObjectPermission,
           Province: ProvinceUserObjectPermission}
_BY_CODENAME = {role.codename: role for role in Role}
_LEVELS = {"lao": LAO, "district": District, "province": Province}


def _table(role: Role):
    return _TABLES[role.unit_model]


def _by_level(roles: Collection[Role]) -> dict[type[Model] | None, list[Role]]:
    levels: dict[type[Model] | None, list[Role]] = {}
    for role in roles:
        levels.setdefault(role.unit_model, []).append(role)
    return levels


def _department_permission() -> Permission:
    return Permission.objects.get(codename=Role.DEPARTMENT_ADMIN.codename, content_type__app_label="organizations")


# One user's roles -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """Every role one user holds, read in one query."""

    nation: bool  # the department role, held directly or through a group
    nation_granted: bool  # the department role granted to the user (as role_grant does)
    laos: dict[Role, frozenset[int]]  # LAO ids by role
    districts: frozenset[int]  # districts overseen as district officer
    provinces: frozenset[int]  # provinces overseen as provincial officer
    on_units: tuple[tuple[Role, int], ...] = ()  # every (role, unit id) on an org unit, in the order stored

    def lao_ids(self, roles: Iterable[Role]) -> frozenset[int]:
        return frozenset().union(*(self.laos.get(role, frozenset()) for role in roles))


def held_load(user: User) -> Held:
    """The user's roles on every level (and the department role, held directly or through a group), in one query.
    An appointment as acting head in force today counts as the certifier role on its LAO, but is no grant of it
    (`on_units` leaves it out: it is not revoked from the account pages)."""
    def rows(table, kind: str):
        return table.objects.filter(user=user).order_by() \
            .values_list(Value(kind), "permission__codename", "content_object_id")

    def nation(kind: str, holder: Q):
        return Permission.objects.filter(holder, codename=Role.DEPARTMENT_ADMIN.codename,
                                         content_type__app_label="organizations").order_by() \
            .values_list(Value(kind), "codename", Value(None, output_field=BigIntegerField()))

    laos: dict[Role, set[int]] = {}
    districts, provinces, on_units = set(), set(), {"province": [], "district": [], "lao": []}
    department = granted = False
    acting_rows = acting.in_force().filter(user=user).order_by() \
        .values_list(Value("acting"), Value(Role.CERTIFIER.codename), "lao_id")
    for kind, codename, unit_id in rows(LAOUserObjectPermission, "lao").union(
            rows(DistrictUserObjectPermission, "district"), rows(ProvinceUserObjectPermission, "province"),
            nation("nation", Q(user=user)), nation("group", Q(group__user=user)), acting_rows, all=True):
        role = _BY_CODENAME.get(codename)
        if kind in on_units and role is not None and role.unit_model is _LEVELS[kind]:
            on_units[kind].append((role, int(unit_id)))
        if kind in ("lao", "acting") and role is not None and role.unit_model is LAO:
            laos.setdefault(role, set()).add(int(unit_id))
        elif kind == "district" and role == Role.DISTRICT_OFFICER:
            districts.add(int(unit_id))
        elif kind == "province" and role == Role.PROVINCIAL_OFFICER:
            provinces.add(int(unit_id))
        elif kind in ("nation", "group"):
            department = True
            granted = granted or kind == "nation"
    return Held(nation=department, nation_granted=granted,
                laos={role: frozenset(ids) for role, ids in laos.items()},
                districts=frozenset(districts), provinces=frozenset(provinces),
                on_units=tuple(on_units["province"] + on_units["district"] + on_units["lao"]))


def lao_ids_subquery(user: User, roles: Collection[Role]) -> QuerySet:
    """The LAOs where the user holds one of these LAO roles, as a subquery for the query that asks (the certifier
    role: with the LAOs the user heads as acting head today)."""
    stored = LAOUserObjectPermission.objects.filter(
        user=user, permission__codename__in=[role.codename for role in roles]
    )
    if Role.CERTIFIER not in roles:
        return stored.values("content_object_id")
    return LAO.objects.filter(Q(pk__in=stored.values("content_object_id"))
                              | Q(pk__in=acting.acting_lao_ids(user))).values("pk")


def lao_ids_subquery_params(user: User, roles: Collection[Role]) -> tuple | None:
    """The parameters of `lao_ids_subquery`'s SQL in order, while it has one shape for every user; else None."""
    if Role.CERTIFIER in roles:
        return None
    return (*(role.codename for role in roles), user.pk)


# Who holds which role where, for many units at once -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holder:
    """One active account holding a role on a unit (None for the department role), with the user fields asked."""

    unit_id: int | None
    role: Role
    user_id: int
    values: tuple = ()
    acting: bool = False  # the certifier role as acting head, not granted


def _holder_rows(role_level: type[Model] | None, roles: list[Role], units, who: Q | None) -> QuerySet:
    if role_level is None:
        rows = User.objects.filter(user_permissions__codename=Role.DEPARTMENT_ADMIN.codename,
                                   user_permissions__content_type__app_label="organizations", is_active=True)
        return rows.filter(who) if who is not None else rows
    rows = _table(roles[0]).objects.filter(permission__codename__in=[role.codename for role in roles],
                                           user__is_active=True)
    if units is not None:
        rows = rows.filter(content_object__in=units)
    if who is not None:
        rows = rows.filter(user__in=User.objects.filter(who))
    return rows


def role_holders(units: QuerySet | Collection[int] | None, roles: Collection[Role], *,
                 fields: Sequence[str] = (), who: Q | None = None, user_order: Sequence[str] = (),
                 on: date | None = None) -> list[Holder]:
    """Every active account holding one of `roles` on these units (all units: None), with the user `fields`
    asked, ordered by the user fields of `user_order`, then unit and account: one query per level of the roles.
    `who` narrows the accounts (a filter on User). The units are LAOs, districts or provinces, whichever the roles
    are held on. The certifiers include the acting heads in force on the day `on` (today), after the LAO grants and
    read in the same query."""
    found: list[Holder] = []
    for level, level_roles in _by_level(roles).items():
        if level is None:
            rows = _holder_rows(level, level_roles, units, who)
            found.extend(Holder(None, Role.DEPARTMENT_ADMIN, pk, tuple(values))
                         for pk, *values in rows.order_by(*user_order, "pk").distinct().values_list("pk", *fields))
        elif level is LAO:
            found.extend(_lao_holders(level_roles, units, fields=fields, who=who, user_order=user_order, on=on))
        else:
            found.extend(_holders(_holder_rows(level, level_roles, units, who), fields=fields, user_order=user_order))
    return found


def _holders(rows: QuerySet, *, fields: Sequence[str], user_order: Sequence[str]) -> Iterable[Holder]:
    rows = rows.order_by(*(f"user__{name}" for name in user_order), "content_object_id", "user_id")
    return (Holder(unit_id, _BY_CODENAME[codename], user_id, tuple(values))
            for unit_id, codename, user_id, *values in rows.values_list(
                "content_object_id", "permission__codename", "user_id", *(f"user__{name}" for name in fields)))


def _lao_holders(roles: list[Role], units, *, fields: Sequence[str], who: Q | None, user_order: Sequence[str],
                 on: date | None) -> list[Holder]:
    """The LAO roles granted, and with the certifier role the acting heads in force on `on`, in one query: the
    grants first, then each acting head not also granted the role on that LAO."""
    if Role.CERTIFIER not in roles:
        return list(_holders(_holder_rows(LAO, roles, units, who), fields=fields, user_order=user_order))
    columns = ["h_acting", "h_unit", "h_codename", "user_id", *(f"user__{name}" for name in fields),
               *(f"h_order_{index}" for index in range(len(user_order)))]
    ordering = {f"h_order_{index}": F(f"user__{name}") for index, name in enumerate(user_order)}
    granted = _holder_rows(LAO, roles, units, who).annotate(
        h_acting=Value(0), h_unit=F("content_object_id"), h_codename=F("permission__codename"), **ordering)
    heads = acting.acting_holders(units, on, who=who).annotate(
        h_acting=Value(1), h_unit=F("lao_id"), h_codename=Value(Role.CERTIFIER.codename, output_field=CharField()),
        **ordering)
    rows = granted.order_by().values_list(*columns).union(heads.order_by().values_list(*columns), all=True) \
        .order_by("h_acting", *ordering, "h_unit", "user_id")
    found, certifiers = [], set()
    for is_acting, unit_id, codename, user_id, *values in rows:
        role = _BY_CODENAME[codename]
        if is_acting and (unit_id, user_id) in certifiers:
            continue
        if role == Role.CERTIFIER:
            certifiers.add((unit_id, user_id))
        found.append(Holder(unit_id, role, user_id, tuple(values[:len(fields)]), acting=bool(is_acting)))
    return found


def first_holders(lao_ids: Collection[int], roles: Collection[Role], *, who: Q | None = None) \
        -> dict[tuple[int, Role], User]:
    """The first active account by username holding each of `roles` (LAO roles) on each of these LAOs."""
    first: dict[tuple[int, Role], User] = {}
    rows = _holder_rows(LAO, list(roles), list(lao_ids), who).select_related("user", "permission")
    for grant in rows.order_by("-user__username"):
        first[(grant.content_object_id, _BY_CODENAME[grant.permission.codename])] = grant.user
    return first


def users_with_role(unit: Model | None, role: Role) -> QuerySet[User]:
    """The active accounts holding the role on this unit (the department role: unit None, held directly)."""
    if role.unit_model is None:
        return User.objects.filter(pk__in=_holder_rows(None, [role], None, None).values("pk"))
    holders = _table(role).objects.filter(content_object=unit, permission__codename=role.codename)
    if role != Role.CERTIFIER:
        return User.objects.filter(pk__in=holders.values("user_id"), is_active=True)
    # The certifiers include the acting head in force today.
    return User.objects.filter(Q(pk__in=holders.values("user_id"))
                               | Q(pk__in=acting.acting_holders([unit.pk]).values("user_id")), is_active=True)


def holds_grant(user: User, role: Role, unit: Model) -> bool:
    """Whether the role on the unit is granted to the account itself (an acting appointment is no grant)."""
    return _table(role).objects.filter(user=user, content_object=unit, permission__codename=role.codename).exists()


def department_accounts() -> QuerySet[User]:
    """The active accounts with the department's view of the nation: the role, held directly or through a group,
    and the superusers."""
    codename = Role.DEPARTMENT_ADMIN.codename
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(user_permissions__codename=codename) | Q(groups__permissions__codename=codename)
    ).distinct()


def holder_ids_in(*, laos: QuerySet, district_provinces: QuerySet) -> tuple[QuerySet, QuerySet]:
    """The ids of accounts holding any role on these LAOs, and any role on a district of these provinces, as two
    subqueries."""
    return (LAOUserObjectPermission.objects.filter(content_object__in=laos).values("user_id"),
            DistrictUserObjectPermission.objects.filter(content_object__province__in=district_provinces)
            .values("user_id"))


# Writing grants ------------------------------------------------------------------------------------------------------

DEPARTMENT_ADMIN_APPS = ("organizations", "accounts", "sectors", "certification", "deadlines", "notifications",
                         "dashboards", "django_celery_beat")
DEPARTMENT_STAFF_GROUP = "กรมส่งเสริมการปกครองท้องถิ่น"


def _department_staff_group() -> Group:
    """The admin-site permissions that come with the department role, kept in step with the installed models."""
    group, _created = Group.objects.get_or_create(name=DEPARTMENT_STAFF_GROUP)
    # Accounts and grants change only through the portal's services (atomic, audited): the admin shows them.
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=DEPARTMENT_ADMIN_APPS)
                          .exclude(content_type__app_label="accounts", codename__regex=r"^(add|change|delete)_"))
    return group


def grant_store(user: User, role: Role, unit: Model | None) -> None:
    """Store the role on the unit; the department role comes with the admin site's department group."""
    if unit is None:
        user.user_permissions.add(_department_permission())
        user.groups.add(_department_staff_group())
    else:
        assign_perm(role.permission, user, unit)


def grant_delete(user: User, role: Role, unit: Model | None) -> None:
    """Delete the stored role on the unit (and the department group with the department role)."""
    if unit is None:
        user.user_permissions.remove(_department_permission())
        user.groups.remove(_department_staff_group())
    else:
        remove_perm(role.permission, user, unit)


def grants_bulk_store(grants: Iterable[tuple[int, Role, Model]], *, batch_size: int = 1000,
                      ignore_conflicts: bool = False) -> None:
    """Store many (user id, role, unit) grants on org units in a few queries, for loaders that make thousands of
    accounts at once (they write the audit rows themselves)."""
    grants = list(grants)
    if not grants:
        return
    roles = {role for _user_id, role, _unit in grants}
    permissions = {p.codename: p for p in Permission.objects.filter(
        content_type__app_label="organizations", codename__in=[role.codename for role in roles])}
    rows: dict[type, list] = {}
    for user_id, role, unit in grants:
        table = _table(role)
        rows.setdefault(table, []).append(table(user_id=user_id, permission=permissions[role.codename],
                                                content_object=unit))
    for table, table_rows in rows.items():
        table.objects.bulk_create(table_rows, batch_size=batch_size, ignore_conflicts=ignore_conflicts)
