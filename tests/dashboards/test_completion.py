"""The figures of each dashboard on the known round of conftest.py, counted by hand."""

from datetime import date

import pytest
from django.core.cache import cache
from django.http import Http404

from certification.models import ReportEvent
from dashboards.selectors import Level, dashboard_of, scope_for
from deadlines.models import ReportingRound
from organizations.models import LAOType
from sectors.models import SectorReport
from tests.dashboards.conftest import TODAY, at


def board(user, level, fiscal_year, code="", **kwargs):
    scope = scope_for(user, level=level, code=code, fiscal_year=fiscal_year, lao_type=kwargs.pop("lao_type", ""))
    return dashboard_of(scope, today=kwargs.pop("today", TODAY), **kwargs)


def funnel(f) -> dict[str, int]:
    return {stage.state: stage.count for stage in f.stages}


def test_the_nation_counts_every_lao_of_every_province(round_, department_admin):
    nation = board(department_admin, Level.NATION, round_.fiscal_year)
    # 5 LAOs × 8 sectors; certified: a1 1 + a1_sao 8 + b1 1
    assert nation.total.expected == 40
    assert funnel(nation.total) == {"not_started": 25, "draft": 2, "returned": 1, "submitted": 1, "verified": 1,
                                    "certified": 10}
    assert nation.total.percent == 25.0
    assert (nation.laos_total, nation.laos_complete) == (5, 1)
    rows = {row.code: row for row in nation.rows}
    assert set(rows) == {"30", "40"}
    assert (rows["30"].funnel.expected, rows["30"].funnel.certified, rows["30"].laos_complete) == (32, 9, 1)
    assert (rows["40"].funnel.expected, rows["40"].funnel.certified, rows["40"].laos_complete) == (8, 1, 0)
    assert rows["30"].url == "/dash/province/30/"


def test_a_province_counts_its_districts_and_its_pao(round_, provincial_officer, world):
    province = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30")
    assert province.total.expected == 32
    assert funnel(province.total) == {"not_started": 18, "draft": 2, "returned": 1, "submitted": 1, "verified": 1,
                                      "certified": 9}
    assert province.total.percent == 28.1  # 9 / 32 = 28.125 %
    assert (province.laos_total, province.laos_complete) == (4, 1)
    by_name = {row.name: row for row in province.rows}
    assert list(by_name) == ["องค์การบริหารส่วนจังหวัดนครราชสีมา", "เมืองนครราชสีมา", "ด่านขุนทด"]  # by code
    pao, a2, a1 = by_name.values()
    assert (a1.kind, a1.lao_count, a1.funnel.expected, a1.funnel.certified, a1.laos_complete) == \
        ("district", 2, 16, 9, 1)
    assert funnel(a2.funnel) == {"not_started": 7, "draft": 1, "returned": 0, "submitted": 0, "verified": 0,
                                 "certified": 0}
    assert (pao.kind, pao.funnel.not_started, pao.url) == ("lao", 8, f"/data/lao/{world.pao_a.pk}/2568/")
    assert a1.url == "/dash/district/3008/"


def test_a_district_shows_each_lao_and_the_state_of_each_sector(round_, district_officer, world):
    district = board(district_officer, Level.DISTRICT, round_.fiscal_year, code="3008")
    assert district.total.expected == 16
    assert funnel(district.total) == {"not_started": 3, "draft": 1, "returned": 1, "submitted": 1, "verified": 1,
                                      "certified": 9}
    assert district.total.percent == 56.2  # 9 / 16 = 56.25 %, rounded half to even
    rows = {row.pk: row for row in district.rows}
    assert set(rows) == {world.lao_a1.pk, world.lao_a1_sao.pk}
    states = [cell.state for cell in rows[world.lao_a1.pk].sectors]
    assert states == ["returned", "draft", "not_started", "submitted", "verified", "certified", "not_started",
                      "not_started"]  # in sector order: health, education, public health, infrastructure, water, …
    assert rows[world.lao_a1_sao.pk].funnel.is_complete
    assert [cell.certified for cell in district.sector_totals] == [1, 1, 1, 1, 1, 2, 1, 1]


def test_the_lao_type_filter_counts_only_that_type(round_, provincial_officer):
    saos = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", lao_type=LAOType.SAO)
    assert (saos.total.expected, saos.total.certified, saos.total.percent) == (8, 8, 100.0)
    cities = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", lao_type=LAOType.CITY)
    assert (cities.total.expected, cities.total.certified, cities.laos_total) == (8, 0, 1)


def test_deadlines_come_from_the_round_days_left_and_overdue(round_, provincial_officer, district_officer):
    province = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30")
    assert province.deadline.certify_by == date(2025, 6, 15)
    assert province.days_left == 3 and not province.overdue
    assert province.needed_per_day == round(23 / 3, 1)
    late = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", today=date(2025, 6, 16))
    assert late.days_left == -1 and late.overdue
    flags = {row.name: row.overdue for row in late.rows}
    assert flags == {"เมืองนครราชสีมา": True, "ด่านขุนทด": True, "องค์การบริหารส่วนจังหวัดนครราชสีมา": True}
    district = board(district_officer, Level.DISTRICT, round_.fiscal_year, code="3008", today=date(2025, 6, 16))
    assert {row.name: row.overdue for row in district.rows} == {"เทศบาลตำบลด่านขุนทด": True,
                                                                "องค์การบริหารส่วนตำบลกุดพิมาน": False}


