from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.selectors import GroupBy
from sectors.models import Sector


class PublicSectorsForm(forms.Form):
    sectors = forms.ModelMultipleChoiceField(
        label=_("ด้านที่เผยแพร่"), queryset=Sector.objects.order_by("order"), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": _("ไม่พบด้านที่เลือก")})


class OpenDataQuery(forms.Form):
    """The public page's choices; anything not offered falls back to the first choice. The choices made are
    `fiscal_year`, `chosen_sector`, `chosen_item` and `chosen_group` (templates read a field by its own name)."""

    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), coerce=int, required=False)
    sector = forms.ChoiceField(label=_("ด้าน"), required=False)
    item = forms.ChoiceField(label=_("รายการข้อมูล"), required=False)
    group_by = forms.ChoiceField(label=_("แยกตาม"), choices=GroupBy.choices, required=False)

    def __init__(self, data, *, years, sectors, items_of):
        super().__init__(data or {})
        self.fields["year"].choices = [(fy.be_year, str(fy)) for fy in years]
        self.fields["sector"].choices = [(s.code, s.name_th) for s in sectors]
        self.is_valid()
        self.fiscal_year = next((fy for fy in years if fy.be_year == self.cleaned_data.get("year")),
                                years[0] if years else None)
        self.chosen_sector = next((s for s in sectors if s.code == self.cleaned_data.get("sector")),
                           sectors[0] if sectors else None)
        self.items = items_of(self.fiscal_year, self.chosen_sector) if self.fiscal_year and self.chosen_sector else []
        self.fields["item"].choices = [(i.code, i.label_th) for i in self.items]
        chosen = (data or {}).get("item", "")
        self.chosen_item = next((i for i in self.items if i.code == chosen), self.items[0] if self.items else None)
        self.chosen_group = self.cleaned_data.get("group_by") or GroupBy.PROVINCE
