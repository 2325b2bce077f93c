"""Views of the portal as a whole, outside any app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer or an orchestrator: the process answers. It touches neither the database nor
    the cache, so a slow database never gets a healthy web process killed; readiness is checked elsewhere."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The Thai 404 page; under /api/ an API answer (JSON), which clients of the API can read."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
