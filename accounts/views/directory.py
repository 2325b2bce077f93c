"""The directory: each LAO, district and province page, and the LAO list, shows what the user's roles reach.

The pages are about organizations, so their URLs and templates are the organizations' ones; they live here
because the policy that scopes them lives here.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts import policy
from accounts.forms_acting import appointment_form
from accounts.policy import Action
from organizations import selectors


@login_required
def lao_detail(request, pk: int):
    return lao_page(request, policy.lao_or_404(request.user, pk))


def lao_page(request, lao, *, acting_form=None, status: int = 200):
    """The LAO's page; its managers get the form to appoint an acting head (`acting_form` when refused)."""
    context = {
        "lao": lao,
        "subdistricts": lao.subdistricts.order_by("code"),
        "my_actions": [a for a in (Action.RECORD, Action.VERIFY, Action.CERTIFY, Action.OVERSEE)
                       if policy.can(request.user, a, lao)],
        "acting_appointments": policy.acting_appointments_of(lao),
        "acting_form": acting_form or appointment_form(request.user, lao),
        "may_manage": policy.can(request.user, Action.MANAGE, lao),
        "today": timezone.localdate(),
    }
    return render(request, "organizations/lao_detail.html", context, status=status)


@login_required
def district_detail(request, code: str):
    district = policy.district_or_404(request.user, code)
    laos = selectors.laos_listing(policy.laos_for(request.user, Action.OVERSEE).filter(district=district))
    return render(request, "organizations/district_detail.html", {
        "district": district, "laos": laos, "type_counts": selectors.lao_type_counts(laos),
    })


@login_required
def province_detail(request, code: str):
    province = policy.province_or_404(request.user, code)
    laos = policy.laos_for(request.user, Action.OVERSEE).filter(province=province)
    return render(request, "organizations/province_detail.html", {
        "province": province,
        "districts": selectors.districts_with_lao_counts(province.districts.all()),
        "provincial_laos": selectors.laos_listing(laos.filter(district__isnull=True)),
        "type_counts": selectors.lao_type_counts(laos),
    })


@login_required
def lao_list(request):
    """Every LAO the user may see, searchable by name or code."""
    laos = selectors.laos_listing(policy.laos_for(request.user, Action.SEE))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        laos = laos.filter(name_th__icontains=query) | laos.filter(dla_code=query)
    page = Paginator(laos, 50).get_page(request.GET.get("page"))
    return render(request, "organizations/lao_list.html", {"page": page, "query": query})
