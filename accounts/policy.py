"""The one permission policy: which org units a user may see, record, verify, certify, oversee or manage.

Every view, selector, service and export asks this module; nothing else knows permission codenames.
Roles are django-guardian object permissions on an org unit (LAO, District, Province) held in the
direct foreign-key tables of `accounts.models`; the department role is a global permission.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import Permission
from django.db.models import BigIntegerField, Model, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    DistrictUserObjectPermission,
    LAOUserObjectPermission,
    ProvinceUserObjectPermission,
    User,
)
from organizations.models import LAO, District, Province


class Role(StrEnum):
    RECORDER = "recorder"
    VERIFIER = "verifier"
    CERTIFIER = "certifier"
    DISTRICT_OFFICER = "district_officer"
    PROVINCIAL_OFFICER = "provincial_officer"
    DEPARTMENT_ADMIN = "department_admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def unit_model(self) -> type[Model] | None:
        return _ROLE_UNIT_MODEL[self]

    @property
    def codename(self) -> str:
        return _ROLE_CODENAME[self]

    @property
    def permission(self) -> str:
        """The permission string guardian's assign_perm / remove_perm take."""
        return f"organizations.{self.codename}"


ROLE_LABELS = {
    Role.RECORDER: _("ผู้บันทึกข้อมูล"),
    Role.VERIFIER: _("ผู้ตรวจสอบข้อมูล"),
    Role.CERTIFIER: _("ผู้รับรองข้อมูล"),
    Role.DISTRICT_OFFICER: _("ท้องถิ่นอำเภอ"),
    Role.PROVINCIAL_OFFICER: _("ท้องถิ่นจังหวัด"),
    Role.DEPARTMENT_ADMIN: _("กรมส่งเสริมการปกครองท้องถิ่น"),
}
_ROLE_UNIT_MODEL = {
    Role.RECORDER: LAO,
    Role.VERIFIER: LAO,
    Role.CERTIFIER: LAO,
    Role.DISTRICT_OFFICER: District,
    Role.PROVINCIAL_OFFICER: Province,
    Role.DEPARTMENT_ADMIN: None,
}
_ROLE_CODENAME = {
    Role.RECORDER: "record_lao",
    Role.VERIFIER: "verify_lao",
    Role.CERTIFIER: "certify_lao",
    Role.DISTRICT_OFFICER: "oversee_district",
    Role.PROVINCIAL_OFFICER: "oversee_province",
    Role.DEPARTMENT_ADMIN: "oversee_nation",
}
LAO_ROLES = (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER)


class Action(StrEnum):
    SEE = "see"  # read the LAO's pages and data
    RECORD = "record"
    VERIFY = "verify"
    CERTIFY = "certify"
    OVERSEE = "oversee"  # watch, chase and reopen from the district, province or department
    MANAGE = "manage"  # create accounts and grant roles on the LAO
    REOPEN = "reopen"  # reopen certified data: the province or the department, never the district


_LAO_ACTION_ROLES = {Action.RECORD: Role.RECORDER, Action.VERIFY: Role.VERIFIER, Action.CERTIFY: Role.CERTIFIER}


def role_allowed_to(action: Action | str) -> Role | None:
    """The LAO role whose holders may `action` on the LAO's reports (record, verify, certify); None for the others."""
    return _LAO_ACTION_ROLES.get(action)


@dataclass(frozen=True)
class Grant:
    role: Role
    unit: Model | None

    @property
    def label(self) -> str:
        return self.role.label if self.unit is None else f"{self.role.label} · {self.unit}"


@dataclass(frozen=True)
class _Held:
    """The roles a user holds, read in one query and kept on the user object for as long as it lives (one
    request for `request.user`), as Django keeps its own permission cache; role_grant and role_revoke forget it."""

    nation: bool
    laos: dict[str, frozenset[int]]  # LAO ids by role codename
    districts: frozenset[int]  # districts overseen as district officer
    provinces: frozenset[int]  # provinces overseen as provincial officer

    def lao_ids(self, roles: tuple[Role, ...]) -> frozenset[int]:
        return frozenset().union(*(self.laos.get(role.codename, frozenset()) for role in roles))


_HELD_ATTRIBUTE = "_policy_held"


def _held(user: User) -> _Held:
    held = getattr(user, _HELD_ATTRIBUTE, None)
    if held is None:
        held = _load_held(user)
        setattr(user, _HELD_ATTRIBUTE, held)
    return held


