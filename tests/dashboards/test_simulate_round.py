"""simulate_round: plausible values through the services, a spread of states dated inside the round, the people it
needs, and a second run that adds nothing."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.policy import Role, users_with_role
from certification.models import CertificationSeal, ReportEvent
from deadlines.models import ReportingRound
from organizations.models import LAO, LAOType
from sectors.catalogue import fiscal_year_open
from sectors.models import ReportStatus, SectorReport

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def demo_world(world):
    """The world's LAOs marked as demo, and twenty more อบต. in district A2 for a spread of states."""
    LAO.objects.update(is_demo=True)
    LAO.objects.bulk_create([
        LAO(lao_type=LAOType.SAO, name_th=f"องค์การบริหารส่วนตำบลจำลอง{n}", province=world.province_a,
            district=world.district_a2, dla_code=f"63001{n:02d}", is_demo=True) for n in range(10, 30)])
    fiscal_year_open(be_year=2568)
    return world


def simulate(*args) -> str:
    out = io.StringIO()
    call_command("simulate_round", "--fiscal-year", "2568", *args, stdout=out)
    return out.getvalue()


def test_a_simulated_round_fills_the_demo_laos_through_the_services(demo_world, recorder):
    output = simulate("--province", "30", "--seed", "7")

    round_ = ReportingRound.objects.get(fiscal_year__be_year=2568)
    assert (round_.opens_on, round_.record_by, round_.certify_by) == (date(2025, 5, 24), date(2025, 6, 10),
                                                                      date(2025, 6, 15))
    # lao_a1 has a recorder who signs in: its data is left to its people; province B is not in the run
    assert not SectorReport.objects.filter(lao__in=[demo_world.lao_a1, demo_world.lao_b1]).exists()
    assert "23 LAOs (1 left alone)" in output
    states = set(SectorReport.objects.values_list("status", flat=True))
    assert {ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.VERIFIED, ReportStatus.CERTIFIED} <= states
    assert ReportEvent.objects.filter(action="return").exists()
    assert "refused" not in output  # every submit passed the checks: the values keep the default rules
    # every step is dated inside the round, between its opening and the simulated today (12 June)
    first, last = datetime.combine(date(2025, 5, 24), time(), BANGKOK), datetime(2025, 6, 13, tzinfo=BANGKOK)
    assert all(first <= at < last for at in ReportEvent.objects.values_list("at", flat=True))
    assert CertificationSeal.objects.count() == SectorReport.objects.filter(status=ReportStatus.CERTIFIED).count()


def test_the_people_it_makes_cannot_sign_in(demo_world, recorder):
    simulate("--province", "30")
    for role in (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER):
        holder = users_with_role(demo_world.lao_a2, role).get()
        assert holder.username == f"sim.3300101.{role}"
        assert holder.is_demo and not holder.has_usable_password() and not holder.email
    for username in ("sim.p30.province", "sim.d3008.district", "sim.d3001.district"):
        user = User.objects.get(username=username)
        assert user.is_demo and not user.has_usable_password()
    assert not User.objects.filter(username="sim.p40.province").exists()


def test_running_twice_adds_nothing(demo_world):
    simulate("--district", "3001", "--seed", "9")
    untouched = LAO.objects.filter(district__code="3001").exclude(reports__isnull=False)
    assert untouched.count() == 3  # with this seed three LAOs have not started: the second run must agree
    counts = (SectorReport.objects.count(), ReportEvent.objects.count(), User.objects.count())
    output = simulate("--district", "3001", "--seed", "9")
    assert (SectorReport.objects.count(), ReportEvent.objects.count(), User.objects.count()) == counts
    assert "3 LAOs (18 left alone), 0 reports, 0 transitions" in output


def test_the_simulated_today_bounds_the_story(demo_world):
    simulate("--district", "3001", "--today", "2025-05-25")  # the day after the round opens
    certified = SectorReport.objects.filter(status=ReportStatus.CERTIFIED).count()
    assert certified < SectorReport.objects.count() / 4
    assert all(at.date() <= date(2025, 5, 25) for at in ReportEvent.objects.values_list("at", flat=True))
