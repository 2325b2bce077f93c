"""The catalogue kept in memory is keyed by the fiscal year's stamp, which the database renews on every write of an
item, a rule or a sector, however it is written (bulk, update, raw SQL): a changed catalogue is read again."""

import pytest
from django.db import connection

from sectors import selectors
from sectors.models import FiscalYear, Indicator, IndicatorKind, Sector, ValidationRule


def _stamp(fiscal_year: FiscalYear) -> str:
    return FiscalYear.objects.values_list("catalogue_stamp", flat=True).get(pk=fiscal_year.pk)


@pytest.mark.parametrize("write", [
    lambda fy, sector: Indicator.objects.bulk_create([Indicator(fiscal_year=fy, sector=sector, code="new_item",
                                                                label_th="ใหม่", kind=IndicatorKind.INTEGER)]),
    lambda fy, sector: Indicator.objects.filter(fiscal_year=fy, code="gov_villages").update(label_th="หมู่บ้าน"),
    lambda fy, sector: Indicator.objects.filter(fiscal_year=fy, code="gov_villages").delete(),
    lambda fy, sector: ValidationRule.objects.filter(fiscal_year=fy).update(message_th="ข้อความใหม่"),
    lambda fy, sector: ValidationRule.objects.create(fiscal_year=fy, expression="gov_villages >= 0", message_th="x"),
    lambda fy, sector: Sector.objects.filter(pk=sector.pk).update(name_th="ด้านใหม่"),
], ids=["item added in bulk", "item updated", "item deleted", "rule updated", "rule added", "sector renamed"])
def test_every_write_to_the_catalogue_renews_the_stamp(fiscal_year, governance, write):
    before = _stamp(fiscal_year)
    write(fiscal_year, governance)
    assert _stamp(fiscal_year) != before


def test_a_raw_sql_edit_is_seen_by_the_next_reader(fiscal_year, governance):
    assert "gov_villages" in selectors.catalogue_of(fiscal_year).codes_by_sector[governance.pk]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sectors_indicator SET label_th = %s WHERE code = %s", ["หมู่บ้านทั้งหมด", "gov_villages"])
    fiscal_year.refresh_from_db()
    items = {i.code: i for i in selectors.catalogue_of(fiscal_year).items[governance.pk]}
    assert items["gov_villages"].label_th == "หมู่บ้านทั้งหมด"


def test_an_unchanged_catalogue_is_read_once(fiscal_year, django_assert_num_queries):
    fiscal_year.refresh_from_db()  # the stamp as stored, after the catalogue was copied into the year
    selectors.catalogue_of(fiscal_year)
    with django_assert_num_queries(0):
        selectors.catalogue_of(fiscal_year)
