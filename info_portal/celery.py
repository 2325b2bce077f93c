"""The Celery application: configured from Django settings (CELERY_*), tasks found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "info_portal.settings.dev")

app = Celery("info_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="info_portal.ping")
def ping() -> str:
    """Answer 'pong': proves a broker and a worker are reachable."""
    return "pong"
