"""The funnel of a set of reports: how many of the expected reports are in each state, from not started to
certified. "Not started" is a report that has no row yet."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from sectors.models import ReportStatus

NOT_STARTED = "not_started"
STATES = (NOT_STARTED, *ReportStatus.values)  # the funnel, from not started to certified
STATE_LABELS = {NOT_STARTED: _("ยังไม่เริ่ม"), **{status.value: status.label for status in ReportStatus}}


@dataclass(frozen=True)
class Stage:
    state: str
    label: str
    count: int
    share: float  # of expected, 0–1


@dataclass
class Funnel:
    """How many of the expected reports are in each state."""

    expected: int = 0
    reported: dict[str, int] = field(default_factory=dict)

    def add(self, status: str, n: int = 1) -> None:
        self.reported[status] = self.reported.get(status, 0) + n

    def merge(self, other: "Funnel") -> None:
        self.expected += other.expected
        for status, n in other.reported.items():
            self.add(status, n)

    def count(self, state: str) -> int:
        if state == NOT_STARTED:
            return max(self.expected - sum(self.reported.values()), 0)
        return self.reported.get(state, 0)

    @property
    def certified(self) -> int:
        return self.count(ReportStatus.CERTIFIED)

    @property
    def not_started(self) -> int:
        return self.count(NOT_STARTED)

    @property
    def remaining(self) -> int:
        return max(self.expected - self.certified, 0)

    @property
    def completion(self) -> float:
        """Certified ÷ expected, 0 when nothing is expected."""
        return self.certified / self.expected if self.expected else 0.0

    @property
    def percent(self) -> float:
        return round(self.completion * 100, 1)

    @property
    def state(self) -> str:
        """The one state of a single report (a cell of the LAO × sector matrix)."""
        return next((s for s in STATES if self.count(s)), NOT_STARTED)

    @property
    def stages(self) -> list[Stage]:
        return [Stage(s, str(STATE_LABELS[s]), self.count(s), self.count(s) / self.expected if self.expected else 0.0)
                for s in STATES]

    @property
    def is_complete(self) -> bool:
        return self.expected > 0 and self.certified >= self.expected
