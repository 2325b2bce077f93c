"""The directory pages keep the organizations' namespace and their /org/ addresses."""

from django.urls import path

from accounts.views import directory

app_name = "organizations"

urlpatterns = [
    path("laos/", directory.lao_list, name="lao_list"),
    path("laos/<int:pk>/", directory.lao_detail, name="lao"),
    path("districts/<str:code>/", directory.district_detail, name="district"),
    path("provinces/<str:code>/", directory.province_detail, name="province"),
]
