"""manage.py create_api_key prints a key that works at once and is stored only as a hash."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from api.models import AgencyKey
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def create(**options) -> str:
    out = StringIO()
    call_command("create_api_key", stdout=out, **options)
    return out.getvalue().strip()


def test_the_printed_key_reads_its_province_only(world):
    raw = create(name="สถ.จังหวัด", province="30", days=30)
    key = AgencyKey.objects.get()
    assert key.province == world.province_a and key.expiry_date is not None
    assert raw not in key.hashed_key and raw.split(".")[1] not in key.hashed_key
    provinces = ApiClient(raw).get("/api/v1/provinces/").json()["results"]
    assert [p["code"] for p in provinces] == ["30"]


def test_a_national_key_without_expiry(world):
    raw = create(name="LPA")
    assert AgencyKey.objects.get().province is None
    assert len(ApiClient(raw).get("/api/v1/provinces/").json()["results"]) == 2


@pytest.mark.parametrize("options", [{"name": "x", "province": "99"}, {"name": " "}, {"name": "x", "days": 0}])
def test_bad_options_are_refused(world, options):
    with pytest.raises(CommandError):
        create(**options)
    assert not AgencyKey.objects.exists()
