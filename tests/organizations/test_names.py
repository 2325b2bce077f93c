"""LAO names in dense tables: the type written short, the whole name on hover, the rest kept on one line."""

import pytest

from organizations.names import short_name_html


@pytest.mark.parametrize(("name", "short", "rest"), [
    ("องค์การบริหารส่วนตำบลหนองบัว", "อบต.", "หนองบัว"),
    ("เทศบาลตำบลด่านขุนทด", "ทต.", "ด่านขุนทด"),
    ("เทศบาลเมืองปากช่อง", "ทม.", "ปากช่อง"),
    ("เทศบาลนครนครราชสีมา", "ทน.", "นครราชสีมา"),
    ("องค์การบริหารส่วนจังหวัดนครราชสีมา", "อบจ.", "นครราชสีมา"),
])
def test_the_type_is_written_short_with_the_whole_name_on_hover(name, short, rest):
    assert short_name_html(name) == f'<abbr title="{name}">{short}</abbr><span class="nowrap">{rest}</span>'


def test_a_name_without_a_type_and_markup_in_a_name_are_left_harmless():
    assert short_name_html("ด่านขุนทด") == "ด่านขุนทด"
    assert short_name_html("เทศบาลตำบล") == "เทศบาลตำบล"  # nothing after the type: nothing to shorten
    assert short_name_html('เทศบาลตำบล<b>"x"') == (
        '<abbr title="เทศบาลตำบล&lt;b&gt;&quot;x&quot;">ทต.</abbr><span class="nowrap">&lt;b&gt;&quot;x&quot;</span>')


def test_a_dense_table_names_an_lao_in_english_when_it_has_an_english_name():
    from django.utils import translation

    from dashboards.templatetags.dashboards import lao_short_name
    from organizations.models import LAO

    named = LAO(name_th="เทศบาลตำบลด่านขุนทด", name_en="Dan Khun Thot Subdistrict Municipality")
    unnamed = LAO(name_th="องค์การบริหารส่วนตำบลกุดพิมาน", name_en="")
    with translation.override("th"):
        assert lao_short_name(named) == short_name_html(named.name_th)
    with translation.override("en"):
        assert lao_short_name(named) == "Dan Khun Thot Subdistrict Municipality"
        assert lao_short_name(unnamed) == f'<span lang="th">{short_name_html(unnamed.name_th)}</span>'
