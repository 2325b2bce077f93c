"""simulate_round through the bulk services writes what the services write one by one: the same people, reports,
values, changes, events, seals and messages, from the same seed; and in a number of queries per province that
does not grow with its LAOs."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountEvent, LAOUserObjectPermission, User
from certification.models import CertificationSeal, ReportEvent
from certification.seal import seal_check
from dashboards.simulation import people, round_ensure, round_simulate
from dashboards.simulation.parallel import round_simulate_parallel
from notifications.models import Notification
from organizations.models import LAO, District, LAOType, Province
from sectors.catalogue import fiscal_year_open
from sectors.models import FiscalYear, IndicatorValue, ReportStatus, SectorReport, ValueChange
from tests.conftest import in_ci

TODAY = date(2025, 6, 12)


@pytest.fixture
def demo_world(world):
    """The world's LAOs marked as demo and twenty more อบต. in district A2; 2567 certified for some of them, so the
    2568 round starts from carried values and meets big changes to explain."""
    LAO.objects.update(is_demo=True)
    LAO.objects.bulk_create([
        LAO(lao_type=LAOType.SAO, name_th=f"องค์การบริหารส่วนตำบลจำลอง{n}", province=world.province_a,
            district=world.district_a2, dla_code=f"63001{n:02d}", is_demo=True) for n in range(10, 30)])
    fiscal_year_open(be_year=2567)
    call_command("simulate_round", "--fiscal-year", "2567", "--district", "3001", "--today", "2024-06-15",
                 "--seed", "3", stdout=io.StringIO())
    fiscal_year_open(be_year=2568)
    return world


def _snapshot() -> dict:
    """Everything the round wrote, by natural keys (ids differ from one way of writing to the other)."""
    keys = {pk: key for pk, *key in SectorReport.objects.values_list("pk", "lao__dla_code", "sector__code",
                                                                      "fiscal_year__be_year")}

    def report_key(report_id: int) -> tuple:
        return tuple(keys[report_id])

    events = {event.pk: (report_key(event.report_id), event.action, event.from_status, event.to_status,
                         event.actor.username, event.at, event.comment, event.field_reasons)
              for event in ReportEvent.objects.select_related("actor")}
    return {
        "users": sorted((u.username, u.full_name, u.position, u.phone, u.is_demo, u.has_usable_password(), u.email,
                         u.is_staff) for u in User.objects.all()),
        "grants": sorted((g.user.username, g.permission.codename, g.content_object.dla_code)
                         for g in LAOUserObjectPermission.objects.select_related("user", "permission",
                                                                                 "content_object")),
        "account_events": sorted((e.account.username, e.actor_id, e.action, e.role, e.unit_label, e.province_id,
                                  e.district_id, e.lao_id, e.detail)
                                 for e in AccountEvent.objects.select_related("account")),
        "reports": sorted((report_key(r.pk), r.status, r.version, r.updated_by.username if r.updated_by else None,
                           r.unchanged_confirmed) for r in SectorReport.objects.all()),
        "values": sorted((report_key(v.report_id), v.indicator.code, v.value_integer, v.value_decimal, v.value_text,
                          v.value_bool, v.not_applicable, v.carried_forward, v.change_reason)
                         for v in IndicatorValue.objects.select_related("indicator")),
        "changes": sorted((report_key(c.value.report_id), c.value.indicator.code, repr(c.old), repr(c.new),
                           c.changed_by.username, c.channel)
                          for c in ValueChange.objects.select_related("value__indicator", "changed_by")),
        "events": sorted(map(repr, events.values())),
        "seals": sorted((events[s.event_id], s.canonical, s.sha256, s.certified_by.username, s.certified_at,
                         s.superseded_at) for s in CertificationSeal.objects.select_related("certified_by")),
        "messages": sorted((repr(events[int(n.dedupe_key.split(":")[1])]), n.recipient.username, n.kind, n.title,
                            n.body, n.link, n.channel, n.status)
                           for n in Notification.objects.filter(dedupe_key__startswith="report-event:")
                           .select_related("recipient")),
    }


class _Undo(Exception):
    pass


def test_the_bulk_path_writes_what_the_services_write(demo_world, recorder, django_capture_on_commit_callbacks):
    before = _snapshot()
    try:
        with transaction.atomic():
            with django_capture_on_commit_callbacks(execute=True):
                one_by_one = round_simulate(fiscal_year=_year(2568), today=TODAY, seed=11, province_code="30",
                                            one_by_one=True)
            by_services = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert _snapshot() == before  # the services' round is undone, the 2567 round is still there

    with django_capture_on_commit_callbacks(execute=True):
        bulk = round_simulate(fiscal_year=_year(2568), today=TODAY, seed=11, province_code="30")
    by_bulk = _snapshot()

    # the story is rich enough to mean something: every state, returns, refused submits, carried values, messages
    assert set(ReportStatus) <= {status for key, status, *_ in by_bulk["reports"] if key[2] == 2568}
    assert one_by_one.refused > 0 and one_by_one.events > 100
    assert any(carried for *_, carried, _reason in by_bulk["values"])
    assert len(by_bulk["messages"]) > len(before["messages"])
    for part in by_services:
        assert by_bulk[part] == by_services[part], part
    assert (bulk.laos, bulk.skipped, bulk.reports, bulk.events, bulk.refused, bulk.states) == (
        one_by_one.laos, one_by_one.skipped, one_by_one.reports, one_by_one.events, one_by_one.refused,
        one_by_one.states)
    assert all(seal_check(seal).ok for seal in CertificationSeal.objects.filter(superseded_at__isnull=True))
    call_command("check_seals", stdout=io.StringIO())  # raises if any seal no longer matches


def _year(be_year: int) -> FiscalYear:
    return FiscalYear.objects.get(be_year=be_year)


@pytest.fixture
def two_districts(world):
    """District A1 with 5 more demo อบต. (7 LAOs in all), district A2 with 30 more (31), a 2568 catalogue, and the
    province's officer already there so each run makes the same accounts besides the LAOs' people."""
    LAO.objects.update(is_demo=True)
    for district, count, prefix in ((world.district_a1, 5, "63008"), (world.district_a2, 30, "63001")):
        LAO.objects.bulk_create([
            LAO(lao_type=LAOType.SAO, name_th=f"องค์การบริหารส่วนตำบลจำลอง{prefix}{n}", province=world.province_a,
                district=district, dla_code=f"{prefix}{n:02d}", is_demo=True) for n in range(40, 40 + count)])
    fiscal_year_open(be_year=2568)
    round_ensure(_year(2568))
    people.officers_ensure(Province.objects.filter(code="30"), District.objects.none())
    return world


def _statements(queries: list[dict]) -> list[str]:
    """The statements, an INSERT split in several by the database's limit on parameters counted once (SQLite takes
    999 per statement; PostgreSQL takes a batch in one)."""
    kinds = []
    for query in queries:
        words = query["sql"].split()
        kind = " ".join(words[:3]) if words[0] == "INSERT" else query["sql"]
        if not (kinds and kind.startswith("INSERT") and kinds[-1] == kind):
            kinds.append(kind)
    return kinds


# A province (or a district) is one batch: its people, then for each sector its reports, values, steps, seals and
# messages, each a few statements whatever the number of LAOs (about 220 on SQLite, 285 on PostgreSQL, where a
# COPY takes its ids first). The services take about 470 per LAO.
QUERIES_PER_BATCH = 290


def test_queries_per_batch_do_not_grow_with_its_laos(two_districts, django_capture_on_commit_callbacks):
    counts = {}
    for district in ("3008", "3001"):
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as captured:
            outcome = round_simulate(fiscal_year=_year(2568), today=TODAY, seed=5, district_code=district)
        counts[district] = (len(_statements(captured.captured_queries)), outcome)
    (small, few), (large, many) = counts["3008"], counts["3001"]
    assert (few.laos, many.laos) == (7, 31)
    assert many.reports > 3 * few.reports and many.events > 2 * few.events  # four times the LAOs, more rows ...
    assert small <= QUERIES_PER_BATCH and large <= QUERIES_PER_BATCH  # ... in the same few statements
    assert abs(large - small) <= 12  # (a sector nobody started, or no seal, saves a statement or two)


@pytest.mark.django_db(transaction=True)
def test_provinces_side_by_side_write_what_one_process_writes(demo_world, django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        if in_ci():
            pytest.fail("CI runs this test on PostgreSQL; the database here is " + connection.vendor)
        pytest.skip("only PostgreSQL takes writers side by side")
    LAO.objects.bulk_create([
        LAO(lao_type=LAOType.SAO, name_th=f"องค์การบริหารส่วนตำบลจำลองขอนแก่น{n}", province=demo_world.province_b,
            district=demo_world.district_b1, dla_code=f"64001{n:02d}", is_demo=True) for n in range(10, 22)])
    before = _snapshot()
    try:
        with transaction.atomic():
            with django_capture_on_commit_callbacks(execute=True):
                alone = round_simulate(fiscal_year=_year(2568), today=TODAY, seed=11)
            by_one_process = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert _snapshot() == before

    side_by_side = round_simulate_parallel(fiscal_year=_year(2568), today=TODAY, seed=11, jobs=2)

    by_two = _snapshot()
    assert SectorReport.objects.filter(fiscal_year__be_year=2568, lao__province__code="40").exists()
    assert SectorReport.objects.filter(fiscal_year__be_year=2568, lao__province__code="30").exists()
    for part in by_one_process:
        assert by_two[part] == by_one_process[part], part
    assert (side_by_side.laos, side_by_side.skipped, side_by_side.reports, side_by_side.events,
            side_by_side.refused, side_by_side.states) == (alone.laos, alone.skipped, alone.reports, alone.events,
                                                           alone.refused, alone.states)
    assert alone.laos == LAO.objects.count() and alone.reports > 100
    assert all(seal_check(seal).ok for seal in CertificationSeal.objects.filter(superseded_at__isnull=True))
