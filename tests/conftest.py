"""Shared fixtures: a small known geography with LAOs, and one account per role on it."""

import os
from dataclasses import dataclass

import pytest

from accounts import services as account_services
from accounts.models import User
from accounts.policy import Role
from info_portal import db_router
from organizations.models import LAO, District, LAOType, Province, Subdistrict

PASSWORD = "correct-horse-battery-2568"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass
class World:
    """Two provinces; province A has districts A1 and A2, province B has B1; LAOs in each."""

    province_a: Province
    province_b: Province
    district_a1: District
    district_a2: District
    district_b1: District
    pao_a: LAO
    lao_a1: LAO
    lao_a1_sao: LAO
    lao_a2: LAO
    lao_b1: LAO


@pytest.fixture
def world(db) -> World:
    province_a = Province.objects.create(code="30", name_th="นครราชสีมา", name_en="Nakhon Ratchasima")
    province_b = Province.objects.create(code="40", name_th="ขอนแก่น", name_en="Khon Kaen")
    district_a1 = District.objects.create(code="3008", name_th="ด่านขุนทด", name_en="Dan Khun Thot",
                                          province=province_a)
    district_a2 = District.objects.create(code="3001", name_th="เมืองนครราชสีมา", name_en="Mueang Nakhon Ratchasima",
                                          province=province_a)
    district_b1 = District.objects.create(code="4001", name_th="เมืองขอนแก่น", name_en="Mueang Khon Kaen",
                                          province=province_b)
    sub_a1 = Subdistrict.objects.create(code="300802", name_th="ด่านขุนทด", name_en="Dan Khun Thot",
                                        district=district_a1)
    Subdistrict.objects.create(code="300801", name_th="กุดพิมาน", name_en="Kut Phiman", district=district_a1)
    Subdistrict.objects.create(code="300101", name_th="ในเมือง", name_en="Nai Mueang", district=district_a2)
    Subdistrict.objects.create(code="400101", name_th="ในเมือง", name_en="Nai Mueang", district=district_b1)

    def lao(lao_type, name, district, code, province=None):
        return LAO.objects.create(lao_type=lao_type, name_th=name, district=district, dla_code=code,
                                  province=province or district.province)

    lao_a1 = lao(LAOType.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบลด่านขุนทด", district_a1, "5300801")
    lao_a1.subdistricts.add(sub_a1)
    return World(
        province_a=province_a, province_b=province_b,
        district_a1=district_a1, district_a2=district_a2, district_b1=district_b1,
        pao_a=lao(LAOType.PAO, "องค์การบริหารส่วนจังหวัดนครราชสีมา", None, "2300101", province=province_a),
        lao_a1=lao_a1,
        lao_a1_sao=lao(LAOType.SAO, "องค์การบริหารส่วนตำบลกุดพิมาน", district_a1, "6300801"),
        lao_a2=lao(LAOType.CITY, "เทศบาลนครนครราชสีมา", district_a2, "3300101"),
        lao_b1=lao(LAOType.CITY, "เทศบาลนครขอนแก่น", district_b1, "3400101"),
    )


def make_user(username: str, role: Role | None = None, unit=None, **fields) -> User:
    grants = [(role, unit)] if role is not None else []
    return account_services.account_create(
        actor=None, username=username, full_name=fields.pop("full_name", username),
        email=fields.pop("email", f"{username}@example.test"), password=PASSWORD, grants=grants, **fields,
    )


@pytest.fixture
def recorder(world) -> User:
    return make_user("recorder", Role.RECORDER, world.lao_a1)


@pytest.fixture
def verifier(world) -> User:
    return make_user("verifier", Role.VERIFIER, world.lao_a1)


@pytest.fixture
def certifier(world) -> User:
    return make_user("certifier", Role.CERTIFIER, world.lao_a1)


@pytest.fixture
def district_officer(world) -> User:
    return make_user("district", Role.DISTRICT_OFFICER, world.district_a1)


@pytest.fixture
def provincial_officer(world) -> User:
    return make_user("province", Role.PROVINCIAL_OFFICER, world.province_a)


@pytest.fixture
def department_admin(world) -> User:
    return make_user("department", Role.DEPARTMENT_ADMIN, None)


@pytest.fixture
def nobody(world) -> User:
    return make_user("nobody")


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tasks run in-process except in the tests that exercise the real broker and worker."""
    if request.node.get_closest_marker("services"):
        yield
        return
    from info_portal.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _replica_reads_where_declared(request, monkeypatch):
    """Pages read the primary except in the tests about the replica, so no test reads around its own writes."""
    if not request.node.get_closest_marker("replica"):
        monkeypatch.setattr(db_router, "replica_configured", lambda: False)
