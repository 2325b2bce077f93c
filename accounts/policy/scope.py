"""Which org units a user may see, record, verify, certify, oversee or reopen: the questions every view, selector
and service asks, answered from the user's roles read once per request (accounts.policy.cache)."""

from collections.abc import Collection

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.policy import grants
from accounts.policy.cache import held, lao_ids, lao_ids_params
from accounts.policy.roles import LAO_ACTION_ROLES, LAO_ROLES, Action, Role
from organizations.models import LAO, District, Province


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def is_department(user: User) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or held(user).nation


def districts_overseen(user: User) -> QuerySet[District]:
    """Districts the user watches: their own as district officer, all of their provinces, or all."""
    if not user.is_authenticated:
        return District.objects.none()
    if is_department(user):
        return District.objects.all()
    roles = held(user)
    return District.objects.filter(Q(pk__in=roles.districts) | Q(province__in=roles.provinces))


def provinces_overseen(user: User) -> QuerySet[Province]:
    """Provinces the user watches as provincial officer (all of them for the department)."""
    if not user.is_authenticated:
        return Province.objects.none()
    if is_department(user):
        return Province.objects.all()
    return Province.objects.filter(pk__in=held(user).provinces)


def _overseen_lao_filter(user: User) -> Q:
    roles = held(user)
    return Q(district__in=roles.districts) | Q(province__in=roles.provinces)


def laos_for(user: User, action: Action | str = Action.SEE) -> QuerySet[LAO]:
    """The LAOs on which `user` may perform `action`: the one question every view and service asks."""
    action = Action(action)
    if not _active(user):
        return LAO.objects.none()
    if action in LAO_ACTION_ROLES:
        return LAO.objects.filter(pk__in=lao_ids(user, (LAO_ACTION_ROLES[action],)))
    if is_department(user):
        return LAO.objects.all()
    if action == Action.REOPEN:
        return LAO.objects.filter(province__in=held(user).provinces)
    if action in (Action.OVERSEE, Action.MANAGE):
        return LAO.objects.filter(_overseen_lao_filter(user))
    return LAO.objects.filter(Q(pk__in=held(user).lao_ids(LAO_ROLES)) | _overseen_lao_filter(user))


def lao_ids_for(user: User, action: Action | str = Action.SEE) -> frozenset[int] | QuerySet:
    """The ids of `laos_for(user, action)`, to filter a foreign key with: `lao_id__in=lao_ids_for(...)`. For an
    LAO role it is the ids held in memory or one subquery of the user's grants. `lao__in=laos_for(...)` would wrap
    that subquery in a second one over the LAOs, and on the nation's reports the planner then guesses a scan of
    every report (25 ms, where this takes 2 ms)."""
    action = Action(action)
    if action in LAO_ACTION_ROLES and _active(user):
        return lao_ids(user, (LAO_ACTION_ROLES[action],))
    return laos_for(user, action).values("pk")


def lao_ids_for_params(user: User, action: Action | str) -> tuple | None:
    """When `lao_ids_for(user, action)` is a subquery of one shape for every user: the parameters its SQL takes,
    in order, for a query compiled once (info_portal.prepared); None when its shape varies (a set of ids)."""
    action = Action(action)
    if action in LAO_ACTION_ROLES and _active(user):
        return lao_ids_params(user, (LAO_ACTION_ROLES[action],))
    return None


def laos_served(user: User) -> QuerySet[LAO]:
    """The LAOs where the user holds a role of their own (recorder, verifier or certifier)."""
    if not _active(user):
        return LAO.objects.none()
    return LAO.objects.filter(pk__in=held(user).lao_ids(LAO_ROLES))


def serves_any_lao(user: User) -> bool:
    """Whether the user holds a role of their own on some LAO; from the roles in memory."""
    return _active(user) and bool(held(user).lao_ids(LAO_ROLES))


def oversees_any_unit(user: User) -> bool:
    """Whether the user watches a district, a province or the nation; from the roles in memory."""
    if not _active(user):
        return False
    roles = held(user)
    return is_department(user) or bool(roles.districts or roles.provinces)


def can(user: User, action: Action | str, lao: LAO) -> bool:
    """Whether the user may perform `action` on the LAO; answered from the roles in memory, without a query."""
    action = Action(action)
    if not _active(user):
        return False
    roles = held(user)
    if action in LAO_ACTION_ROLES:
        return lao.pk in roles.lao_ids((LAO_ACTION_ROLES[action],))
    if is_department(user):
        return True
    in_province = lao.province_id in roles.provinces
    if action == Action.REOPEN:
        return in_province
    oversees = in_province or (lao.district_id is not None and lao.district_id in roles.districts)
    if action in (Action.OVERSEE, Action.MANAGE):
        return oversees
    return oversees or lao.pk in roles.lao_ids(LAO_ROLES)


class PairPolicy:
    """`can` for many (user, LAO) pairs at once: the LAO roles of these LAOs read in one query, any other action
    asked of `laos_for` once per user. The roles granted only: an acting head certifies through the one-report
    service, which checks the appointment on the day of the step and seals the capacity."""

    def __init__(self, lao_ids: Collection[int]):
        self.lao_ids = list(lao_ids)
        self.holders = {(holder.unit_id, holder.user_id, holder.role)
                        for holder in grants.role_holders(self.lao_ids, LAO_ROLES) if not holder.acting}
        self._other: dict[tuple[int, Action], set[int]] = {}

    def can(self, user: User, action: Action | str, lao_id: int) -> bool:
        action = Action(action)
        if action in LAO_ACTION_ROLES:
            return user.is_active and (lao_id, user.pk, LAO_ACTION_ROLES[action]) in self.holders
        key = (user.pk, action)
        if key not in self._other:
            self._other[key] = set(laos_for(user, action).filter(pk__in=self.lao_ids).values_list("pk", flat=True))
        return lao_id in self._other[key]


def lao_role_holders(lao_ids: Collection[int], roles: Collection[Role] = LAO_ROLES) -> set[tuple[int, int, Role]]:
    """(LAO id, user id, role) of every active account holding one of `roles` on these LAOs, in one query."""
    return {(holder.unit_id, holder.user_id, holder.role)
            for holder in grants.role_holders(list(lao_ids), roles)}


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
