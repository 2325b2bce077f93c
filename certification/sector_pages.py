"""What the sector pages show of the certification workflow: the notice of the return a report waits on, and for
a reopened report what changed since its last seal."""

from typing import Any

from certification.diff import recertification_of
from certification.selectors import latest_return
from sectors.models import ReportStatus, SectorReport


def return_notice(report: SectorReport) -> dict[str, Any]:
    """The return (or reopen) that sent this report back to its recorder, while it is still waiting to be fixed,
    and the reason it gives per item; after a reopen, what changed since the seal it superseded."""
    if report.pk is None or report.status != ReportStatus.RETURNED:
        return {"returned": None, "return_reasons": {}, "recertification": None}
    returned = latest_return(report)
    return {"returned": returned, "return_reasons": (returned.field_reasons or {}) if returned else {},
            "recertification": recertification_of(report)}
