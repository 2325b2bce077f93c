"""The schema's pages (Swagger UI and Redoc, from the vendored drf-spectacular-sidecar files).

Both libraries set style attributes and Redoc starts a web worker from a blob: on these two pages only, the
policy allows inline styles and blob: workers; scripts still come from the portal alone."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from rest_framework.permissions import AllowAny

PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}


def page(view):
    return login_not_required(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(view))
