"""The sweep in the beat schedule: every five minutes, re-queue e-mails left pending; editable in the admin."""

from django.db import migrations

TASK_NAME = "notifications sweep"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(name=TASK_NAME, defaults={
        "task": "notifications.tasks.notifications_sweep_task",
        "interval": every,
        "description": "ส่งอีเมลที่ยังค้างอยู่เข้าคิวอีกครั้ง (เช่น เมื่อ worker หยุดทำงานกลางคัน)",
    })


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_delivery_data"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
