"""The home page: one work list per role the user holds, each answering "what do I do now?"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from certification.selectors import queue_for
from dashboards.charts import sparkline
from home import selectors
from organizations import selectors as organization_selectors
from sectors.selectors import current_fiscal_year


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    fiscal_year = current_fiscal_year()  # none before the first year is opened: roles only
    serves = policy.serves_any_lao(user)
    queue = queue_for(user) if serves else None
    nation = selectors.nation_work(user, fiscal_year=fiscal_year, today=today) if fiscal_year else None
    officer = selectors.officer_work(user, fiscal_year=fiscal_year, today=today) if fiscal_year else []
    province_lines = [] if nation is None else [
        (line, sparkline(line.course, title=_("สัดส่วนที่รับรองแล้วตามเวลา: %(name)s") % {"name": line.row.name}))
        for line in nation.provinces]
    return render(request, "home/home.html", {
        "today": today,
        "fiscal_year": fiscal_year,
        "grants": policy.grants_of(user),
        "recorder": selectors.recorder_work(user, fiscal_year=fiscal_year, today=today)
        if serves and fiscal_year else [],
        "reviews": selectors.review_work(user, queue) if queue else [],
        "province_work": [work for work in officer if work.scope.district is None],
        "district_work": [work for work in officer if work.scope.district is not None],
        "nation": nation,
        "province_lines": province_lines,
        "own_laos": organization_selectors.laos_listing(policy.laos_served(user)) if serves else [],
    })
