"""The outbox is atomic: every message is written in the transaction of the change it reports, and only its
delivery waits for the commit. A crash between the commit and the delivery loses nothing; a delivery that cannot be
queued never turns a finished step into an error."""

import re
from datetime import timedelta
from unittest import mock
from urllib.parse import urlsplit

from django.urls import reverse

from accounts import services as account_services
from accounts.models import User
from accounts.policy import Role
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import notifications_sweep


def invite_new(officer, unit, username: str, email: str) -> User:
    return account_services.account_create(actor=officer, username=username, full_name="สมชาย ใจดี", email=email,
                                           grants=[(Role.RECORDER, unit)])

NEW_PASSWORD = "a-long-passphrase-of-my-own-2568"


def invitation_rows(user: User):
    return Notification.objects.filter(recipient=user, kind="invitation", channel=Channel.EMAIL)


def link_in(message) -> str:
    return urlsplit(re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)).path


def link_works(client, path: str) -> bool:
    page = client.get(path, follow=True)
    return page.status_code == 200 and page.context["validlink"]


# Written with the change ---------------------------------------------------------------------------------------

def test_an_invitation_is_an_outbox_row_written_with_the_account(world, district_officer, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    # Given an account created, and the process dying right after the commit (on-commit hooks never run)
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        user = invite_new(district_officer, world.lao_a1, "somchai.k", "somchai@example.test")
    assert hooks, "the delivery should wait for the commit"
    row = invitation_rows(user).get()
    assert row.status == DeliveryStatus.PENDING and not mailoutbox
    # The row holds no usable link: the token is made when the e-mail is sent
    assert "/accounts/invitation/" not in f"{row.body} {row.link} {row.data}"

    # When the sweep finds the row left pending
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_sweep(stale_after=timedelta(0)) == 1

    # Then the invitation is delivered, once, with a working link
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    assert [message.to for message in mailoutbox] == [["somchai@example.test"]]
    assert "somchai.k" in mailoutbox[0].body


def test_a_broker_that_cannot_be_reached_does_not_undo_or_break_a_finished_step(
        client, world, district_officer, recorder, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(district_officer)
    with mock.patch("notifications.tasks.notification_deliver_task.delay", side_effect=ConnectionError("down")), \
            django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invitation_resend", args=[recorder.pk]))
    assert response.status_code == 302
    assert invitation_rows(recorder).get().status == DeliveryStatus.PENDING  # kept for the sweep
    assert not mailoutbox


# Invitation links die when they should --------------------------------------------------------------------------

def test_a_resent_invitation_voids_the_older_link(client, world, district_officer, recorder, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invitation_resend(actor=district_officer, user=recorder)
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invitation_resend(actor=district_officer, user=recorder)
    first, second = link_in(mailoutbox[0]), link_in(mailoutbox[1])
    assert invitation_rows(recorder).count() == 2
    assert not link_works(client, first)
    assert link_works(client, second)


def test_a_suspended_accounts_invitation_dies_and_stays_dead(client, world, district_officer, recorder,
                                                            mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invitation_resend(actor=district_officer, user=recorder)
    link = link_in(mailoutbox[0])
    assert link_works(client, link)

    account_services.account_set_active(actor=district_officer, user=recorder, active=False)
    assert not link_works(client, link)
    account_services.account_set_active(actor=district_officer, user=recorder, active=True)
    assert not link_works(client, link)


def test_setting_the_password_uses_the_link_up(client, world, district_officer, recorder, mailoutbox,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account_services.invitation_resend(actor=district_officer, user=recorder)
    page = client.get(link_in(mailoutbox[0]), follow=True)
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert not link_works(client, link_in(mailoutbox[0]))


def test_no_invitation_row_without_an_address(world, district_officer):
    user = invite_new(district_officer, world.lao_a1, "no.mail", "")
    assert not invitation_rows(user).exists()
