"""The public open-data page (no sign-in), its downloads and DCAT catalogue, and the department's choice of the
public sectors."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from api.portal import department_only
from info_portal.db_router import replica_reads
from opendata import catalog, exports, selectors, services
from opendata.forms import OpenDataQuery, PublicSectorsForm
from sectors.models import FiscalYear

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def public(view):
    return login_not_required(replica_reads(view))


def licence_line() -> str:
    return _("เผยแพร่ภายใต้สัญญาอนุญาต %(licence)s โดย %(publisher)s") % {
        "licence": settings.OPEN_DATA_LICENCE_NAME, "publisher": settings.OPEN_DATA_PUBLISHER}


@public
def index(request):
    """The public sectors' certified aggregates of one item by province, district or LAO type, for a fiscal year."""
    years, sectors = selectors.published_years(), selectors.public_sectors()
    query = OpenDataQuery(request.GET or None, years=years, sectors=sectors, items_of=selectors.public_items)
    rows = overall = None
    if query.chosen_item is not None:
        rows, overall = selectors.public_table(query.fiscal_year, query.chosen_item, query.chosen_group)
    return render(request, "opendata/index.html", {
        "query": query, "rows": rows, "overall": overall, "licence": licence_line(),
        "licence_url": settings.OPEN_DATA_LICENCE_URL, "minimum": settings.OPEN_DATA_MIN_LAOS,
    })


def _dataset(year: int, sector_code: str):
    sector = next((s for s in selectors.public_sectors() if s.code == sector_code), None)
    fiscal_year = FiscalYear.objects.filter(be_year=year).first()
    if sector is None or fiscal_year is None:
        raise Http404
    return fiscal_year, sector


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
def dataset_csv(request, year: int, sector: str):
    fiscal_year, sector = _dataset(year, sector)
    return _download(exports.dataset_csv(fiscal_year, sector), "text/csv; charset=utf-8",
                     f"info-{year}-{sector.code}.csv")


@public
def dataset_xlsx(request, year: int, sector: str):
    fiscal_year, sector = _dataset(year, sector)
    return _download(exports.dataset_xlsx(fiscal_year, sector, licence=licence_line()), XLSX,
                     f"info-{year}-{sector.code}.xlsx")


@public
def catalog_jsonld(request):
    datasets = [(year, sector) for year in selectors.published_years() for sector in selectors.public_sectors()]
    document = catalog.catalog(request.build_absolute_uri, datasets)
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                        content_type="application/ld+json; charset=utf-8")


@department_only
def public_sectors(request):
    """The department chooses which sectors' certified aggregates are open data."""
    if request.method == "POST":
        form = PublicSectorsForm(request.POST)
        if form.is_valid():
            services.public_sectors_set(sectors=list(form.cleaned_data["sectors"]), actor=request.user)
            messages.success(request, _("บันทึกด้านที่เผยแพร่แล้ว"))
            return redirect("opendata:sectors")
    else:
        form = PublicSectorsForm(initial={"sectors": selectors.public_sectors()})
    return render(request, "opendata/public_sectors.html", {"form": form})
