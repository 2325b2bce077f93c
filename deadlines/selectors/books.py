"""Which deadline applies to an LAO, a district or a province (the nearest level's, unless extended), and which
rounds are open."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Subquery

from deadlines.models import ROUND_ORDER, Extension, LevelDeadline, ReportingRound
from organizations.models import LAO, District, Province
from sectors.models import FiscalYear
from sectors.selectors import current_fiscal_years


@dataclass(frozen=True)
class AppliedDeadline:
    record_by: date
    certify_by: date
    set_by_level: str  # "department", "province", "district" or "extension"

    def days_left(self, today: date) -> int:
        """Days until the certify-by date: 0 on the day, negative once overdue."""
        return (self.certify_by - today).days

    def is_overdue(self, today: date) -> bool:
        return today > self.certify_by


def round_of(fiscal_year: FiscalYear | None) -> ReportingRound | None:
    if fiscal_year is None:
        return None
    return ReportingRound.objects.filter(fiscal_year=fiscal_year).first()


def _earliest(parent: AppliedDeadline, own: AppliedDeadline | None) -> AppliedDeadline:
    """A level's own deadline, held to its parent's even if the parent moved earlier after it was set."""
    if own is None:
        return parent
    if own.record_by <= parent.record_by and own.certify_by <= parent.certify_by:
        return own
    return AppliedDeadline(min(own.record_by, parent.record_by), min(own.certify_by, parent.certify_by),
                           own.set_by_level if own.certify_by <= parent.certify_by else parent.set_by_level)


class DeadlineBook:
    """Every level deadline and extension of a round read once, so deadlines of thousands of units cost
    two queries in all."""

    def __init__(self, round_: ReportingRound):
        self.round = round_
        self.national = AppliedDeadline(round_.record_by, round_.certify_by, "department")
        self.provinces: dict[int, AppliedDeadline] = {}
        self.districts: dict[int, AppliedDeadline] = {}
        for level in LevelDeadline.objects.filter(round=round_):
            applied = AppliedDeadline(level.record_by, level.certify_by,
                                      "province" if level.province_id else "district")
            if level.province_id:
                self.provinces[level.province_id] = applied
            else:
                self.districts[level.district_id] = applied
        self.lao_extensions: dict[int, date] = {}
        self.district_extensions: dict[int, date] = {}
        for extension in Extension.objects.filter(round=round_).order_by("granted_at", "pk"):
            target = self.lao_extensions if extension.lao_id else self.district_extensions
            target[extension.lao_id or extension.district_id] = extension.certify_by  # the latest grant wins

    def for_province(self, province_id: int) -> AppliedDeadline:
        return _earliest(self.national, self.provinces.get(province_id))

    def for_district(self, district_id: int, province_id: int) -> AppliedDeadline:
        extended = self.district_extensions.get(district_id)
        if extended:
            return AppliedDeadline(extended, extended, "extension")
        return _earliest(self.for_province(province_id), self.districts.get(district_id))

    def for_lao(self, lao: LAO) -> AppliedDeadline:
        extended = self.lao_extensions.get(lao.pk)
        if extended:
            return AppliedDeadline(extended, extended, "extension")
        if lao.district_id:
            return self.for_district(lao.district_id, lao.province_id)
        return self.for_province(lao.province_id)

    def for_laos(self, laos: Iterable[LAO]) -> dict[int, AppliedDeadline]:
        return {lao.pk: self.for_lao(lao) for lao in laos}


def deadline_for(unit: LAO | District | Province, round_: ReportingRound) -> AppliedDeadline:
    book = DeadlineBook(round_)
    if isinstance(unit, LAO):
        return book.for_lao(unit)
    if isinstance(unit, District):
        return book.for_district(unit.pk, unit.province_id)
    return book.for_province(unit.pk)


OPEN_AFTER_DEADLINE = timedelta(days=30)


def round_last_day(round_: ReportingRound) -> date:
    """The last day reminders go out: the day the round closes; if none is set, the end of its fiscal year, or 30
    days after the national certify-by date when that is later (a round run after its year has ended)."""
    return round_.closes_on or max(round_.fiscal_year.dates.end, round_.certify_by + OPEN_AFTER_DEADLINE)


def published_book(fiscal_year: FiscalYear | None) -> DeadlineBook | None:
    """The deadlines of the year's round once it is published; none before, as nobody is held to a round not yet
    announced."""
    round_ = round_of(fiscal_year)
    return DeadlineBook(round_) if round_ is not None and round_.published_at is not None else None


def rounds_open_on(today: date) -> list[ReportingRound]:
    """Published rounds that have opened and not yet closed on `today`."""
    rounds = ReportingRound.objects.select_related("fiscal_year").filter(published_at__isnull=False,
                                                                         opens_on__lte=today)
    rounds = rounds.order_by(*ROUND_ORDER)
    return [round_ for round_ in rounds if today <= round_last_day(round_)]


def current_round(*, published_only: bool = True) -> ReportingRound | None:
    """The round of the current fiscal year (published, unless asked otherwise), in one query."""
    rounds = ReportingRound.objects.select_related("fiscal_year") \
        .filter(fiscal_year=Subquery(current_fiscal_years().values("pk")[:1]))
    if published_only:
        rounds = rounds.filter(published_at__isnull=False)
    return rounds.first()
