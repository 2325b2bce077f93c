"""The rules of the rounds and the dashboards, each named once: who sets which deadline, who extends one, who
chases as whom. Answered from the user's roles in memory, without a query once they are read."""

from accounts.models import User
from accounts.policy.cache import held
from accounts.policy.scope import is_department
from organizations.models import LAO, District, Province


def sees_nation(user: User) -> bool:
    """The department sees every LAO's reports at once: the national dashboard and home list, and the agency keys
    and open data that hand them on."""
    return is_department(user)


def oversees_province(user: User, province_id: int) -> bool:
    """The province's own officer, or the department."""
    return is_department(user) or (user.is_authenticated and province_id in held(user).provinces)


def oversees_district(user: User, district: District) -> bool:
    """The district's own officer, the officer of its province, or the department."""
    if oversees_province(user, district.province_id):
        return True
    return user.is_authenticated and district.pk in held(user).districts


def may_set_round(user: User) -> bool:
    """The department sets a year's round, publishes it and runs it."""
    return is_department(user)


def may_set_level_deadline(user: User, unit: Province | District) -> bool:
    """A province sets an internal deadline for itself, a district for itself (and whoever watches them)."""
    if isinstance(unit, Province):
        return oversees_province(user, unit.pk)
    return oversees_district(user, unit)


def may_extend(user: User, unit: LAO | District | Province) -> bool:
    """A province (or the department) extends the deadline of an LAO or a district in it."""
    return oversees_province(user, unit.pk if isinstance(unit, Province) else unit.province_id)


def chases_as_district(user: User, lao: LAO) -> bool:
    """A chase of the LAO is signed by its district when the user watches the district but not the province."""
    return (lao.district_id is not None and user.is_authenticated
            and not oversees_province(user, lao.province_id)
            and lao.district_id in held(user).districts)
