"""A small known round on the shared world, written through the services, with hand-counted figures.

FY 2568, round published and opened 24 May 2025, record by 10 June, certify by 15 June; today is 12 June 2025.

    province A (นครราชสีมา)                       sector states
      district A1 (ด่านขุนทด)
        lao_a1       เทศบาลตำบลด่านขุนทด         governance certified (5 Jun), water verified,
                                                  infrastructure submitted, health_environment returned,
                                                  innovation_education draft, 3 not started
        lao_a1_sao   อบต.กุดพิมาน                 all 8 certified (certified 3 Jun)
      district A2 (เมืองนครราชสีมา)
        lao_a2       เทศบาลนครนครราชสีมา          governance draft, 7 not started
      (no district)
        pao_a        อบจ.นครราชสีมา               8 not started
    province B (ขอนแก่น)
      district B1
        lao_b1       เทศบาลนครขอนแก่น             governance certified (6 Jun), 7 not started
"""

from dataclasses import dataclass
from datetime import date, datetime
from random import Random
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from accounts.policy import Role
from certification import services as certification
from dashboards.simulation.values import lao_values, sector_values
from deadlines import services as deadline_services
from sectors import services as sector_services
from sectors.catalogue import fiscal_year_open
from sectors.models import Indicator, Sector
from tests.conftest import make_user

TODAY = date(2025, 6, 12)
BANGKOK = ZoneInfo("Asia/Bangkok")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 6, day, hour, tzinfo=BANGKOK)


@dataclass
class People:
    recorder: object
    verifier: object
    certifier: object


def people_of(lao, prefix: str) -> People:
    return People(*(make_user(f"{prefix}.{role}", role, lao, phone="0-4400-0000" if role == Role.RECORDER else "")
                    for role in (Role.RECORDER, Role.VERIFIER, Role.CERTIFIER)))


class Recorder:
    """Moves one LAO's reports through the services, with values that pass the default rules."""

    def __init__(self, lao, people: People, fiscal_year, seed: int = 1):
        self.lao, self.people, self.fiscal_year = lao, people, fiscal_year
        self.rng = Random(seed)
        self.known = lao_values(lao.lao_type, self.rng)

    def draft(self, code: str):
        sector = Sector.objects.get(code=code)
        report = sector_services.report_open(lao=self.lao, sector=sector, fiscal_year=self.fiscal_year)
        items = [i for i in Indicator.objects.filter(fiscal_year=self.fiscal_year, sector=sector)
                 if i.applies_to(self.lao.lao_type)]
        sector_services.report_save(report_id=report.pk, user=self.people.recorder, expected_version=report.version,
                                    new_values=sector_values(items, self.known, self.rng, complete=True))
        return report

    def submitted(self, code: str, day: int = 2):
        report = self.draft(code)
        certification.report_submit(report_id=report.pk, actor=self.people.recorder, at=at(day))
        return report

    def returned(self, code: str, day: int = 2):
        report = self.submitted(code, day)
        certification.report_return(report_id=report.pk, actor=self.people.verifier, comment="ตรวจอีกครั้ง",
                                    at=at(day + 1))
        return report

    def verified(self, code: str, day: int = 2):
        report = self.submitted(code, day)
        certification.report_verify(report_id=report.pk, actor=self.people.verifier, at=at(day + 1))
        return report

    def certified(self, code: str, day: int = 2):
        report = self.verified(code, day)
        certification.report_certify(report_id=report.pk, actor=self.people.certifier, at=at(day + 2))
        return report


@dataclass
class Round:
    fiscal_year: object
    round: object
    a1: People
    a1_sao: People
    a2: People
    b1: People


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboards keep past days of progress in the cache; each test starts from its own database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fiscal_year(db):
    return fiscal_year_open(be_year=2568)


@pytest.fixture
def round_(world, fiscal_year, department_admin) -> Round:
    """The round described at the top of this file."""
    reporting_round = deadline_services.round_set(
        actor=department_admin, fiscal_year=fiscal_year, opens_on=date(2025, 5, 24), record_by=date(2025, 6, 10),
        certify_by=date(2025, 6, 15))
    # Published on its opening day; the announcements themselves are not what these tests are about.
    reporting_round.published_at = datetime(2025, 5, 24, 9, tzinfo=BANGKOK)
    reporting_round.published_by = department_admin
    reporting_round.save(update_fields=["published_at", "published_by"])
    people = {"a1": people_of(world.lao_a1, "a1"), "a1_sao": people_of(world.lao_a1_sao, "sao"),
              "a2": people_of(world.lao_a2, "a2"), "b1": people_of(world.lao_b1, "b1")}

    a1 = Recorder(world.lao_a1, people["a1"], fiscal_year)
    a1.certified("governance", day=3)  # submit 3 Jun, verify 4 Jun, certify 5 Jun
    a1.verified("water", day=4)
    a1.submitted("infrastructure", day=5)
    a1.returned("health_environment", day=6)
    a1.draft("innovation_education")

    sao = Recorder(world.lao_a1_sao, people["a1_sao"], fiscal_year, seed=2)
    for sector in Sector.objects.order_by("order"):
        sao.certified(sector.code, day=1)  # submit 1 Jun, verify 2 Jun, certify 3 Jun

    Recorder(world.lao_a2, people["a2"], fiscal_year, seed=3).draft("governance")
    Recorder(world.lao_b1, people["b1"], fiscal_year, seed=4).certified("governance", day=4)
    return Round(fiscal_year=fiscal_year, round=reporting_round, **people)
