"""Every role sees exactly its own org units; nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import policy, services
from accounts.policy import Action, Role
from organizations.models import LAO
from tests.conftest import make_user


def names(queryset) -> set[str]:
    return set(queryset.values_list("name_th", flat=True))


def test_recorder_records_and_sees_only_own_lao(world, recorder):
    assert names(policy.laos_for(recorder, Action.SEE)) == {world.lao_a1.name_th}
    assert names(policy.laos_for(recorder, Action.RECORD)) == {world.lao_a1.name_th}
    assert not policy.laos_for(recorder, Action.VERIFY).exists()
    assert not policy.laos_for(recorder, Action.CERTIFY).exists()
    assert not policy.laos_for(recorder, Action.OVERSEE).exists()
    assert not policy.districts_overseen(recorder).exists()


@pytest.mark.parametrize(("role", "action"), [
    (Role.RECORDER, Action.RECORD), (Role.VERIFIER, Action.VERIFY), (Role.CERTIFIER, Action.CERTIFY),
])
def test_each_lao_role_grants_exactly_its_action(world, role, action):
    user = make_user("someone", role, world.lao_a1)
    for other in (Action.RECORD, Action.VERIFY, Action.CERTIFY):
        expected = {world.lao_a1.name_th} if other == action else set()
        assert names(policy.laos_for(user, other)) == expected


def test_user_with_roles_on_two_laos_sees_both(world):
    user = make_user("clerk", Role.RECORDER, world.lao_a1)
    services.role_grant(actor=None, user=user, role=Role.RECORDER, unit=world.lao_b1)
    assert names(policy.laos_for(user, Action.RECORD)) == {world.lao_a1.name_th, world.lao_b1.name_th}
    assert names(policy.laos_served(user)) == {world.lao_a1.name_th, world.lao_b1.name_th}


def test_district_officer_sees_the_laos_of_its_district_only(world, district_officer):
    expected = {world.lao_a1.name_th, world.lao_a1_sao.name_th}
    assert names(policy.laos_for(district_officer, Action.SEE)) == expected
    assert names(policy.laos_for(district_officer, Action.OVERSEE)) == expected
    assert not policy.laos_for(district_officer, Action.RECORD).exists()
    assert list(policy.districts_overseen(district_officer)) == [world.district_a1]
    assert not policy.provinces_overseen(district_officer).exists()


def test_provincial_officer_sees_every_lao_and_district_of_its_province(world, provincial_officer):
    expected = {world.pao_a.name_th, world.lao_a1.name_th, world.lao_a1_sao.name_th, world.lao_a2.name_th}
    assert names(policy.laos_for(provincial_officer, Action.SEE)) == expected
    assert set(policy.districts_overseen(provincial_officer)) == {world.district_a1, world.district_a2}
    assert list(policy.provinces_overseen(provincial_officer)) == [world.province_a]


def test_department_sees_the_nation_but_records_nothing(world, department_admin):
    assert policy.laos_for(department_admin, Action.SEE).count() == LAO.objects.count()
    assert policy.provinces_overseen(department_admin).count() == 2
    assert not policy.laos_for(department_admin, Action.RECORD).exists()


def test_a_user_without_roles_sees_nothing(world, nobody):
    for action in Action:
        assert not policy.laos_for(nobody, action).exists()
    assert not policy.districts_overseen(nobody).exists()


def test_inactive_user_sees_nothing(world, recorder):
    recorder.is_active = False
    recorder.save()
    assert not policy.laos_for(recorder, Action.SEE).exists()


def test_revoking_a_role_removes_the_scope(world, recorder):
    services.role_revoke(actor=None, user=recorder, role=Role.RECORDER, unit=world.lao_a1)
    assert not policy.laos_for(recorder, Action.SEE).exists()


def test_grants_are_stored_in_the_direct_foreign_key_tables(world, recorder, district_officer, provincial_officer):
    assert recorder.laouserobjectpermission_set.get().content_object == world.lao_a1
    assert district_officer.districtuserobjectpermission_set.get().content_object == world.district_a1
    assert provincial_officer.provinceuserobjectpermission_set.get().content_object == world.province_a


def test_grants_of_lists_roles_with_units(world, recorder, department_admin):
    assert [(g.role, g.unit) for g in policy.grants_of(recorder)] == [(Role.RECORDER, world.lao_a1)]
    assert [(g.role, g.unit) for g in policy.grants_of(department_admin)] == [(Role.DEPARTMENT_ADMIN, None)]


def test_officers_manage_accounts_only_within_their_units(world, district_officer, provincial_officer):
    assert policy.may_manage_unit(district_officer, world.lao_a1)
    assert not policy.may_manage_unit(district_officer, world.lao_a2)
    assert not policy.may_manage_unit(district_officer, world.district_a1)
    assert policy.may_manage_unit(provincial_officer, world.district_a2)
    assert policy.may_manage_unit(provincial_officer, world.pao_a)
    assert not policy.may_manage_unit(provincial_officer, world.lao_b1)
    assert not policy.may_manage_unit(provincial_officer, world.district_b1)


def test_the_account_pages_are_for_officers_and_the_department(world, district_officer, provincial_officer,
                                                                department_admin, recorder, nobody):
    assert all(policy.may_manage_accounts(user) for user in (district_officer, provincial_officer, department_admin))
    assert not any(policy.may_manage_accounts(user) for user in (recorder, nobody, AnonymousUser()))


def test_only_the_department_sets_and_runs_a_round(world, district_officer, provincial_officer, department_admin,
                                                   recorder):
    assert policy.may_set_round(department_admin)
    assert not any(policy.may_set_round(user) for user in (district_officer, provincial_officer, recorder))
    department_admin.is_active = False
    assert not policy.may_set_round(department_admin)


def test_only_the_department_sees_the_nation(world, district_officer, provincial_officer, department_admin,
                                            recorder):
    assert policy.sees_nation(department_admin)
    assert not any(policy.sees_nation(user) for user in (district_officer, provincial_officer, recorder,
                                                          AnonymousUser()))
    department_admin.is_active = False
    assert not policy.sees_nation(department_admin)


def test_the_department_role_opens_the_admin_site(client, world):
    admin_user = make_user("dla", Role.DEPARTMENT_ADMIN, None)
    assert admin_user.is_staff
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organizations/lao/").status_code == 200
    services.role_revoke(actor=None, user=admin_user, role=Role.DEPARTMENT_ADMIN)
    admin_user.refresh_from_db()
    assert not admin_user.is_staff
    assert client.get("/admin/organizations/lao/").status_code == 302


def test_other_roles_do_not_open_the_admin_site(client, world, provincial_officer):
    client.force_login(provincial_officer)
    assert client.get("/admin/").status_code == 302
