"""The entry form: each kind of item read from what a recorder types, and the checks run on its typed values."""

from decimal import Decimal

import pytest

from sectors import selectors, services
from sectors.forms import ReportForm, format_number, normalize_number
from sectors.models import Sector, Severity
from sectors.values import NOT_APPLICABLE

MISSING = object()


def read(fiscal_year, code, raw, *, na=False, **indicator_fields):
    """What the form makes of `raw` typed into the item `code`: (typed value or MISSING, error messages)."""
    indicator = fiscal_year.indicators.get(code=code)
    for name, value in indicator_fields.items():
        setattr(indicator, name, value)
    data = {"version": "0", code: raw}
    if na:
        data[ReportForm.na_name(code)] = "on"
    form = ReportForm(data, indicators=[indicator], rows={}, version=0)
    form.is_valid()
    return form.typed_values().get(code, MISSING), [str(e) for e in form.errors.get(code, [])]


@pytest.mark.parametrize(("raw", "expected"), [
    ("1234", 1234),
    ("1,234", 1234),
    ("1,234,567", 1234567),
    ("๑,๒๓๔", 1234),
    (" 12 ", 12),
    ("0", 0),
    ("", None),
])
def test_integer_accepts_separators_and_thai_digits(fiscal_year, raw, expected):
    assert read(fiscal_year, "gov_villages", raw) == (expected, [])


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("1.5", "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("12ก", "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
    ("-1", "ต้องไม่น้อยกว่า 0"),
    ("9,223,372,036,854,775,808", "จำนวนเต็มต้องอยู่ระหว่าง -9,223,372,036,854,775,808 ถึง 9,223,372,036,854,775,807"),
])
def test_integer_refuses_what_is_not_a_whole_number_in_range(fiscal_year, raw, message):
    assert read(fiscal_year, "gov_villages", raw) == (MISSING, [message])


def test_integer_takes_the_largest_bigint(fiscal_year):
    assert read(fiscal_year, "gov_villages", "9223372036854775807") == (2**63 - 1, [])


def test_integer_limits_come_from_the_item(fiscal_year):
    assert read(fiscal_year, "gov_villages", "11", max_value=Decimal(10)) == (MISSING, ["ต้องไม่เกิน 10"])
    assert read(fiscal_year, "gov_villages", "-5", min_value=None) == (-5, [])


@pytest.mark.parametrize(("raw", "expected"), [
    ("12.5", Decimal("12.5")),
    ("1,234.5678", Decimal("1234.5678")),
    ("๑๒.๕", Decimal("12.5")),
    ("12.50000", Decimal("12.5")),
    (".5", Decimal("0.5")),
    ("7", Decimal("7")),
    ("", None),
])
def test_decimal_accepts_up_to_four_places(fiscal_year, raw, expected):
    assert read(fiscal_year, "gov_area", raw) == (expected, [])


@pytest.mark.parametrize(("raw", "message"), [
    ("1.23456", "ทศนิยมได้ไม่เกิน 4 ตำแหน่ง"),
    ("สิบ", "กรุณากรอกเป็นตัวเลข"),
    ("1e5", "กรุณากรอกเป็นตัวเลข"),
    ("1.2.3", "กรุณากรอกเป็นตัวเลข"),
    ("-0.5", "ต้องไม่น้อยกว่า 0"),
    ("10,000,000,000,000,000", "ตัวเลขต้องอยู่ระหว่าง -999,999,999,999,999 ถึง 999,999,999,999,999 "
                                "และยาวได้ไม่เกิน 15 หลักรวมทศนิยม"),
])
def test_decimal_refuses_bad_input(fiscal_year, raw, message):
    assert read(fiscal_year, "gov_area", raw) == (MISSING, [message])


def test_text_keeps_up_to_2000_characters(fiscal_year):
    assert read(fiscal_year, "edu_website", "  https://www.example.go.th  ") == ("https://www.example.go.th", [])
    assert read(fiscal_year, "edu_website", "") == (None, [])
    assert read(fiscal_year, "edu_website", "ก" * 2000) == ("ก" * 2000, [])
    assert read(fiscal_year, "edu_website", "ก" * 2001) == (MISSING, ["ข้อความยาวได้ไม่เกิน 2,000 ตัวอักษร"])


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("no", False), ("", None)])
def test_yes_no(fiscal_year, raw, expected):
    assert read(fiscal_year, "env_wastewater_system", raw) == (expected, [])


def test_yes_no_refuses_anything_else(fiscal_year):
    assert read(fiscal_year, "env_wastewater_system", "maybe") == (MISSING, ["กรุณาเลือก มี หรือ ไม่มี"])


def test_choice_takes_only_the_items_choices(fiscal_year):
    assert read(fiscal_year, "env_disposal_method", "เตาเผา") == ("เตาเผา", [])
    assert read(fiscal_year, "env_disposal_method", "") == (None, [])
    assert read(fiscal_year, "env_disposal_method", "โยนทิ้ง") == (MISSING, ["กรุณาเลือกจากรายการ"])


