"""A certify by an acting head: allowed within the days of the order only, with the capacity and the order kept on
the seal and in its sealed text; a seal without them keeps its old text."""

import json
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts import acting
from accounts.models import ActingCapacity
from certification import services
from certification.bulk import Step, reports_transition_bulk
from certification.seal import canonical, digest, payload_for, seal_check
from certification.services import TransitionRefused
from tests.conftest import make_user

TODAY = timezone.localdate()
ORDER = "คำสั่งอำเภอด่านขุนทด ที่ 123/2568"


@pytest.fixture
def deputy(world):
    return make_user("deputy", full_name="นายปลัด รักษาการ", position="ปลัดเทศบาล")


@pytest.fixture
def verified(filled_report, recorder, verifier):
    services.report_submit(report_id=filled_report.pk, actor=recorder)
    services.report_verify(report_id=filled_report.pk, actor=verifier)
    return filled_report


def appoint(officer, lao, user, starts_on=TODAY, ends_on=TODAY + timedelta(days=10)):
    return acting.acting_appoint(actor=officer, lao=lao, user=user, capacity=ActingCapacity.ACTING, order_ref=ORDER,
                                 starts_on=starts_on, ends_on=ends_on, today=starts_on)


def on(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


def test_an_acting_certify_seals_the_capacity_and_verifies(world, verified, district_officer, deputy):
    appointment = appoint(district_officer, world.lao_a1, deputy)
    seal = services.report_certify(report_id=verified.pk, actor=deputy)
    assert seal.acting_appointment == appointment
    assert (seal.acting_capacity, seal.acting_for, seal.acting_order_ref) == \
        (ActingCapacity.ACTING, "นายกเทศมนตรีตำบลด่านขุนทด", ORDER)
    sealed = json.loads(seal.canonical)
    assert sealed["acting"] == {"capacity": "acting", "for": "นายกเทศมนตรีตำบลด่านขุนทด", "order_ref": ORDER}
    assert seal.sha256 == digest(seal.canonical)
    assert seal_check(seal).ok


def test_a_seal_of_the_lao_certifier_keeps_the_old_text(world, verified, certifier):
    seal = services.report_certify(report_id=verified.pk, actor=certifier)
    assert "acting" not in json.loads(seal.canonical)
    assert seal.acting_appointment is None and seal.acting_capacity == ""
    rebuilt = payload_for(seal.report, certified_by="certifier", certified_at=seal.certified_at)
    assert canonical(rebuilt) == seal.canonical
    assert seal_check(seal).ok


@pytest.mark.parametrize("days", [-1, 11])
def test_a_certify_outside_the_order_is_refused_in_thai(world, verified, district_officer, deputy, days):
    appoint(district_officer, world.lao_a1, deputy)
    with pytest.raises(TransitionRefused, match="อยู่นอกช่วงที่ได้รับแต่งตั้ง"):
        services.report_certify(report_id=verified.pk, actor=deputy, at=on(TODAY + timedelta(days=days)))


def test_a_backdated_certify_within_an_order_now_ended(world, verified, district_officer, deputy):
    appointment = appoint(district_officer, world.lao_a1, deputy, starts_on=TODAY)
    appointment.__class__.objects.filter(pk=appointment.pk).update(starts_on=TODAY - timedelta(days=20),
                                                                    ends_on=TODAY - timedelta(days=10))
    seal = services.report_certify(report_id=verified.pk, actor=deputy, at=on(TODAY - timedelta(days=15)))
    assert seal.acting_order_ref == ORDER


def test_a_revoked_acting_head_cannot_certify(world, verified, district_officer, deputy):
    appointment = appoint(district_officer, world.lao_a1, deputy)
    acting.acting_revoke(actor=district_officer, appointment_id=appointment.pk, today=TODAY)
    with pytest.raises(TransitionRefused):
        services.report_certify(report_id=verified.pk, actor=deputy)


def test_without_an_appointment_a_certify_is_forbidden(world, verified, deputy):
    with pytest.raises(PermissionDenied):
        services.report_certify(report_id=verified.pk, actor=deputy)


def test_the_acting_head_who_verified_may_not_certify(world, filled_report, recorder, district_officer, deputy):
    from accounts import services as account_services
    from accounts.policy import Role

    account_services.role_grant(actor=None, user=deputy, role=Role.VERIFIER, unit=world.lao_a1)
    appoint(district_officer, world.lao_a1, deputy)
    services.report_submit(report_id=filled_report.pk, actor=recorder)
    services.report_verify(report_id=filled_report.pk, actor=deputy)
    with pytest.raises(TransitionRefused, match="คนละคน"):
        services.report_certify(report_id=filled_report.pk, actor=deputy)


def test_the_acting_head_hears_of_a_verify(world, filled_report, recorder, verifier, district_officer, deputy):
    from notifications.models import Notification

    appoint(district_officer, world.lao_a1, deputy)
    services.report_submit(report_id=filled_report.pk, actor=recorder)
    services.report_verify(report_id=filled_report.pk, actor=verifier)
    assert Notification.objects.filter(recipient=deputy, kind="report_verify").exists()


def test_the_certificate_names_the_capacity_and_the_order(client, world, verified, district_officer, deputy):
    appoint(district_officer, world.lao_a1, deputy)
    services.report_certify(report_id=verified.pk, actor=deputy)
    client.force_login(deputy)
    page = client.get(reverse("certification:certificate", args=[verified.pk])).content.decode()
    assert "นายปลัด รักษาการ" in page
    assert "รักษาราชการแทน นายกเทศมนตรีตำบลด่านขุนทด" in page
    assert ORDER in page


def test_the_bulk_path_leaves_an_acting_certify_to_the_service(world, verified, district_officer, deputy):
    """The batch path checks granted roles only: an acting head's certify there is refused and writes nothing, so
    no seal of an acting head lacks its capacity."""
    appoint(district_officer, world.lao_a1, deputy)
    with pytest.raises(PermissionDenied):
        reports_transition_bulk(steps=[Step(report_id=verified.pk, action="certify", actor=deputy)])
    verified.refresh_from_db()
    assert verified.status == "verified" and not verified.seals.exists()
    assert services.report_certify(report_id=verified.pk, actor=deputy).acting_capacity == ActingCapacity.ACTING
