"""The inbox of portal messages: the list, opening one (which marks it read), and marking all read."""

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import selectors, services

PAGE_SIZE = 25


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's own portal messages, newest first."""
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page,
        "unread": selectors.unread_count(request.user),
    })


@login_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The menu's unread badge alone, to refresh it without the page: no menu or deadline context is built."""
    return HttpResponse(badge_html(get_language(), selectors.unread_count(request.user)))


def badge_html(language: str, unread: int) -> str:
    """The badge depends on the language and the count alone: rendered once per process for each, except under
    DEBUG, where an edited template shows at once."""
    if settings.DEBUG:
        return _badge_rendered(unread)
    return _badge_kept(language, unread)


def _badge_rendered(unread: int) -> str:
    return render_to_string("notifications/includes/unread_badge.html", {"unread_notifications": unread})


@lru_cache(maxsize=512)
def _badge_kept(language: str, unread: int) -> str:
    return _badge_rendered(unread)


def local_path(link: str) -> str | None:
    """The link if it is a path on this site; a message never sends anyone elsewhere."""
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return link
    return None


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own messages read, then follow its link (the inbox when it has none)."""
    notification = get_object_or_404(selectors.inbox(request.user).only("pk", "link"), pk=pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(local_path(notification.link) or reverse("notifications:inbox"))


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    if services.notifications_mark_all_read(user=request.user):
        messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด"))
    return redirect("notifications:inbox")
