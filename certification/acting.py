"""A certify by an acting head: whether the order covers the day, and what the seal keeps of it."""

from datetime import date

from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import ActingAppointment, User
from accounts.policy import Role
from info_portal.thai import thai_date
from sectors.models import SectorReport


def acting_check(actor: User, report: SectorReport, *, day: date) -> tuple[ActingAppointment | None, str]:
    """The appointment under which the actor certifies on `day`, if it is as acting head (a certifier of their own
    right needs none), or why not: an acting head certifies only within the days of the order."""
    if policy.holds_grant(actor, Role.CERTIFIER, report.lao):
        return None, ""
    standing = policy.acting_standing(actor, report.lao, day)
    if standing.appointment is None and standing.others:
        latest = standing.others[0]
        return None, (_("วันที่ %(day)s อยู่นอกช่วงที่ได้รับแต่งตั้งให้%(capacity)s%(office)s "
                                  "(%(start)s – %(end)s) จึงรับรองข้อมูลไม่ได้") % {
            "day": thai_date(day), "capacity": latest.get_capacity_display(), "office": latest.acting_for,
            "start": thai_date(latest.starts_on), "end": thai_date(latest.last_day)})
    return standing.appointment, ""


def acting_seal_fields(appointment: ActingAppointment | None) -> dict:
    if appointment is None:
        return {}
    return {"acting_appointment": appointment, "acting_capacity": appointment.capacity,
            "acting_for": appointment.acting_for, "acting_order_ref": appointment.order_ref}
