"""The schema's page: Swagger UI from the vendored drf-spectacular-sidecar files.

Swagger UI sets style attributes: on this page only, the policy allows inline styles; scripts still come from
the portal alone."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from rest_framework.permissions import AllowAny

PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}


def page(view):
    return login_not_required(csp_update({"style-src": ["'unsafe-inline'"]})(view))
