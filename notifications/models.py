"""Notification: the outbox and the inbox in one table, one row per recipient, message and channel."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("ในระบบ")
    EMAIL = "email", _("อีเมล")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")


class Notification(models.Model):
    """Written before anything is sent, under a unique key, so a message is never lost nor sent twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("ประเภท"), max_length=40)
    channel = models.CharField(_("ช่องทาง"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    title = models.CharField(_("เรื่อง"), max_length=300)
    body = models.TextField(_("ข้อความ"), blank=True)
    link = models.CharField(_("ลิงก์"), max_length=500, blank=True)
    stage = models.CharField(_("ช่วงการเตือน"), max_length=40, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(_("สถานะการส่ง"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # What a rich e-mail shows (tables of work, contacts); the body above is the same message as plain text.
    data = models.JSONField(_("ข้อมูลประกอบ"), default=dict, blank=True)
    # When the row was last handed to the broker (or is due back from a retry): the sweep re-queues rows left
    # pending long after it.
    queued_at = models.DateTimeField(_("เข้าคิวส่งเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"]),
            models.Index(fields=["channel", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"
