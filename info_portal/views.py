"""Views of the portal as a whole, outside any app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.services import account_language_set


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer or an orchestrator: the process answers. It touches neither the database nor
    the cache, so a slow database never gets a healthy web process killed; readiness is checked elsewhere."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@login_not_required
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch; for a signed-in user the choice is also kept on the account, so what the portal
    sends them (inbox messages, e-mails) is written in it."""
    response = i18n.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        account_language_set(user=request.user, language=request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, ""))
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The Thai 404 page; under /api/ an API answer (JSON), which clients of the API can read."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
