"""The calendar and the words of reminders: the stage a deadline reaches on a day, how far an LAO has got, and
how each is said."""

from datetime import date

from django.utils.translation import gettext as _

from accounts.policy import Role
from deadlines.models import ReportingRound
from deadlines.selectors import round_last_day
from sectors.workflow import pending_step

ANNOUNCE, CHASE = "announce", "chase"
LEVELS = ("department", "province", "district", "lao")  # the order a dry run lists them in
KINDS = {"lao": "reminder_lao", "district": "reminder_district", "province": "reminder_province",
         "department": "reminder_department"}
# How far an LAO has got: the earliest step any of its sectors still waits at, named by the role that takes it.
PHASES = ("recording", "verifying", "certifying", "certified")
_PHASE_OF_ROLE = {Role.RECORDER: "recording", Role.VERIFIER: "verifying", Role.CERTIFIER: "certifying"}


def phase_of(status: str | None) -> str:
    """The phase of one sector: whose step it waits for (sectors.workflow), or certified when none is left."""
    step = pending_step(status)
    return _PHASE_OF_ROLE[step.role] if step is not None else "certified"


def stage_on(round_: ReportingRound, due: date, today: date) -> str | None:
    """The stage a deadline reaches on `today`: `t-14` … `t-0` on the round's stage days before it, then
    `overdue-3`, `overdue-6` … every `overdue_every_days` after it until the round closes; else none."""
    if today < round_.opens_on or today > round_last_day(round_):
        return None
    days_left = (due - today).days
    if days_left >= 0:
        return f"t-{days_left}" if days_left in round_.stages else None
    overdue, every = -days_left, round_.overdue_every_days
    return f"overdue-{overdue}" if every and overdue % every == 0 else None


def stage_label(stage: str) -> str:
    if stage == "t-0":
        return _("ครบกำหนดวันนี้")
    if stage.startswith("t-"):
        return _("อีก %(days)s วันครบกำหนด") % {"days": stage[2:]}
    if stage.startswith("overdue-"):
        return _("เลยกำหนดมาแล้ว %(days)s วัน") % {"days": stage.removeprefix("overdue-")}
    return ""


def days_text(due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return _("เหลือ %(days)s วัน") % {"days": days}
    if days == 0:
        return _("ครบกำหนดวันนี้")
    return _("เลยกำหนด %(days)s วัน") % {"days": -days}