@pytest.mark.parametrize(("code", "raw"), [
    ("gov_villages", "12"), ("gov_villages", "abc"), ("gov_area", ""), ("edu_website", "x"),
    ("env_wastewater_system", "yes"), ("env_disposal_method", "เตาเผา"),
])
def test_not_applicable_wins_over_the_value_box(fiscal_year, code, raw):
    assert read(fiscal_year, code, raw, na=True) == (NOT_APPLICABLE, [])


def test_reasons_and_version_are_read(report):
    indicators = selectors.indicators_for(report)
    form = ReportForm({"version": "3", "gov_population_total": "2,500", "gov_population_total-reason": "  รวมเขต  "},
                      indicators=indicators, rows={}, version=3)
    assert form.is_valid()
    assert form.cleaned_data["version"] == 3
    assert form.reasons()["gov_population_total"] == "รวมเขต"
    assert "gov_population_total" in form.reasons() and "gov_area" in form.reasons()


def test_a_missing_version_is_a_form_error(report):
    form = ReportForm({"gov_area": "1"}, indicators=selectors.indicators_for(report), rows={}, version=0)
    assert not form.is_valid()
    assert form.errors["version"] == ["แบบฟอร์มไม่สมบูรณ์ กรุณาเปิดหน้านี้ใหม่"]


def test_stored_values_are_shown_with_thousands_separators(report, recorder):
    services.report_save(report_id=report.pk, user=recorder, expected_version=0, new_values={
        "gov_population_total": 1234567, "gov_budget": Decimal("35000000.5000"), "gov_council_members": NOT_APPLICABLE,
    })
    form = ReportForm(indicators=selectors.indicators_for(report), rows=selectors.report_rows(report), version=1)
    assert 'value="1,234,567"' in str(form["gov_population_total"])
    assert 'value="35,000,000.5"' in str(form["gov_budget"])
    assert "checked" in str(form[ReportForm.na_name("gov_council_members")])


def test_number_helpers():
    assert normalize_number("๑ ๒๓๔,๕๖๗.๘") == "1234567.8"
    assert format_number(1234567) == "1,234,567"
    assert format_number(Decimal("1E+3")) == "1,000"
    assert format_number(Decimal("0.5000")) == "0.5"


# --- the fifteen default rules, each passing and failing once, through the checks on typed-in values -----------

# (rule, sector whose form is checked, what passes, what fails, values stored in the LAO's other sectors)
RULES = [
    ("gov_population_male + gov_population_female = gov_population_total", "governance",
     {"gov_population_male": "600", "gov_population_female": "650", "gov_population_total": "1,250"},
     {"gov_population_male": "600", "gov_population_female": "650", "gov_population_total": "1,000"}, {}),
    ("gov_households ≤ gov_population_total", "governance",
     {"gov_households": "400", "gov_population_total": "1,250"},
     {"gov_households": "1,300", "gov_population_total": "1,250"}, {}),
    ("gov_complaints_resolved ≤ gov_complaints", "governance",
     {"gov_complaints_resolved": "20", "gov_complaints": "25"},
     {"gov_complaints_resolved": "26", "gov_complaints": "25"}, {}),
    ("env_waste_collected ≤ env_waste_generated", "health_environment",
     {"env_waste_collected": "11.5", "env_waste_generated": "12.25"},
     {"env_waste_collected": "12.5", "env_waste_generated": "12.25"}, {}),
    ("env_waste_households_served ≤ gov_households", "health_environment",
     {"env_waste_households_served": "400"}, {"env_waste_households_served": "401"},
     {"governance": {"gov_households": 400}}),
    ("inf_road_asphalt + inf_road_concrete + inf_road_laterite + inf_road_earth = inf_road_total", "infrastructure",
     {"inf_road_asphalt": "10.5", "inf_road_concrete": "20", "inf_road_laterite": "5.25", "inf_road_earth": "1",
      "inf_road_total": "36.75"},
     {"inf_road_asphalt": "10.5", "inf_road_concrete": "20", "inf_road_laterite": "5.25", "inf_road_earth": "1",
      "inf_road_total": "40"}, {}),
    ("inf_households_electricity ≤ gov_households", "infrastructure",
     {"inf_households_electricity": "399"}, {"inf_households_electricity": "1,000"},
     {"governance": {"gov_households": 400}}),
    ("wat_systems_working ≤ wat_village_systems", "water",
     {"wat_systems_working": "8", "wat_village_systems": "10"},
     {"wat_systems_working": "11", "wat_village_systems": "10"}, {}),
    ("wat_systems_quality_passed ≤ wat_village_systems", "water",
     {"wat_systems_quality_passed": "10", "wat_village_systems": "10"},
     {"wat_systems_quality_passed": "12", "wat_village_systems": "10"}, {}),
    ("wat_households_tap ≤ gov_households", "water",
     {"wat_households_tap": "350"}, {"wat_households_tap": "450"}, {"governance": {"gov_households": 400}}),
    ("wat_flood_villages ≤ gov_villages", "water",
     {"wat_flood_villages": "3"}, {"wat_flood_villages": "13"}, {"governance": {"gov_villages": 12}}),
    ("ph_health_centres_transferred ≤ ph_health_centres", "public_health",
     {"ph_health_centres_transferred": "1", "ph_health_centres": "2"},
     {"ph_health_centres_transferred": "3", "ph_health_centres": "2"}, {}),
    ("ph_elderly ≤ gov_population_total", "public_health",
     {"ph_elderly": "200"}, {"ph_elderly": "1,251"}, {"governance": {"gov_population_total": 1250}}),
    ("soc_elderly_allowance ≤ ph_elderly * 1.05", "society_culture",
     {"soc_elderly_allowance": "210"}, {"soc_elderly_allowance": "211"}, {"public_health": {"ph_elderly": 200}}),
    ("eco_farm_households ≤ gov_households", "economy_tourism",
     {"eco_farm_households": "400"}, {"eco_farm_households": "๕๐๐"}, {"governance": {"gov_households": 400}}),
]


