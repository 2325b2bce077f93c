"""The plans of a round, each built in every recipient's language: the day's reminders, the announcement of the
round, and a reminder sent by hand to one LAO."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.policy import LAO_ROLES, Role
from deadlines.reminders.planner import PlannedMessage, _Plan
from deadlines.reminders.stages import ANNOUNCE, CHASE, days_text
from deadlines.selectors import LaoState, Person, RoundSnapshot
from info_portal.names import reader_language
from info_portal.thai import local_date


def in_each_language(people: Iterable[Person], build: Callable[[], list[PlannedMessage]]) -> list[PlannedMessage]:
    """Each person's messages in the language they chose: the plan is built once per language its recipients
    read (once in all for a round where everyone reads Thai), and each message kept in its recipient's language."""
    planned = []
    for language in sorted({reader_language(person.language) for person in people}, key=lambda code: code != "th"):
        with translation.override(language):
            planned += [message for message in build() if reader_language(message.recipient.language) == language]
    return planned


def plan(snapshot: RoundSnapshot, today: date) -> list[PlannedMessage]:
    """The reminders due on `today`, one per recipient, stage and kind; nothing for anyone with nothing pending."""
    return in_each_language(snapshot.people.values(), lambda: _Plan(snapshot, today).reminders())


def announcement_plan(snapshot: RoundSnapshot, today: date) -> list[PlannedMessage]:
    """Everyone hears of the round at once, each with the deadline that applies to them: the department, every
    provincial and district officer, and every recorder, verifier and certifier; one message per person listing
    each of their units."""
    return in_each_language(snapshot.people.values(), lambda: _announcement(snapshot, today))


def _announcement(snapshot: RoundSnapshot, today: date) -> list[PlannedMessage]:
    planner, book, kind = _Plan(snapshot, today), snapshot.book, "round_announced"
    units: dict[int, list[dict]] = defaultdict(list)  # person → their units, highest level first

    def add(person_ids: Iterable[int], level: str, unit: str, applied, link: str, **extra) -> None:
        entry = {"level": level, "unit": unit, "record_by": local_date(applied.record_by),
                 "certify_by": local_date(applied.certify_by), "days": days_text(applied.certify_by, today),
                 "link": link, **extra}
        for person_id in person_ids:
            units[person_id].append(entry)

    add(snapshot.department, "department", _("ทั้งประเทศ"), book.national, reverse("deadlines:round"),
        laos=len(snapshot.laos))
    for province_id, person_ids in sorted(snapshot.provincial_officers.items()):
        province = snapshot.provinces[province_id]
        add(person_ids, "province", _("จังหวัด%(name)s") % {"name": province.display_name},
            book.for_province(province_id), reverse("deadlines:level") + f"?province={province.code}",
            laos=len(planner.by_province.get(province_id, [])))
    for district_id, person_ids in sorted(snapshot.district_officers.items()):
        district = snapshot.districts[district_id]
        add(person_ids, "district", _("อำเภอ%(name)s") % {"name": district.display_name},
            book.for_district(district_id, district.province_id),
            reverse("deadlines:level") + f"?district={district.code}",
            laos=len(planner.by_district.get(district_id, [])))
    for state in snapshot.laos:
        link = reverse("sectors:lao_sectors", args=[state.lao.pk, planner.year])
        for role in LAO_ROLES:
            add(state.holders.get(role, ()), "lao", state.lao.display_name, state.deadline, link, role=role.label)
    title = _("ประกาศรอบการบันทึกและรับรองข้อมูล INFO %(year)s") % {"year": planner.year_label}
    key = planner.key(ANNOUNCE, None, kind)
    return [planner.message(snapshot.people[person_id], level=person_units[0]["level"], kind=kind,
                            stage=ANNOUNCE, key=key, title=title, link=person_units[0]["link"],
                            data={"units": person_units, "opens_on": local_date(snapshot.round.opens_on)})
            for person_id, person_units in units.items()]


def chase_plan(snapshot: RoundSnapshot, state: LaoState, *, sender: Person, sender_unit: Callable[[], str],
               note: str, chase_id: int, today: date) -> list[PlannedMessage]:
    """A reminder sent by hand to one LAO: each of its users with work waiting hears what waits at their step, in
    their own language (`sender_unit` names the sender's unit in the language active when it is called)."""
    return in_each_language(snapshot.people.values(),
                            lambda: _chase(snapshot, state, sender=sender, sender_unit=sender_unit(), note=note,
                                           chase_id=chase_id, today=today))


def _chase(snapshot: RoundSnapshot, state: LaoState, *, sender: Person, sender_unit: str, note: str,
           chase_id: int, today: date) -> list[PlannedMessage]:
    planner, kind = _Plan(snapshot, today), CHASE
    works: dict[int, list[dict]] = defaultdict(list)
    for role in LAO_ROLES:
        due = state.deadline.record_by if role == Role.RECORDER else state.deadline.certify_by
        work = planner.work(state, role, due)
        for person_id in state.holders.get(role, ()) if work else ():
            works[person_id].append(work)
    title = _("%(unit)s ขอให้เร่งดำเนินการข้อมูล INFO ของ%(lao)s") % {"unit": sender_unit,
                                                                    "lao": state.lao.display_name}
    sender_data = {"name": sender.name, "position": sender.position, "unit": sender_unit,
                   "phone": sender.phone, "email": sender.email}
    return [planner.message(snapshot.people[person_id], level="lao", kind=kind, stage=CHASE,
                            key=f"chase:{chase_id}:{kind}", title=title, link=person_works[0]["link"],
                            data={"work": person_works, "note": note, "sender": sender_data})
            for person_id, person_works in works.items()]
