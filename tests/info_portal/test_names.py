"""Names, dates and fiscal years in the active language: English where the record has it, Thai otherwise."""

from datetime import date

from django.template import Context, Template
from django.utils import translation

from info_portal.thai import FiscalYear, local_date, thai_date
from sectors.catalogue import fiscal_year_open
from sectors.models import Indicator


def render(text: str, **context) -> str:
    return Template(text).render(Context(context))


def test_a_name_is_english_in_english_and_thai_in_thai(world):
    district = world.district_a1
    with translation.override("en"):
        assert district.display_name == str(district) == "Dan Khun Thot"
        assert render("{{ d|name }}", d=district) == "Dan Khun Thot"
    with translation.override("th"):
        assert district.display_name == str(district) == "ด่านขุนทด"


def test_a_record_without_english_shows_its_thai_name_marked_as_thai(world):
    lao = world.lao_a1  # no English name in the registry
    with translation.override("en"):
        assert lao.display_name == "เทศบาลตำบลด่านขุนทด"
        assert render("{{ lao|name }}", lao=lao) == '<span lang="th">เทศบาลตำบลด่านขุนทด</span>'
    with translation.override("th"):
        assert render("{{ lao|name }}", lao=lao) == "เทศบาลตำบลด่านขุนทด"


def test_items_their_sections_and_units_in_english(db):
    fiscal_year_open(be_year=2568)
    item = Indicator.objects.get(code="env_waste_generated")
    with translation.override("en"):
        assert (item.display_name, item.display_section, item.display_unit) == (
            "Solid waste generated", "Solid waste management", "tonnes/day")
        assert render('{{ i|name:"section" }} · {{ i|name:"unit" }}', i=item) == "Solid waste management · tonnes/day"
    with translation.override("th"):
        assert (item.display_name, item.display_section, item.display_unit) == (
            "ปริมาณขยะมูลฝอยที่เกิดขึ้น", "การจัดการขยะมูลฝอย", "ตัน/วัน")


def test_dates_and_fiscal_years_in_each_language():
    day = date(2025, 6, 15)
    with translation.override("en"):
        assert (local_date(day), local_date(day, short=True)) == ("15 June 2025", "15 Jun 2025")
        assert FiscalYear(2568).label == "FY 2568"
        assert thai_date(day) == "15 มิถุนายน 2568"  # printed letters stay Thai
    with translation.override("th"):
        assert (local_date(day), local_date(day, short=True)) == ("15 มิถุนายน 2568", "15 มิ.ย. 68")
        assert FiscalYear(2568).label == "ปีงบประมาณ พ.ศ. 2568"
