"""Delivery tasks: they carry ids only, and running one twice sends nothing twice (rows are claimed)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from notifications import services

DELIVERY_RETRIES = 10  # about 40 minutes of doubling waits; the sweep takes over after that


@shared_task(bind=True, acks_late=True, max_retries=DELIVERY_RETRIES)
def notification_deliver_task(self, ids: list[int]) -> dict[str, int]:
    """Deliver these e-mail rows; after a transient error try the rest again later, with a growing wait."""
    delivery = services.notifications_deliver(ids=ids)
    # In-process (no broker) nothing waits to retry: the rows stay pending for the sweep or send_reminders.
    if delivery.retry and not self.request.is_eager and self.request.retries < self.max_retries:
        countdown = services.retry_countdown(self.request.retries)
        services.notifications_mark_queued(ids=delivery.retry, at=timezone.now() + timedelta(seconds=countdown))
        raise self.retry(args=[delivery.retry], countdown=countdown)
    return delivery.counts()


@shared_task(acks_late=True)
def notifications_sweep_task() -> int:
    """Queue again the e-mail rows left pending (a worker died, the broker was down); scheduled every few minutes."""
    return services.notifications_sweep()
