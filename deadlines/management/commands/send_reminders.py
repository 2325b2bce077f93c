import datetime
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.policy import Role
from deadlines import reminders
from info_portal.celery import app
from info_portal.thai import thai_date
from notifications.services import notifications_sweep


def level_label(level: str) -> str:
    roles = {"department": [Role.DEPARTMENT_ADMIN], "province": [Role.PROVINCIAL_OFFICER],
             "district": [Role.DISTRICT_OFFICER], "lao": [Role.RECORDER, Role.VERIFIER, Role.CERTIFIER]}[level]
    return " / ".join(role.label for role in roles)


class Command(BaseCommand):
    help = ("Plan and send the reminders due on a day, as the daily beat job does (safe to run twice: nothing is "
            "sent twice). --dry-run prints who would hear what, per level, and writes nothing.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today in Bangkok)")
        parser.add_argument("--dry-run", action="store_true", help="print the plan; write and send nothing")
        parser.add_argument("--limit", type=int, default=0,
                            help="with --dry-run, print at most this many messages per level (0: all)")

    def handle(self, *args, date: str | None, dry_run: bool, limit: int, **options) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        plans = reminders.reminders_plan(today=today, dry_run=dry_run)
        if not plans:
            self.stdout.write(f"{today.isoformat()}: no published round is open on this day; nothing to send")
        for plan in plans:
            self.stdout.write(f"== {plan.round} · {today.isoformat()} ({thai_date(today)}) · "
                              f"{len(plan.messages)} messages")
            if dry_run:
                self._print(plan.messages, limit)
            else:
                written = plan.written
                self.stdout.write(f"written: {written.created} new rows (portal and e-mail), "
                                  f"{written.existing} already there; e-mails queued: {len(written.email_ids)}")
        if not dry_run and app.conf.task_always_eager:
            # No broker, so no beat and no sweep: deliver here whatever an earlier run left pending.
            again = notifications_sweep(stale_after=datetime.timedelta(0))
            self.stdout.write(f"e-mails left pending by earlier runs, sent now: {again}")

    def _print(self, messages: list[reminders.PlannedMessage], limit: int) -> None:
        by_level = defaultdict(list)
        for message in messages:
            by_level[message.level].append(message)
        for level in reminders.LEVELS:
            planned = by_level.get(level, [])
            self.stdout.write(f"\n--- {level_label(level)}: {len(planned)}")
            for message in planned[:limit or None]:
                person = message.recipient
                channels = "portal+email" if person.email else "portal"
                self.stdout.write(f"\n* {person.name} <{person.username}{', ' + person.email if person.email else ''}>"
                                  f" · {message.stage} · {channels}")
                self.stdout.write(f"  {message.message.title}")
                for line in message.message.body.splitlines():
                    self.stdout.write(f"    {line}" if line.strip() else "")
                self.stdout.write(f"    -> {message.message.link}")
            if limit and len(planned) > limit:
                self.stdout.write(f"\n  … {len(planned) - limit} more")
