from django.contrib import admin
from django.urls import include, path

from home import views as home_views
from info_portal import views as portal_views
from info_portal.health import health
from organizations import views as organization_views

admin.site.site_header = "INFO · ระบบข้อมูลกลาง อปท."
admin.site.site_title = "INFO"

handler404 = "info_portal.views.page_not_found"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("about/", organization_views.about, name="about"),
    path("health/", health, name="health"),
    path("healthz/", portal_views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("org/", include("accounts.urls_directory")),
    path("data/excel/", include("sectors.urls_excel")),
    path("data/", include("sectors.urls")),
    path("workflow/", include("certification.urls")),
    path("inbox/", include("notifications.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("dash/", include("dashboards.urls")),
    path("jobs/", include("jobs.urls")),
    path("api/", include("api.urls")),
    path("api-keys/", include("api.urls_portal")),
    path("open-data/", include("opendata.urls")),
    # The language menu is on the login page too.
    path("i18n/setlang/", portal_views.language_set, name="set_language"),
    path("admin/", admin.site.urls),
]
