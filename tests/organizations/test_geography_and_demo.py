"""The real geography from geothai and the generated national demo registry."""

from collections import Counter

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.policy import Action, Role, laos_for
from organizations.models import LAO, District, LAOType, Province, Subdistrict, validate_dla_code

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "provinces": list(Province.objects.values_list("code", "name_th", "name_en")),
        "districts": list(District.objects.values_list("code", "name_th", "name_en", "province__code")),
        "subdistricts": Subdistrict.objects.count(),
        "laos": list(LAO.objects.order_by("pk").values_list("pk", "dla_code", "name_th", "lao_type")),
        "covered": LAO.subdistricts.through.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "grants": sum(len(u.laouserobjectpermission_set.all()) for u in User.objects.all()),
    }


def test_geography_counts_and_names():
    call_command("load_geography")
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    district = District.objects.get(code="3008")
    assert (district.name_th, district.name_en, district.province.name_th) == ("ด่านขุนทด", "Dan Khun Thot",
                                                                              "นครราชสีมา")
    assert Subdistrict.objects.get(code="300802").name_th == "ด่านขุนทด"


def test_loading_twice_changes_nothing():
    call_command("load_geography")
    call_command("load_demo")
    before = snapshot()
    call_command("load_geography")
    call_command("load_demo")
    assert snapshot() == before


def test_demo_registry_covers_the_nation():
    call_command("load_geography")
    call_command("load_demo")
    laos = LAO.objects.select_related("province", "district")
    types = Counter(laos.values_list("lao_type", flat=True))
    assert types[LAOType.PAO] == 76
    assert types[LAOType.SPECIAL] == 2
    assert set(laos.filter(lao_type=LAOType.SPECIAL).values_list("name_th", flat=True)) == {"กรุงเทพมหานคร",
                                                                                            "เมืองพัทยา"}
    outside_bangkok = Subdistrict.objects.exclude(district__province__code="10").count()
    # One LAO per subdistrict outside Bangkok, except the two that make up Pattaya.
    assert laos.exclude(lao_type__in=[LAOType.PAO, LAOType.SPECIAL]).count() == outside_bangkok - 2
    assert 7300 <= laos.count() <= 7400
    assert not laos.filter(is_demo=False).exists()
    assert not laos.filter(lao_type=LAOType.PAO, district__isnull=False).exists()
    assert not laos.exclude(lao_type__in=[LAOType.PAO, LAOType.SPECIAL]).filter(district__isnull=True).exists()
    for lao in laos:
        if lao.dla_code:
            validate_dla_code(lao.dla_code)
        lao.clean()


def test_demo_registry_includes_dan_khun_thot_and_the_demo_accounts():
    call_command("load_geography")
    call_command("load_demo")
    dan_khun_thot = LAO.objects.filter(district__code="3008")
    assert dan_khun_thot.count() == Subdistrict.objects.filter(district__code="3008").count()
    municipality = dan_khun_thot.get(lao_type=LAOType.SUBDISTRICT_MUNICIPALITY)
    assert municipality.name_th == "เทศบาลตำบลด่านขุนทด"
    assert dan_khun_thot.filter(lao_type=LAOType.SAO).count() == dan_khun_thot.count() - 1

    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    assert set(users) == {"dla.admin", "korat.province", "dankhunthot.district",
                          "recorder.demo", "verifier.demo", "certifier.demo", "deputy.demo"}
    assert all(u.check_password("info-demo-2568") for u in users.values())
    # the deputy head holds no role: the district appoints it acting head when the head is away
    assert not laos_for(users["deputy.demo"], Action.CERTIFY).exists()
    assert users["deputy.demo"].created_by == users["dankhunthot.district"]
    assert list(laos_for(users["recorder.demo"], Action.RECORD)) == [municipality]
    assert list(laos_for(users["verifier.demo"], Action.VERIFY)) == [municipality]
    assert list(laos_for(users["certifier.demo"], Action.CERTIFY)) == [municipality]
    assert set(laos_for(users["dankhunthot.district"], Action.OVERSEE)) == set(dan_khun_thot)
    assert laos_for(users["korat.province"], Action.OVERSEE).count() == LAO.objects.filter(province__code="30").count()
    assert laos_for(users["dla.admin"], Action.OVERSEE).count() == LAO.objects.count()
    assert users["dla.admin"].has_perm(Role.DEPARTMENT_ADMIN.permission)
