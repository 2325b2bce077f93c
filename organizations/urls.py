from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("laos/", views.lao_list, name="lao_list"),
    path("laos/<int:pk>/", views.lao_detail, name="lao"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("provinces/<str:code>/", views.province_detail, name="province"),
]
