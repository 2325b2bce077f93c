"""Hostile numbers and cells: values bounded by what the columns hold, formulas without a value refused by name."""


import pytest
from django.core.exceptions import ValidationError

from sectors.forms import DecimalItemField, IntegerItemField
from sectors.models import Indicator, IndicatorValue
from sectors.parsing import parse_value
from tests.sectors.test_excel import GOV, export, parse, save, with_values


@pytest.mark.parametrize("typed", ["9999999999999999.9999", "1000000000000000", "123456789012.3456"])
def test_a_decimal_past_fifteen_digits_is_refused_with_the_range(typed):
    with pytest.raises(ValidationError) as refused:
        DecimalItemField(min_value=None, max_value=None).clean(typed)
    assert "999,999,999,999,999" in refused.value.messages[0]


@pytest.mark.parametrize("typed", ["999999999999999", "99999999999.9999", "-12,345.5"])
def test_a_decimal_of_fifteen_digits_is_kept_exactly(typed, report, recorder):
    number = DecimalItemField(min_value=None, max_value=None).clean(typed)
    save(report, recorder, {"gov_area": number})
    stored = IndicatorValue.objects.get(report=report, indicator__code="gov_area").value_decimal
    assert stored == number


def test_an_integer_past_bigint_is_refused_with_the_range():
    with pytest.raises(ValidationError) as refused:
        IntegerItemField(min_value=None, max_value=None).clean(str(2**63))
    assert "9,223,372,036,854,775,807" in refused.value.messages[0]


def test_a_formula_without_its_computed_value_is_an_error_naming_the_cell(world, recorder, fiscal_year, report):
    data = with_values(export(world, fiscal_year, recorder), GOV, gov_households="=1+1")
    preview = parse(world, fiscal_year, recorder, data)
    formula_errors = [e for e in preview.errors if "สูตร" in e.message]
    assert len(formula_errors) == 1
    assert formula_errors[0].sheet == GOV and formula_errors[0].message.startswith("เซลล์ E")


def test_a_text_cell_pasted_with_control_characters_is_read_clean(fiscal_year):
    item = Indicator.objects.get(fiscal_year=fiscal_year, code="edu_website")
    assert parse_value(item, "www.\x0bexample\x01.go.th") == "www. example.go.th"
