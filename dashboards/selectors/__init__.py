"""Reads of the dashboards: completion by unit, progress over time, laggards and certified values."""

from dashboards.selectors.certified import (
    Aggregate,
    GroupBy,
    ValueRow,
    ValueTable,
    certified_values,
    item_or_default,
    numeric_items,
)
from dashboards.selectors.compare import ComparedRow, Comparison, years_compared
from dashboards.selectors.completion import SORT_KEYS, Dashboard, UnitRow, dashboard_of
from dashboards.selectors.funnel import NOT_STARTED, STATE_LABELS, STATES, Funnel
from dashboards.selectors.laggards import Contact, Laggard, LaggardList, laggards_of
from dashboards.selectors.progress import Progress, progress_of
from dashboards.selectors.scope import Level, Scope, scope_for, scope_laos, top_scope_url

__all__ = [
    "NOT_STARTED", "SORT_KEYS", "STATES", "STATE_LABELS", "Aggregate", "ComparedRow", "Comparison", "Contact",
    "Dashboard", "Funnel", "GroupBy",
    "Laggard", "LaggardList", "Level", "Progress", "Scope", "UnitRow", "ValueRow", "ValueTable", "certified_values",
    "dashboard_of", "item_or_default", "laggards_of", "numeric_items", "progress_of", "scope_for", "scope_laos",
    "top_scope_url", "years_compared",
]
