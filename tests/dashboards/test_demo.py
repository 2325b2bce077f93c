"""simulate_round --date: the demo around a day. Last fiscal year certified and sealed, this year's round published
with its deadlines ahead and the province part-way through it, an internal district deadline passed, the demo
accounts' inboxes filled on the simulated days, and a second run that changes nothing."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import demo_accounts_load
from accounts.models import User
from certification.models import CertificationSeal, ReportEvent
from certification.seal import seal_check
from deadlines.models import Extension, LevelDeadline, ReportingRound
from deadlines.selectors import DeadlineBook
from notifications.models import Notification
from organizations.models import LAO, LAOType
from sectors.models import FiscalYear, IndicatorValue, ReportStatus, SectorReport

BANGKOK = ZoneInfo("Asia/Bangkok")
DAY = date(2026, 12, 2)  # fiscal year 2570 (from 1 October 2026); last year 2569


@pytest.fixture
def demo_world(world):
    """The world's LAOs marked as demo, the demo accounts, and twenty อบต. more in district A2 (เมืองนครราชสีมา)."""
    LAO.objects.update(is_demo=True)
    LAO.objects.bulk_create([
        LAO(lao_type=LAOType.SAO, name_th=f"องค์การบริหารส่วนตำบลจำลอง{n}", province=world.province_a,
            district=world.district_a2, dla_code=f"63001{n:02d}", is_demo=True) for n in range(10, 30)])
    demo_accounts_load()
    return world


def build(day: date = DAY) -> str:
    out = io.StringIO()
    call_command("simulate_round", "--date", day.isoformat(), "--province", "30", "--seed", "7", stdout=out)
    return out.getvalue()


def counts() -> tuple:
    return (SectorReport.objects.count(), ReportEvent.objects.count(), CertificationSeal.objects.count(),
            Notification.objects.count(), User.objects.count(), LevelDeadline.objects.count(),
            Extension.objects.count(), IndicatorValue.objects.count(),
            sorted(SectorReport.objects.values_list("pk", "status", "version")))


def test_last_year_is_certified_and_every_seal_verifies(demo_world):
    output = build()
    assert "refused" not in output.replace("0 refused", "")
    assert FiscalYear.objects.get(is_current=True).be_year == 2570
    laos = LAO.objects.filter(province=demo_world.province_a, is_demo=True).count()
    last = SectorReport.objects.filter(fiscal_year__be_year=2569)
    assert last.count() == laos * 8 and set(last.values_list("status", flat=True)) == {ReportStatus.CERTIFIED}
    assert CertificationSeal.objects.filter(report__fiscal_year__be_year=2569, superseded_at__isnull=True) \
        .count() == laos * 8
    seals = io.StringIO()
    call_command("check_seals", stdout=seals)
    assert "all match" in seals.getvalue()
    # the demo LAO's own people took its steps last year; nobody in province B was touched
    certifiers = set(ReportEvent.objects.filter(report__lao=demo_world.lao_a1, action="certify")
                     .values_list("actor__username", flat=True))
    assert certifiers == {"certifier.demo"}
    assert not SectorReport.objects.filter(lao__province=demo_world.province_b).exists()
    # every step of last year lies inside that fiscal year, before the day
    year_end = datetime.combine(date(2026, 9, 30), time(23, 59), BANGKOK)
    assert all(at <= year_end for at in ReportEvent.objects.filter(report__fiscal_year__be_year=2569)
               .values_list("at", flat=True))


def test_this_years_round_is_published_with_deadlines_ahead_and_work_half_done(demo_world):
    build()
    round_ = ReportingRound.objects.get(fiscal_year__be_year=2570)
    assert round_.opens_on < DAY < round_.record_by <= round_.certify_by
    assert round_.published_at is not None and timezone.localtime(round_.published_at).date() == round_.opens_on
    assert ReportingRound.objects.get(fiscal_year__be_year=2569).published_at is not None

    this_year = SectorReport.objects.filter(fiscal_year__be_year=2570)
    statuses = set(this_year.values_list("status", flat=True))
    assert ReportStatus.CERTIFIED in statuses and statuses & {ReportStatus.DRAFT, ReportStatus.SUBMITTED,
                                                             ReportStatus.VERIFIED, ReportStatus.RETURNED}
    simulated = LAO.objects.filter(province=demo_world.province_a).exclude(pk=demo_world.lao_a1.pk)
    done = {lao.pk for lao in simulated if this_year.filter(lao=lao, status=ReportStatus.CERTIFIED).count() == 8}
    assert done and len(done) < simulated.count()  # some LAOs finished, others behind
    # the demo LAO is its people's to fill; every simulated step falls on a day before the day
    assert not this_year.filter(lao=demo_world.lao_a1).exists()
    day_start = datetime.combine(DAY, time(), BANGKOK)
    assert all(at < day_start for at in ReportEvent.objects.filter(report__fiscal_year__be_year=2570)
               .values_list("at", flat=True))
    # last year's values were carried into this year's reports, and the year moved them a little
    lao = this_year.filter(status=ReportStatus.CERTIFIED).first().lao
    now = dict(IndicatorValue.objects.filter(report__lao=lao, report__fiscal_year__be_year=2570,
                                             indicator__code="gov_population_total").values_list("report__lao",
                                                                                                 "value_integer"))
    before = dict(IndicatorValue.objects.filter(report__lao=lao, report__fiscal_year__be_year=2569,
                                                indicator__code="gov_population_total")
                  .values_list("report__lao", "value_integer"))
    assert now[lao.pk] != before[lao.pk] and abs(now[lao.pk] - before[lao.pk]) < before[lao.pk] * 0.15


