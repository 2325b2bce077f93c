"""Opening, carrying forward and saving reports."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sectors import selectors, services
from sectors.catalogue import fiscal_year_open
from sectors.models import Channel, ReportStatus, SectorReport, ValueChange
from sectors.values import NOT_APPLICABLE

POPULATION = {"gov_population_male": 600, "gov_population_female": 650, "gov_population_total": 1250,
              "gov_households": 400}


def save(report, user, values, **kwargs):
    return services.report_save(report_id=report.pk, user=user, expected_version=report.version,
                                new_values=values, **kwargs)


def test_the_default_catalogue_has_eight_sectors_every_item_and_rule(fiscal_year):
    assert fiscal_year.indicators.values("sector").distinct().count() == 8
    assert fiscal_year.indicators.count() == 101
    assert fiscal_year.rules.count() == 15


def test_opening_a_new_year_copies_the_catalogue(fiscal_year):
    item = fiscal_year.indicators.get(code="gov_area")
    item.label_th = "พื้นที่ทั้งหมด"
    item.save()
    next_year = fiscal_year_open(be_year=2569)
    assert next_year.indicators.count() == 101
    assert next_year.indicators.get(code="gov_area").label_th == "พื้นที่ทั้งหมด"
    assert next_year.rules.count() == 15
    item.label_th = "เปลี่ยนอีก"
    item.save()
    assert next_year.indicators.get(code="gov_area").label_th == "พื้นที่ทั้งหมด"


def test_save_writes_values_and_history(report, recorder):
    result = save(report, recorder, {**POPULATION, "gov_area": Decimal("12.50"), "gov_council_members": NOT_APPLICABLE})
    assert result.report.version == 1
    stored = selectors.report_values(report)
    assert stored["gov_population_total"] == 1250
    assert stored["gov_area"] == Decimal("12.5")
    assert stored["gov_council_members"] == NOT_APPLICABLE
    assert ValueChange.objects.filter(channel=Channel.FORM, changed_by=recorder).count() == 6
    assert not result.checks.errors


def test_a_stale_version_is_refused_and_writes_nothing(report, recorder):
    save(report, recorder, POPULATION)
    with pytest.raises(services.ReportConflict) as conflict:
        services.report_save(report_id=report.pk, user=recorder, expected_version=0,
                             new_values={"gov_population_total": 1})
    assert conflict.value.changed_by == recorder
    assert selectors.report_values(report)["gov_population_total"] == 1250


def test_only_recorders_of_the_lao_save(report, verifier, district_officer):
    for user in (verifier, district_officer):
        with pytest.raises(PermissionDenied):
            save(report, user, POPULATION)


def test_a_submitted_report_cannot_be_saved(report, recorder):
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    with pytest.raises(services.ReportNotEditable):
        save(report, recorder, POPULATION)


def test_rule_failure_is_reported(report, recorder):
    result = save(report, recorder, {**POPULATION, "gov_population_total": 1000})
    assert [i.message for i in result.checks.errors] == ["ประชากรชายรวมกับหญิงต้องเท่ากับประชากรรวม"]


def test_carry_forward_from_last_years_certified_report(world, recorder, fiscal_year, governance):
    last = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=fiscal_year)
    save(last, recorder, POPULATION)
    SectorReport.objects.filter(pk=last.pk).update(status=ReportStatus.CERTIFIED)
    next_year = fiscal_year_open(be_year=2569)
    report = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=next_year)
    rows = selectors.report_rows(report)
    assert rows["gov_population_total"].value == 1250
    assert all(row.carried_forward for row in rows.values())

    result = save(report, recorder, {"gov_population_total": 2500, "gov_population_male": 1250,
                                     "gov_population_female": 1250})
    big = [i for i in result.checks.warnings if i.kind == "big_change"]
    assert {i.code for i in big} == {"gov_population_total", "gov_population_male", "gov_population_female"}
    result = save(result.report, recorder, {"gov_population_total": 2500},
                  reasons={"gov_population_total": "รวมเขตใหม่"})
    assert "gov_population_total" not in {i.code for i in result.checks.warnings if i.kind == "big_change"}
