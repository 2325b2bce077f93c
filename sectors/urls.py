from django.urls import path

from sectors import views, year_views

app_name = "sectors"

urlpatterns = [
    path("catalogue/open/", year_views.open_year, name="open_year"),
    path("lao/<int:lao_id>/", views.lao_current, name="lao_current"),
    path("lao/<int:lao_id>/years/", views.lao_years, name="lao_years"),
    path("lao/<int:lao_id>/<int:year>/", views.lao_sectors, name="lao_sectors"),
    path("lao/<int:lao_id>/<int:year>/<slug:sector_code>/", views.report, name="report"),
    path("lao/<int:lao_id>/<int:year>/<slug:sector_code>/check/", views.field_check, name="field_check"),
]
