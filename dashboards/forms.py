"""The filters of the dashboard pages, read from the query string; anything invalid falls back to the default."""

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from dashboards.selectors.certified import Aggregate, GroupBy
from organizations.models import LAOType
from sectors.models import FiscalYear, Indicator


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), coerce=int, required=False)
    type = forms.ChoiceField(label=_("ประเภท อปท."), required=False,
                             choices=[("", _("ทุกประเภท")), *LAOType.choices])

    def __init__(self, data=None, *, fiscal_years: list[FiscalYear], default_year: FiscalYear, **kwargs):
        super().__init__(data, **kwargs)
        self.fiscal_years = {fy.be_year: fy for fy in fiscal_years}
        self.default_year = default_year
        self.fields["year"].choices = [(fy.be_year, fy.dates.label) for fy in fiscal_years]
        self.fields["year"].initial = default_year.be_year

    def _value(self, name: str):
        """The field's cleaned value, even when another field is invalid; None when unset or invalid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)

    @property
    def fiscal_year(self) -> FiscalYear:
        return self.fiscal_years.get(self._value("year"), self.default_year)

    @property
    def lao_type(self) -> str:
        return self._value("type") or ""

    def query(self, **extra) -> str:
        """The chosen filters as a query string ("?year=2568&type=sao"), to keep them on links; "" for defaults."""
        params = {}
        if self.fiscal_year.pk != self.default_year.pk:
            params["year"] = self.fiscal_year.be_year
        if self.lao_type:
            params["type"] = self.lao_type
        params.update({key: value for key, value in extra.items() if value})
        return "?" + urlencode(params) if params else ""


class LaggardFilterForm(DashboardFilterForm):
    overdue = forms.BooleanField(label=_("เฉพาะที่เลยกำหนดแล้ว"), required=False)

    @property
    def overdue_only(self) -> bool:
        return bool(self._value("overdue"))

    def query(self, **extra) -> str:
        if self.overdue_only:
            extra.setdefault("overdue", 1)
        return super().query(**extra)


class ValuesFilterForm(DashboardFilterForm):
    item = forms.ChoiceField(label=_("รายการข้อมูล"), required=False)
    by = forms.ChoiceField(label=_("แยกตาม"), required=False, choices=GroupBy.choices)
    agg = forms.ChoiceField(label=_("สรุปเป็น"), required=False, choices=Aggregate.choices)
    compare = forms.TypedChoiceField(label=_("เทียบกับปี"), coerce=int, required=False)

    def __init__(self, data=None, *, items: list[Indicator], default_group: str, default_item: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.fields["item"].initial = default_item
        self.fields["item"].choices = [(i.code, f"{i.sector.order}. {i.display_name}"
                                        + (f" ({i.display_unit})" if i.unit else ""))
                                       for i in items]
        self.fields["by"].initial = default_group
        self.fields["compare"].choices = [("", _("ไม่เทียบ")), *self.fields["year"].choices]
        self.default_group = default_group

    @property
    def item_code(self) -> str:
        return self._value("item") or ""

    @property
    def group_by(self) -> str:
        return self._value("by") or self.default_group

    @property
    def aggregate(self) -> str:
        return self._value("agg") or Aggregate.SUM

    @property
    def compare_year(self) -> FiscalYear | None:
        """Year A, compared with the chosen year (B); None unless another year that exists was chosen."""
        year = self.fiscal_years.get(self._value("compare"))
        return year if year is not None and year.pk != self.fiscal_year.pk else None
