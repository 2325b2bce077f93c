"""Which LAOs a dashboard counts: the unit it shows, within the viewer's reach, active, of the chosen type."""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from accounts.policy import Action
from organizations.models import LAO, District, LAOType, Province
from sectors.models import FiscalYear

BANGKOK = "10"


def province_label(province: Province) -> str:
    if province.code == BANGKOK:
        return province.display_name
    return _("จังหวัด%(name)s") % {"name": province.display_name}


class Level(StrEnum):
    NATION = "nation"
    PROVINCE = "province"
    DISTRICT = "district"


@dataclass(frozen=True)
class Scope:
    """One dashboard's unit and filters. `laos` is already limited by the permission policy."""

    level: Level
    fiscal_year: FiscalYear
    laos: QuerySet[LAO]
    province: Province | None = None
    district: District | None = None
    lao_type: str = ""

    @property
    def unit(self) -> Province | District | None:
        return self.district or self.province

    @property
    def code(self) -> str:
        unit = self.unit
        return unit.code if unit is not None else ""

    @property
    def lao_type_label(self) -> str:
        return LAOType(self.lao_type).label if self.lao_type else ""

    @property
    def label(self) -> str:
        """ทั่วประเทศ, จังหวัดนครราชสีมา, อำเภอด่านขุนทด จังหวัดนครราชสีมา (Bangkok has เขต and no จังหวัด)."""
        if self.province is None:
            return _("ทั่วประเทศ")
        province = province_label(self.province)
        if self.district is None:
            return province
        names = {"district": self.district.display_name, "province": province}
        if self.province.code == BANGKOK:
            return _("เขต%(district)s %(province)s") % names
        return _("อำเภอ%(district)s %(province)s") % names

    def url(self, name: str = "") -> str:
        """The URL of this scope's dashboard (or of one of its pages: "laggards", "laggards_xlsx", …)."""
        view = f"{self.level}_{name}" if name else str(self.level)
        args = [] if self.level == Level.NATION else [self.code]
        return reverse(f"dashboards:{view}", args=args)


def scope_laos(user: User, *, province: Province | None = None, district: District | None = None,
               lao_type: str = "") -> QuerySet[LAO]:
    """The active LAOs the user oversees in the unit, of one type if given."""
    laos = policy.laos_for(user, Action.OVERSEE).filter(is_active=True)
    if district is not None:
        laos = laos.filter(district=district)
    elif province is not None:
        laos = laos.filter(province=province)
    if lao_type:
        laos = laos.filter(lao_type=lao_type)
    return laos


def scope_for(user: User, *, level: Level | str, code: str = "", fiscal_year: FiscalYear,
              lao_type: str = "") -> Scope:
    """The scope of a dashboard page; 404 when the unit is outside the user's reach, never a hint."""
    level = Level(level)
    if level == Level.NATION:
        if not policy.sees_nation(user):
            raise Http404
        return Scope(level, fiscal_year, scope_laos(user, lao_type=lao_type), lao_type=lao_type)
    if level == Level.PROVINCE:
        province = policy.province_or_404(user, code)
        return Scope(level, fiscal_year, scope_laos(user, province=province, lao_type=lao_type),
                     province=province, lao_type=lao_type)
    district = policy.district_or_404(user, code)
    return Scope(level, fiscal_year, scope_laos(user, district=district, lao_type=lao_type),
                 province=district.province, district=district, lao_type=lao_type)


def top_scope_url(user: User) -> str | None:
    """The widest dashboard the user may open: the nation, their province, or their district."""
    if policy.sees_nation(user):
        return reverse("dashboards:nation")
    province = policy.provinces_overseen(user).order_by("code").first()
    if province is not None:
        return reverse("dashboards:province", args=[province.code])
    district = policy.districts_overseen(user).order_by("code").first()
    if district is not None:
        return reverse("dashboards:district", args=[district.code])
    return None
