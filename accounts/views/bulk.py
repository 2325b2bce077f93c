"""Creating many accounts at once from the Excel template."""

from django.http import HttpResponse
from django.shortcuts import redirect, render

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
    """Upload the filled template: a file that is not one is refused here; a background job checks every row and
    creates every account, or none and lists each bad row, on its page."""
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            job = bulk.accounts_bulk_start(actor=request.user, file=form.cleaned_data["file"])
        except bulk.FileRefused as refused:
            result = bulk.BulkResult(file_error=str(refused))
        else:
            return redirect(job)
    return render(request, "accounts/user_bulk.html", {"form": form, "result": result, "max_rows": bulk.MAX_ROWS})
