"""The deadline that applies to an LAO, for the sector pages, without the sectors app importing deadlines."""

from django import template

from deadlines.selectors import lao_deadline_context

register = template.Library()


@register.simple_tag
def lao_deadline(lao, fiscal_year) -> dict:
    """{deadline, days_left, days_overdue} of the LAO in the year's published round; no deadline before that."""
    return lao_deadline_context(lao, fiscal_year)
