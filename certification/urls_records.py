from django.urls import path

from certification.views import records

urlpatterns = [
    path("reports/<int:report_id>/history/", records.history, name="history"),
    path("reports/<int:report_id>/certificate/", records.certificate, name="certificate"),
    path("reports/<int:report_id>/seal/", records.seal_check, name="seal_check"),
    path("reports/<int:report_id>/reopen/", records.reopen, name="reopen"),
]
