"""What the sector pages show of the certification workflow, without the sectors app importing it."""

from django import template

from certification.selectors import latest_return
from sectors.models import ReportStatus, SectorReport

register = template.Library()


@register.simple_tag
def return_of(report: SectorReport):
    """The return (or reopen) that sent this report back to its recorder, while it is still waiting to be fixed."""
    if report is None or report.pk is None or report.status != ReportStatus.RETURNED:
        return None
    return latest_return(report)


@register.filter
def reason_for(returned, code: str) -> str:
    """The reason given for one item when the report was sent back."""
    return (returned.field_reasons or {}).get(code, "") if returned else ""
