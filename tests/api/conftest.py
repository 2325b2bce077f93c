"""The dashboards' known round (tests/dashboards/conftest.py) and keys to read it through the API."""

import pytest
from django.test import Client

from api import services
from tests.dashboards.conftest import _empty_cache, fiscal_year, round_  # noqa: F401


class ApiClient:
    """A test client that sends one key with every request."""

    def __init__(self, raw_key: str):
        self.client = Client()
        self.headers = {"Authorization": f"Api-Key {raw_key}"}

    def get(self, path: str, data=None, **extra):
        return self.client.get(path, data, headers=self.headers, **extra)


def api_client(*, name: str = "agency", province=None, expires_at=None) -> ApiClient:
    _key, raw = services.key_create(name=name, province=province, expires_at=expires_at, actor=None)
    return ApiClient(raw)


@pytest.fixture
def national(round_) -> ApiClient:  # noqa: F811
    return api_client(name="LPA")


@pytest.fixture
def province_a_key(round_, world) -> ApiClient:  # noqa: F811
    return api_client(name="นครราชสีมา", province=world.province_a)
