"""The outbox's answers to what the apps below it announce."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.signals import invitations_issued
from info_portal.names import reader_language
from notifications.models import Channel
from notifications.services import Draft, Message, notifications_write

INVITATION_KIND = "invitation"


@receiver(invitations_issued, dispatch_uid="notifications.invitations_issued")
def invitations_write(sender, *, invitations, **kwargs) -> None:
    """One e-mail row per invitation, under a key of its round, in the transaction that issued it. The row holds no
    link: the link is made when the e-mail is sent, so the database never stores a usable token."""
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    notifications_write(drafts=[
        Draft(recipient_id=user.pk, channel=Channel.EMAIL, dedupe_key=f"invitation:{user.pk}:{round_}",
              message=Message(kind=INVITATION_KIND, title=_invitation_title(user.language), body="", link="",
                              data={"round": round_, "days": days}))
        for user, round_ in invitations
    ])


def _invitation_title(language: str) -> str:
    with translation.override(reader_language(language)):
        return _("เชิญเข้าใช้ระบบข้อมูลกลางองค์กรปกครองส่วนท้องถิ่น (INFO)")
