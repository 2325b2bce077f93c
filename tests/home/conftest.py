"""The dashboards' known round, published, with an internal deadline for ด่านขุนทด that has passed and an
extension for เทศบาลนครนครราชสีมา; today is 12 June 2025 (see tests/dashboards/conftest.py for the states).

    district A1 (ด่านขุนทด) certify by 11 June (overdue for lao_a1, which is not complete)
    lao_a2 (district A2) extended to 20 June; the nation certifies by 15 June
"""

from datetime import date, datetime

import pytest
from django.utils import timezone

from deadlines import services as deadline_services
from tests.dashboards.conftest import TODAY, Round, _empty_cache, fiscal_year, round_  # noqa: F401


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def published(round_, district_officer, provincial_officer, world) -> Round:  # noqa: F811
    reporting_round = round_.round
    reporting_round.published_at = timezone.make_aware(datetime(2025, 5, 24, 9))
    reporting_round.save(update_fields=["published_at"])
    deadline_services.level_deadline_set(actor=district_officer, round_=reporting_round, unit=world.district_a1,
                                         record_by=date(2025, 6, 8), certify_by=date(2025, 6, 11))
    deadline_services.extension_grant(actor=provincial_officer, round_=reporting_round, unit=world.lao_a2,
                                      certify_by=date(2025, 6, 20), reason="น้ำท่วมสำนักงาน")
    return round_
