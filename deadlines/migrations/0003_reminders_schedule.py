"""The daily reminder plan in the beat schedule: 08:30 Bangkok time, editable in the admin (Periodic tasks)."""

from django.db import migrations

TASK_NAME = "reminders daily"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Bangkok")
    PeriodicTask.objects.get_or_create(name=TASK_NAME, defaults={
        "task": "deadlines.tasks.reminders_plan_task",
        "crontab": crontab,
        "description": "แจ้งเตือนกำหนดส่งข้อมูลประจำวัน: วางแผนและส่งการแจ้งเตือนที่ถึงกำหนดของวันนั้น",
    })


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0002_chase_log"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
