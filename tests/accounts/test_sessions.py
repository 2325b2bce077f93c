"""The fixed cost of a signed-in request: a session read and a user read, and the session row written only when
its idle expiry is due to move (at most once a minute) or its contents changed."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path

from accounts.middleware import IDLE_REFRESH_KEY
from info_portal.urls import urlpatterns as portal_urlpatterns
from tests.conftest import PASSWORD


@login_required
def signed_in_minimal(request):
    return HttpResponse("ok")


urlpatterns = [path("signed-in-minimal/", signed_in_minimal), *portal_urlpatterns]
pytestmark = pytest.mark.urls("tests.accounts.test_sessions")


def _writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def _expiry():
    return Session.objects.get().expire_date


def test_a_signed_in_request_reads_the_session_and_the_user_and_writes_nothing(client, recorder):
    client.force_login(recorder)
    expiry = _expiry()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/signed-in-minimal/")
    assert response.status_code == 200
    assert len(captured) == 2, [q["sql"] for q in captured.captured_queries]
    assert _writes(captured) == []
    assert _expiry() == expiry


def test_the_idle_expiry_moves_forward_once_the_refresh_interval_has_passed(client, recorder, settings):
    client.force_login(recorder)
    client.get("/signed-in-minimal/")
    session = client.session
    session[IDLE_REFRESH_KEY] -= settings.SESSION_IDLE_REFRESH_SECONDS
    session.save()
    Session.objects.update(expire_date=_expiry() - timedelta(minutes=5))
    before = _expiry()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/signed-in-minimal/").status_code == 200
    assert len(_writes(captured)) == 1
    assert _expiry() > before
    assert client.session[IDLE_REFRESH_KEY] > session[IDLE_REFRESH_KEY]


def test_signing_in_stamps_the_session_so_the_next_request_does_not_rewrite_it(client, recorder):
    client.post("/accounts/login/", {"username": recorder.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert IDLE_REFRESH_KEY in client.session
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/signed-in-minimal/").status_code == 200
    assert _writes(captured) == []


def test_anonymous_requests_create_no_session(client, db):
    client.get("/signed-in-minimal/")
    client.get("/accounts/login/")
    assert not Session.objects.exists()


def test_signing_out_leaves_no_session_behind(client, recorder):
    client.force_login(recorder)
    client.get("/signed-in-minimal/")
    client.post("/accounts/logout/")
    assert not Session.objects.exists()
    assert client.get("/signed-in-minimal/").status_code == 302



@pytest.mark.parametrize("change", ["deactivated", "password changed", "made a demo account", "deleted"])
def test_a_session_is_refused_once_its_user_may_no_longer_be_signed_in(client, recorder, change):
    client.force_login(recorder)
    assert client.get("/signed-in-minimal/").status_code == 200
    users = type(recorder).objects.filter(pk=recorder.pk)
    if change == "deactivated":
        users.update(is_active=False)
    elif change == "password changed":
        recorder.set_password(PASSWORD + "-new")
        recorder.save(update_fields=["password"])
    elif change == "made a demo account":
        users.update(is_demo=True)
    else:
        users.delete()
    response = client.get("/signed-in-minimal/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_signed_in_user_is_read_whole_and_as_saved(client, recorder):
    client.force_login(recorder)
    type(recorder).objects.filter(pk=recorder.pk).update(full_name="ชื่อใหม่", must_change_password=False)
    response = client.get("/signed-in-minimal/")
    user = response.wsgi_request.user
    assert user.pk == recorder.pk and user.full_name == "ชื่อใหม่" and isinstance(user.last_login, datetime)
    assert user._state.adding is False and user._state.db == "default"
    assert user.is_active is True and user.is_demo is False
