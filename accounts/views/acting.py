"""Appointing and revoking an LAO's acting head, from the LAO's page; the service checks the manager again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import acting, policy
from accounts.forms_acting import appointment_form
from accounts.models import ActingAppointment
from accounts.policy import Action
from accounts.views.directory import lao_page


@login_required
@require_POST
def acting_appoint(request, pk: int):
    lao = policy.lao_or_404(request.user, pk)
    form = appointment_form(request.user, lao, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            acting.acting_appoint(actor=request.user, lao=lao, user=data["username"], capacity=data["capacity"],
                                  acting_for=data["acting_for"], order_ref=data["order_ref"],
                                  starts_on=data["starts_on"], ends_on=data["ends_on"], today=timezone.localdate())
        except ValidationError as refused:
            form.add_refusal(refused)
        else:
            messages.success(request, _("แต่งตั้งผู้รักษาราชการแทนแล้ว"))
            return redirect(f"{lao.get_absolute_url()}#acting")
    return lao_page(request, lao, acting_form=form, status=400)


@login_required
@require_POST
def acting_revoke(request, pk: int, appointment_id: int):
    lao = policy.lao_or_404(request.user, pk)
    appointment = get_object_or_404(ActingAppointment, pk=appointment_id, lao=lao)
    if not policy.can(request.user, Action.MANAGE, lao):
        raise PermissionDenied
    try:
        acting.acting_revoke(actor=request.user, appointment_id=appointment.pk, today=timezone.localdate())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("ยกเลิกการแต่งตั้งแล้ว ตั้งแต่วันนี้ผู้นี้รับรองข้อมูลแทนไม่ได้"))
    return redirect(f"{lao.get_absolute_url()}#acting")
