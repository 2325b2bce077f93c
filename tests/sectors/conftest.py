import pytest

from sectors import services
from sectors.catalogue import fiscal_year_open
from sectors.models import Sector


@pytest.fixture
def fiscal_year(db):
    return fiscal_year_open(be_year=2568)


@pytest.fixture
def governance(fiscal_year):
    return Sector.objects.get(code="governance")


@pytest.fixture
def report(world, fiscal_year, governance):
    return services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=fiscal_year)
