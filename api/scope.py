"""What a key may read: every unit for a national key, one province's units for a provincial key.

A unit outside the key's scope does not exist for it: a filter or a detail that names one is 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from api.models import AgencyKey
from organizations.models import LAO, District, Province


def provinces_of(key: AgencyKey) -> QuerySet[Province]:
    provinces = Province.objects.all()
    return provinces.filter(pk=key.province_id) if key.province_id else provinces


def districts_of(key: AgencyKey) -> QuerySet[District]:
    districts = District.objects.select_related("province")
    return districts.filter(province_id=key.province_id) if key.province_id else districts


def laos_of(key: AgencyKey) -> QuerySet[LAO]:
    laos = LAO.objects.select_related("province", "district")
    return laos.filter(province_id=key.province_id) if key.province_id else laos


def lao_filter(key: AgencyKey, prefix: str) -> Q:
    """The rows whose LAO (reached through `prefix`) is in the key's scope."""
    return Q(**{f"{prefix}province_id": key.province_id}) if key.province_id else Q()


def refuse_foreign_units(key: AgencyKey, params) -> None:
    """404 when a query names a province, district or LAO outside the key's scope (or one that does not exist)."""
    if not key.province_id:
        return
    province = params.get("province")
    if province and not provinces_of(key).filter(code=province).exists():
        raise Http404
    district = params.get("district")
    if district and not districts_of(key).filter(code=district).exists():
        raise Http404
    lao = params.get("lao")
    if lao and (not str(lao).isdigit() or not laos_of(key).filter(pk=lao).exists()):
        raise Http404
