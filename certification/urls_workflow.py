from django.urls import path

from certification.views import workflow

urlpatterns = [
    path("queue/", workflow.queue, name="queue"),
    path("reports/<int:report_id>/review/", workflow.review, name="review"),
    path("reports/<int:report_id>/submit/", workflow.submit, name="submit"),
    path("lao/<int:lao_id>/<int:year>/certify/", workflow.certify_all, name="certify_all"),
]
