"""Acting heads: a manager of an LAO appoints an account to certify in place of its head between two days; the
policy lets it certify within them only, and every appointment and revocation is audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import acting, policy
from accounts.models import AccountAction, AccountEvent, ActingAppointment, ActingCapacity
from accounts.policy import Action, Role
from tests.conftest import make_user

TODAY = timezone.localdate()
ORDER = "คำสั่งอำเภอด่านขุนทด ที่ 123/2568"


@pytest.fixture
def deputy(world):
    return make_user("deputy", full_name="นายปลัด รักษาการ", position="ปลัดเทศบาล")


def appoint(actor, lao, user, *, starts_on=TODAY, ends_on=TODAY + timedelta(days=30), **fields):
    return acting.acting_appoint(actor=actor, lao=lao, user=user,
                                 capacity=fields.pop("capacity", ActingCapacity.ACTING),
                                 order_ref=fields.pop("order_ref", ORDER), starts_on=starts_on, ends_on=ends_on,
                                 today=fields.pop("today", TODAY), **fields)


def fresh(user):
    policy.forget_roles(user)
    return user


def test_within_the_range_the_acting_head_may_certify(world, district_officer, deputy):
    appointment = appoint(district_officer, world.lao_a1, deputy)
    assert appointment.acting_for == "นายกเทศมนตรีตำบลด่านขุนทด"
    assert policy.can(fresh(deputy), Action.CERTIFY, world.lao_a1)
    assert world.lao_a1 in policy.laos_for(fresh(deputy), Action.CERTIFY)
    assert not policy.can(fresh(deputy), Action.CERTIFY, world.lao_a1_sao)
    assert deputy in policy.users_with_role(world.lao_a1, Role.CERTIFIER)
    # no grant of the role: the account pages do not list it as one
    assert all(grant.role != Role.CERTIFIER for grant in policy.grants_of(fresh(deputy)))


@pytest.mark.parametrize("starts, ends", [(1, 10), (-10, -1)])
def test_before_or_after_the_range_the_acting_head_may_not(world, district_officer, deputy, starts, ends):
    ActingAppointment.objects.create(lao=world.lao_a1, user=deputy, capacity=ActingCapacity.ACTING, acting_for="x",
                                     order_ref=ORDER, starts_on=TODAY + timedelta(days=starts),
                                     ends_on=TODAY + timedelta(days=ends), appointed_by=district_officer)
    assert not policy.can(fresh(deputy), Action.CERTIFY, world.lao_a1)
    assert deputy not in policy.users_with_role(world.lao_a1, Role.CERTIFIER)
    assert policy.role_holders([world.lao_a1.pk], [Role.CERTIFIER], on=TODAY + timedelta(days=starts)) \
        [-1].user_id == deputy.pk


def test_a_revoked_appointment_gives_nothing_from_that_day(world, district_officer, deputy):
    appointment = appoint(district_officer, world.lao_a1, deputy, starts_on=TODAY - timedelta(days=5))
    acting.acting_revoke(actor=district_officer, appointment_id=appointment.pk, today=TODAY)
    appointment.refresh_from_db()
    assert appointment.revoked_on == TODAY and appointment.revoked_by == district_officer
    assert appointment.last_day == TODAY - timedelta(days=1)
    assert not policy.can(fresh(deputy), Action.CERTIFY, world.lao_a1)
    with pytest.raises(ValidationError):
        acting.acting_revoke(actor=district_officer, appointment_id=appointment.pk, today=TODAY)
    assert ActingAppointment.objects.filter(pk=appointment.pk).exists()


def test_an_overlapping_appointment_of_the_same_lao_is_refused(world, district_officer, deputy):
    appoint(district_officer, world.lao_a1, deputy)
    other = make_user("other")
    with pytest.raises(ValidationError) as refused:
        appoint(district_officer, world.lao_a1, other, starts_on=TODAY + timedelta(days=30),
                ends_on=TODAY + timedelta(days=40))
    assert "ซ้อน" in str(refused.value.message_dict["starts_on"])
    # another LAO, or the days after, are free
    appoint(district_officer, world.lao_a1_sao, other)
    appoint(district_officer, world.lao_a1, other, starts_on=TODAY + timedelta(days=31),
            ends_on=TODAY + timedelta(days=40))


def test_a_revoked_appointment_no_longer_blocks_the_range(world, district_officer, deputy):
    first = appoint(district_officer, world.lao_a1, deputy, starts_on=TODAY + timedelta(days=1))
    acting.acting_revoke(actor=district_officer, appointment_id=first.pk, today=TODAY)
    appoint(district_officer, world.lao_a1, make_user("other"), starts_on=TODAY + timedelta(days=1))


@pytest.mark.parametrize("fields, field, words", [
    ({"starts_on": TODAY, "ends_on": TODAY - timedelta(days=1)}, "ends_on", "ก่อนวันเริ่มต้น"),
    ({"starts_on": TODAY, "ends_on": TODAY + timedelta(days=400)}, "ends_on", "1 ปี"),
    ({"starts_on": TODAY - timedelta(days=9), "ends_on": TODAY - timedelta(days=1)}, "ends_on", "ผ่านไปแล้ว"),
    ({"order_ref": "  "}, "order_ref", "เลขที่คำสั่ง"),
    ({"capacity": "boss"}, "capacity", "ฐานะ"),
])
def test_the_rules_of_an_appointment(world, district_officer, deputy, fields, field, words):
    with pytest.raises(ValidationError) as refused:
        appoint(district_officer, world.lao_a1, deputy, **fields)
    assert words in " ".join(refused.value.message_dict[field])
    assert not ActingAppointment.objects.exists()


def test_the_lao_certifier_or_the_manager_themselves_cannot_be_appointed(world, district_officer, certifier):
    for user in (certifier, district_officer):
        with pytest.raises(ValidationError):
            appoint(district_officer, world.lao_a1, user)


def test_only_managers_of_the_lao_appoint(world, district_officer, provincial_officer, department_admin, deputy,
                                          certifier):
    b1_officer = make_user("district_b1", Role.DISTRICT_OFFICER, world.district_b1)
    for outsider in (b1_officer, certifier, deputy):
        with pytest.raises(PermissionDenied):
            appoint(outsider, world.lao_a1, make_user(f"x_{outsider.username}"))
    appointment = appoint(provincial_officer, world.lao_a1, deputy)
    with pytest.raises(PermissionDenied):
        acting.acting_revoke(actor=b1_officer, appointment_id=appointment.pk, today=TODAY)
    acting.acting_revoke(actor=department_admin, appointment_id=appointment.pk, today=TODAY)


def test_appointing_and_revoking_are_audited(world, district_officer, deputy):
    appointment = appoint(district_officer, world.lao_a1, deputy)
    acting.acting_revoke(actor=district_officer, appointment_id=appointment.pk, today=TODAY)
    rows = list(AccountEvent.objects.filter(account=deputy).order_by("pk")
                .values_list("action", "actor__username", "lao_id"))
    assert rows[-2:] == [(AccountAction.ACTING_APPOINTED, "district", world.lao_a1.pk),
                         (AccountAction.ACTING_REVOKED, "district", world.lao_a1.pk)]
    assert ORDER in AccountEvent.objects.filter(action=AccountAction.ACTING_APPOINTED).get().detail


def test_certifiers_on_a_day_in_bulk(world, district_officer, certifier, deputy):
    appoint(district_officer, world.lao_a1, deputy, starts_on=date.today() + timedelta(days=2))
    on_day = {(h.unit_id, h.user_id) for h in policy.role_holders(None, [Role.CERTIFIER],
                                                                   on=TODAY + timedelta(days=3))}
    assert on_day == {(world.lao_a1.pk, certifier.pk), (world.lao_a1.pk, deputy.pk)}
    assert {h.user_id for h in policy.role_holders(None, [Role.CERTIFIER])} == {certifier.pk}
