"""What the sector cards show of the deadlines: the one that applies to the LAO."""

from typing import Any

from deadlines.selectors import lao_deadline_context
from organizations.models import LAO
from sectors.models import FiscalYear


def lao_deadline(lao: LAO, fiscal_year: FiscalYear) -> dict[str, Any]:
    """`due`: {deadline, days_left, days_overdue} of the LAO in the year's published round; no deadline before."""
    return {"due": lao_deadline_context(lao, fiscal_year)}
