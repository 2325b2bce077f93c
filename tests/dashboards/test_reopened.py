"""A report certified before and reopened: not certified on the dashboards, and said "reopened" on the laggard
list and its downloads."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from certification import services as certification
from dashboards import exports
from dashboards.selectors import Level, dashboard_of, laggards_of, scope_for
from sectors.models import SectorReport
from tests.dashboards.conftest import TODAY, at


@pytest.fixture
def reopened(round_, world, provincial_officer):
    """The SAO, complete in the round, has its governance report reopened by the province."""
    report = SectorReport.objects.get(lao=world.lao_a1_sao, sector__code="governance")
    certification.report_reopen(report_id=report.pk, actor=provincial_officer, reason="จำนวนประชากรผิด",
                                at=at(8))
    return report


def province(user, fiscal_year):
    return scope_for(user, level=Level.PROVINCE, code="30", fiscal_year=fiscal_year)


def test_a_reopened_report_counts_as_not_certified(round_, reopened, provincial_officer):
    total = dashboard_of(province(provincial_officer, round_.fiscal_year), today=TODAY).total
    assert (total.certified, total.count("returned")) == (8, 2)  # 9 and 1 before the reopen


def _laggards(user, fiscal_year):
    scope = province(user, fiscal_year)
    with CaptureQueriesContext(connection) as queries:
        report = laggards_of(scope, today=TODAY)
    return report, len(queries)


def test_saying_reopened_takes_no_extra_query(round_, provincial_officer, world):
    before = _laggards(provincial_officer, round_.fiscal_year)[1]
    report = SectorReport.objects.get(lao=world.lao_a1_sao, sector__code="water")
    certification.report_reopen(report_id=report.pk, actor=provincial_officer, reason="ตรวจซ้ำ", at=at(8))
    assert _laggards(provincial_officer, round_.fiscal_year)[1] == before


def test_the_laggard_list_says_reopened(round_, reopened, provincial_officer, world):
    report, _queries = _laggards(provincial_officer, round_.fiscal_year)
    sao = next(row for row in report.rows if row.lao == world.lao_a1_sao)
    governance = [sector.code for sector in report.sectors].index("governance")
    assert sao.states[governance] == "reopened" and sao.cells[governance] == ("reopened", "เปิดแก้ไข")
    assert sao.certified == 7
    a1 = next(row for row in report.rows if row.lao == world.lao_a1)
    assert a1.states[0] == "returned"  # sent back before it was ever certified: its status, as before


def test_the_laggard_downloads_say_reopened(round_, reopened, provincial_officer, world):
    report = laggards_of(province(provincial_officer, round_.fiscal_year), today=TODAY)
    sheet = load_workbook(io.BytesIO(exports.laggards_xlsx(report))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)]
    sao = next(row for row in rows if row[2] == world.lao_a1_sao.name_th)
    governance = [sector.code for sector in report.sectors].index("governance")
    assert sao[6 + governance] == "เปิดแก้ไข"
    assert exports.laggards_pdf(report).startswith(b"%PDF-")
