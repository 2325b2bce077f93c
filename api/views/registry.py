"""The registry and the catalogue: provinces, districts and LAOs in the key's scope; fiscal years, sectors and
items (with their units and the LAO types they apply to)."""

from django.db.models import QuerySet

from api import filters, scope, serializers
from api.views.base import ApiDetail, ApiList
from sectors.models import FiscalYear, Indicator, Sector


class _Provinces:
    resource = "provinces"
    serializer_class = serializers.ProvinceSerializer
    cursor_ordering = "code"
    lookup_field = "code"

    def get_queryset(self) -> QuerySet:
        return scope.provinces_of(self.key)


class _Districts:
    resource = "districts"
    serializer_class = serializers.DistrictSerializer
    cursor_ordering = "code"
    lookup_field = "code"

    def get_queryset(self) -> QuerySet:
        return scope.districts_of(self.key)


class _LAOs:
    resource = "laos"
    serializer_class = serializers.LAOSerializer

    def get_queryset(self) -> QuerySet:
        return scope.laos_of(self.key)


class ProvinceList(_Provinces, ApiList):
    pass


class ProvinceDetail(_Provinces, ApiDetail):
    pass


class DistrictList(_Districts, ApiList):
    filterset_class = filters.DistrictFilter


class DistrictDetail(_Districts, ApiDetail):
    pass


class LAOList(_LAOs, ApiList):
    filterset_class = filters.LAOFilter


class LAODetail(_LAOs, ApiDetail):
    pass


class FiscalYearList(ApiList):
    resource = "fiscal-years"
    serializer_class = serializers.FiscalYearSerializer
    queryset = FiscalYear.objects.all()
    cursor_ordering = "be_year"


class SectorList(ApiList):
    resource = "sectors"
    serializer_class = serializers.SectorSerializer
    queryset = Sector.objects.all()
    cursor_ordering = "order"


class ItemList(ApiList):
    resource = "items"
    serializer_class = serializers.ItemSerializer
    filterset_class = filters.ItemFilter
    queryset = Indicator.objects.select_related("fiscal_year", "sector")
