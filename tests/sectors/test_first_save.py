"""A GET never writes: opening a sector not started shows last year's certified values without storing them, and
the first save creates the report from them, in the same transaction as the save."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sectors import selectors, services
from sectors.catalogue import fiscal_year_open
from sectors.models import IndicatorValue, ReportStatus, Sector, SectorReport, ValueChange

LAST_YEAR = {"gov_area": Decimal("12.5"), "gov_villages": 10, "gov_population_male": 600,
             "gov_population_female": 650, "gov_population_total": 1250, "gov_households": 400,
             "gov_budget": Decimal("35000000")}


def report_url(lao, year=2568):
    return reverse("sectors:report", args=[lao.pk, year, "governance"])


@pytest.fixture
def certified_last_year(world, recorder):
    """2567 certified; 2568 is the current year and its governance sector is not started."""
    last_year = fiscal_year_open(be_year=2567, make_current=False)
    governance = Sector.objects.get(code="governance")
    last = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=last_year)
    services.report_save(report_id=last.pk, user=recorder, expected_version=0, new_values=LAST_YEAR)
    SectorReport.objects.filter(pk=last.pk).update(status=ReportStatus.CERTIFIED)
    return fiscal_year_open(be_year=2568)


def _this_year(world):
    return SectorReport.objects.filter(lao=world.lao_a1, sector__code="governance", fiscal_year__be_year=2568)


def test_opening_a_sector_not_started_shows_last_years_values_and_stores_nothing(client, world, recorder,
                                                                                 certified_last_year):
    client.force_login(recorder)
    rows_before = IndicatorValue.objects.count()
    page = client.get(report_url(world.lao_a1)).content.decode()
    assert page.count('class="badge carried"') == 7
    assert 'value="35,000,000"' in page
    assert 'id="report-form"' in page and 'id="submit-button"' not in page  # only what is stored is submitted
    assert not _this_year(world).exists()
    assert IndicatorValue.objects.count() == rows_before


def test_the_first_save_creates_the_report_from_last_years_values(client, world, recorder, certified_last_year):
    client.force_login(recorder)
    data = {"version": "0", "gov_area": "12.5", "gov_villages": "11", "gov_population_male": "600",
            "gov_population_female": "650", "gov_households": "400", "gov_budget": "35,000,000"}
    response = client.post(report_url(world.lao_a1), data)
    assert response.status_code == 302
    report = _this_year(world).get()
    assert report.version == 1
    rows = selectors.report_rows(report)
    assert rows["gov_villages"].value == 11 and not rows["gov_villages"].carried_forward
    assert {code for code, row in rows.items() if row.carried_forward} == set(LAST_YEAR) - {"gov_villages"}
    assert list(ValueChange.objects.filter(value__report=report).values_list("old", "new")) == [(10, 11)]
    page = client.get(response["Location"]).content.decode()
    assert "บันทึกข้อมูลแล้ว" in page and 'id="submit-button"' in page


def test_an_htmx_first_save_answers_the_form_with_the_status_and_the_submit_button(client, world, recorder,
                                                                                  certified_last_year):
    client.force_login(recorder)
    response = client.post(report_url(world.lao_a1), {"version": "0", "gov_villages": "11"}, HTTP_HX_REQUEST="true")
    report = _this_year(world).get()
    assert response.status_code == 200 and response["HX-Trigger"] == "report-saved"
    body = response.content.decode()
    assert body.count('id="report-form"') == 1 and 'name="version" value="1"' in body
    assert "บันทึกข้อมูลแล้ว" in body
    assert '<div id="submit-slot" hx-swap-oob="true">' in body
    assert f'action="{reverse("certification:submit", args=[report.pk])}"' in body
    assert '<span id="report-status-chip" hx-swap-oob="true">' in body


def test_a_stale_first_save_is_a_conflict_and_keeps_what_was_typed(client, world, recorder, certified_last_year):
    client.force_login(recorder)
    assert client.post(report_url(world.lao_a1), {"version": "0", "gov_villages": "11"}).status_code == 302
    # A second recorder opened the sector before the first save and saves what they typed over it.
    response = client.post(report_url(world.lao_a1), {"version": "0", "gov_villages": "12"})
    assert response.status_code == 409
    assert 'value="12"' in response.content.decode()
    assert selectors.report_values(_this_year(world).get())["gov_villages"] == 11


def test_a_refused_first_save_leaves_no_report(world, recorder, verifier, certified_last_year):
    governance = Sector.objects.get(code="governance")
    with pytest.raises(services.PermissionDenied):
        services.report_save_first(lao=world.lao_a1, sector=governance, fiscal_year=certified_last_year,
                                   user=verifier, expected_version=0, new_values={"gov_villages": 11})
    assert not _this_year(world).exists()


def test_a_field_check_of_a_sector_not_started_writes_nothing(client, world, recorder, certified_last_year):
    client.force_login(recorder)
    response = client.post(reverse("sectors:field_check", args=[world.lao_a1.pk, 2568, "governance"]),
                           {"version": "0", "gov_population_male": "600", "gov_population_female": "650",
                            "gov_population_total": "9"}, HTTP_HX_REQUEST="true",
                           HTTP_HX_TRIGGER_NAME="gov_population_male")
    assert response.status_code == 200
    assert not _this_year(world).exists()


def test_a_reader_of_a_sector_not_started_sees_an_empty_page(client, world, district_officer, certified_last_year):
    client.force_login(district_officer)
    page = client.get(report_url(world.lao_a1)).content.decode()
    assert 'id="read-only"' in page and 'id="report-form"' not in page
    assert "ยังไม่มีการบันทึกข้อมูลด้านนี้ในปีงบประมาณนี้" in page
    assert not _this_year(world).exists()
