"""What the report page shows of each item and section, and the outcome of the check before submission."""

from dataclasses import dataclass, field

from django.forms import BoundField

from sectors.checks import Issue
from sectors.models import Indicator, Severity


@dataclass
class FormItem:
    """One item as the page shows it: its fields (when editable), last year's value, marks and issues."""

    indicator: Indicator
    value: BoundField
    not_applicable: BoundField
    reason: BoundField | None
    display: str = ""
    last_year: str = ""
    carried: bool = False
    stored_reason: str = ""
    issues: list[Issue] = field(default_factory=list)
    latest: str | None = None
    refreshed_input: str = ""  # after an htmx save: the input anew, when its stored form differs from what was typed
    sum_of: str = ""  # the labels of the parts, when the item is their sum and is computed
    return_reason: str = ""  # the reason given for this item when the report was last sent back

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def errors(self) -> list[str]:
        return list(self.value.errors) + list(self.not_applicable.errors) + \
            (list(self.reason.errors) if self.reason is not None else [])

    @property
    def has_error(self) -> bool:
        return bool(self.errors) or any(i.severity == Severity.ERROR for i in self.issues)

    @property
    def big_change(self) -> bool:
        return any(i.kind == "big_change" for i in self.issues)

    @property
    def show_reason(self) -> bool:
        """The reason box appears while a big change waits for one, and whenever one was given."""
        return self.reason is not None and (self.big_change or bool((self.reason.value() or "").strip()))


@dataclass
class FormSection:
    number: int
    name: str
    items: list[FormItem]

    @property
    def carried(self) -> list[FormItem]:
        return [item for item in self.items if item.carried]


@dataclass
class CheckWarning:
    issue: Issue
    label: str
    key: str
    confirmed: bool

    @property
    def needs_reason(self) -> bool:
        return self.issue.kind == "big_change"


@dataclass
class CheckSummary:
    """The outcome of the check before submission: errors block, each warning needs a confirmation or a reason."""

    errors: list[tuple[str, Issue]]
    warnings: list[CheckWarning]

    @property
    def ready(self) -> bool:
        return not self.errors and all(w.confirmed and not w.needs_reason for w in self.warnings)
