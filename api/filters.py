"""The query parameters of each list: units by code, fiscal years by Buddhist-Era year, sectors and items by code."""

import django_filters as filters
from django.db.models import Q

from organizations.models import LAO, District, LAOType
from sectors.models import Indicator, IndicatorKind, IndicatorValue, ReportStatus, SectorReport


class DistrictFilter(filters.FilterSet):
    province = filters.CharFilter(field_name="province__code", help_text="Province code (2 digits)")

    class Meta:
        model = District
        fields = ["province"]


class LAOFilter(filters.FilterSet):
    province = filters.CharFilter(field_name="province__code", help_text="Province code (2 digits)")
    district = filters.CharFilter(field_name="district__code", help_text="District code (4 digits)")
    lao_type = filters.ChoiceFilter(choices=LAOType.choices)
    dla_code = filters.CharFilter()
    is_active = filters.BooleanFilter()

    class Meta:
        model = LAO
        fields = ["province", "district", "lao_type", "dla_code", "is_active"]


class ItemFilter(filters.FilterSet):
    fiscal_year = filters.NumberFilter(field_name="fiscal_year__be_year", help_text="Buddhist-Era year, e.g. 2568")
    sector = filters.CharFilter(field_name="sector__code")
    kind = filters.ChoiceFilter(choices=IndicatorKind.choices)
    applies_to = filters.ChoiceFilter(choices=LAOType.choices, method="filter_applies_to",
                                      help_text="Only the items that this LAO type records")

    class Meta:
        model = Indicator
        fields = ["fiscal_year", "sector", "kind", "applies_to"]

    def filter_applies_to(self, queryset, name, value):
        return queryset.filter(Q(lao_types=[]) | Q(lao_types__icontains=f'"{value}"'))


def _unit_filters(prefix: str) -> tuple:
    """fiscal_year, province, district, lao_type, lao and sector of rows that reach their report through `prefix`."""
    return (
        filters.NumberFilter(field_name=f"{prefix}fiscal_year__be_year", help_text="Buddhist-Era year, e.g. 2568"),
        filters.CharFilter(field_name=f"{prefix}lao__province__code", help_text="Province code (2 digits)"),
        filters.CharFilter(field_name=f"{prefix}lao__district__code", help_text="District code (4 digits)"),
        filters.ChoiceFilter(field_name=f"{prefix}lao__lao_type", choices=LAOType.choices),
        filters.NumberFilter(field_name=f"{prefix}lao_id", help_text="LAO id"),
        filters.CharFilter(field_name=f"{prefix}sector__code", help_text="Sector code"),
    )


class ValueFilter(filters.FilterSet):
    fiscal_year, province, district, lao_type, lao, sector = _unit_filters("report__")
    item = filters.CharFilter(field_name="indicator__code", help_text="Item code")

    class Meta:
        model = IndicatorValue
        fields = ["fiscal_year", "province", "district", "lao_type", "lao", "sector", "item"]


class CompletionFilter(filters.FilterSet):
    fiscal_year, province, district, lao_type, lao, sector = _unit_filters("")
    status = filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = SectorReport
        fields = ["fiscal_year", "province", "district", "lao_type", "lao", "sector", "status"]
