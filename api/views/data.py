"""Certified values (with their seal), completion of reports (states and dates, no values) and aggregates of
certified values by area (the figures of the dashboards' data view)."""

import csv
from collections.abc import Iterator
from datetime import datetime

from django.http import Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf
from rest_framework.response import Response

from api import filters, scope, selectors, serializers, services
from api.views.base import ApiList, ApiView, CSVRenderer
from dashboards import selectors as dashboards
from dashboards.selectors import GroupBy, Level, Scope
from info_portal.db_router import reading_from_replica
from organizations.models import LAOType
from sectors.models import NUMERIC_KINDS, FiscalYear, Indicator

EXPORT_CHUNK = 5000


class _ChangesWithReports:
    def last_modified(self) -> datetime | None:
        return selectors.reports_changed_at()


class ValueList(_ChangesWithReports, ApiList):
    """Values of certified reports only, each with the SHA-256 of the seal of its report."""

    resource = "values"
    serializer_class = serializers.ValueSerializer
    filterset_class = filters.ValueFilter

    def get_queryset(self):
        return selectors.certified_values(self.key)


class CompletionList(_ChangesWithReports, ApiList):
    """Every report (an LAO's sector in a fiscal year) with its state and the dates of its steps. An LAO and sector
    without a report has not started."""

    resource = "completion"
    serializer_class = serializers.CompletionSerializer
    filterset_class = filters.CompletionFilter

    def get_queryset(self):
        return selectors.completion(self.key)


class _Lines(list):
    """A file for csv.writer that keeps each line it is given."""

    def write(self, text: str) -> None:
        self.append(text)


class ValueExport(ApiView):
    """All certified values that match the filters as one CSV, streamed (no pages)."""

    resource = "values-export"
    renderer_classes = [CSVRenderer]
    filterset_class = filters.ValueFilter
    pagination_class = None

    def get_queryset(self):
        return selectors.certified_values(self.key)

    @extend_schema(responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV of values")})
    def get(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset()).order_by("id")
        return StreamingHttpResponse(self._lines(rows), content_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="certified-values.csv"'})

    def _lines(self, rows) -> Iterator[str]:
        buffer = _Lines()
        writer = csv.writer(buffer)
        writer.writerow(serializers.VALUE_COLUMNS)
        yield "\ufeff" + "".join(buffer)
        count, codes = 0, selectors.Codes()
        with reading_from_replica():
            for row in rows.iterator(chunk_size=EXPORT_CHUNK):
                buffer.clear()
                writer.writerow(serializers.value_row(codes.resolve(row)))
                count += 1
                yield buffer[0]
        services.usage_record(key=self.key, resource=self.resource, count=count, status=200)


class AggregateQuery(drf.Serializer):
    fiscal_year = drf.IntegerField(min_value=2400, max_value=2800, help_text="Buddhist-Era year, e.g. 2568")
    item = drf.CharField(max_length=60, help_text="Code of a numeric item of that year's catalogue")
    group_by = drf.ChoiceField(choices=GroupBy.choices, default=GroupBy.PROVINCE)
    province = drf.CharField(max_length=2, required=False, help_text="Province code (2 digits)")
    district = drf.CharField(max_length=4, required=False, help_text="District code (4 digits)")
    lao_type = drf.ChoiceField(choices=LAOType.choices, required=False)


class AggregateView(_ChangesWithReports, ApiView):
    """Sum, mean and count of one numeric item's certified values by province, district or LAO type: the same
    figures as the dashboards' data view, over the active LAOs of the key's scope."""

    resource = "aggregates"
    serializer_class = serializers.AggregateRowSerializer
    pagination_class = None

    @extend_schema(parameters=[AggregateQuery], responses={200: serializers.AggregateTableSerializer})
    def get(self, request, *args, **kwargs):
        query = AggregateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        fiscal_year = FiscalYear.objects.filter(be_year=params["fiscal_year"]).first()
        item = fiscal_year and Indicator.objects.filter(fiscal_year=fiscal_year, code=params["item"],
                                                        kind__in=NUMERIC_KINDS).first()
        if not item:
            raise Http404
        table = dashboards.certified_values(self._scope(fiscal_year, params), indicator=item,
                                            group_by=params["group_by"], aggregate=dashboards.Aggregate.SUM)
        return Response(serializers.AggregateTableSerializer({
            "fiscal_year": fiscal_year.be_year, "item": item.code, "group_by": table.group_by,
            "laos_in_scope": table.laos_in_scope, "overall": table.overall, "results": table.rows}).data)

    def _scope(self, fiscal_year: FiscalYear, params: dict) -> Scope:
        laos = scope.laos_of(self.key).filter(is_active=True)
        province = district = None
        if params.get("district"):
            district = scope.districts_of(self.key).filter(code=params["district"]).first()
            if district is None:
                raise Http404
            laos = laos.filter(district=district)
        elif params.get("province"):
            province = scope.provinces_of(self.key).filter(code=params["province"]).first()
            if province is None:
                raise Http404
            laos = laos.filter(province=province)
        if params.get("lao_type"):
            laos = laos.filter(lao_type=params["lao_type"])
        level = Level.DISTRICT if district else Level.PROVINCE if province else Level.NATION
        return Scope(level, fiscal_year, laos, province=province or (district and district.province),
                     district=district, lao_type=params.get("lao_type", ""))