def test_the_table_covers_every_default_rule(fiscal_year):
    assert sorted(r[0] for r in RULES) == sorted(fiscal_year.rules.values_list("expression", flat=True))


def open_report(world, fiscal_year, sector_code):
    return services.report_open(lao=world.lao_a1, sector=Sector.objects.get(code=sector_code), fiscal_year=fiscal_year)


def store(world, fiscal_year, recorder, other_sectors):
    for sector_code, stored in other_sectors.items():
        other = open_report(world, fiscal_year, sector_code)
        services.report_save(report_id=other.pk, user=recorder, expected_version=other.version, new_values=stored)


def check(report, raw):
    form = ReportForm({"version": "0", **raw}, indicators=selectors.indicators_for(report), rows={}, version=0)
    assert form.is_valid(), form.errors
    return services.report_check(report=report, new_values=form.typed_values(), reasons=form.reasons(),
                                 for_submit=False)


@pytest.mark.parametrize(("expression", "sector_code", "passing", "failing", "other_sectors"), RULES,
                         ids=[r[0] for r in RULES])
def test_each_default_rule_passes_and_fails(world, fiscal_year, recorder, expression, sector_code, passing, failing,
                                           other_sectors):
    rule = fiscal_year.rules.get(expression=expression)
    store(world, fiscal_year, recorder, other_sectors)
    report = open_report(world, fiscal_year, sector_code)

    assert rule.message_th not in [i.message for i in check(report, passing).issues]

    issues = [i for i in check(report, failing).issues if i.message == rule.message_th]
    assert len(issues) == 1
    assert issues[0].severity == rule.severity
    assert issues[0].code in failing  # shown beside an item of this form


def test_only_the_elderly_allowance_rule_is_a_warning(fiscal_year):
    warnings = fiscal_year.rules.filter(severity=Severity.WARNING).values_list("expression", flat=True)
    assert list(warnings) == ["soc_elderly_allowance ≤ ph_elderly * 1.05"]


def test_a_cross_sector_rule_is_checked_from_either_side(world, fiscal_year, recorder):
    store(world, fiscal_year, recorder, {"water": {"wat_households_tap": 450}})
    governance = open_report(world, fiscal_year, "governance")
    issues = check(governance, {"gov_households": "400"}).issues
    assert [(i.code, i.message) for i in issues] == [("gov_households", "ครัวเรือนที่มีน้ำประปาต้องไม่เกินครัวเรือนทั้งหมด")]


def test_a_cross_sector_rule_waits_for_the_other_sectors_value(world, fiscal_year):
    report = open_report(world, fiscal_year, "water")
    assert check(report, {"wat_households_tap": "450"}).issues == []


def test_required_items_are_checked_only_before_submission(report):
    form = ReportForm({"version": "0", "gov_area": "12.5", "gov_villages-na": "on"},
                      indicators=selectors.indicators_for(report), rows={}, version=0)
    assert form.is_valid()
    draft = services.report_check(report=report, new_values=form.typed_values(), reasons={}, for_submit=False)
    assert [i for i in draft.issues if i.kind == "required"] == []

    submit = services.report_check(report=report, new_values=form.typed_values(), reasons={}, for_submit=True)
    required = {i.code: i.message for i in submit.errors if i.kind == "required"}
    assert required == {
        "gov_population_male": "กรุณากรอกประชากรชาย",
        "gov_population_female": "กรุณากรอกประชากรหญิง",
        "gov_population_total": "กรุณากรอกประชากรรวม",
        "gov_households": "กรุณากรอกครัวเรือน",
        "gov_staff_officials": "กรุณากรอกพนักงานส่วนท้องถิ่น",
        "gov_budget": "กรุณากรอกงบประมาณรายจ่ายประจำปี",
    }  # gov_area is filled and gov_villages is marked not applicable
