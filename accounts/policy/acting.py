"""Acting heads: who may certify for an LAO in place of its absent head, on which days. The only reader of the
acting appointments; `scope.can`, the role holders and the certify service ask it through the questions below."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import ActingAppointment, User
from organizations.models import LAO


def in_force_filter(day: date, prefix: str = "") -> Q:
    """Appointments in force on `day`: begun, not ended, not revoked by then."""
    return (Q(**{f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day})
            & (Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day})))


def in_force(day: date | None = None) -> QuerySet[ActingAppointment]:
    return ActingAppointment.objects.filter(in_force_filter(day or timezone.localdate()))


def acting_lao_ids(user: User, day: date | None = None) -> QuerySet:
    """The LAOs the user certifies for as acting head on `day` (today), as a subquery."""
    return in_force(day).filter(user=user).values("lao_id")


def acting_holders(lao_ids: Collection[int] | QuerySet | None, day: date | None = None, *,
                   who: Q | None = None) -> QuerySet[ActingAppointment]:
    """The appointments in force on `day` (today) of these LAOs (all: None), of active accounts."""
    rows = in_force(day).filter(user__is_active=True)
    if lao_ids is not None:
        rows = rows.filter(lao__in=lao_ids)
    if who is not None:
        rows = rows.filter(user__in=User.objects.filter(who))
    return rows


@dataclass(frozen=True)
class ActingStanding:
    """Whether the user certifies the LAO on a day as its acting head: the appointment in force, else the
    appointments the user holds on other days (a refusal can then say why)."""

    appointment: ActingAppointment | None
    others: tuple[ActingAppointment, ...] = ()


def acting_standing(user: User, lao: LAO, day: date) -> ActingStanding:
    appointments = list(ActingAppointment.objects.filter(user=user, lao=lao).order_by("-starts_on", "-pk"))
    current = next((appointment for appointment in appointments if appointment.in_force_on(day)), None)
    return ActingStanding(appointment=current, others=tuple(a for a in appointments if a is not current))


def acting_appointments_of(lao: LAO) -> QuerySet[ActingAppointment]:
    """Every appointment of the LAO, current and past, newest first, for its page."""
    return lao.acting_appointments.select_related("user", "appointed_by", "revoked_by").order_by("-starts_on", "-pk")


def acting_overlaps(lao: LAO, starts_on: date, ends_on: date) -> QuerySet[ActingAppointment]:
    """The LAO's appointments in force on some day of this range."""
    return lao.acting_appointments.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).filter(
        Q(revoked_on__isnull=True) | (Q(revoked_on__gt=starts_on) & Q(revoked_on__gt=F("starts_on"))))
