"""The rule evaluator: parses the catalogue's expressions safely and evaluates them over Decimals."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sectors.models import Indicator, IndicatorKind
from sectors.rules import RuleSyntaxError, evaluate, parse, sum_of
from sectors.sums import with_sums
from sectors.values import NOT_APPLICABLE

CATALOGUE = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "catalogue.json").read_text())


@pytest.mark.parametrize("rule", CATALOGUE["rules"], ids=lambda r: r["expression"])
def test_every_default_rule_parses_and_names_catalogue_items(rule):
    codes = {i["code"] for s in CATALOGUE["sectors"] for i in s["indicators"]}
    assert parse(rule["expression"]).codes <= codes


@pytest.mark.parametrize(("expression", "values", "expected"), [
    ("a + b = c", {"a": 1, "b": 2, "c": 3}, True),
    ("a + b = c", {"a": 1, "b": 2, "c": 4}, False),
    ("a ≤ b", {"a": 2, "b": 2}, True),
    ("a ≥ b", {"a": 1, "b": 2}, False),
    ("a < b", {"a": 1, "b": 2}, True),
    ("a > b", {"a": 1, "b": 2}, False),
    ("a <= b * 1.05", {"a": 105, "b": 100}, True),
    ("a <= b * 1.05", {"a": 106, "b": 100}, False),
    ("a - b / 2 = 1", {"a": 2, "b": 2}, True),
    ("(a - b) / 2 = 1", {"a": 4, "b": 2}, True),
    ("-a + b = 1", {"a": 1, "b": 2}, True),
    ("a = b", {"a": 1}, None),  # an item without a value: the rule waits
    ("a / b = 1", {"a": 1, "b": 0}, None),
])
def test_evaluate(expression, values, expected):
    assert evaluate(parse(expression), {k: Decimal(v) for k, v in values.items()}) is expected


@pytest.mark.parametrize("expression", [
    "a +", "a = b = c", "a b", "__import__('os')", "a = (b", "1 ; 2", "a", "", "a = b)", "a.b = 1",
])
def test_malformed_rules_are_refused_in_thai(expression):
    with pytest.raises(RuleSyntaxError) as refused:
        parse(expression)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(refused.value))


@given(st.text(max_size=60))
def test_any_text_either_parses_or_is_refused_cleanly(text):
    try:
        rule = parse(text)
    except RuleSyntaxError:
        return
    assert rule.op in ("=", "==", "≤", "<=", "≥", ">=", "<", ">")


@given(st.dictionaries(st.sampled_from(["a", "b", "c"]),
                       st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9)))
def test_evaluation_never_raises(values):
    for expression in ("a + b = c", "a / b ≤ c", "a * 1.05 ≥ b - c"):
        assert evaluate(parse(expression), values) in (True, False, None)


@pytest.mark.parametrize(("expression", "found"), [
    ("gov_population_male + gov_population_female = gov_population_total",
     ("gov_population_total", ("gov_population_male", "gov_population_female"))),
    ("total == a + b + c", ("total", ("a", "b", "c"))),
    ("a + b ≤ total", None),
    ("a - b = total", None),
    ("a + 2 = total", None),
    ("a = b", None),
    ("a + total = total", None),
])
def test_a_sum_rule_names_its_total_and_its_parts(expression, found):
    assert sum_of(parse(expression)) == found


def test_a_total_is_the_sum_of_its_filled_parts_and_a_part_not_applicable_adds_nothing():
    items = {code: Indicator(code=code, kind=kind) for code, kind in (
        ("a", IndicatorKind.DECIMAL), ("b", IndicatorKind.DECIMAL), ("t", IndicatorKind.DECIMAL),
        ("m", IndicatorKind.INTEGER), ("f", IndicatorKind.INTEGER), ("n", IndicatorKind.INTEGER))}
    sums = {"t": ("a", "b"), "n": ("m", "f")}
    assert with_sums({"a": Decimal("1.5"), "b": NOT_APPLICABLE, "t": Decimal(9), "m": 6, "f": 7, "n": 1},
                     sums=sums, indicators=items) == {"a": Decimal("1.5"), "b": NOT_APPLICABLE, "t": Decimal("1.5"),
                                                      "m": 6, "f": 7, "n": 13}
    # nothing typed in the parts yet, or the total itself not applicable: left as it is
    assert with_sums({"t": Decimal(4), "m": 1, "n": NOT_APPLICABLE}, sums=sums, indicators=items) == {
        "t": Decimal(4), "m": 1, "n": NOT_APPLICABLE}
    assert isinstance(with_sums({"m": 1, "f": 2}, sums=sums, indicators=items)["n"], int)
