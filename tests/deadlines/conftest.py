"""A published round of FY 2568 on the shared world, its people, and a way to put reports in given states."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from accounts.models import User
from accounts.policy import Role
from certification.models import ReportEvent, TransitionAction
from deadlines import services
from sectors.catalogue import fiscal_year_open
from sectors.models import ReportStatus, Sector, SectorReport
from tests.conftest import make_user

BANGKOK = ZoneInfo("Asia/Bangkok")
OPENS, RECORD_BY, CERTIFY_BY = date(2025, 5, 24), date(2025, 6, 10), date(2025, 6, 15)


@pytest.fixture
def published_round(world, department_admin):
    fiscal_year = fiscal_year_open(be_year=2568)
    round_ = services.round_set(actor=department_admin, fiscal_year=fiscal_year, opens_on=OPENS,
                                record_by=RECORD_BY, certify_by=CERTIFY_BY, closes_on=date(2025, 7, 31),
                                reminder_stages=[14, 7, 3, 1, 0])
    round_.published_at, round_.published_by = datetime(2025, 5, 24, 9, 0, tzinfo=BANGKOK), department_admin
    round_.save()
    return round_


@pytest.fixture
def people(world, recorder, verifier, certifier, district_officer, provincial_officer, department_admin):
    """Every level: the three users of lao_a1, its district's and province's officers, and the department."""
    return {"recorder": recorder, "verifier": verifier, "certifier": certifier, "district": district_officer,
            "province": provincial_officer, "department": department_admin}


def set_statuses(lao, fiscal_year, statuses: dict[str, str] | str) -> None:
    """Give an LAO's reports these statuses by sector code (or one status for all eight sectors)."""
    for sector in Sector.objects.order_by("order"):
        status = statuses if isinstance(statuses, str) else statuses.get(sector.code)
        if not status:
            continue
        with transaction.atomic():
            report, created = SectorReport.objects.get_or_create(lao=lao, sector=sector, fiscal_year=fiscal_year,
                                                                 defaults={"status": status})
            if created or report.status == status:
                continue
            if report.status == ReportStatus.CERTIFIED:
                # On PostgreSQL a report leaves certified only in the transaction that records its reopen.
                ReportEvent.objects.create(report=report, action=TransitionAction.REOPEN, from_status=report.status,
                                           to_status=status, actor=User.objects.order_by("pk").first())
            SectorReport.objects.filter(pk=report.pk).update(status=status)


@pytest.fixture
def lao_users_b1(world):
    """The three users of lao_b1, in the other province."""
    return [make_user(f"b1.{role.value}", role, world.lao_b1) for role in (Role.RECORDER, Role.VERIFIER,
                                                                          Role.CERTIFIER)]
