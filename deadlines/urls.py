from django.urls import path

from deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("round/", views.round_edit, name="round"),
    path("round/<int:year>/", views.round_edit, name="round_year"),
    path("level/", views.level, name="level"),
    path("lao/<int:lao_id>/chase/", views.chase, name="chase"),
]
