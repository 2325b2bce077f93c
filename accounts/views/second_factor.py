"""The second factor: proving it at sign-in, setting it up, and the account's own security page."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy, second_factor
from accounts.forms import SecondFactorCodeForm


def _qr_svg(url: str) -> str:
    return qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string(encoding="unicode")


@login_required
def verify(request):
    """After the password: the code from the authenticator app, or a recovery code."""
    if second_factor.session_owes(request=request) != "verify":
        return redirect("home")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except second_factor.SecondFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            return redirect("home")
    return render(request, "accounts/second_factor_verify.html", {"form": form})


@login_required
def enrol(request):
    """Set up the authenticator app: scan the code, type the first code it shows, keep the recovery codes."""
    owes = second_factor.session_owes(request=request)
    if owes == "verify":  # an account with a second factor proves it before replacing it
        return redirect("accounts:second_factor_verify")
    device = second_factor.enrolment_device(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.enrol_confirm(request=request, user=request.user, code=form.cleaned_data["code"])
        except second_factor.SecondFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            return render(request, "accounts/second_factor_codes.html", {"codes": codes, "new_device": True})
    return render(request, "accounts/second_factor_enrol.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": _base32(device.bin_key),
        "required": policy.requires_second_factor(request.user), "forced": owes == "enrol",
    })


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@login_required
def security(request):
    """The account's own sign-in security: the second factor and the recovery codes left."""
    return render(request, "accounts/security.html", {
        "has_second_factor": second_factor.has_second_factor(request.user),
        "required": policy.requires_second_factor(request.user),
        "codes_left": second_factor.recovery_codes_left(request.user),
    })


@login_required
@require_POST
def recovery_codes_renew(request):
    try:
        codes = second_factor.recovery_codes_renew(user=request.user)
    except second_factor.SecondFactorRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:security")
    return render(request, "accounts/second_factor_codes.html", {"codes": codes, "new_device": False})


@login_required
@require_POST
def remove(request):
    try:
        second_factor.remove(user=request.user)
    except second_factor.SecondFactorRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("ปิดการยืนยันตัวตนสองขั้นตอนแล้ว"))
    return redirect("accounts:security")
