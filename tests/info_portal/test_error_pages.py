"""The 403, 404 and 500 pages speak Thai; the 500 page renders without touching the database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client
from django.urls import include, path


def _fails(request):
    raise RuntimeError("boom")


def _refuses(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", _fails),
    path("refused/", _refuses),
    path("", include("info_portal.urls")),
]


def test_the_500_page_renders_without_a_request_or_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "ระบบขัดข้อง" in html


@pytest.mark.urls("tests.info_portal.test_error_pages")
def test_an_unhandled_error_answers_the_thai_500_page(recorder):
    client = Client(raise_request_exception=False)
    client.force_login(recorder)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "ขออภัย ระบบขัดข้องชั่วคราว" in response.content.decode()


@pytest.mark.urls("tests.info_portal.test_error_pages")
def test_a_refusal_answers_the_thai_403_page(client, recorder):
    client.force_login(recorder)
    response = client.get("/refused/")
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์เข้าถึงหน้านี้" in response.content.decode()


def test_an_unknown_page_answers_the_thai_404_page(client, recorder):
    client.force_login(recorder)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_a_form_without_its_token_answers_the_thai_403_page(recorder):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recorder)
    response = client.post("/inbox/read-all/")
    assert response.status_code == 403
    assert "ไม่สามารถส่งแบบฟอร์มได้" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/org/laos/", "/dash/", "/inbox/", "/workflow/queue/", "/deadlines/level/"])
def test_a_private_page_sends_an_anonymous_visitor_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_login_about_and_language_pages_are_public(client, db):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/about/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_every_view_is_private_unless_marked_public(settings):
    """The rule lives in one middleware, not in a decorator each new view must remember."""
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
