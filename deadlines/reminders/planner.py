"""One planning pass over a round's snapshot: the message each LAO user and each officer hears on a day."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.policy import LAO_ROLES, Role
from deadlines.reminders.stages import KINDS, PHASES, days_text, phase_of, stage_label, stage_on
from deadlines.selectors import AppliedDeadline, LaoState, Person, RoundSnapshot
from info_portal.thai import local_date
from notifications.models import Channel
from notifications.services import Draft, Message
from sectors.models import ReportStatus
from sectors.workflow import pending_step


@dataclass(frozen=True)
class PlannedMessage:
    recipient: Person
    level: str
    stage: str
    dedupe_key: str  # the recipient and the channel are added when it is written
    message: Message

    def drafts(self) -> list[Draft]:
        """In the portal for everyone (its inbox shows the body); by e-mail too for those with an address (the
        data feeds the e-mail's tables)."""
        portal = Draft(recipient_id=self.recipient.pk, channel=Channel.PORTAL, dedupe_key=self.dedupe_key,
                       stage=self.stage, message=replace(self.message, data={}))
        if not self.recipient.email:
            return [portal]
        return [portal, Draft(recipient_id=self.recipient.pk, channel=Channel.EMAIL, message=self.message,
                              dedupe_key=self.dedupe_key, stage=self.stage)]


def _status_label(status: str | None) -> str:
    return str(ReportStatus(status).label) if status else _("ยังไม่เริ่มบันทึก")


def _contact(person: Person, role: Role) -> dict:
    return {"role": role.label, "name": person.name, "position": person.position, "phone": person.phone,
            "email": person.email}


class _Plan:
    """One planning pass over a snapshot: what each LAO waits for, computed once and shared by every level."""

    def __init__(self, snapshot: RoundSnapshot, today: date):
        self.snapshot, self.today, self.round = snapshot, today, snapshot.round
        self.year = self.round.fiscal_year.be_year
        self.year_label = self.round.fiscal_year.dates.label
        self.phase = {state.lao.pk: self._phase(state) for state in snapshot.laos}
        self.by_district: dict[int, list[LaoState]] = defaultdict(list)
        self.direct: dict[int, list[LaoState]] = defaultdict(list)  # PAOs and others answering to the province
        self.by_province: dict[int, list[LaoState]] = defaultdict(list)
        self.districts_in: dict[int, set[int]] = defaultdict(set)
        for state in snapshot.laos:
            (self.by_district[state.lao.district_id] if state.lao.district_id else
             self.direct[state.lao.province_id]).append(state)
            self.by_province[state.lao.province_id].append(state)
            if state.lao.district_id:
                self.districts_in[state.lao.province_id].add(state.lao.district_id)
        self._summaries: dict[tuple[str, int], dict] = {}

    def _phase(self, state: LaoState) -> str:
        phases = {phase_of(state.statuses.get(sector.pk)) for sector in self.snapshot.sectors}
        return next(phase for phase in PHASES if phase in phases or phase == "certified")

    def message(self, person: Person, *, level: str, kind: str, stage: str, key: str, title: str, link: str,
                data: dict) -> PlannedMessage:
        data = {"fiscal_year": self.year_label, "stage": stage, "stage_label": stage_label(stage), **data}
        body = render_to_string(f"deadlines/messages/{kind}.txt", {"data": data, "recipient": person}).strip()
        return PlannedMessage(recipient=person, level=level, stage=stage, dedupe_key=key,
                              message=Message(kind=kind, title=title, body=body, link=link, data=data))

    def key(self, stage: str, due: date | None, kind: str) -> str:
        return f"round:{self.round.pk}:stage:{stage}:{due.isoformat() + ':' if due else ''}{kind}"

    # LAO users ----------------------------------------------------------------------------------------------

    def work(self, state: LaoState, role: Role, due: date) -> dict | None:
        """What waits for one role of one LAO: its sectors, the deadline, and the page where the work is done."""
        waiting = state.waiting(role, self.snapshot.sectors)
        if not waiting:
            return None
        link = reverse("sectors:lao_sectors", args=[state.lao.pk, self.year]) if role == Role.RECORDER \
            else reverse("certification:queue")
        task = pending_step(state.status_of(waiting[0])).task
        return {"lao": state.lao.display_name, "role": role.label, "action": task,
                "due": local_date(due), "days": days_text(due, self.today), "overdue": self.today > due,
                "link": link, "sectors": [{"name": sector.display_name,
                                           "status": _status_label(state.status_of(sector))} for sector in waiting]}

    def lao_users(self) -> list[PlannedMessage]:
        groups: dict[tuple[int, str, date], list[dict]] = defaultdict(list)
        for state in self.snapshot.laos:
            for role in LAO_ROLES:
                holders = state.holders.get(role)
                due = state.deadline.record_by if role == Role.RECORDER else state.deadline.certify_by
                stage = stage_on(self.round, due, self.today) if holders else None
                work = self.work(state, role, due) if stage else None
                for person_id in holders if work else ():
                    groups[(person_id, stage, due)].append(work)
        kind = KINDS["lao"]
        return [
            self.message(self.snapshot.people[person_id], level="lao", kind=kind, stage=stage,
                         key=self.key(stage, due, kind), link=works[0]["link"], data={"work": works},
                         title=_("%(stage)s: ข้อมูล INFO %(year)s รอคุณดำเนินการ %(count)s ด้าน") % {
                             "stage": stage_label(stage), "year": self.year_label,
                             "count": sum(len(work["sectors"]) for work in works)})
            for (person_id, stage, due), works in groups.items()
        ]

    # Officers -----------------------------------------------------------------------------------------------

    def lao_row(self, state: LaoState, *, contacts: bool) -> dict:
        counts = Counter(phase_of(state.statuses.get(sector.pk)) for sector in self.snapshot.sectors)
        due = state.deadline.certify_by
        row = {"name": state.lao.display_name, "phase": self.phase[state.lao.pk],
               "sectors": len(self.snapshot.sectors),
               **{phase: counts[phase] for phase in PHASES},
               "due": local_date(due), "days": days_text(due, self.today), "overdue": self.today > due,
               "extended": state.deadline.set_by_level == "extension",
               "chase": reverse("deadlines:chase", args=[state.lao.pk])}
        if contacts:
            row["contacts"] = [_contact(self.snapshot.people[person_id], role)
                               for role in LAO_ROLES for person_id in state.holders.get(role, ())]
        return row

    def summary(self, states: Iterable[LaoState]) -> dict:
        phases = Counter(self.phase[state.lao.pk] for state in states)
        total = sum(phases.values())
        return {"total": total, "behind": total - phases["certified"], **{phase: phases[phase] for phase in PHASES}}

    def summary_of(self, level: str, unit_id: int) -> dict:
        """How many LAOs of a district or province are at each phase; counted once per planning pass."""
        if (level, unit_id) not in self._summaries:
            states = (self.by_district if level == "district" else self.by_province).get(unit_id, [])
            self._summaries[(level, unit_id)] = self.summary(states)
        return self._summaries[(level, unit_id)]

    def officers(self, level: str, officers: dict[int, list[int]]) -> list[PlannedMessage]:
        """One digest per officer of each unit whose deadline reaches a stage today and which has LAOs behind."""
        kind, planned = KINDS[level], []
        for unit_id, person_ids in sorted(officers.items()):
            deadline, unit_name, link = self.unit(level, unit_id)
            stage = stage_on(self.round, deadline.certify_by, self.today)
            data = getattr(self, f"{level}_digest")(unit_id) if stage else None
            if data is None:
                continue
            data = {"unit": unit_name, "due": local_date(deadline.certify_by),
                    "days": days_text(deadline.certify_by, self.today), **data}
            title = _("%(stage)s: %(unit)s ยังมี อปท. ที่รับรองข้อมูลไม่ครบ %(behind)s แห่ง") % {
                "stage": stage_label(stage), "unit": unit_name, "behind": data["behind"]}
            planned.extend(self.message(self.snapshot.people[person_id], level=level, kind=kind, stage=stage,
                                        key=self.key(stage, deadline.certify_by, kind), title=title, link=link,
                                        data=data)
                           for person_id in person_ids)
        return planned

    def unit(self, level: str, unit_id: int) -> tuple[AppliedDeadline, str, str]:
        """A district's, a province's or the nation's deadline, name, and page."""
        book = self.snapshot.book
        if level == "district":
            district = self.snapshot.districts[unit_id]
            return (book.for_district(unit_id, district.province_id),
                    _("อำเภอ%(name)s") % {"name": district.display_name},
                    reverse("organizations:district", args=[district.code]))
        if level == "province":
            province = self.snapshot.provinces[unit_id]
            return (book.for_province(unit_id), _("จังหวัด%(name)s") % {"name": province.display_name},
                    reverse("organizations:province", args=[province.code]))
        return book.national, _("ทั้งประเทศ"), reverse("deadlines:round")

    def district_digest(self, district_id: int) -> dict | None:
        """The district's LAOs behind, each with its state and the contacts of its people."""
        behind = [self.lao_row(state, contacts=True) for state in self.by_district.get(district_id, [])
                  if self.phase[state.lao.pk] != "certified"]
        return {**self.summary_of("district", district_id), "laos": behind} if behind else None

    def province_digest(self, province_id: int) -> dict | None:
        """The province's districts with LAOs behind, and its own LAOs (PAO) behind."""
        summary = self.summary_of("province", province_id)
        if not summary["behind"]:
            return None
        rows = []
        for district_id in self.districts_in.get(province_id, ()):
            district_summary = self.summary_of("district", district_id)
            if district_summary["behind"]:
                due, _name, link = self.unit("district", district_id)
                rows.append({"name": self.snapshot.districts[district_id].display_name, **district_summary,
                             "due": local_date(due.certify_by), "overdue": self.today > due.certify_by, "link": link})
        direct = [self.lao_row(state, contacts=True) for state in self.direct.get(province_id, [])
                  if self.phase[state.lao.pk] != "certified"]
        return {**summary, "districts": sorted(rows, key=lambda row: row["name"]), "direct": direct}

    def department_digest(self, _unit_id: int) -> dict | None:
        """Every province with LAOs behind."""
        summary = self.summary(self.snapshot.laos)
        if not summary["behind"]:
            return None
        rows = []
        for province_id in self.by_province:
            province_summary = self.summary_of("province", province_id)
            if province_summary["behind"]:
                due, _name, link = self.unit("province", province_id)
                rows.append({"name": self.snapshot.provinces[province_id].display_name, **province_summary,
                             "code": self.snapshot.provinces[province_id].code, "due": local_date(due.certify_by),
                             "overdue": self.today > due.certify_by, "link": link})
        return {**summary, "provinces": sorted(rows, key=lambda row: row["code"])}

    def reminders(self) -> list[PlannedMessage]:
        department = {0: self.snapshot.department} if self.snapshot.department else {}
        return [*self.officers("department", department),
                *self.officers("province", self.snapshot.provincial_officers),
                *self.officers("district", self.snapshot.district_officers),
                *self.lao_users()]
