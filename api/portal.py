"""The department's pages for agency keys: the list, a new key (shown once), revoking, and the usage of each key."""

from functools import wraps

from django.db.models import Count, Max, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import policy
from api import services
from api.forms import KeyCreateForm
from api.models import AgencyKey, ApiUsage

RECENT_USAGE = 200


def department_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policy.sees_nation(request.user):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper


@department_only
def key_list(request):
    keys = AgencyKey.objects.select_related("province", "created_by").annotate(
        requests=Count("usage"), rows=Sum("usage__count"), last_used=Max("usage__at")).order_by("-created")
    if request.method == "POST":
        form = KeyCreateForm(request.POST)
        if form.is_valid():
            key, raw = services.key_create(name=form.cleaned_data["name"], province=form.cleaned_data["province"],
                                           expires_at=form.expires_at, actor=request.user)
            # The raw key is on this answer only; it is not kept anywhere, so a reload cannot show it again.
            response = render(request, "api/key_created.html", {"key": key, "raw_key": raw})
            response["Cache-Control"] = "no-store"
            return response
    else:
        form = KeyCreateForm()
    return render(request, "api/key_list.html", {"keys": keys, "form": form})


@department_only
@require_POST
def key_revoke(request, prefix: str):
    key = get_object_or_404(AgencyKey, prefix=prefix)
    services.key_revoke(key_id=key.pk, actor=request.user)
    return redirect("api_keys:list")


@department_only
def key_usage(request, prefix: str):
    key = get_object_or_404(AgencyKey.objects.select_related("province"), prefix=prefix)
    usage = ApiUsage.objects.filter(key=key)
    by_resource = usage.values("resource").annotate(requests=Count("pk"), rows=Sum("count"), last=Max("at")) \
        .order_by("resource")
    return render(request, "api/key_usage.html", {
        "key": key, "by_resource": by_resource, "recent": usage.order_by("-at", "-pk")[:RECENT_USAGE],
    })
