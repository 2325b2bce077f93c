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
