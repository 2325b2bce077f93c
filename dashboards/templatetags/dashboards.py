"""Small filters for the dashboard templates."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def bucket(share: float) -> str:
    """A colour class for a share certified (0–1): b0 none … b4 most, b5 all."""
    if share >= 1:
        return "b5"
    if share <= 0:
        return "b0"
    return f"b{min(int(share * 4) + 1, 4)}"


@register.filter
def percent(share: float) -> str:
    return f"{share * 100:.1f}"


@register.filter(name="abs")
def absolute(value: int | None) -> int | None:
    return abs(value) if value is not None else None


@lru_cache(maxsize=64)
def _state_cell(state: str, label: str) -> str:
    return f'<td class="cell s-{escape(state)}" title="{escape(label)}"></td>'


@register.filter
def state_cells(states: list[tuple[str, str]]) -> str:
    """One coloured cell per (state, label): the LAO × sector matrix has thousands, too many to build with
    template tags or to escape one by one (there are six states, each cell is made once)."""
    return mark_safe("".join(_state_cell(state, str(label)) for state, label in states))