def _load_held(user: User) -> _Held:
    def rows(table, kind: str):
        return table.objects.filter(user=user).order_by() \
            .values_list(Value(kind), "permission__codename", "content_object_id")

    nation = Permission.objects.filter(Q(user=user) | Q(group__user=user), codename=Role.DEPARTMENT_ADMIN.codename,
                                       content_type__app_label="organizations").order_by() \
        .values_list(Value("nation"), "codename", Value(None, output_field=BigIntegerField()))
    laos: dict[str, set[int]] = {}
    districts, provinces, department = set(), set(), False
    for kind, codename, unit_id in rows(LAOUserObjectPermission, "lao").union(
            rows(DistrictUserObjectPermission, "district"), rows(ProvinceUserObjectPermission, "province"), nation,
            all=True):
        if kind == "lao":
            laos.setdefault(codename, set()).add(int(unit_id))
        elif kind == "district" and codename == Role.DISTRICT_OFFICER.codename:
            districts.add(int(unit_id))
        elif kind == "province" and codename == Role.PROVINCIAL_OFFICER.codename:
            provinces.add(int(unit_id))
        elif kind == "nation":
            department = True
    return _Held(nation=department, laos={code: frozenset(ids) for code, ids in laos.items()},
                 districts=frozenset(districts), provinces=frozenset(provinces))


def _lao_ids(user: User, roles: tuple[Role, ...]) -> frozenset[int] | QuerySet:
    """The LAOs where the user holds one of `roles`: from memory once read, else as a subquery of the query that
    asks, so a page that needs nothing else of the user's roles makes no query of its own for them."""
    held = getattr(user, _HELD_ATTRIBUTE, None)
    if held is not None:
        return held.lao_ids(roles)
    return LAOUserObjectPermission.objects.filter(
        user=user, permission__codename__in=[role.codename for role in roles]
    ).values("content_object_id")


def forget_roles(user: User) -> None:
    """Drop what the policy remembers of the user's roles (after they change)."""
    user.__dict__.pop(_HELD_ATTRIBUTE, None)


