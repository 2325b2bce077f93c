"""The department's key pages: create (the key shown once, stored hashed), revoke, usage; nobody else sees them."""

import re

import pytest
from django.test import Client

from api.models import AgencyKey, ApiUsage
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_department_creates_a_key_shown_once(department_admin, world):
    client = signed_in(department_admin)
    response = client.post("/api-keys/", {"name": "สำนักงานสถิติ", "province": world.province_a.pk, "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = re.search(rb'<code id="raw-key">([^<]+)</code>', response.content).group(1).decode()
    key = AgencyKey.objects.get()
    assert key.province == world.province_a and key.created_by == department_admin and key.expiry_date
    assert raw not in key.hashed_key
    assert raw.encode() not in client.get("/api-keys/").content
    assert ApiClient(raw).get("/api/v1/provinces/").json()["results"][0]["code"] == "30"


@pytest.mark.parametrize("data, message", [
    ({"name": "", "days": ""}, "กรุณาระบุชื่อหน่วยงาน"),
    ({"name": "x" * 51}, "ชื่อหน่วยงานยาวได้ไม่เกิน 50 ตัวอักษร"),
    ({"name": "x", "days": "0"}, "อายุกุญแจต้องอย่างน้อย 1 วัน"),
    ({"name": "x", "province": "999999"}, "ไม่พบจังหวัดที่เลือก"),
])
def test_bad_input_is_refused_with_a_thai_message(department_admin, world, data, message):
    response = signed_in(department_admin).post("/api-keys/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AgencyKey.objects.exists()


def test_revoking_stops_the_key_and_usage_is_listed(department_admin, world):
    from api import services
    key, raw = services.key_create(name="LPA", province=None, expires_at=None, actor=department_admin)
    ApiClient(raw).get("/api/v1/provinces/")
    client = signed_in(department_admin)
    usage = client.get(f"/api-keys/{key.prefix}/usage/")
    assert [row["resource"] for row in usage.context["by_resource"]] == ["provinces"]
    assert client.post(f"/api-keys/{key.prefix}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_by == department_admin
    assert ApiClient(raw).get("/api/v1/provinces/").status_code == 401
    assert ApiUsage.objects.filter(key=key).count() == 1


@pytest.mark.parametrize("who", ["provincial_officer", "district_officer", "recorder", "nobody"])
def test_nobody_else_sees_the_key_pages(request, who, department_admin):
    from api import services
    key, _raw = services.key_create(name="LPA", province=None, expires_at=None, actor=department_admin)
    client = signed_in(request.getfixturevalue(who))
    assert client.get("/api-keys/").status_code == 404
    assert client.post("/api-keys/", {"name": "x"}).status_code == 404
    assert client.get(f"/api-keys/{key.prefix}/usage/").status_code == 404
    assert client.post(f"/api-keys/{key.prefix}/revoke/").status_code == 404
    key.refresh_from_db()
    assert not key.revoked and AgencyKey.objects.count() == 1
