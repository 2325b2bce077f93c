"""The data view compares two fiscal years by area: year A's certified figures beside year B's, with the change."""

from decimal import Decimal

from sectors.catalogue import fiscal_year_open
from sectors.models import Indicator, IndicatorValue, ReportStatus, Sector, SectorReport


def _certified_last_year(world, value: int):
    """2567: lao_a1's governance report certified with this population."""
    last_year = fiscal_year_open(be_year=2567, make_current=False)
    report = SectorReport.objects.create(lao=world.lao_a1, sector=Sector.objects.get(code="governance"),
                                         fiscal_year=last_year)
    IndicatorValue.objects.create(report=report, value_integer=value,
                                  indicator=Indicator.objects.get(fiscal_year=last_year, code="gov_population_total"))
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.CERTIFIED)


def test_two_years_are_compared_by_district(round_, client, world, provincial_officer):
    this_year = IndicatorValue.objects.filter(
        report__fiscal_year=round_.fiscal_year, report__status=ReportStatus.CERTIFIED,
        report__lao__district=world.district_a1, indicator__code="gov_population_total",
    ).values_list("value_integer", flat=True)
    after = sum(this_year)
    before = after * 4 // 5
    _certified_last_year(world, before)
    client.force_login(provincial_officer)
    page = client.get("/dash/province/30/values/", {"item": "gov_population_total", "by": "district",
                                                    "year": "2568", "compare": "2567"}).content.decode()
    assert "เทียบปี 2567 กับปี 2568" in page
    compared = page.split('id="compared"')[1].split("</table>")[0]
    row = compared.split(f'data-group="{world.district_a1.code}"')[1].split("</tr>")[0]
    percent = ((Decimal(after) - before) * 100 / before).quantize(Decimal("0.1"))
    assert f"+{percent.normalize():f} %" in row
    assert f"{before:,}" in row and f"{after:,}" in row


def test_the_compared_year_is_validated_on_the_server(round_, client, provincial_officer):
    client.force_login(provincial_officer)
    for compare in ("1999", "abc", "2568", ""):
        response = client.get("/dash/province/30/values/", {"item": "gov_population_total", "compare": compare})
        assert response.status_code == 200
        assert 'id="compared"' not in response.content.decode()
