"""What the sector pages show of the certification workflow: the notice of the return a report waits on."""

from typing import Any

from certification.selectors import latest_return
from sectors.models import ReportStatus, SectorReport


def return_notice(report: SectorReport) -> dict[str, Any]:
    """The return (or reopen) that sent this report back to its recorder, while it is still waiting to be fixed,
    and the reason it gives per item."""
    if report.pk is None or report.status != ReportStatus.RETURNED:
        return {"returned": None, "return_reasons": {}}
    returned = latest_return(report)
    return {"returned": returned, "return_reasons": (returned.field_reasons or {}) if returned else {}}
