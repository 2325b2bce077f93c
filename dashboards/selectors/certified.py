"""The data view: one numeric item of certified reports, summed or averaged by province, district or LAO type.

Only values of certified reports count; drafts and reports waiting for a check never appear here.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DecimalField, Sum, TextChoices
from django.utils.translation import gettext_lazy as _

from dashboards.selectors.scope import Scope
from organizations.models import District, LAOType, Province
from sectors.models import INDICATOR_ORDER, NUMERIC_KINDS, Indicator, IndicatorKind, IndicatorValue, ReportStatus

DEFAULT_ITEM = "gov_population_total"
TWO_PLACES = Decimal("0.01")


class GroupBy(TextChoices):
    PROVINCE = "province", _("จังหวัด")
    DISTRICT = "district", _("อำเภอ")
    LAO_TYPE = "lao_type", _("ประเภท อปท.")


class Aggregate(TextChoices):
    SUM = "sum", _("ผลรวม")
    AVG = "avg", _("ค่าเฉลี่ยต่อ อปท.")


_GROUP_FIELD = {
    GroupBy.PROVINCE: "report__lao__province_id",
    GroupBy.DISTRICT: "report__lao__district_id",
    GroupBy.LAO_TYPE: "report__lao__lao_type",
}
NO_DISTRICT = _("ไม่สังกัดอำเภอ (อบจ. และรูปแบบพิเศษ)")


@dataclass(frozen=True)
class ValueRow:
    code: str
    label: str
    parent: str  # the province of a district
    laos: int  # LAOs with a certified value
    total: Decimal
    average: Decimal

    def value(self, aggregate: str) -> Decimal:
        return self.average if aggregate == Aggregate.AVG else self.total


@dataclass(frozen=True)
class ValueTable:
    indicator: Indicator
    group_by: str
    aggregate: str
    rows: list[ValueRow]
    overall: ValueRow
    laos_in_scope: int

    @property
    def group_label(self) -> str:
        return GroupBy(self.group_by).label

    @property
    def aggregate_label(self) -> str:
        return Aggregate(self.aggregate).label

    def chart_rows(self, limit: int = 30) -> list[ValueRow]:
        """The largest rows first, at most `limit` of them: a chart of 900 districts says nothing."""
        return sorted(self.rows, key=lambda row: row.value(self.aggregate), reverse=True)[:limit]


def numeric_items(fiscal_year) -> list[Indicator]:
    return list(Indicator.objects.filter(fiscal_year=fiscal_year, kind__in=NUMERIC_KINDS).select_related("sector")
                .order_by(*INDICATOR_ORDER))


def item_or_default(items: list[Indicator], code: str) -> Indicator | None:
    by_code = {item.code: item for item in items}
    return by_code.get(code) or by_code.get(DEFAULT_ITEM) or (items[0] if items else None)


class ExactSum(Sum):
    """A sum that cannot overflow: PostgreSQL sums bigint as numeric already; SQLite's SUM() fails past 2**63,
    its TOTAL() does not (a double, exact to 15 digits: the form's bound for one value)."""

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=DecimalField(max_digits=40, decimal_places=4), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="TOTAL", **extra_context)


def _number(value, integer: bool) -> Decimal:
    number = Decimal(str(value if value is not None else 0))
    return number.quantize(Decimal(1)) if integer else number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def certified_values(scope: Scope, *, indicator: Indicator, group_by: str, aggregate: str) -> ValueTable:
    """Sum, average and count of the item's certified values in the scope, one row per group: four queries."""
    column = "value_integer" if indicator.kind == IndicatorKind.INTEGER else "value_decimal"
    values = IndicatorValue.objects.filter(
        indicator=indicator, report__fiscal_year=scope.fiscal_year, report__status=ReportStatus.CERTIFIED,
        report__lao__in=scope.laos, not_applicable=False, **{f"{column}__isnull": False},
    ).order_by()
    grouped = list(values.values_list(_GROUP_FIELD[GroupBy(group_by)])
                   .annotate(total=ExactSum(column), average=Avg(column), n=Count("pk")))
    keys = [key for key, *_rest in grouped]
    if group_by == GroupBy.PROVINCE:
        names = {p.pk: (p.code, p.display_name, "") for p in Province.objects.filter(pk__in=keys)}
    elif group_by == GroupBy.DISTRICT:
        names = {d.pk: (d.code, d.display_name, d.province.display_name)
                 for d in District.objects.filter(pk__in=[k for k in keys if k]).select_related("province")}
        names[None] = ("", str(NO_DISTRICT), "")
    else:
        names = {t.value: (t.value, str(t.label), "") for t in LAOType}
    integer_sum = indicator.kind == IndicatorKind.INTEGER
    rows = [ValueRow(code=names[key][0], label=names[key][1], parent=names[key][2], laos=n,
                     total=_number(total, integer_sum), average=_number(average, False))
            for key, total, average, n in grouped if key in names]
    if group_by == GroupBy.LAO_TYPE:
        rows.sort(key=lambda r: LAOType.values.index(r.code))
    else:
        rows.sort(key=lambda r: (r.code == "", r.code))
    overall = values.aggregate(total=ExactSum(column), average=Avg(column), n=Count("pk"))
    return ValueTable(
        indicator=indicator, group_by=group_by, aggregate=aggregate, rows=rows,
        overall=ValueRow(code="", label=str(_("รวมทั้งหมด")), parent="", laos=overall["n"],
                         total=_number(overall["total"], integer_sum), average=_number(overall["average"], False)),
        laos_in_scope=scope.laos.count(),
    )
