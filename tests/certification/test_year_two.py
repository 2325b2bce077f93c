"""Year two: a certified year's values, seal and history stay whole when the next year retires or renames items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.models import CertificationSeal
from certification.seal import seal_check
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.history import values_across_years
from sectors.models import ReportStatus, Sector, SectorReport
from sectors.year_changes import changes_parse
from tests.certification.conftest import GOVERNANCE
from tests.certification.test_seal_and_lock import certify

CHANGES = {"retire": ["gov_households"], "change": {"gov_villages": {"label_th": "จำนวนหมู่บ้าน/ชุมชน"}}}


@pytest.fixture
def two_years(world, filled_report, recorder, verifier, certifier):
    """2568 certified; 2569 opened with an item retired and one renamed, its governance report certified too
    with the population grown by 12 %."""
    seal = certify(filled_report, recorder, verifier, certifier)
    next_year = fiscal_year_open(be_year=2569, changes=changes_parse(CHANGES))
    governance = Sector.objects.get(code="governance")
    male, female = GOVERNANCE["gov_population_male"], GOVERNANCE["gov_population_female"]
    grown = {"gov_population_male": male * 112 // 100, "gov_population_female": female * 112 // 100}
    grown["gov_population_total"] = grown["gov_population_male"] + grown["gov_population_female"]
    result = sector_services.report_save_first(lao=world.lao_a1, sector=governance, fiscal_year=next_year,
                                               user=recorder, expected_version=0, new_values=grown)
    certify(result.report, recorder, verifier, certifier)
    return seal, result.report


def test_the_seal_of_a_year_still_verifies_after_the_next_year_retires_an_item(two_years):
    seal, _ = two_years
    assert seal_check(CertificationSeal.objects.get(pk=seal.pk)).ok


def test_values_across_years_show_the_change_the_renamed_and_the_retired_items(world, two_years):
    table = values_across_years(world.lao_a1)
    assert table.years == [2568, 2569]
    items = {item.code: item for block in table.sectors for item in block.items}
    total = items["gov_population_total"]
    assert total.last_change.label == "+12 %"
    assert items["gov_villages"].indicator.label_th == "จำนวนหมู่บ้าน/ชุมชน"  # the latest name, the same row
    assert items["gov_villages"].cells[0] == items["gov_villages"].cells[1]  # carried and certified again
    households = items["gov_households"]
    assert households.retired_after == 2568 and households.cells[1] == "—"
    assert households.by_year[2568] == GOVERNANCE["gov_households"]


def test_values_across_years_are_read_in_a_constant_number_of_queries(world, two_years, recorder, verifier,
                                                                       certifier):
    with CaptureQueriesContext(connection) as first:
        values_across_years(world.lao_a1)
    fiscal_year_open(be_year=2570, make_current=False)
    report = sector_services.report_save_first(
        lao=world.lao_a1, sector=Sector.objects.get(code="governance"), fiscal_year=fiscal_year_open(be_year=2570),
        user=recorder, expected_version=0, new_values={}).report
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.CERTIFIED)
    with CaptureQueriesContext(connection) as more:
        table = values_across_years(world.lao_a1)
    assert table.years == [2568, 2569, 2570]
    assert len(more) == len(first) == 2


def test_the_lao_page_loads_the_values_across_years(client, world, two_years, district_officer):
    client.force_login(district_officer)
    page = client.get(reverse("organizations:lao", args=[world.lao_a1.pk])).content.decode()
    url = reverse("sectors:lao_years", args=[world.lao_a1.pk])
    assert f'hx-get="{url}"' in page
    table = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "เปลี่ยนแปลง 2568 → 2569" in table
    assert "+12 %" in table
    assert "เลิกใช้หลังปี 2568" in table
    assert "จำนวนหมู่บ้าน/ชุมชน" in table
    assert client.get(url, {"sector": "nowhere"}).status_code == 404
    assert "<html" in client.get(url, {"sector": "governance"}).content.decode()
