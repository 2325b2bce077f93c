"""Who may manage which accounts and grant which roles, and what of another account's history they may see."""

from django.db.models import Model, Q, QuerySet

from accounts.models import User
from accounts.policy import grants
from accounts.policy.cache import grants_of, held
from accounts.policy.roles import LAO_ROLES, Action, Role
from accounts.policy.scope import can, districts_overseen, is_department, laos_for, provinces_overseen
from organizations.models import LAO, District, Province


def may_manage_accounts(actor: User) -> bool:
    """The account pages are for whoever oversees at least one district: district and provincial officers, and the
    department."""
    return is_department(actor) or districts_overseen(actor).exists()


def may_manage_unit(actor: User, unit: Model | None) -> bool:
    """Accounts and grants: the department for all; a province for its districts and LAOs; a district for its LAOs."""
    if is_department(actor):
        return True
    if isinstance(unit, LAO):
        return can(actor, Action.MANAGE, unit)
    if isinstance(unit, District):
        return unit.province_id in held(actor).provinces
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
    if held(actor).provinces:
        roles.append(Role.DISTRICT_OFFICER)
    return roles


def users_managed_by(actor: User) -> QuerySet[User]:
    """Accounts the actor may manage: those holding roles in the actor's units, and those the actor created."""
    if is_department(actor):
        return User.objects.all()
    in_laos, in_districts = grants.holder_ids_in(laos=laos_for(actor, Action.MANAGE).values("pk"),
                                                 district_provinces=provinces_overseen(actor))
    return User.objects.filter(Q(pk__in=in_laos) | Q(pk__in=in_districts) | Q(created_by=actor)).exclude(
        pk=actor.pk
    )


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
