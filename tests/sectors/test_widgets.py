"""The sector form's inputs are written out in Python: byte for byte what Django's widget templates render."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from info_portal.names import is_english
from sectors.forms import widgets
from sectors.forms.fields import CatalogueChoices

ATTRS = {"id": "id_x", "aria-describedby": "issues-x", "hx-post": "/check/?a=1&b=<2>", "readonly": True,
         "data-sum": "id_a id_b", "hidden": False, "maxlength": 60, "data-number": ""}
VALUES = [None, "", "1,234", 'a "quoted" <b>&', mark_safe("<safe>"), 12, "ข้อความ"]


def _both(ours: forms.Widget, django: forms.Widget, value) -> tuple[str, str]:
    return ours.render("x", value, attrs=ATTRS), django.render("x", value, attrs=ATTRS)


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(("ours", "django"), [
    (widgets.TextInput, forms.TextInput), (widgets.HiddenInput, forms.HiddenInput),
    (widgets.Textarea, forms.Textarea), (widgets.CheckboxInput, forms.CheckboxInput),
])
def test_an_input_is_the_html_of_its_django_template(ours, django, value):
    mine, theirs = _both(ours(attrs={"rows": 2}), django(attrs={"rows": 2}), value)
    assert mine == theirs


@pytest.mark.parametrize("value", ["yes", "no", "", None, "other"])
def test_radio_buttons_are_the_html_of_the_django_template(value):
    choices = [("yes", "มี"), ("no", "ไม่มี"), ("", "ไม่ระบุ"), ("Group <1>", [("a", "A & B"), ("b", "B")])]
    mine, theirs = _both(widgets.RadioSelect(choices=choices, attrs={"class": "c"}),
                         forms.RadioSelect(choices=choices, attrs={"class": "c"}), value)
    assert mine == theirs
    mine, theirs = (w.render("x", value) for w in (widgets.RadioSelect(choices=choices),
                                                  forms.RadioSelect(choices=choices)))
    assert mine == theirs


@pytest.mark.parametrize("value", ["ก", "", None, "old <answer>"])
def test_a_select_is_the_html_of_the_django_template(value):
    choices = [("", "— เลือก —"), ("ก", "ก"), ("ข \"2\"", "ข \"2\""), ("Group", [("c", "C")])]

    class DjangoChoices(forms.Select):
        def create_option(self, name, value, *args, **kwargs):
            option = super().create_option(name, value, *args, **kwargs)
            if value and is_english():
                option["attrs"]["lang"] = "th"
            return option

    for language in ("th", "en"):
        with translation.override(language):
            mine, theirs = _both(CatalogueChoices(choices=choices), DjangoChoices(choices=choices), value)
        assert mine == theirs
        assert ('lang="th"' in mine) == (language == "en")
