"""The home page reads a fixed number of queries per role, whatever the number of LAOs and reports."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.policy import Role
from organizations.models import LAO, LAOType
from sectors.models import Sector
from tests.dashboards.conftest import Recorder, people_of

# Pinned counts, the session, the account, the menu and the deadline banner included: a change here is a change
# of how the page reads, to be made on purpose.
RECORDER_QUERIES = 18
DISTRICT_QUERIES = 18
DEPARTMENT_QUERIES = 17


def queries_of_home(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # the catalogue and the session are read once per process and login
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def more_laos(world, published, count: int, *, district=None) -> list[LAO]:
    """More LAOs in district A1 (or another), each with a few reports in several states."""
    district = district or world.district_a1
    laos = []
    for index in range(count):
        lao = LAO.objects.create(lao_type=LAOType.SAO, name_th=f"องค์การบริหารส่วนตำบลทดสอบ{index}",
                                 district=district, province=district.province)
        people = people_of(lao, f"more{district.code}.{index}")
        recorder = Recorder(lao, people, published.fiscal_year, seed=10 + index)
        recorder.certified("governance", day=3)
        recorder.submitted("water", day=4)
        recorder.draft("infrastructure")
        laos.append(lao)
    return laos


def test_the_recorder_page_reads_the_same_queries_for_one_lao_or_four(client, published, world):
    user = published.a1.recorder
    one = queries_of_home(client, user)
    for lao in more_laos(world, published, 3):
        account_services.role_grant(actor=None, user=user, role=Role.RECORDER, unit=lao)
    assert queries_of_home(client, user) == one == RECORDER_QUERIES


def test_the_reviewer_page_reads_the_same_queries_for_one_lao_or_four(client, published, world):
    user = published.a1.verifier
    one = queries_of_home(client, user)
    for lao in more_laos(world, published, 3):
        account_services.role_grant(actor=None, user=user, role=Role.VERIFIER, unit=lao)
    assert queries_of_home(client, user) == one


def test_the_district_page_reads_the_same_queries_for_two_laos_or_eight(client, published, world, district_officer):
    two = queries_of_home(client, district_officer)
    more_laos(world, published, 6)
    assert queries_of_home(client, district_officer) == two == DISTRICT_QUERIES


def test_the_province_page_reads_the_same_queries_for_four_laos_or_ten(client, published, world,
                                                                        provincial_officer):
    four = queries_of_home(client, provincial_officer)
    more_laos(world, published, 3)
    more_laos(world, published, 3, district=world.district_a2)
    assert queries_of_home(client, provincial_officer) == four


def test_the_department_page_reads_the_same_queries_for_two_provinces_or_more_laos(client, published, world,
                                                                                    department_admin):
    before = queries_of_home(client, department_admin)
    more_laos(world, published, 3)
    more_laos(world, published, 3, district=world.district_b1)
    assert Sector.objects.count() == 8
    assert queries_of_home(client, department_admin) == before == DEPARTMENT_QUERIES