def test_one_district_is_past_its_internal_deadline_and_the_demo_district_is_not(demo_world):
    output = build()
    round_ = ReportingRound.objects.get(fiscal_year__be_year=2570)
    book = DeadlineBook(round_)
    assert book.for_province(demo_world.province_a.pk).certify_by > DAY
    demo_district = book.for_district(demo_world.district_a1.pk, demo_world.province_a.pk)
    behind = book.for_district(demo_world.district_a2.pk, demo_world.province_a.pk)
    assert demo_district.set_by_level == "district" and demo_district.certify_by > DAY
    assert behind.set_by_level == "district" and behind.is_overdue(DAY)
    assert LevelDeadline.objects.get(district=demo_world.district_a1).set_by.username == "dankhunthot.district"
    extension = Extension.objects.get(round=round_)
    assert extension.lao.district == demo_world.district_a2 and extension.certify_by > DAY
    assert "internal deadline" in output


def test_the_demo_accounts_inboxes_hold_what_the_round_sent_them_on_its_days(demo_world):
    build()
    round_ = ReportingRound.objects.get(fiscal_year__be_year=2570)
    inbox = {username: set(Notification.objects.filter(recipient__username=username, channel="portal",
                                                       created_at__gte=datetime.combine(round_.opens_on, time(),
                                                                                        BANGKOK))
                           .values_list("kind", flat=True))
             for username in ("recorder.demo", "verifier.demo", "certifier.demo", "dankhunthot.district",
                              "korat.province", "dla.admin")}
    assert all("round_announced" in kinds for kinds in inbox.values())
    assert "reminder_lao" in inbox["recorder.demo"]
    assert "reminder_district" in inbox["dankhunthot.district"]
    # each message is dated on a simulated day of the round, none after now
    opened = datetime.combine(round_.opens_on, time(), BANGKOK)
    dates = Notification.objects.filter(recipient__username__endswith=".demo") \
        .values_list("created_at", flat=True)
    assert all(at <= timezone.now() for at in dates)
    this_round = Notification.objects.filter(dedupe_key__startswith=f"round:{round_.pk}:")
    assert all(opened <= at for at in this_round.values_list("created_at", flat=True))
    days = {timezone.localtime(at).date() for at in this_round.values_list("created_at", flat=True)}
    assert len(days) > 2  # the announcement and reminders of several days, not one moment
    # last year's steps told the demo people then
    assert Notification.objects.filter(recipient__username="verifier.demo",
                                       created_at__lt=datetime(2026, 10, 1, tzinfo=BANGKOK)).exists()


def test_running_twice_changes_nothing_and_a_later_day_still_works(demo_world):
    build()
    before = counts()
    output = build()
    assert counts() == before
    assert "announcements written 0, reminders written 0" in output
    last_year = sorted(SectorReport.objects.filter(fiscal_year__be_year=2569).values_list("pk", "status", "version"))
    later = build(DAY + timedelta(days=3))
    assert "fiscal year 2570 (current)" in later
    assert sorted(SectorReport.objects.filter(fiscal_year__be_year=2569)
                  .values_list("pk", "status", "version")) == last_year


def test_some_sectors_are_certified_by_an_acting_head_appointed_by_the_district(demo_world):
    from accounts.models import AccountAction, AccountEvent, ActingAppointment
    from certification.seal import seal_check

    output = build()
    appointments = list(ActingAppointment.objects.select_related("lao", "appointed_by"))
    assert appointments and "acting head" in output
    for appointment in appointments:
        assert appointment.starts_on <= DAY <= appointment.ends_on
        assert appointment.appointed_by.username.startswith("sim.") or appointment.appointed_by.is_demo
        assert appointment.lao != demo_world.lao_a1
    seals = CertificationSeal.objects.filter(acting_appointment__in=appointments)
    assert seals.exists() and all(seal_check(seal).ok for seal in seals)
    assert all(seal.certified_by_id == seal.acting_appointment.user_id for seal in seals)
    assert AccountEvent.objects.filter(action=AccountAction.ACTING_APPOINTED).count() == len(appointments)
    before = ActingAppointment.objects.count(), seals.count()
    build()
    assert (ActingAppointment.objects.count(), seals.count()) == before


def test_one_report_of_last_year_was_reopened_corrected_and_certified_again(demo_world):
    output = build()
    seals = CertificationSeal.objects.filter(report__fiscal_year__be_year=2569, number=2)
    assert seals.count() == 1 and "recertified" in output
    report = seals.get().report
    first, second = report.seals.order_by("number")
    assert first.superseded_at is not None and second.superseded_at is None
    assert seal_check(first).ok and seal_check(second).ok
    assert report.lao == demo_world.lao_a1  # the LAO the demo accounts serve
    build()  # a second run adds no third seal
    assert report.seals.count() == 2


def test_this_years_catalogue_differs_from_last_years_and_starts_from_its_values(demo_world):
    build()
    this_year, last_year = FiscalYear.objects.get(be_year=2570), FiscalYear.objects.get(be_year=2569)
    codes = set(this_year.indicators.values_list("code", flat=True))
    before = set(last_year.indicators.values_list("code", flat=True))
    assert codes - before == {"gov_wifi_points"} and before - codes == {"soc_shrines"}
    assert this_year.indicators.get(code="eco_hotels").label_th != last_year.indicators.get(code="eco_hotels").label_th
    assert IndicatorValue.objects.filter(report__fiscal_year=last_year, indicator__code="soc_shrines").exists()
    assert IndicatorValue.objects.filter(report__fiscal_year=this_year, carried_forward=True).exists()
