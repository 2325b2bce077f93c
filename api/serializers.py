"""What each resource of the API shows. Codes, not database ids, name provinces, districts, sectors and items."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.selectors import Codes, value_text
from organizations.models import LAO, District, LAOType, Province
from sectors.models import FiscalYear, Indicator, IndicatorKind, ReportStatus, Sector, SectorReport


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_th", "name_en"]


class DistrictSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")

    class Meta:
        model = District
        fields = ["code", "name_th", "name_en", "province"]


class LAOSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")
    district = serializers.CharField(source="district.code", allow_null=True, default=None)

    class Meta:
        model = LAO
        fields = ["id", "dla_code", "lao_type", "name_th", "name_en", "province", "district", "is_active"]


class FiscalYearSerializer(serializers.ModelSerializer):
    starts_on = serializers.DateField(source="dates.start")
    ends_on = serializers.DateField(source="dates.end")

    class Meta:
        model = FiscalYear
        fields = ["be_year", "is_current", "starts_on", "ends_on"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "order", "name_th", "name_en"]


class ItemSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.IntegerField(source="fiscal_year.be_year")
    sector = serializers.CharField(source="sector.code")
    lao_types = serializers.ListField(child=serializers.ChoiceField(choices=LAOType.choices),
                                      help_text="The LAO types that record this item; empty: every type.")
    choices = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Indicator
        fields = ["id", "fiscal_year", "sector", "code", "label_th", "label_en", "help_text", "kind", "unit",
                  "required", "min_value", "max_value", "choices", "section", "order", "lao_types"]


class ValueSerializer(serializers.Serializer):
    """One certified value. `value` is text: digits for numbers, true/false for yes/no; null when missing or
    not applicable."""

    id = serializers.IntegerField()
    lao = serializers.IntegerField()
    lao_code = serializers.CharField(allow_null=True)
    lao_type = serializers.ChoiceField(choices=LAOType.choices)
    province = serializers.CharField()
    district = serializers.CharField(allow_null=True)
    fiscal_year = serializers.IntegerField()
    sector = serializers.CharField()
    item = serializers.CharField()
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    value = serializers.SerializerMethodField()
    not_applicable = serializers.BooleanField()
    report = serializers.IntegerField(source="report_id")
    seal_sha256 = serializers.CharField(allow_null=True)
    certified_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_value(self, row: dict) -> str | None:
        return value_text(row)

    def to_representation(self, row: dict) -> dict:
        """The fields above, built directly: a page of 1,000 values must not pay DRF's cost per field."""
        if "item" not in row:
            self.context.setdefault("codes", Codes()).resolve(row)
        certified_at = row["certified_at"]
        return {
            "id": row["id"], "lao": row["lao"], "lao_code": row["lao_code"], "lao_type": row["lao_type"],
            "province": row["province"], "district": row["district"], "fiscal_year": row["fiscal_year"],
            "sector": row["sector"], "item": row["item"], "kind": row["kind"], "value": value_text(row),
            "not_applicable": row["not_applicable"], "report": row["report_id"], "seal_sha256": row["seal_sha256"],
            "certified_at": timezone.localtime(certified_at).isoformat() if certified_at else None,
        }


# Fields listed in this order are the columns of the CSV forms.
VALUE_COLUMNS = list(ValueSerializer().fields)


def value_row(row: dict) -> list:
    """The CSV cells of one value row, as ValueSerializer shows them, without its per-field cost (for streaming)."""
    certified_at = row["certified_at"]
    return [row["id"], row["lao"], row["lao_code"] or "", row["lao_type"], row["province"], row["district"] or "",
            row["fiscal_year"], row["sector"], row["item"], row["kind"], value_text(row) or "",
            row["not_applicable"], row["report_id"], row["seal_sha256"] or "",
            timezone.localtime(certified_at).isoformat() if certified_at else ""]


class CompletionSerializer(serializers.ModelSerializer):
    lao_code = serializers.CharField(source="lao.dla_code", allow_null=True)
    lao_type = serializers.ChoiceField(source="lao.lao_type", choices=LAOType.choices)
    province = serializers.CharField(source="lao.province.code")
    district = serializers.CharField(source="lao.district.code", allow_null=True, default=None)
    fiscal_year = serializers.IntegerField(source="fiscal_year.be_year")
    sector = serializers.CharField(source="sector.code")
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    certified_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    reopened_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = SectorReport
        fields = ["id", "lao", "lao_code", "lao_type", "province", "district", "fiscal_year", "sector", "status",
                  "updated_at", "submitted_at", "verified_at", "certified_at", "returned_at", "reopened_at"]


class AggregateRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Province or district code, or LAO type; empty for LAOs without a district.")
    label = serializers.CharField()
    parent = serializers.CharField(help_text="The province of a district.")
    laos = serializers.IntegerField(help_text="LAOs with a certified value.")
    total = serializers.DecimalField(max_digits=40, decimal_places=4, coerce_to_string=True)
    average = serializers.DecimalField(max_digits=40, decimal_places=2, coerce_to_string=True)


class AggregateTableSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    item = serializers.CharField()
    group_by = serializers.CharField()
    laos_in_scope = serializers.IntegerField()
    overall = AggregateRowSerializer()
    results = AggregateRowSerializer(many=True)
