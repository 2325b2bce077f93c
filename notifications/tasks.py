"""Delivery tasks: they carry ids only, and running one twice sends nothing twice (rows are claimed)."""

from datetime import timedelta

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone

from notifications import services

DELIVERY_RETRIES = 10  # up to about 40 minutes of doubling waits (half that on average); then the sweep takes over


@shared_task(bind=True, acks_late=True, max_retries=DELIVERY_RETRIES,
             retry_backoff=5, retry_backoff_max=600, retry_jitter=True)
def notification_deliver_task(self, ids: list[int]) -> dict[str, int]:
    """Deliver these e-mail rows; after a transient error try the rest again later, with a growing wait.

    The wait is Celery's own exponential backoff, set by the task's options as for its automatic retries: drawn at
    random up to 5, 10, 20 … seconds (`retry_backoff`, `retry_jitter`), never more than 10 minutes
    (`retry_backoff_max`), well inside the broker's visibility timeout (Redis hands an unacknowledged task to
    another worker after it). The task computes it itself, as automatic retries would, because what it retries is
    the rows that failed, not an exception, and it notes when they are due before it asks for the retry."""
    delivery = services.notifications_deliver(ids=ids)
    # In-process (no broker) nothing waits to retry: the rows stay pending for the sweep or send_reminders.
    if delivery.retry and not self.request.is_eager and self.request.retries < self.max_retries:
        countdown = get_exponential_backoff_interval(factor=self.retry_backoff, retries=self.request.retries,
                                                     maximum=self.retry_backoff_max, full_jitter=self.retry_jitter)
        services.notifications_mark_queued(ids=delivery.retry, at=timezone.now() + timedelta(seconds=countdown))
        raise self.retry(args=[delivery.retry], countdown=countdown)
    return delivery.counts()


@shared_task(acks_late=True)
def notifications_sweep_task() -> int:
    """Queue again the e-mail rows left pending (a worker died, the broker was down); scheduled every few minutes."""
    return services.notifications_sweep()
