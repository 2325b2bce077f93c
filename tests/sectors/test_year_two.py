"""Opening the next fiscal year with the department's changes, and carrying certified values into it."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from sectors import selectors, services
from sectors.catalogue import fiscal_year_open
from sectors.models import (
    Channel,
    FiscalYear,
    Indicator,
    IndicatorValue,
    ReportStatus,
    SectorReport,
    ValidationRule,
    ValueChange,
)
from sectors.year_changes import changes_parse

POPULATION = {"gov_population_male": 600, "gov_population_female": 650, "gov_population_total": 1250,
              "gov_households": 400, "gov_villages": 10}

CHANGES = {
    "add": [{"code": "gov_wifi_points", "sector": "governance", "label_th": "จุดบริการอินเทอร์เน็ตสาธารณะ",
             "kind": "integer", "unit": "จุด", "section": "ข้อมูลทั่วไป", "order": 5}],
    "retire": ["gov_households"],
    "change": {"gov_villages": {"label_th": "จำนวนหมู่บ้าน/ชุมชน", "unit": "แห่ง"}},
}


@pytest.fixture
def certified(world, recorder, fiscal_year, governance):
    """2568 certified for the governance sector of lao_a1."""
    report = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=fiscal_year)
    services.report_save(report_id=report.pk, user=recorder, expected_version=0, new_values=POPULATION)
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.CERTIFIED)
    return report


def open_2569(changes=CHANGES):
    return fiscal_year_open(be_year=2569, changes=changes_parse(changes))


def test_the_next_year_has_the_items_added_retired_and_renamed(fiscal_year):
    next_year = open_2569()
    codes = set(next_year.indicators.values_list("code", flat=True))
    before = set(fiscal_year.indicators.values_list("code", flat=True))
    assert codes == before - {"gov_households"} | {"gov_wifi_points"}
    renamed = next_year.indicators.get(code="gov_villages")
    assert (renamed.label_th, renamed.unit) == ("จำนวนหมู่บ้าน/ชุมชน", "แห่ง")
    assert fiscal_year.indicators.get(code="gov_villages").label_th != "จำนวนหมู่บ้าน/ชุมชน"
    # The rule naming the retired item stays with its year; the others are copied.
    assert not next_year.rules.filter(expression__contains="gov_households").exists()
    assert fiscal_year.rules.filter(expression__contains="gov_households").exists()
    assert next_year.rules.count() == fiscal_year.rules.count() - fiscal_year.rules.filter(
        expression__contains="gov_households").count()


def test_retired_and_renamed_items_keep_their_history(world, recorder, certified, governance):
    next_year = open_2569()
    report = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=next_year)
    rows = selectors.report_rows(report)
    assert "gov_households" not in rows  # retired: not carried
    assert rows["gov_villages"].value == 10 and rows["gov_villages"].carried_forward  # renamed: same code, carried
    assert selectors.report_values(certified)["gov_households"] == 400  # the old year keeps its value


@pytest.mark.parametrize("change, message", [
    ({"change": {"gov_villages": {"kind": "decimal"}}}, "เปลี่ยนชนิดข้อมูลของรายการ gov_villages ไม่ได้"),
    ({"change": {"gov_villages": {"code": "gov_communities"}}}, "เปลี่ยนรหัสรายการของรายการ gov_villages ไม่ได้"),
    ({"change": {"gov_villages": {"sector": "water"}}}, "เปลี่ยนด้านของรายการ gov_villages ไม่ได้"),
    ({"retire": ["gov_nothing"]}, "ไม่พบรายการ gov_nothing ในปีงบประมาณ 2568"),
    ({"add": [{"code": "gov_area", "sector": "governance", "label_th": "x", "kind": "integer"}]},
     "รหัสรายการ gov_area มีอยู่แล้ว"),
    ({"add": [{"code": "gov_new", "sector": "governance", "label_th": "x", "kind": "choice"}]},
     "ต้องมีตัวเลือกอย่างน้อยหนึ่งตัว"),
    ({**CHANGES, "rules": [{"expression": "gov_households ≤ 5", "message_th": "x"}]},
     "ไม่พบรายการข้อมูล gov_households ในปีงบประมาณ 2569"),
])
def test_a_change_that_would_orphan_values_is_refused_and_nothing_is_written(certified, change, message):
    items, rules = Indicator.objects.count(), ValidationRule.objects.count()
    with pytest.raises(ValidationError) as refused:
        open_2569(change)
    assert message in " ".join(refused.value.messages)
    assert not FiscalYear.objects.filter(be_year=2569).exists()
    assert (Indicator.objects.count(), ValidationRule.objects.count()) == (items, rules)


def test_an_item_with_values_cannot_be_deleted(certified):
    from django.db.models import ProtectedError
    with pytest.raises(ProtectedError):
        Indicator.objects.filter(fiscal_year=certified.fiscal_year, code="gov_households").delete()


def test_changes_for_a_year_already_open_are_refused(fiscal_year):
    open_2569({})
    with pytest.raises(ValidationError, match="ปีงบประมาณ 2569 เปิดแล้ว"):
        open_2569()


def test_the_command_reads_a_changes_file(fiscal_year, tmp_path, capsys):
    path = tmp_path / "changes.json"
    path.write_text(json.dumps(CHANGES, ensure_ascii=False), encoding="utf-8")
    call_command("open_fiscal_year", "--year", "2569", "--changes", str(path))
    assert FiscalYear.objects.get(be_year=2569).indicators.filter(code="gov_wifi_points").exists()
    path.write_text(json.dumps({"change": {"gov_area": {"kind": "integer"}}}), encoding="utf-8")
    with pytest.raises(CommandError, match="เปลี่ยนชนิดข้อมูลของรายการ gov_area ไม่ได้"):
        call_command("open_fiscal_year", "--year", "2570", "--changes", str(path))
    assert not FiscalYear.objects.filter(be_year=2570).exists()


def test_confirming_a_section_keeps_its_carried_values_with_an_audit(world, recorder, certified, governance):
    next_year = open_2569()
    report = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=next_year)
    rows = selectors.report_rows(report)
    population = ["gov_population_male", "gov_population_female", "gov_population_total"]
    result = services.report_save(report_id=report.pk, user=recorder, expected_version=0,
                                  new_values={code: rows[code].value for code in population},
                                  confirm_unchanged=True, confirm_codes=population)
    rows = selectors.report_rows(report)
    assert {code for code, row in rows.items() if not row.carried_forward} == set(population)
    assert rows["gov_villages"].carried_forward
    audit = ValueChange.objects.filter(value__report=report)
    assert sorted(audit.values_list("value__indicator__code", "channel", "old", "new")) == sorted(
        (code, Channel.CARRY_FORWARD, POPULATION[code], POPULATION[code]) for code in population)
    with pytest.raises(services.ReportConflict):  # a stale form is refused as any save is
        services.report_save(report_id=report.pk, user=recorder, expected_version=0, new_values={},
                             confirm_unchanged=True, confirm_codes=["gov_villages"])
    assert result.report.version == 1 and IndicatorValue.objects.filter(report=report, carried_forward=True).count() \
        == len(rows) - len(population)


def test_the_department_checks_then_opens_a_year_on_its_page(client, fiscal_year, department_admin, recorder):
    from django.urls import reverse
    url = reverse("sectors:open_year")
    client.force_login(recorder)
    assert client.get(url).status_code == 404
    client.force_login(department_admin)
    assert 'value="2569"' in client.get(url).content.decode()
    data = {"be_year": "2569", "changes": json.dumps(CHANGES, ensure_ascii=False), "make_current": "on"}
    page = client.post(url, {**data, "action": "check"}).content.decode()
    assert "gov_wifi_points" in page.split('id="preview-added"')[1].split("</li>")[0]
    assert "gov_households ≤ gov_population_total" in page.split('id="preview-rules"')[1].split("</li>")[0]
    assert not FiscalYear.objects.filter(be_year=2569).exists()  # checking writes nothing
    refused = client.post(url, {**data, "action": "open",
                                "changes": '{"change": {"gov_area": {"kind": "integer"}}}'}).content.decode()
    assert "เปลี่ยนชนิดข้อมูลของรายการ gov_area ไม่ได้" in refused
    assert "อ่าน JSON ไม่ได้" in client.post(url, {**data, "changes": "{", "action": "check"}).content.decode()
    assert not FiscalYear.objects.filter(be_year=2569).exists()
    response = client.post(url, {**data, "action": "open"}, follow=True)
    assert "เปิดปีงบประมาณ 2569 แล้ว" in response.content.decode()
    assert FiscalYear.objects.get(be_year=2569, is_current=True).indicators.filter(code="gov_wifi_points").exists()


def test_the_database_refuses_to_change_the_identity_of_an_item_with_certified_values(certified):
    from django.db import IntegrityError, connection, transaction

    from tests.certification.test_seal_and_lock import needs_postgresql
    needs_postgresql()
    item = Indicator.objects.filter(fiscal_year=certified.fiscal_year, code="gov_households")
    for change in ({"kind": "decimal"}, {"code": "gov_homes"}):
        refused = pytest.raises(IntegrityError, match="gov_households is in a fiscal year with certified reports")
        with refused, transaction.atomic():
            item.update(**change)
    item.update(label_th="ครัวเรือนทั้งหมด")  # a relabel keeps the item what it was
    assert connection.vendor == "postgresql"
