"""The admin is no way around the account rules, every account change leaves an audit row, and an officer's account
pages show only their own units."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import policy, services
from accounts.models import AccountAction, AccountEvent, LAOUserObjectPermission, User
from accounts.policy import Role
from tests.conftest import make_user

# The admin ----------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, department_admin):
    client.force_login(department_admin)
    return client


def test_the_department_sees_accounts_in_the_admin_but_cannot_change_them(admin_client, recorder):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[recorder.pk]))
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content and b'name="_save"' not in page.content

    response = admin_client.post(reverse("admin:accounts_user_change", args=[recorder.pk]), {
        "username": recorder.username, "full_name": "x", "is_superuser": "on", "is_staff": "on", "is_active": "on",
        "user_permissions": [p.pk for p in Permission.objects.all()[:5]],
        "groups": [Group.objects.get_or_create(name="x")[0].pk]})
    assert response.status_code == 403
    recorder.refresh_from_db()
    assert not recorder.is_superuser and not recorder.is_staff and recorder.full_name == "recorder"
    assert not recorder.user_permissions.exists() and not recorder.groups.exists()


@pytest.mark.parametrize("name", ["admin:accounts_user_add", "admin:auth_group_add"])
def test_the_department_creates_no_account_or_group_in_the_admin(admin_client, name):
    before = (User.objects.count(), Group.objects.count())
    assert admin_client.post(reverse(name), {"username": "boss", "name": "boss", "password1": "x" * 20,
                                             "password2": "x" * 20}).status_code in (403, 404)
    assert (User.objects.count(), Group.objects.count()) == before


def test_nobody_sets_a_password_through_the_admin(admin_client, world):
    root = User.objects.create_superuser("root", "root@example.test", "root-password-long-2568", full_name="root")
    old = root.password
    response = admin_client.post(f"/admin/accounts/user/{root.pk}/password/",
                                 {"password1": "takeover-2568-x", "password2": "takeover-2568-x"}, follow=True)
    assert b'name="password1"' not in response.content  # no password form anywhere on the way
    root.refresh_from_db()
    assert root.password == old


def test_grant_rows_cannot_be_edited_in_the_admin(admin_client, world, recorder):
    grant = LAOUserObjectPermission.objects.get(user=recorder)
    assert admin_client.post(reverse("admin:accounts_laouserobjectpermission_delete", args=[grant.pk]),
                             {"post": "yes"}).status_code == 403
    assert admin_client.post(reverse("admin:accounts_laouserobjectpermission_add"), {
        "user": recorder.pk, "permission": Permission.objects.get(codename="certify_lao").pk,
        "content_object": world.lao_a1.pk}).status_code == 403
    assert list(policy.grants_of(recorder)) == [policy.Grant(Role.RECORDER, world.lao_a1)]


def test_the_admin_log_and_lockout_records_cannot_be_deleted(admin_client, department_admin, world):
    attempt = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", failures_since_start=5)
    entry = LogEntry.objects.create(user=department_admin, content_type=ContentType.objects.get_for_model(User),
                                    object_id="1", object_repr="x", action_flag=1)
    assert admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
                             {"post": "yes"}).status_code in (403, 404)
    assert admin_client.post(reverse("admin:axes_accessattempt_changelist"),
                             {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
                             ).status_code in (403, 404)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists() and LogEntry.objects.filter(pk=entry.pk).exists()


# Only the services change accounts, and each change is audited ---------------------------------------------------


def test_nobody_grants_a_role_to_themselves(world, district_officer, department_admin):
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=district_officer, user=district_officer, role=Role.RECORDER, unit=world.lao_a1)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=department_admin, user=department_admin, role=Role.PROVINCIAL_OFFICER,
                            unit=world.province_a)
    assert not policy.can(district_officer, "record", world.lao_a1)


def test_each_account_change_writes_who_what_where_and_when(world, district_officer):
    user = services.account_create(actor=district_officer, username="somchai.k", full_name="สมชาย", email="s@x.test",
                                   grants=[(Role.RECORDER, world.lao_a1)])
    services.account_update(actor=district_officer, user=user, full_name="สมชาย ใจดี", position="", email="s@x.test",
                            phone="")
    services.role_grant(actor=district_officer, user=user, role=Role.VERIFIER, unit=world.lao_a1_sao)
    services.role_revoke(actor=district_officer, user=user, role=Role.VERIFIER, unit=world.lao_a1_sao)
    services.account_set_password_by_admin(actor=district_officer, user=user, password="temporary-pass-2568")
    services.account_set_active(actor=district_officer, user=user, active=False)

    rows = list(AccountEvent.objects.filter(account=user).order_by("pk")
                .values_list("action", "actor__username", "role", "lao__dla_code"))
    assert rows == [
        (AccountAction.CREATED, "district", "", None),
        (AccountAction.ROLE_GRANTED, "district", "recorder", "5300801"),
        (AccountAction.INVITED, "district", "", None),
        (AccountAction.UPDATED, "district", "", None),
        (AccountAction.ROLE_GRANTED, "district", "verifier", "6300801"),
        (AccountAction.ROLE_REVOKED, "district", "verifier", "6300801"),
        (AccountAction.PASSWORD_SET, "district", "", None),
        (AccountAction.DEACTIVATED, "district", "", None),
    ]
    assert all(event.at is not None for event in AccountEvent.objects.filter(account=user))


def test_a_refused_grant_leaves_neither_a_grant_nor_an_audit_row(world, district_officer, recorder):
    before = AccountEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=district_officer, user=recorder, role=Role.RECORDER, unit=world.lao_b1)
    assert AccountEvent.objects.count() == before
    assert not policy.can(recorder, "record", world.lao_b1)


# The account page ----------------------------------------------------------------------------------------------


def test_the_account_page_shows_a_district_officer_only_the_units_of_their_district(client, world, district_officer,
                                                                                  department_admin):
    # Given a recorder of the district who also records for an LAO of another province
    user = make_user("two.places", Role.RECORDER, world.lao_a1)
    services.role_grant(actor=department_admin, user=user, role=Role.RECORDER, unit=world.lao_b1)

    client.force_login(district_officer)
    page = client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert world.lao_a1.name_th in page
    assert world.lao_b1.name_th not in page  # neither among the roles nor in the history

    client.force_login(department_admin)
    page = client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert world.lao_a1.name_th in page and world.lao_b1.name_th in page
    assert "ประวัติการเปลี่ยนแปลงบัญชี" in page and "เพิ่มบทบาท" in page


def test_the_admin_shows_no_second_factor_secrets(admin_client, provincial_officer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=provincial_officer, name="authenticator", confirmed=True)
    for path in (f"/admin/otp_totp/totpdevice/{device.pk}/config/", f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
                 "/admin/otp_static/staticdevice/"):
        response = admin_client.get(path, follow=True)
        assert response.status_code == 404, path
        assert device.key not in response.content.decode()