def test_without_a_round_there_is_no_deadline(round_, provincial_officer):
    ReportingRound.objects.all().delete()
    province = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30")
    assert province.deadline is None and province.days_left is None and not province.overdue
    assert all(row.deadline is None and not row.overdue for row in province.rows)


def test_a_round_not_yet_published_holds_nobody_to_its_deadlines(round_, provincial_officer):
    # given the round set but not announced
    ReportingRound.objects.filter(pk=round_.round.pk).update(published_at=None, published_by=None)
    # when the province's dashboard is read after the round's certification deadline
    province = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", today=date(2025, 6, 16))
    # then it shows no deadline and nobody as overdue, as the laggard list and the home pages do
    assert province.round is None and province.deadline is None
    assert province.days_left is None and not province.overdue
    assert all(row.deadline is None and not row.overdue for row in province.rows)


def test_progress_follows_the_transition_history(round_, provincial_officer):
    progress = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30").progress
    assert progress.days[0] == date(2025, 5, 24)  # the round opens
    assert progress.days[-1] == date(2025, 6, 15)  # the deadline (today, 12 June, is before it)
    lines = {line.key: dict(zip(progress.days, line.counts, strict=True)) for line in progress.lines}
    # a1_sao: 8 submitted 1 Jun, verified 2 Jun, certified 3 Jun; a1: governance 3/4/5 Jun, water 4/5 Jun,
    # infrastructure submitted 5 Jun, health submitted 6 Jun and returned 7 Jun.
    assert [lines["submitted"][date(2025, 6, d)] for d in (1, 3, 4, 5, 6, 7)] == [8, 9, 10, 11, 12, 11]
    assert [lines["verified"][date(2025, 6, d)] for d in (1, 2, 4, 5)] == [0, 8, 9, 10]
    assert [lines["certified"][date(2025, 6, d)] for d in (2, 3, 5, 15)] == [0, 8, 9, 9]
    assert progress.expected == 32


def test_progress_spans_the_round_even_when_a_report_moves_long_before_or_after_it(round_, provincial_officer, world):
    report = SectorReport.objects.get(lao=world.lao_a2, sector__code="governance")
    # given a draft sent months before the round opened, and one a year after its deadline
    for when in (date(2025, 1, 3), date(2026, 6, 20)):
        ReportEvent.objects.create(report=report, action="submit", from_status="draft", to_status="submitted",
                                   actor=round_.a2.recorder, at=at(1, 9).replace(year=when.year, month=when.month,
                                                                                 day=when.day))
    cache.clear()
    progress = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30",
                     today=date(2026, 6, 25)).progress
    assert progress.days[0] == date(2025, 5, 24)  # the round opens; the January event counts from here
    assert progress.days[-1] == date(2025, 7, 30)  # the deadline and 45 days of running late, not a flat year
    submitted = next(line for line in progress.lines if line.key == "submitted")
    assert submitted.counts[0] == 1


def test_rows_sort_by_any_column_both_ways(round_, provincial_officer):
    ascending = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", sort="completion")
    assert [row.funnel.certified for row in ascending.rows] == [0, 0, 9]
    assert [row.name for row in ascending.rows][:2] == ["องค์การบริหารส่วนจังหวัดนครราชสีมา", "เมืองนครราชสีมา"]
    descending = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", sort="-completion")
    assert descending.sort == "-completion" and descending.rows[0].name == "ด่านขุนทด"
    assert board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30", sort="bogus").sort == "code"


@pytest.mark.parametrize(("who", "level", "code"), [
    ("district_officer", Level.DISTRICT, "3001"),  # another district of the same province
    ("district_officer", Level.PROVINCE, "30"),
    ("provincial_officer", Level.PROVINCE, "40"),
    ("provincial_officer", Level.DISTRICT, "4001"),
    ("provincial_officer", Level.NATION, ""),
    ("recorder", Level.DISTRICT, "3008"),
])
def test_a_unit_outside_the_users_reach_is_404(round_, request, who, level, code):
    with pytest.raises(Http404):
        scope_for(request.getfixturevalue(who), level=level, code=code, fiscal_year=round_.fiscal_year)


def test_past_days_of_progress_come_from_the_cache_and_todays_transitions_show_at_once(
        round_, provincial_officer, world):
    def submitted_on(progress, day):
        line = next(line for line in progress.lines if line.key == "submitted")
        return dict(zip(progress.days, line.counts, strict=True))[date(2025, 6, day)]

    first = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30").progress
    report = SectorReport.objects.get(lao=world.lao_a2, sector__code="governance")
    # given a transition today (12 June, 11:00) and one back-dated to 8 June, after the past days were read
    for day in (12, 8):
        ReportEvent.objects.create(report=report, action="submit", from_status="draft", to_status="submitted",
                                   actor=round_.a2.recorder, at=at(day, 11))
    second = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30").progress
    assert submitted_on(second, 12) == submitted_on(first, 12) + 1  # today: read on every request
    assert submitted_on(second, 8) == submitted_on(first, 8)  # the past: as cached
    cache.clear()
    third = board(provincial_officer, Level.PROVINCE, round_.fiscal_year, code="30").progress
    assert submitted_on(third, 8) == submitted_on(first, 8) + 1
    assert submitted_on(third, 12) == submitted_on(first, 12) + 2
