from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from info_portal.thai import FiscalYear, be_year, thai_date, thai_digits


def test_buddhist_era_year():
    assert be_year(date(2025, 6, 15)) == 2568


def test_thai_dates_full_short_and_thai_digits():
    day = date(2025, 6, 15)
    assert thai_date(day) == "15 มิถุนายน 2568"
    assert thai_date(day, short=True) == "15 มิ.ย. 68"
    assert thai_date(day, digits=True) == "๑๕ มิถุนายน ๒๕๖๘"
    assert thai_digits("ที่ 338/2564") == "ที่ ๓๓๘/๒๕๖๔"


def test_fiscal_year_2568_runs_from_1_october_2024_to_30_september_2025():
    fiscal_year = FiscalYear(2568)
    assert fiscal_year.start == date(2024, 10, 1)
    assert fiscal_year.end == date(2025, 9, 30)
    assert fiscal_year.label == "ปีงบประมาณ พ.ศ. 2568"


@pytest.mark.parametrize(("day", "expected"), [
    (date(2024, 9, 30), 2567),
    (date(2024, 10, 1), 2568),
    (date(2025, 6, 15), 2568),
    (date(2025, 9, 30), 2568),
    (date(2025, 10, 1), 2569),
])
def test_fiscal_year_of_a_date(day, expected):
    assert FiscalYear.of(day).be_year == expected
    assert day in FiscalYear(expected)


def test_template_filters_are_builtins_and_use_bangkok_time():
    # 17:30 UTC on 30 Sep is already 1 Oct in Bangkok: a new fiscal year.
    moment = datetime(2025, 9, 30, 17, 30, tzinfo=ZoneInfo("UTC"))
    template = Template('{{ d|be_date }}|{{ d|be_date:"short,thai" }}|{{ d|fiscal_year_label }}|'
                        '{{ y|fiscal_year_label }}')
    rendered = template.render(Context({"d": moment, "y": 2568}))
    assert rendered == "1 ตุลาคม 2568|๑ ต.ค. ๖๘|ปีงบประมาณ พ.ศ. 2569|ปีงบประมาณ พ.ศ. 2568"
