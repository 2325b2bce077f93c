"""A notification as an e-mail in the recipient's language (Thai unless they chose English), plain text and HTML,
with an absolute link to the page where the work waits.

Each kind of message may have its own templates (`notifications/email/<kind>.txt` / `.html`, fed by the row's
`data`); any other kind uses the plain `message` templates around the row's body.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from accounts.tokens import invitation_link
from info_portal.names import reader_language
from notifications.models import Notification


def absolute_link(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def message_id(notification: Notification) -> str:
    """The same Message-ID on every try, so a copy that crossed the network twice can be recognised."""
    host = urlsplit(settings.SITE_URL).hostname or "info.localhost"
    return f"<notification.{notification.pk}@{host}>"


def email_message(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    context = {
        "notification": notification,
        "recipient": recipient,
        "data": notification.data or {},
        "link": absolute_link(notification.link),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    kind = notification.kind
    if kind == "invitation":  # the link is made now, never stored: a token in a table would be a password in it
        context["link"] = invitation_link(user=recipient)
    with translation.override(reader_language(recipient.language)):
        text = render_to_string([f"notifications/email/{kind}.txt", "notifications/email/message.txt"], context)
        html = render_to_string([f"notifications/email/{kind}.html", "notifications/email/message.html"], context)
    message = EmailMultiAlternatives(
        subject=f"[INFO] {notification.title}", body=text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Message-ID": message_id(notification), "X-INFO-Notification": str(notification.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message
