"""Dashboards of the nation, a province and a district, each with its laggard list and its certified values."""

from django.urls import path

from dashboards import views
from info_portal.db_router import replica_reads

app_name = "dashboards"

_PAGES = [
    ("", views.completion, ""),
    ("laggards/", views.laggards, "_laggards"),
    ("laggards.xlsx", views.laggards_xlsx, "_laggards_xlsx"),
    ("laggards.pdf", views.laggards_pdf, "_laggards_pdf"),
    ("laggards.pdf/job/", views.laggards_pdf_job, "_laggards_pdf_job"),
    ("values/", views.values, "_values"),
    ("values.csv", views.values_csv, "_values_csv"),
    ("values.xlsx", views.values_xlsx, "_values_xlsx"),
]

_LEVELS = [("nation/", "nation"), ("province/<str:code>/", "province"), ("district/<str:code>/", "district")]

# Every page here only reads: with a replica configured, it reads from there.
urlpatterns = [path("", replica_reads(views.index), name="index")]
for prefix, level in _LEVELS:
    urlpatterns += [path(prefix + suffix, replica_reads(view), {"level": level}, name=level + name)
                    for suffix, view, name in _PAGES]
