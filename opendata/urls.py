from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog"),
    path("<int:year>/<slug:sector>.csv", views.dataset_csv, name="dataset_csv"),
    path("<int:year>/<slug:sector>.xlsx", views.dataset_xlsx, name="dataset_xlsx"),
    path("sectors/", views.public_sectors, name="sectors"),
]
