"""Officers create and manage accounts within their own units, and nowhere else."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts import policy, services
from accounts.models import User
from accounts.policy import Action, Role
from tests.conftest import PASSWORD, make_user

NEW_PASSWORD = "a-long-passphrase-of-my-own-2568"


def create(client, **fields):
    data = {"username": "somchai.k", "full_name": "สมชาย ใจดี", "position": "นักวิเคราะห์นโยบายและแผน",
            "email": "somchai@example.test", "phone": "0-4438-9500", **fields}
    return client.post(reverse("accounts:user_create"), data)


def errors_of(response) -> str:
    return response.content.decode()


# Creating an account ---------------------------------------------------------------------------------

def test_district_officer_creates_a_recorder_who_sets_a_password_from_the_invitation(
    client, world, district_officer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(district_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = create(client, role=Role.RECORDER.value, unit=world.lao_a1.dla_code)

    account = User.objects.get(username="somchai.k")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[account.pk])
    assert account.created_by == district_officer
    assert not account.has_usable_password()
    assert list(policy.laos_for(account, Action.RECORD)) == [world.lao_a1]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["somchai@example.test"]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)
    assert "somchai.k" in message.body
    assert PASSWORD not in message.body

    # when the new user follows the link and sets a password
    client.logout()
    form_page = client.get(urlsplit(link).path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.url == reverse("accounts:login")

    # then they can sign in with it
    login = client.post(reverse("accounts:login"), {"username": "somchai.k", "password": NEW_PASSWORD})
    assert login.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200 and home.context["user"] == account


def test_district_officer_cannot_create_an_account_on_another_districts_lao(
    client, world, district_officer, mailoutbox
):
    client.force_login(district_officer)
    response = create(client, role=Role.RECORDER.value, unit=world.lao_a2.dla_code)
    assert response.status_code == 200
    assert "อยู่นอกขอบเขตที่คุณดูแล" in errors_of(response)
    assert not User.objects.filter(username="somchai.k").exists()
    assert mailoutbox == []


def test_district_officer_cannot_grant_the_district_officer_role(client, world, district_officer):
    client.force_login(district_officer)
    response = create(client, role=Role.DISTRICT_OFFICER.value, unit=world.district_a1.code)
    assert response.status_code == 200
    assert "คุณไม่มีสิทธิ์กำหนดบทบาทนี้" in errors_of(response)
    assert not User.objects.filter(username="somchai.k").exists()


def test_the_unit_select_offers_only_the_officers_own_laos(client, world, district_officer):
    client.force_login(district_officer)
    page = errors_of(client.get(reverse("accounts:user_create")))
    assert world.lao_a1.dla_code in page and world.lao_a1_sao.dla_code in page
    assert world.lao_a2.dla_code not in page and world.lao_b1.dla_code not in page
    assert 'value="recorder"' in page and 'value="district_officer"' not in page


@pytest.mark.parametrize(("role", "unit_attr"), [
    (Role.DISTRICT_OFFICER, "district_a2"),
    (Role.DISTRICT_OFFICER, "district_a1"),
    (Role.RECORDER, "lao_a2"),
    (Role.CERTIFIER, "pao_a"),
])
def test_provincial_officer_grants_roles_across_its_province(client, world, provincial_officer, role, unit_attr):
    unit = getattr(world, unit_attr)
    client.force_login(provincial_officer)
    response = create(client, role=role.value, unit=getattr(unit, "dla_code", None) or unit.code)
    assert response.status_code == 302
    grants = policy.grants_of(User.objects.get(username="somchai.k"))
    assert [(grant.role, grant.unit) for grant in grants] == [(role, unit)]


@pytest.mark.parametrize(("role", "code"), [
    (Role.DISTRICT_OFFICER, "4001"),
    (Role.RECORDER, "3400101"),
])
def test_provincial_officer_cannot_grant_roles_in_another_province(client, world, provincial_officer, role, code):
    client.force_login(provincial_officer)
    response = create(client, role=role.value, unit=code)
    assert "อยู่นอกขอบเขตที่คุณดูแล" in errors_of(response)
    assert not User.objects.filter(username="somchai.k").exists()


def test_provincial_officer_cannot_appoint_a_provincial_officer(client, world, provincial_officer):
    client.force_login(provincial_officer)
    response = create(client, role=Role.PROVINCIAL_OFFICER.value, unit=world.province_a.code)
    assert "คุณไม่มีสิทธิ์กำหนดบทบาทนี้" in errors_of(response)
    assert not User.objects.filter(username="somchai.k").exists()


def test_department_types_a_code_and_may_appoint_a_provincial_officer(client, world, department_admin):
    client.force_login(department_admin)
    page = errors_of(client.get(reverse("accounts:user_create"), {"q": "ขอนแก่น"}))
    assert world.lao_b1.dla_code in page and 'name="unit"' in page
    response = create(client, role=Role.PROVINCIAL_OFFICER.value, unit=world.province_b.code)
    assert response.status_code == 302
    assert list(policy.provinces_overseen(User.objects.get(username="somchai.k"))) == [world.province_b]


def test_a_role_with_the_wrong_kind_of_unit_is_refused(client, world, provincial_officer):
    client.force_login(provincial_officer)
    response = create(client, role=Role.DISTRICT_OFFICER.value, unit=world.lao_a1.dla_code)
    assert "รหัสอำเภอ 4 หลัก" in errors_of(response)
    assert not User.objects.filter(username="somchai.k").exists()


@pytest.mark.parametrize("username", ["district", "DISTRICT", " District "])
def test_a_username_in_use_is_refused_in_thai(client, world, district_officer, username):
    client.force_login(district_officer)
    response = create(client, username=username, role=Role.RECORDER.value, unit=world.lao_a1.dla_code)
    assert "มีผู้ใช้แล้ว" in errors_of(response)
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["ab", "สมชาย", "has space", ".dot-first", "x" * 65])
def test_a_malformed_username_is_refused(client, world, district_officer, username):
    client.force_login(district_officer)
    response = create(client, username=username, role=Role.RECORDER.value, unit=world.lao_a1.dla_code)
    assert "ชื่อผู้ใช้ต้องยาว 3–64 ตัว" in errors_of(response)
    assert User.objects.count() == 1


def test_the_email_is_required_for_the_invitation(client, world, district_officer):
    client.force_login(district_officer)
    response = create(client, email="", role=Role.RECORDER.value, unit=world.lao_a1.dla_code)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(username="somchai.k").exists()


# Who may reach which account ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["user_list", "user_create", "user_bulk", "user_bulk_template"])
def test_lao_users_have_no_account_pages(client, world, recorder, name):
    client.force_login(recorder)
    assert client.get(reverse(f"accounts:{name}")).status_code == 404


@pytest.mark.parametrize(("method", "name", "data"), [
    ("get", "user_detail", {}),
    ("post", "user_detail", {"full_name": "x", "email": "x@example.test"}),
    ("post", "user_role_add", {"grant-role": "recorder", "grant-unit": "5300801"}),
    ("post", "user_role_revoke", {"role": "recorder", "unit": "3400101"}),
    ("post", "user_invitation_resend", {}),
    ("get", "user_set_password", {}),
    ("post", "user_set_password", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    ("post", "user_set_active", {"active": "0"}),
])
def test_an_account_outside_the_officers_scope_is_404(client, world, district_officer, method, name, data):
    outsider = make_user("outsider", Role.RECORDER, world.lao_b1)
    client.force_login(district_officer)
    response = getattr(client, method)(reverse(f"accounts:{name}", args=[outsider.pk]), data)
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active and outsider.check_password(PASSWORD) and outsider.full_name == "outsider"
    assert list(policy.laos_for(outsider, Action.RECORD)) == [world.lao_b1]


def test_the_list_links_to_each_account_and_to_creating_them(client, world, district_officer, recorder):
    client.force_login(district_officer)
    page = errors_of(client.get(reverse("accounts:user_list")))
    assert reverse("accounts:user_detail", args=[recorder.pk]) in page
    assert reverse("accounts:user_create") in page and reverse("accounts:user_bulk") in page


# Roles -----------------------------------------------------------------------------------------------

def test_revoking_a_role_removes_the_scope(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_role_revoke", args=[recorder.pk]),
                           {"role": Role.RECORDER.value, "unit": world.lao_a1.dla_code})
    assert response.status_code == 302
    assert not policy.laos_for(recorder, Action.RECORD).exists()
    # the account held no other role here: it has left the officer's reach
    assert response.url == reverse("accounts:user_list")
    assert client.get(reverse("accounts:user_detail", args=[recorder.pk])).status_code == 404


def test_a_role_outside_the_officers_scope_cannot_be_revoked(client, world, district_officer):
    clerk = make_user("clerk", Role.RECORDER, world.lao_a1)
    services.role_grant(actor=None, user=clerk, role=Role.RECORDER, unit=world.lao_b1)
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_role_revoke", args=[clerk.pk]),
                           {"role": Role.RECORDER.value, "unit": world.lao_b1.dla_code}, follow=True)
    assert "อยู่นอกขอบเขตที่คุณดูแล" in errors_of(response)
    assert set(policy.laos_for(clerk, Action.RECORD)) == {world.lao_a1, world.lao_b1}


def test_adding_a_role_within_scope(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_role_add", args=[recorder.pk]),
                           {"grant-role": Role.VERIFIER.value, "grant-unit": world.lao_a1_sao.dla_code})
    assert response.status_code == 302
    assert list(policy.laos_for(recorder, Action.VERIFY)) == [world.lao_a1_sao]


def test_adding_a_role_outside_scope_is_refused(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_role_add", args=[recorder.pk]),
                           {"grant-role": Role.VERIFIER.value, "grant-unit": world.lao_b1.dla_code})
    assert response.status_code == 200
    assert "อยู่นอกขอบเขตที่คุณดูแล" in errors_of(response)
    assert not policy.laos_for(recorder, Action.VERIFY).exists()


# The account itself ----------------------------------------------------------------------------------

def test_a_temporary_password_forces_a_change_at_the_next_login(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_set_password", args=[recorder.pk]),
                           {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    client.logout()

    login = client.post(reverse("accounts:login"), {"username": "recorder", "password": NEW_PASSWORD}, follow=True)

    assert login.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert client.get(reverse("home")).url == reverse("accounts:password_change")
    recorder.refresh_from_db()
    assert recorder.must_change_password


def test_a_weak_temporary_password_is_refused(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_set_password", args=[recorder.pk]),
                           {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    recorder.refresh_from_db()
    assert recorder.check_password(PASSWORD) and not recorder.must_change_password


def test_an_officer_cannot_take_over_a_stronger_account(client, world, district_officer):
    # a provincial officer who also records for an LAO of the district
    stronger = make_user("stronger", Role.PROVINCIAL_OFFICER, world.province_a)
    services.role_grant(actor=None, user=stronger, role=Role.RECORDER, unit=world.lao_a1)
    client.force_login(district_officer)
    assert client.get(reverse("accounts:user_detail", args=[stronger.pk])).status_code == 200

    client.post(reverse("accounts:user_set_password", args=[stronger.pk]),
                {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post(reverse("accounts:user_detail", args=[stronger.pk]),
                {"full_name": "x", "email": "attacker@example.test"})
    client.post(reverse("accounts:user_set_active", args=[stronger.pk]), {"active": "0"})

    stronger.refresh_from_db()
    assert stronger.check_password(PASSWORD) and stronger.email == "stronger@example.test" and stronger.is_active


def test_editing_the_contact_details(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.post(reverse("accounts:user_detail", args=[recorder.pk]), {
        "full_name": "สมใจ บันทึกดี", "position": "นักวิชาการคอมพิวเตอร์", "email": "somjai@example.test",
        "phone": "08-1234-5678",
    })
    assert response.status_code == 302
    recorder.refresh_from_db()
    assert (recorder.full_name, recorder.email, recorder.phone) == ("สมใจ บันทึกดี", "somjai@example.test",
                                                                    "08-1234-5678")


def test_resending_the_invitation(client, world, district_officer, recorder, mailoutbox,
                                  django_capture_on_commit_callbacks):
    client.force_login(district_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invitation_resend", args=[recorder.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [recorder.email]
    assert "/accounts/invitation/" in mailoutbox[0].body


def test_deactivating_and_reactivating(client, world, district_officer, recorder):
    client.force_login(district_officer)
    client.post(reverse("accounts:user_set_active", args=[recorder.pk]), {"active": "0"})
    recorder.refresh_from_db()
    assert not recorder.is_active
    assert not policy.laos_for(recorder, Action.RECORD).exists()

    client.post(reverse("accounts:user_set_active", args=[recorder.pk]), {"active": "1"})
    recorder.refresh_from_db()
    assert recorder.is_active


def test_the_department_cannot_revoke_its_own_role(client, world, department_admin):
    client.force_login(department_admin)
    client.post(reverse("accounts:user_role_revoke", args=[department_admin.pk]),
                {"role": Role.DEPARTMENT_ADMIN.value, "unit": ""})
    department_admin = User.objects.get(pk=department_admin.pk)
    assert policy.is_department(department_admin)


def test_the_detail_page_shows_roles_and_actions(client, world, district_officer, recorder):
    client.force_login(district_officer)
    response = client.get(reverse("accounts:user_detail", args=[recorder.pk]))
    page = errors_of(response)
    assert response.status_code == 200
    assert world.lao_a1.name_th in page
    assert reverse("accounts:user_role_revoke", args=[recorder.pk]) in page
    assert reverse("accounts:user_set_password", args=[recorder.pk]) in page
