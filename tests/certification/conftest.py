import pytest
from django.db import connection

from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import Sector
from tests.conftest import make_user

GOVERNANCE = {
    "gov_area": 120, "gov_villages": 14, "gov_population_male": 6120, "gov_population_female": 6380,
    "gov_population_total": 12500, "gov_households": 4100, "gov_staff_officials": 35, "gov_budget": 58500000,
}


@pytest.fixture
def fiscal_year(db):
    return fiscal_year_open(be_year=2568)


@pytest.fixture
def filled_report(world, fiscal_year, recorder):
    """The governance report of lao_a1, every required item filled and every rule passing."""
    report = sector_services.report_open(lao=world.lao_a1, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=fiscal_year)
    return sector_services.report_save(report_id=report.pk, user=recorder, expected_version=report.version,
                                       new_values=GOVERNANCE).report


@pytest.fixture
def second_verifier(world):
    from accounts.policy import Role

    return make_user("verifier2", Role.VERIFIER, world.lao_a1)


def tamper(report) -> None:
    """Change a certified value by hand, as the owner of the tables could, with the guard trigger switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred checks: run this transaction's foreign-key checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE sectors_indicatorvalue DISABLE TRIGGER info_certified_values_are_sealed")
        cursor.execute("UPDATE sectors_indicatorvalue SET value_integer = 99999 WHERE report_id = %s AND "
                       "indicator_id = (SELECT id FROM sectors_indicator WHERE code = 'gov_population_total' "
                       "AND fiscal_year_id = %s)", [report.pk, report.fiscal_year_id])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE sectors_indicatorvalue ENABLE TRIGGER info_certified_values_are_sealed")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
