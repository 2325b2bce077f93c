"""Reads on the geography and registry, always within a queryset the policy has already scoped."""

from django.db.models import Count, Q, QuerySet

from organizations.models import LAO, District, LAOType


def laos_listing(laos: QuerySet[LAO]) -> QuerySet[LAO]:
    return laos.select_related("province", "district").order_by("province__code", "district__code", "lao_type",
                                                                  "name_th")


def lao_type_counts(laos: QuerySet[LAO]) -> list[dict]:
    """How many LAOs of each type, in the order of LAOType."""
    counts = dict(laos.values_list("lao_type").annotate(n=Count("pk")).values_list("lao_type", "n"))
    return [{"type": t, "label": t.label, "count": counts[t.value]} for t in LAOType if counts.get(t.value)]


def districts_with_lao_counts(districts: QuerySet[District]) -> QuerySet[District]:
    return districts.select_related("province").annotate(
        lao_count=Count("laos", filter=Q(laos__is_active=True))
    ).order_by("code")
