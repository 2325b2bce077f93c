"""The liveness probe: public, plain, and without the database."""

from django.urls import reverse


def test_liveness_answers_ok_without_signing_in_and_without_the_database(client):
    # No database fixture: pytest-django makes any query in this test an error.
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_liveness_takes_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405
