"""Dashboard pages and downloads. Each resolves its scope through the permission policy (404 outside it), reads
through dashboards.selectors and renders; nothing here counts or decides."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from dashboards import charts, exports, jobs, selectors
from dashboards.forms import DashboardFilterForm, LaggardFilterForm, ValuesFilterForm
from dashboards.selectors import GroupBy, Level, Scope
from sectors.models import FiscalYear

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_GROUP = {Level.NATION: GroupBy.PROVINCE, Level.PROVINCE: GroupBy.DISTRICT, Level.DISTRICT: GroupBy.LAO_TYPE}


class _NoFiscalYear(Exception):
    pass


def _filter_form(request: HttpRequest, form_class=DashboardFilterForm, *, years: list[FiscalYear] | None = None,
                 **kwargs) -> DashboardFilterForm:
    years = list(FiscalYear.objects.order_by("-be_year")) if years is None else years
    if not years:
        raise _NoFiscalYear
    default = next((fy for fy in years if fy.is_current), years[0])
    return form_class(request.GET or None, fiscal_years=years, default_year=default, **kwargs)


def _scope(request: HttpRequest, level: str, code: str,
           form_class=DashboardFilterForm) -> tuple[Scope, DashboardFilterForm]:
    form = _filter_form(request, form_class)
    scope = selectors.scope_for(request.user, level=level, code=code, fiscal_year=form.fiscal_year,
                                lao_type=form.lao_type)
    return scope, form


def dashboard_view(view):
    """Signed in, and sent home with a note while no fiscal year is open yet."""
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _NoFiscalYear:
            messages.info(request, _("ยังไม่ได้เปิดปีงบประมาณ จึงยังไม่มีข้อมูลให้แสดง"))
            return redirect("home")
    return wrapper


def _trail(request: HttpRequest, scope: Scope) -> list[tuple[str, str]]:
    """The dashboards above this one that the user may open: (label, url)."""
    trail = []
    if policy.sees_nation(request.user):
        trail.append((_("ทั่วประเทศ"), Scope(Level.NATION, scope.fiscal_year, scope.laos).url()))
    if scope.level == Level.DISTRICT and policy.oversees_province(request.user, scope.province.pk):
        parent = Scope(Level.PROVINCE, scope.fiscal_year, scope.laos, province=scope.province)
        trail.append((parent.label, parent.url()))
    return trail


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(scope: Scope, stem: str, extension: str) -> str:
    unit = f"{scope.level}-{scope.code}" if scope.code else str(scope.level)
    return f"{stem}-{unit}-{scope.fiscal_year.be_year}-{timezone.localdate():%Y%m%d}.{extension}"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The widest dashboard the user may open."""
    url = selectors.top_scope_url(request.user)
    if url is None:
        raise Http404
    return redirect(url)


