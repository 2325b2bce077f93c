from django.urls import path

from api import portal

app_name = "api_keys"

urlpatterns = [
    path("", portal.key_list, name="list"),
    path("<str:prefix>/revoke/", portal.key_revoke, name="revoke"),
    path("<str:prefix>/usage/", portal.key_usage, name="usage"),
]
