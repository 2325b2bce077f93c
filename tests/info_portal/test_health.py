"""/health/ answers the load balancer without a sign-in: database, cache and the Redis broker when configured."""

import json
import os

import pytest
from django.test import Client

from tests.conftest import in_ci


def _health(client, **headers):
    response = client.get("/health/?format=json", **headers)
    return response.status_code, json.loads(response.content)


def test_health_is_public_and_reports_the_database_and_the_cache(db, settings):
    settings.CELERY_BROKER_URL = ""
    status, checks = _health(Client())
    assert status == 200
    assert set(checks.values()) == {"OK"}
    assert any("Database" in name for name in checks) and any("Cache" in name for name in checks)
    assert not any("Redis" in name for name in checks)


def test_health_fails_when_the_broker_does_not_answer(db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing speaks Redis there
    status, checks = _health(Client())
    assert status == 500
    redis = [value for name, value in checks.items() if "Redis" in name]
    assert redis and redis[0] != "OK"


@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
def test_health_answers_plain_pages_too(db, settings, accept):
    settings.CELERY_BROKER_URL = ""
    response = Client().get("/health/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_checks_the_configured_redis_broker(db, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        if in_ci():
            pytest.fail("CI is set but CELERY_BROKER_URL is not", pytrace=False)
        pytest.skip("no CELERY_BROKER_URL: the broker check is not configured")
    settings.CELERY_BROKER_URL = broker
    status, checks = _health(Client())
    assert status == 200
    assert [value for name, value in checks.items() if "Redis" in name] == ["OK"]
