"""The daily job in the beat schedule: 08:30 Bangkok time is 01:30 UTC; the sweep runs every few minutes."""

from datetime import UTC, datetime

from django_celery_beat.models import PeriodicTask

from info_portal.celery import app


def test_the_daily_plan_and_the_sweep_are_scheduled_and_registered(db):
    daily = PeriodicTask.objects.select_related("crontab").get(name="reminders daily")
    sweep = PeriodicTask.objects.select_related("interval").get(name="notifications sweep")
    assert daily.enabled and sweep.enabled
    assert (daily.crontab.minute, daily.crontab.hour, str(daily.crontab.timezone)) == ("30", "8", "Asia/Bangkok")
    assert (sweep.interval.every, sweep.interval.period) == (5, "minutes")
    app.loader.import_default_modules()
    assert {daily.task, sweep.task} <= set(app.tasks)


def test_the_0830_bangkok_job_runs_at_0130_utc(db):
    schedule = PeriodicTask.objects.get(name="reminders daily").crontab.schedule
    ran_yesterday = datetime(2025, 6, 7, 1, 30, tzinfo=UTC)

    schedule.nowfun = lambda: datetime(2025, 6, 8, 1, 29, 59, tzinfo=UTC)
    due, _next_check = schedule.is_due(ran_yesterday)
    assert not due

    schedule.nowfun = lambda: datetime(2025, 6, 8, 1, 30, 0, tzinfo=UTC)
    due, next_check = schedule.is_due(ran_yesterday)
    assert due
    assert next_check == 24 * 3600  # and again at 01:30 UTC tomorrow
