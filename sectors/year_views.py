"""The department's page for opening a new fiscal year with its catalogue changes: check them, then open it."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import policy
from sectors.catalogue import fiscal_year_open
from sectors.models import FiscalYear
from sectors.year_changes import CatalogueChanges, changes_parse, changes_preview


class OpenYearForm(forms.Form):
    be_year = forms.IntegerField(label=gettext_lazy("ปีงบประมาณ (พ.ศ.)"), min_value=2500, max_value=2700)
    changes = forms.CharField(label=gettext_lazy("การเปลี่ยนแปลงรายการข้อมูล (JSON)"), required=False,
                              max_length=200_000, widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}))
    make_current = forms.BooleanField(label=gettext_lazy("ตั้งเป็นปีปัจจุบัน"), required=False, initial=True)

    def clean_changes(self) -> CatalogueChanges:
        text = self.cleaned_data["changes"].strip()
        if not text:
            return CatalogueChanges()
        try:
            return changes_parse(json.loads(text))
        except ValueError as error:
            raise ValidationError(_("อ่าน JSON ไม่ได้: %(error)s") % {"error": error}) from None


@login_required
@require_http_methods(["GET", "POST"])
def open_year(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST "check": what the changes would make of the new year, writing nothing; POST "open":
    open it, all or nothing. The department's only."""
    if not policy.is_department(request.user):
        raise Http404
    latest = FiscalYear.objects.filter(indicators__isnull=False).order_by("-be_year").first()
    initial = {"be_year": latest.be_year + 1 if latest else None}
    form = OpenYearForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        be_year, changes = form.cleaned_data["be_year"], form.cleaned_data["changes"]
        try:
            if request.POST.get("action") == "open":
                fiscal_year = fiscal_year_open(be_year=be_year, changes=changes,
                                               make_current=form.cleaned_data["make_current"])
                messages.success(request, _("เปิดปีงบประมาณ %(year)s แล้ว: %(items)d รายการ %(rules)d กฎ") % {
                    "year": fiscal_year.be_year, "items": fiscal_year.indicators.count(),
                    "rules": fiscal_year.rules.count()})
                return redirect("sectors:open_year")
            preview = changes_preview(be_year=be_year, changes=changes)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "sectors/fiscal_year_open.html", {
        "form": form, "preview": preview, "years": FiscalYear.objects.order_by("-be_year")})
