"""The directory pages keep the organizations' namespace and their /org/ addresses."""

from django.urls import path

from accounts.views import acting, directory

app_name = "organizations"

urlpatterns = [
    path("laos/", directory.lao_list, name="lao_list"),
    path("laos/<int:pk>/", directory.lao_detail, name="lao"),
    path("laos/<int:pk>/acting/", acting.acting_appoint, name="acting_appoint"),
    path("laos/<int:pk>/acting/<int:appointment_id>/revoke/", acting.acting_revoke, name="acting_revoke"),
    path("districts/<str:code>/", directory.district_detail, name="district"),
    path("provinces/<str:code>/", directory.province_detail, name="province"),
]
