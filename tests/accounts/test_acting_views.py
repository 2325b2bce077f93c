"""The LAO page lists its acting heads; its managers appoint and revoke them there, everyone else is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import acting
from accounts.models import ActingAppointment, ActingCapacity
from accounts.policy import Role
from tests.conftest import make_user

TODAY = timezone.localdate()
ORDER = "คำสั่งอำเภอด่านขุนทด ที่ 123/2568"


@pytest.fixture
def deputy(world):
    return make_user("deputy", Role.RECORDER, world.lao_a1, full_name="นายปลัด รักษาการ")


def form(**fields):
    return {"username": "deputy", "capacity": ActingCapacity.ACTING, "acting_for": "นายกเทศมนตรีตำบลด่านขุนทด",
            "order_ref": ORDER, "starts_on": TODAY.isoformat(), "ends_on": (TODAY + timedelta(days=14)).isoformat(),
            **fields}


def test_a_district_officer_appoints_and_the_page_lists_it(client, world, district_officer, deputy):
    client.force_login(district_officer)
    page = client.get(reverse("organizations:lao", args=[world.lao_a1.pk]))
    assert 'id="acting-form"' in page.content.decode()
    assert "นายกเทศมนตรีตำบลด่านขุนทด" in page.content.decode()  # the office proposed
    response = client.post(reverse("organizations:acting_appoint", args=[world.lao_a1.pk]), form(), follow=True)
    appointment = ActingAppointment.objects.get()
    assert appointment.user == deputy and appointment.appointed_by == district_officer
    html = response.content.decode()
    assert ORDER in html and "นายปลัด รักษาการ" in html and "กำลังรักษาราชการแทน" in html


@pytest.mark.parametrize("fields, words", [
    ({"ends_on": (TODAY - timedelta(days=1)).isoformat()}, "วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น"),
    ({"username": "ghost"}, "ไม่พบผู้ใช้ชื่อนี้"),
    ({"order_ref": ""}, "กรุณาระบุเลขที่คำสั่งแต่งตั้ง"),
    ({"ends_on": (TODAY + timedelta(days=500)).isoformat()}, "ไม่เกิน 1 ปี"),
])
def test_a_refused_appointment_says_why_in_thai(client, world, district_officer, deputy, fields, words):
    client.force_login(district_officer)
    response = client.post(reverse("organizations:acting_appoint", args=[world.lao_a1.pk]), form(**fields))
    assert response.status_code == 400
    assert any(word in response.content.decode() for word in words.split("|"))
    assert not ActingAppointment.objects.exists()


def test_an_overlapping_appointment_is_refused_on_the_page(client, world, district_officer, deputy):
    make_user("other", Role.VERIFIER, world.lao_a1)
    client.force_login(district_officer)
    client.post(reverse("organizations:acting_appoint", args=[world.lao_a1.pk]), form())
    response = client.post(reverse("organizations:acting_appoint", args=[world.lao_a1.pk]), form(username="other"))
    assert response.status_code == 400 and "ซ้อนกับการแต่งตั้ง" in response.content.decode()


def test_outside_managers_are_refused(client, world, deputy, certifier, recorder):
    outsider = make_user("district_b1", Role.DISTRICT_OFFICER, world.district_b1)
    client.force_login(outsider)
    assert client.post(reverse("organizations:acting_appoint", args=[world.lao_a1.pk]), form()).status_code == 404
    client.force_login(certifier)  # sees the LAO, manages nothing
    assert 'id="acting-form"' not in client.get(reverse("organizations:lao", args=[world.lao_a1.pk])).content.decode()
    assert client.post(reverse("organizations:acting_appoint", args=[world.lao_a1.pk]), form()).status_code == 403
    assert not ActingAppointment.objects.exists()


def test_a_manager_revokes_from_the_page(client, world, district_officer, provincial_officer, deputy):
    appointment = acting.acting_appoint(actor=provincial_officer, lao=world.lao_a1, user=deputy,
                                        capacity=ActingCapacity.ON_BEHALF, order_ref=ORDER, starts_on=TODAY,
                                        ends_on=TODAY + timedelta(days=3), today=TODAY)
    url = reverse("organizations:acting_revoke", args=[world.lao_a1.pk, appointment.pk])
    client.force_login(make_user("district_b1", Role.DISTRICT_OFFICER, world.district_b1))
    assert client.post(url).status_code == 404
    client.force_login(district_officer)
    response = client.post(url, follow=True)
    appointment.refresh_from_db()
    assert appointment.revoked_on == TODAY
    assert "ยกเลิกตั้งแต่" in response.content.decode()
    assert "ปฏิบัติราชการแทน" in response.content.decode()
