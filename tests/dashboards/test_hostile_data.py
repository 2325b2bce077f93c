"""Stored data that a spreadsheet chokes on never turns an export into a 500, and huge values never overflow a sum."""

import io

import pytest
from openpyxl import load_workbook

from certification import services as certification
from dashboards.selectors import Aggregate, GroupBy, certified_values, scope_for
from organizations.models import LAO
from sectors import services as sector_services
from sectors.forms import BIGINT_MAX
from sectors.models import Indicator
from tests.dashboards.conftest import Recorder, at, people_of

WORD_PASTE = "เทศบาล\x0bนคร\x01นครราชสีมา"


def _cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str)]


@pytest.mark.parametrize("url", ["/dash/province/30/laggards.xlsx", "/dash/province/30/laggards/",
                                 "/dash/province/30/laggards.pdf", "/dash/province/30/"])
def test_a_control_character_in_a_stored_name_does_not_break_the_laggard_pages(round_, client, provincial_officer,
                                                                              world, url):
    LAO.objects.filter(pk=world.lao_a2.pk).update(name_th=WORD_PASTE)
    client.force_login(provincial_officer)
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".xlsx"):
        cells = _cells(response.content)
        assert "เทศบาล นครนครราชสีมา" in cells
        assert not any(ch in text for text in cells for ch in "\x0b\x01")


def test_the_account_template_quotes_formula_names_and_drops_control_characters(world, client, provincial_officer):
    LAO.objects.filter(pk=world.lao_a2.pk).update(name_th="=HYPERLINK(\"http://x\")\x0b")
    client.force_login(provincial_officer)
    response = client.get("/accounts/users/bulk/template.xlsx")
    assert response.status_code == 200
    names = [text for text in _cells(response.content) if "HYPERLINK" in text]
    assert names and all(name.startswith("'=") and "\x0b" not in name for name in names)


def _certify_with(lao, prefix, fiscal_year, seed, council_members):
    people = people_of(lao, prefix)
    report = Recorder(lao, people, fiscal_year, seed=seed).draft("governance")
    report.refresh_from_db()
    sector_services.report_save(report_id=report.pk, user=people.recorder, expected_version=report.version,
                                new_values={"gov_council_members": council_members})
    certification.report_submit(report_id=report.pk, actor=people.recorder, at=at(3))
    certification.report_verify(report_id=report.pk, actor=people.verifier, at=at(4))
    certification.report_certify(report_id=report.pk, actor=people.certifier, at=at(5))


def test_two_bigint_values_sum_without_overflow(world, department_admin, client):
    from sectors.catalogue import fiscal_year_open

    fiscal_year = fiscal_year_open(be_year=2568)
    _certify_with(world.lao_a1, "a1", fiscal_year, 1, BIGINT_MAX)
    _certify_with(world.lao_a2, "a2", fiscal_year, 2, BIGINT_MAX)
    item = Indicator.objects.get(fiscal_year=fiscal_year, code="gov_council_members")
    scope = scope_for(department_admin, level="nation", fiscal_year=fiscal_year)
    table = certified_values(scope, indicator=item, group_by=GroupBy.PROVINCE, aggregate=Aggregate.SUM)
    assert table.overall.laos == 2
    assert abs(table.overall.total - 2 * BIGINT_MAX) <= 2 * BIGINT_MAX / 10**14  # exact on PostgreSQL
    client.force_login(department_admin)
    for suffix in ("values/", "values.csv", "values.xlsx"):
        response = client.get(f"/dash/nation/{suffix}?year=2568&item=gov_council_members&by=province&agg=sum")
        assert response.status_code == 200, suffix
