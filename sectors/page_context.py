"""What higher apps show on the sector pages, without the sectors app importing them.

An app registers a provider in its AppConfig.ready(); the sector views call every provider once per request and
the templates only show what they returned. The keys the sector pages read:

- report page (`report_context(report)`): `returned`, the return (or reopen) that sent the report back to its
  recorder while it waits to be fixed, or None; `return_reasons`, the reason given per item code then.
- sector cards (`cards_context(lao, fiscal_year)`): `due`, {deadline, days_left, days_overdue} of the LAO.
"""

from collections.abc import Callable
from typing import Any

from organizations.models import LAO
from sectors.models import FiscalYear, SectorReport

ReportProvider = Callable[[SectorReport], dict[str, Any]]
CardsProvider = Callable[[LAO, FiscalYear], dict[str, Any]]

_report_providers: list[ReportProvider] = []
_cards_providers: list[CardsProvider] = []


def provide_report_context(provider: ReportProvider) -> ReportProvider:
    """Register what the report page of one sector shows; registering the same provider twice adds it once."""
    if provider not in _report_providers:
        _report_providers.append(provider)
    return provider


def provide_cards_context(provider: CardsProvider) -> CardsProvider:
    """Register what the eight sector cards of an LAO's year show."""
    if provider not in _cards_providers:
        _cards_providers.append(provider)
    return provider


def report_context(report: SectorReport) -> dict[str, Any]:
    context: dict[str, Any] = {"returned": None, "return_reasons": {}}
    if report.pk is None:  # a sector not started has nothing more to show
        return context
    for provider in _report_providers:
        context.update(provider(report))
    return context


def cards_context(lao: LAO, fiscal_year: FiscalYear) -> dict[str, Any]:
    context: dict[str, Any] = {"due": {"deadline": None}}
    for provider in _cards_providers:
        context.update(provider(lao, fiscal_year))
    return context
