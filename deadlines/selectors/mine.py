"""The deadline each person sees: their own unit's in the banner, an LAO's on its sector cards, and the chases
an LAO has had."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from accounts import policy
from accounts.models import User
from deadlines.models import ChaseLog, ReportingRound
from deadlines.selectors.books import AppliedDeadline, DeadlineBook, current_round, published_book
from organizations.models import LAO
from sectors.models import FiscalYear


@dataclass(frozen=True)
class MyDeadline:
    """The deadline that applies to a user's first unit, and the days left on `today`."""

    round: ReportingRound
    level: str  # "lao", "province", "district" or "department"
    unit: str
    applied: AppliedDeadline
    today: date

    @property
    def record_by(self) -> date:
        return self.applied.record_by

    @property
    def certify_by(self) -> date:
        return self.applied.certify_by

    @property
    def days_left(self) -> int:
        return self.applied.days_left(self.today)

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_overdue(self) -> bool:
        return self.applied.is_overdue(self.today)


def my_deadline(user: User, *, today: date) -> MyDeadline | None:
    """The current round's deadline for the user's first unit: an LAO they serve, else the nation for the
    department, else a province, else a district they oversee. A handful of queries, whatever the user holds."""
    round_ = current_round()
    if round_ is None or not user.is_authenticated:
        return None
    book = DeadlineBook(round_)
    lao = policy.laos_served(user).only("pk", "name_th", "name_en", "province_id", "district_id").order_by("pk").first()
    if lao is not None:
        return MyDeadline(round_, "lao", lao.display_name, book.for_lao(lao), today)
    if policy.is_department(user):
        return MyDeadline(round_, "department", "", book.national, today)
    province = policy.provinces_overseen(user).order_by("code").first()
    if province is not None:
        return MyDeadline(round_, "province", province.display_name, book.for_province(province.pk), today)
    district = policy.districts_overseen(user).order_by("code").first()
    if district is not None:
        return MyDeadline(round_, "district", district.display_name,
                          book.for_district(district.pk, district.province_id), today)
    return None


def lao_deadline_context(lao: LAO, fiscal_year: FiscalYear, *, today: date | None = None) -> dict:
    """`deadline`, `days_left` and `days_overdue` of an LAO in a year, for the sector cards; no deadline until
    the year's round is published."""
    book = published_book(fiscal_year)
    if book is None:
        return {"deadline": None}
    applied = book.for_lao(lao)
    days_left = applied.days_left(today or timezone.localdate())
    return {"deadline": applied.certify_by, "days_left": days_left, "days_overdue": -days_left}


def chases_of(round_: ReportingRound, lao: LAO) -> QuerySet[ChaseLog]:
    return ChaseLog.objects.filter(round=round_, lao=lao).select_related("sent_by")
