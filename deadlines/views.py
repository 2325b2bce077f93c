"""The round page (department), the internal deadline and extension page (province, district) and the chase page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import policy
from accounts.policy import LAO_ROLES, Action
from deadlines import services
from deadlines.forms import ChaseForm, ExtensionForm, LevelDeadlineForm, RoundForm
from deadlines.models import Extension, ReportingRound
from deadlines.selectors import DeadlineBook, chases_of, current_round, round_snapshot
from jobs.selectors import live_job
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear, ReportStatus
from sectors.selectors import current_fiscal_year


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The department sets a fiscal year's round and its national deadlines, then publishes it to every level."""
    if not policy.may_set_round(request.user):
        raise Http404
    fiscal_year = get_object_or_404(FiscalYear, be_year=year) if year else current_fiscal_year()
    if fiscal_year is None:
        messages.info(request, _("ยังไม่ได้เปิดปีงบประมาณสำหรับบันทึกข้อมูล"))
        return redirect("home")
    round_ = ReportingRound.objects.filter(fiscal_year=fiscal_year).select_related("published_by").first()
    here = reverse("deadlines:round_year", args=[fiscal_year.be_year])
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "publish":
        if round_ is None:
            raise Http404
        try:
            job = services.round_publish_start(actor=request.user, round_=round_)
        except ValidationError as refused:  # a publication of this round is running already
            messages.error(request, " ".join(refused.messages))
            return redirect(here)
        return redirect(job)
    initial = {}
    if round_ is not None:
        initial = {"opens_on": round_.opens_on, "record_by": round_.record_by, "certify_by": round_.certify_by,
                   "closes_on": round_.closes_on, "reminder_stages": ", ".join(map(str, round_.stages)),
                   "overdue_every_days": round_.overdue_every_days}
    form = RoundForm(request.POST if action == "save" else None, initial=initial)
    if action == "save" and form.is_valid():
        try:
            services.round_set(actor=request.user, fiscal_year=fiscal_year, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a service's refusal, shown against the fields it names
        else:
            messages.success(request, _("บันทึกรอบการบันทึกข้อมูลแล้ว"))
            return redirect(here)
    return render(request, "deadlines/round_form.html", {
        "fiscal_year": fiscal_year,
        "fiscal_years": FiscalYear.objects.all(),
        "round": round_,
        "form": form,
        "level_deadlines": round_.level_deadlines.select_related("province", "district", "set_by")
        .order_by("province__code", "district__code") if round_ else [],
        "extensions": round_.extensions.select_related("lao", "district", "granted_by")
        .order_by("-granted_at")[:50] if round_ else [],
        "today": timezone.localdate(),
        "publishing": live_job(kind="round_publish", scope=f"round:{round_.pk}") if round_ else None,
    })


def _level_unit(request: HttpRequest) -> Province | District | None:
    """The province or district named in the query, if the user oversees it; else the user's own first unit."""
    user = request.user
    if code := request.GET.get("province"):
        return policy.province_or_404(user, code)
    if code := request.GET.get("district"):
        return policy.district_or_404(user, code)
    if policy.is_department(user):
        return None  # the department picks a province first
    province = policy.provinces_overseen(user).order_by("code").first()
    if province is not None:
        return province
    district = policy.districts_overseen(user).select_related("province").order_by("code").first()
    if district is None:
        raise Http404
    return district


def _extension_targets(unit: Province | District) -> list[tuple[str, list[tuple[str, str]]]]:
    laos = LAO.objects.filter(is_active=True).select_related("district").order_by("district__code", "name_th")
    if isinstance(unit, Province):
        districts = list(unit.districts.order_by("code"))
        laos = laos.filter(province=unit)
    else:
        districts, laos = [unit], laos.filter(district=unit)
    groups: dict[str, list[tuple[str, str]]] = {}
    for lao in laos:
        label = _("อำเภอ%(name)s") % {"name": lao.district.display_name} if lao.district else _("ขึ้นกับจังหวัด")
        groups.setdefault(label, []).append((f"lao:{lao.pk}", lao.display_name))
    return [(_("ทั้งอำเภอ"), [(f"district:{d.pk}", _("อำเภอ%(name)s") % {"name": d.display_name}) for d in districts]),
            *groups.items()]


def _extension_unit(target: str, unit: Province | District) -> LAO | District:
    kind, _sep, pk = target.partition(":")
    if kind == "district":
        districts = unit.districts.all() if isinstance(unit, Province) else District.objects.filter(pk=unit.pk)
        return get_object_or_404(districts, pk=pk)
    laos = LAO.objects.filter(province=unit) if isinstance(unit, Province) else LAO.objects.filter(district=unit)
    return get_object_or_404(laos, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def level(request: HttpRequest) -> HttpResponse:
    """A province's or district's internal deadline (never later than its parent's), the deadlines below it, and
    extensions for one LAO or district with a reason (province and department)."""
    unit = _level_unit(request)
    round_ = current_round(published_only=False)
    if unit is None or round_ is None:
        return render(request, "deadlines/level_form.html", {
            "unit": unit, "round": round_, "provinces": Province.objects.order_by("code") if unit is None else []})
    is_province = isinstance(unit, Province)
    may_extend = policy.may_extend(request.user, unit)
    query = f"?{'province' if is_province else 'district'}={unit.code}"
    action = request.POST.get("action") if request.method == "POST" else None
    level_form = LevelDeadlineForm(request.POST if action == "level" else None)
    extension_form = ExtensionForm(request.POST if action == "extend" else None,
                                   targets=_extension_targets(unit) if may_extend else [])
    try:
        if action == "level" and level_form.is_valid():
            services.level_deadline_set(actor=request.user, round_=round_, unit=unit, **level_form.cleaned_data)
            messages.success(request, _("บันทึกกำหนดเวลาภายในแล้ว"))
            return redirect(reverse("deadlines:level") + query)
        if action == "extend" and may_extend and extension_form.is_valid():
            data = extension_form.cleaned_data
            services.extension_grant(actor=request.user, round_=round_, unit=_extension_unit(data["target"], unit),
                                     certify_by=data["certify_by"], reason=data["reason"])
            messages.success(request, _("บันทึกการขยายเวลาแล้ว"))
            return redirect(reverse("deadlines:level") + query)
    except PermissionDenied as denied:
        raise Http404 from denied
    except ValidationError as error:
        (level_form if action == "level" else extension_form).add_error(None, error)

    book, today = DeadlineBook(round_), timezone.localdate()
    if is_province:
        parent, own, applied = book.national, book.provinces.get(unit.pk), book.for_province(unit.pk)
        districts = [{"district": d, "own": book.districts.get(d.pk), "applied": book.for_district(d.pk, unit.pk)}
                     for d in unit.districts.order_by("code")]
        laos = LAO.objects.filter(province=unit, district__isnull=True)
    else:
        parent, own = book.for_province(unit.province_id), book.districts.get(unit.pk)
        applied, districts = book.for_district(unit.pk, unit.province_id), []
        laos = LAO.objects.filter(district=unit)
    snapshot = round_snapshot(round_, laos=laos, officers=False)
    extensions = Extension.objects.filter(round=round_).select_related("lao", "district", "granted_by")
    extensions = extensions.filter(**({"lao__province": unit} if is_province else {"lao__district": unit})) | \
        extensions.filter(**({"district__province": unit} if is_province else {"district": unit}))
    if own is not None and not level_form.is_bound:
        level_form = LevelDeadlineForm(initial={"record_by": own.record_by, "certify_by": own.certify_by})
    return render(request, "deadlines/level_form.html", {
        "unit": unit, "is_province": is_province, "round": round_, "parent": parent, "own": own, "applied": applied,
        "districts": districts, "laos": [_lao_line(state, snapshot.sectors) for state in snapshot.laos],
        "level_form": level_form, "extension_form": extension_form if may_extend else None,
        "extensions": extensions.order_by("-granted_at"), "today": today,
        "days_left": applied.days_left(today),
    })


def _lao_line(state, sectors) -> dict:
    certified = sum(1 for sector in sectors if state.status_of(sector) == ReportStatus.CERTIFIED)
    return {"lao": state.lao, "deadline": state.deadline, "certified": certified, "sectors": len(sectors),
            "complete": certified == len(sectors)}


@login_required
@require_http_methods(["GET", "POST"])
def chase(request: HttpRequest, lao_id: int) -> HttpResponse:
    """A district or provincial officer (or the department) sees what waits at one LAO and reminds it now."""
    lao = policy.lao_or_404(request.user, lao_id, Action.OVERSEE)
    round_ = current_round()
    form = ChaseForm(request.POST or None, initial={"token": services.chase_token()})
    if request.method == "POST" and round_ is not None and form.is_valid():
        try:
            log = services.lao_chase(actor=request.user, lao=lao, round_=round_, token=form.cleaned_data["token"],
                                     note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("ส่งการแจ้งเตือนถึงผู้ใช้ของ อปท. %(count)s คนแล้ว") % {"count": log.recipients})
        return redirect("deadlines:chase", lao.pk)
    context = {"lao": lao, "round": round_, "form": form, "today": timezone.localdate()}
    if round_ is not None:
        snapshot = round_snapshot(round_, laos=LAO.objects.filter(pk=lao.pk), officers=False)
        state = snapshot.laos[0] if snapshot.laos else None
        if state is not None:
            context.update({
                "deadline": state.deadline,
                "days_left": state.deadline.days_left(context["today"]),
                "sectors": [{"sector": sector, "status": state.status_of(sector),
                             "label": ReportStatus(state.status_of(sector)).label if state.status_of(sector)
                             else _("ยังไม่เริ่มบันทึก")} for sector in snapshot.sectors],
                "roles": [{"role": role, "people": [snapshot.people[pk] for pk in state.holders.get(role, ())],
                           "waiting": state.waiting(role, snapshot.sectors)} for role in LAO_ROLES],
            })
        context["chases"] = chases_of(round_, lao)[:20]
    return render(request, "deadlines/chase_form.html", context)
