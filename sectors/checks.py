"""Server-side checks of a report's values: required items, ranges, the catalogue's rules and big changes."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sectors.models import Indicator, Severity, ValidationRule
from sectors.rules import Rule, evaluate
from sectors.values import NOT_APPLICABLE, numeric

BIG_CHANGE_RATIO = Decimal("0.5")


@dataclass(frozen=True)
class Issue:
    code: str | None  # the item the message belongs beside; None for the report as a whole
    severity: str
    message: str
    kind: str = "rule"  # required, range, rule, big_change


@dataclass
class CheckResult:
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.WARNING]

    def for_code(self, code: str) -> list[Issue]:
        return [i for i in self.issues if i.code == code]


def _range_issue(indicator: Indicator, value: Decimal) -> Issue | None:
    if indicator.min_value is not None and value < indicator.min_value:
        return Issue(indicator.code, Severity.ERROR,
                     _("%(label)s ต้องไม่น้อยกว่า %(limit)s")
                     % {"label": indicator.display_name, "limit": f"{indicator.min_value.normalize():,f}"}, "range")
    if indicator.max_value is not None and value > indicator.max_value:
        return Issue(indicator.code, Severity.ERROR,
                     _("%(label)s ต้องไม่เกิน %(limit)s")
                     % {"label": indicator.display_name, "limit": f"{indicator.max_value.normalize():,f}"}, "range")
    return None


def check_values(
    *,
    indicators: list[Indicator],
    values: Mapping[str, Any],
    other_sector_values: Mapping[str, Any],
    rules: Iterable[tuple[ValidationRule, Rule]],
    last_year: Mapping[str, Any],
    reasons: Mapping[str, str],
    lao_type: str,
    for_submit: bool,
) -> CheckResult:
    """Every issue with these values of one report. `rules`: the catalogue's rules as it parsed them once
    (selectors.Catalogue), each with its tree. Rules naming another sector's item use its stored value."""
    result = CheckResult()
    own_codes = {i.code for i in indicators}
    for indicator in indicators:
        value = values.get(indicator.code)
        if value is None:
            if for_submit and indicator.required and indicator.applies_to(lao_type):
                message = _("กรุณากรอก%(label)s") % {"label": indicator.display_name}
                result.issues.append(Issue(indicator.code, Severity.ERROR, message, "required"))
            continue
        number = numeric(value)
        if number is None or not indicator.is_numeric:
            continue
        if issue := _range_issue(indicator, number):
            result.issues.append(issue)
        previous = numeric(last_year.get(indicator.code))
        if previous and abs(number - previous) > abs(previous) * BIG_CHANGE_RATIO \
                and not reasons.get(indicator.code, "").strip():
            result.issues.append(Issue(
                indicator.code, Severity.WARNING,
                _("เปลี่ยนจากปีก่อนเกิน 50%% (ปีก่อน %(previous)s) กรุณาระบุเหตุผล")
                % {"previous": f"{previous.normalize():,f}"}, "big_change"))

    numbers = {code: numeric(v) for code, v in other_sector_values.items()}
    numbers.update({code: numeric(v) for code, v in values.items() if v != NOT_APPLICABLE})
    for rule, parsed in rules:
        mine = sorted(parsed.codes & own_codes)
        if not mine:
            continue
        if evaluate(parsed, numbers) is False:
            result.issues.append(Issue(mine[-1], rule.severity, rule.display_name, "rule"))
    return result
