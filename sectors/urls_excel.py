from django.urls import path

from sectors import excel_views

app_name = "sectors_excel"

urlpatterns = [
    path("lao/<int:lao_id>/<int:year>/workbook.xlsx", excel_views.workbook_download, name="download"),
    path("lao/<int:lao_id>/<int:year>/upload/", excel_views.workbook_upload, name="upload"),
    path("lao/<int:lao_id>/<int:year>/upload/apply/", excel_views.workbook_apply, name="apply"),
]
