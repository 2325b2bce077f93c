from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/file/", views.job_file, name="file"),
    path("<int:job_id>/again/", views.job_run_again, name="again"),
]
