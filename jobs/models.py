"""Job: one long piece of work run by a Celery worker, whose row is the truth of where it stands."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังทำงาน")
    SUCCEEDED = "succeeded", _("เสร็จแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ")


LIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """A background job: who started it, on what, how far it got, and what came of it (a summary, a file, or a
    Thai error). Only ids and dates go to the worker; the worker reads the rest from this row."""

    kind = models.CharField(_("ประเภทงาน"), max_length=40)
    task = models.CharField(_("งาน Celery"), max_length=200)  # the registered name of the task that runs it
    title = models.CharField(_("งาน"), max_length=300)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                                   verbose_name=_("เริ่มโดย"))
    # What the job works on ("round:3", "registry"): two live jobs of one kind never share a scope.
    scope = models.CharField(_("ขอบเขต"), max_length=100, blank=True)
    params = models.JSONField(_("ค่าที่ใช้"), default=dict, blank=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    step = models.CharField(_("ขั้นตอน"), max_length=200, blank=True)
    done = models.PositiveIntegerField(_("ทำแล้ว"), default=0)
    total = models.PositiveIntegerField(_("ทั้งหมด"), null=True, blank=True)
    summary = models.TextField(_("ผลลัพธ์"), blank=True)
    result = models.JSONField(_("รายละเอียดผลลัพธ์"), default=dict, blank=True)
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    input_file = models.FileField(_("ไฟล์ที่ส่งเข้า"), upload_to="jobs/input/%Y/%m/", blank=True)
    output_file = models.FileField(_("ไฟล์ผลลัพธ์"), upload_to="jobs/output/%Y/%m/", blank=True)
    output_name = models.CharField(_("ชื่อไฟล์ผลลัพธ์"), max_length=200, blank=True)
    return_url = models.CharField(_("กลับไปที่"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่เริ่มทำ"), default=0)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    started_at = models.DateTimeField(_("เริ่มทำเมื่อ"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("รายงานความคืบหน้าล่าสุด"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")
        constraints = [
            models.UniqueConstraint(fields=["kind", "scope"], name="one_live_job_per_kind_and_scope",
                                    condition=Q(status__in=LIVE_STATUSES) & ~Q(scope="")),
            models.CheckConstraint(condition=Q(total__isnull=True) | Q(done__lte=models.F("total")),
                                   name="job_done_at_most_total"),
        ]
        indexes = [models.Index(fields=["started_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))
