"""Creating many accounts at once from the Excel template."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import bulk
from accounts.forms import BulkUploadForm
from accounts.views.users import manager_required


@manager_required
def user_bulk_template(request):
    """The template to fill, with the codes of the units this officer manages."""
    response = HttpResponse(bulk.bulk_template(actor=request.user), content_type=bulk.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="info-accounts-template.xlsx"'
    return response


@manager_required
def user_bulk(request):
    """Upload the filled template: every account is created, or none and each bad row is listed."""
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = bulk.accounts_bulk_create(actor=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("สร้างบัญชี %(count)d บัญชีแล้ว และส่งลิงก์ตั้งรหัสผ่านทางอีเมลให้ทุกบัญชี")
                             % {"count": len(result.created)})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_bulk.html", {"form": form, "result": result, "max_rows": bulk.MAX_ROWS})