@dashboard_view
def completion(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    """Completion, funnel, units one level down, matrix and progress of one scope."""
    scope, form = _scope(request, level, code)
    board = selectors.dashboard_of(scope, today=timezone.localdate(), sort=request.GET.get("sort", ""),
                                   query=form.query())
    sort_links = {key: form.query(sort=f"-{key}" if board.sort == key else key) for key in selectors.SORT_KEYS}
    return render(request, "dashboards/completion.html", {
        "board": board, "scope": scope, "form": form, "query": form.query(),
        "sort_links": sort_links, "trail": _trail(request, scope),
        "progress_chart": None if board.progress.is_empty else charts.progress_chart(
            board.progress, title=_("ความคืบหน้าตามเวลา เทียบกับกำหนดเวลา")),
    })


@dashboard_view
def laggards(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    """The LAOs of the scope that have not certified every sector, with the downloads to attach to a letter."""
    scope, form = _scope(request, level, code, LaggardFilterForm)
    report = selectors.laggards_of(scope, today=timezone.localdate(), overdue_only=form.overdue_only,
                                   contacts=scope.level != Level.NATION)  # the nation's page lists provinces
    return render(request, "dashboards/laggard_list.html", {
        "report": report, "scope": scope, "form": form, "query": form.query(), "trail": _trail(request, scope),
        "thai_digits_query": form.query(digits="thai"), "legend": selectors.Funnel().stages,
    })


@dashboard_view
def laggards_xlsx(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    scope, form = _scope(request, level, code, LaggardFilterForm)
    report = selectors.laggards_of(scope, today=timezone.localdate(), overdue_only=form.overdue_only)
    return _download(exports.laggards_xlsx(report), XLSX, _filename(scope, "laggards", "xlsx"))


@dashboard_view
def laggards_pdf(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    scope, form = _scope(request, level, code, LaggardFilterForm)
    if scope.level == Level.NATION:  # longer than a web request may take: made by a worker (laggards_pdf_job)
        return redirect(scope.url("laggards") + form.query())
    report = selectors.laggards_of(scope, today=timezone.localdate(), overdue_only=form.overdue_only)
    pdf = exports.laggards_pdf(report, digits=request.GET.get("digits") == "thai")
    return _download(pdf, "application/pdf", _filename(scope, "laggards", "pdf"))


@dashboard_view
@require_POST
def laggards_pdf_job(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    """Start the laggard PDF of the scope as a background job and follow it on its page."""
    scope, form = _scope(request, level, code)
    job = jobs.laggards_pdf_start(actor=request.user, scope=scope, digits=request.POST.get("digits") == "thai",
                                  today=timezone.localdate(), return_url=scope.url("laggards") + form.query())
    return redirect(job)


def _value_table(request: HttpRequest, level: str, code: str):
    """The scope, the filter form and the table of certified values it asks for (None without numeric items)."""
    scope, base = _scope(request, level, code)
    items = selectors.numeric_items(scope.fiscal_year)
    default_item = selectors.item_or_default(items, "")
    form = _filter_form(request, ValuesFilterForm, years=list(base.fiscal_years.values()), items=items,
                        default_group=DEFAULT_GROUP[scope.level],
                        default_item=default_item.code if default_item else "")
    item = selectors.item_or_default(items, form.item_code)
    table = None if item is None else selectors.certified_values(scope, indicator=item, group_by=form.group_by,
                                                                  aggregate=form.aggregate)
    return scope, form, table


@dashboard_view
def values(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    """One numeric item of certified reports, summed or averaged by province, district or LAO type."""
    scope, form, table = _value_table(request, level, code)
    chart = None
    if table is not None and table.rows:
        places = 0 if table.aggregate == selectors.Aggregate.SUM and table.indicator.kind == "integer" else 2
        chart = charts.bar_chart([(row.label, row.value(table.aggregate)) for row in table.chart_rows()],
                                 title=table.indicator.display_name, unit=table.indicator.display_unit, places=places)
    download_query = request.GET.urlencode()
    year_a = form.compare_year
    comparison = None if table is None or year_a is None else selectors.years_compared(scope, table, year_a)
    return render(request, "dashboards/certified_values.html", {
        "scope": scope, "form": form, "table": table, "chart": chart, "trail": _trail(request, scope),
        "comparison": comparison,
        "query": form.query(), "download_query": f"?{download_query}" if download_query else "",
    })


@dashboard_view
def values_csv(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    scope, _form, table = _value_table(request, level, code)
    if table is None:
        raise Http404
    return _download(exports.values_csv(table, scope), "text/csv; charset=utf-8",
                     _filename(scope, f"certified-{table.indicator.code}", "csv"))


@dashboard_view
def values_xlsx(request: HttpRequest, level: str, code: str = "") -> HttpResponse:
    scope, _form, table = _value_table(request, level, code)
    if table is None:
        raise Http404
    return _download(exports.values_xlsx(table, scope), XLSX,
                     _filename(scope, f"certified-{table.indicator.code}", "xlsx"))