def is_department(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or _held(user).nation


def districts_overseen(user: User) -> QuerySet[District]:
    """Districts the user watches: their own as district officer, all of their provinces, or all."""
    if not user.is_authenticated:
        return District.objects.none()
    if is_department(user):
        return District.objects.all()
    held = _held(user)
    return District.objects.filter(Q(pk__in=held.districts) | Q(province__in=held.provinces))


def provinces_overseen(user: User) -> QuerySet[Province]:
    """Provinces the user watches as provincial officer (all of them for the department)."""
    if not user.is_authenticated:
        return Province.objects.none()
    if is_department(user):
        return Province.objects.all()
    return Province.objects.filter(pk__in=_held(user).provinces)


def _overseen_lao_filter(user: User) -> Q:
    held = _held(user)
    return Q(district__in=held.districts) | Q(province__in=held.provinces)


def laos_for(user: User, action: Action | str = Action.SEE) -> QuerySet[LAO]:
    """The LAOs on which `user` may perform `action`: the one question every view and service asks."""
    action = Action(action)
    if not user.is_authenticated or not user.is_active:
        return LAO.objects.none()
    if action in _LAO_ACTION_ROLES:
        return LAO.objects.filter(pk__in=_lao_ids(user, (_LAO_ACTION_ROLES[action],)))
    if is_department(user):
        return LAO.objects.all()
    if action == Action.REOPEN:
        return LAO.objects.filter(province__in=_held(user).provinces)
    if action in (Action.OVERSEE, Action.MANAGE):
        return LAO.objects.filter(_overseen_lao_filter(user))
    return LAO.objects.filter(Q(pk__in=_held(user).lao_ids(LAO_ROLES)) | _overseen_lao_filter(user))


def lao_ids_for(user: User, action: Action | str = Action.SEE) -> frozenset[int] | QuerySet:
    """The ids of `laos_for(user, action)`, to filter a foreign key with: `lao_id__in=lao_ids_for(...)`. For an
    LAO role it is the ids held in memory or one subquery of the user's grants. `lao__in=laos_for(...)` would wrap
    that subquery in a second one over the LAOs, and on the nation's reports the planner then guesses a scan of
    every report (25 ms, where this takes 2 ms)."""
    action = Action(action)
    if action in _LAO_ACTION_ROLES and user.is_authenticated and user.is_active:
        return _lao_ids(user, (_LAO_ACTION_ROLES[action],))
    return laos_for(user, action).values("pk")


def laos_served(user: User) -> QuerySet[LAO]:
    """The LAOs where the user holds a role of their own (recorder, verifier or certifier)."""
    if not user.is_authenticated or not user.is_active:
        return LAO.objects.none()
    return LAO.objects.filter(pk__in=_held(user).lao_ids(LAO_ROLES))


def serves_any_lao(user: User) -> bool:
    """Whether the user holds a role of their own on some LAO; from the roles in memory."""
    return user.is_authenticated and user.is_active and bool(_held(user).lao_ids(LAO_ROLES))


def oversees_any_unit(user: User) -> bool:
    """Whether the user watches a district, a province or the nation; from the roles in memory."""
    if not user.is_authenticated or not user.is_active:
        return False
    held = _held(user)
    return is_department(user) or bool(held.districts or held.provinces)


def users_with_role(lao: LAO, role: Role) -> QuerySet[User]:
    """The active accounts holding an LAO role (recorder, verifier or certifier) on this LAO."""
    holders = LAOUserObjectPermission.objects.filter(content_object=lao, permission__codename=role.codename)
    return User.objects.filter(pk__in=holders.values("user_id"), is_active=True)


def lao_role_holders(lao_ids: Collection[int], roles: Collection[Role] = LAO_ROLES) -> set[tuple[int, int, Role]]:
    """(LAO id, user id, role) of every active account holding one of `roles` on these LAOs, in one query."""
    by_codename = {role.codename: role for role in roles}
    rows = LAOUserObjectPermission.objects.filter(
        content_object_id__in=list(lao_ids), permission__codename__in=list(by_codename), user__is_active=True,
    ).values_list("content_object_id", "user_id", "permission__codename")
    return {(lao_id, user_id, by_codename[codename]) for lao_id, user_id, codename in rows}


class PairPolicy:
    """`can` for many (user, LAO) pairs at once: the LAO roles of these LAOs read in one query, any other action
    asked of `laos_for` once per user."""

    def __init__(self, lao_ids: Collection[int]):
        self.lao_ids = list(lao_ids)
        self.holders = lao_role_holders(self.lao_ids)
        self._other: dict[tuple[int, Action], set[int]] = {}

    def can(self, user: User, action: Action | str, lao_id: int) -> bool:
        action = Action(action)
        if action in _LAO_ACTION_ROLES:
            return user.is_active and (lao_id, user.pk, _LAO_ACTION_ROLES[action]) in self.holders
        key = (user.pk, action)
        if key not in self._other:
            self._other[key] = set(laos_for(user, action).filter(pk__in=self.lao_ids).values_list("pk", flat=True))
        return lao_id in self._other[key]


def can(user: User, action: Action | str, lao: LAO) -> bool:
    """Whether the user may perform `action` on the LAO; answered from the roles in memory, without a query."""
    action = Action(action)
    if not user.is_authenticated or not user.is_active:
        return False
    held = _held(user)
    if action in _LAO_ACTION_ROLES:
        return lao.pk in held.lao_ids((_LAO_ACTION_ROLES[action],))
    if is_department(user):
        return True
    in_province = lao.province_id in held.provinces
    if action == Action.REOPEN:
        return in_province
    oversees = in_province or (lao.district_id is not None and lao.district_id in held.districts)
    if action in (Action.OVERSEE, Action.MANAGE):
        return oversees
    return oversees or lao.pk in held.lao_ids(LAO_ROLES)


def lao_or_404(user: User, pk: object, action: Action | str = Action.SEE) -> LAO:
    """The LAO if the user may perform `action` on it; otherwise 404, never a hint that it exists."""
    lao = laos_for(user, action).select_related("province", "district").filter(pk=pk).first()
    if lao is None:
        raise Http404
    return lao


def district_or_404(user: User, code: str) -> District:
    district = districts_overseen(user).select_related("province").filter(code=code).first()
    if district is None:
        raise Http404
    return district


def province_or_404(user: User, code: str) -> Province:
    province = provinces_overseen(user).filter(code=code).first()
    if province is None:
        raise Http404
    return province


def may_manage_unit(actor: User, unit: Model | None) -> bool:
    """Accounts and grants: the department for all; a province for its districts and LAOs; a district for its LAOs."""
    if is_department(actor):
        return True
    if isinstance(unit, LAO):
        return can(actor, Action.MANAGE, unit)
    if isinstance(unit, District):
        return unit.province_id in _held(actor).provinces
    return False


def districts_managed(actor: User) -> QuerySet[District]:
    """Districts whose officers the actor may appoint: those of its provinces (all for the department)."""
    return District.objects.filter(province__in=provinces_overseen(actor))


def may_administer_account(actor: User, user: User) -> bool:
    """Contact details, password, invitation and status of another account: only if the actor manages it and
    could itself have granted every role it holds, so no officer takes over a stronger account."""
    if actor.pk == user.pk or not users_managed_by(actor).filter(pk=user.pk).exists():
        return False
    if (user.is_superuser and not actor.is_superuser) or (user.is_staff and not is_department(actor)):
        return False
    grantable = roles_actor_may_grant(actor)
    return all(grant.role in grantable and may_manage_unit(actor, grant.unit) for grant in grants_of(user))


def roles_actor_may_grant(actor: User) -> list[Role]:
    if is_department(actor):
        return list(Role)
    roles = list(LAO_ROLES)
    if _held(actor).provinces:
        roles.append(Role.DISTRICT_OFFICER)
    return roles


def users_managed_by(actor: User) -> QuerySet[User]:
    """Accounts the actor may manage: those holding roles in the actor's units, and those the actor created."""
    if is_department(actor):
        return User.objects.all()
    managed_laos = laos_for(actor, Action.MANAGE).values("pk")
    in_laos = LAOUserObjectPermission.objects.filter(content_object__in=managed_laos).values("user_id")
    in_districts = DistrictUserObjectPermission.objects.filter(
        content_object__province__in=provinces_overseen(actor)
    ).values("user_id")
    return User.objects.filter(Q(pk__in=in_laos) | Q(pk__in=in_districts) | Q(created_by=actor)).exclude(
        pk=actor.pk
    )


def grants_of(user: User) -> list[Grant]:
    """Every role the user holds, with its unit: for the home page and the account pages."""
    by_codename = {role.codename: role for role in Role}
    grants: list[Grant] = []
    if user.is_superuser or user.user_permissions.filter(codename=Role.DEPARTMENT_ADMIN.codename).exists():
        grants.append(Grant(Role.DEPARTMENT_ADMIN, None))
    for table in (ProvinceUserObjectPermission, DistrictUserObjectPermission, LAOUserObjectPermission):
        rows = table.objects.filter(user=user).select_related("permission", "content_object")
        grants.extend(Grant(by_codename[row.permission.codename], row.content_object) for row in rows
                      if row.permission.codename in by_codename)
    return grants


def units_in_scope_filter(actor: User, *, lao: str = "lao", district: str = "district",
                          province: str = "province") -> Q | None:
    """Rows about org units (by the names of their LAO, district and province fields) that an officer's account
    pages may show of another account: the units the officer watches. None: the department sees every unit."""
    if is_department(actor):
        return None
    no_unit = Q(**{f"{lao}__isnull": True, f"{district}__isnull": True, f"{province}__isnull": True})
    return (no_unit | Q(**{f"{lao}__in": laos_for(actor, Action.OVERSEE)})
            | Q(**{f"{district}__in": districts_overseen(actor)}) | Q(**{f"{province}__in": provinces_overseen(actor)}))


def unit_in_scope(actor: User, unit: Model | None) -> bool:
    """One unit of another account's roles that the actor's account pages may show (see units_in_scope_filter)."""
    if is_department(actor):
        return True
    if isinstance(unit, LAO):
        return laos_for(actor, Action.OVERSEE).filter(pk=unit.pk).exists()
    if isinstance(unit, District):
        return districts_overseen(actor).filter(pk=unit.pk).exists()
    if isinstance(unit, Province):
        return provinces_overseen(actor).filter(pk=unit.pk).exists()
    return False


def requires_second_factor(user: User) -> bool:
    """Department and provincial accounts must sign in with a second factor (demo accounts, which only a DEBUG
    set-up lets in, are spared so the demo needs no phone)."""
    return not user.is_demo and (is_department(user) or provinces_overseen(user).exists())
