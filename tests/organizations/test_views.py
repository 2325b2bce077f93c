"""Pages by role: each user sees its own units; a unit outside the scope is 404, never a hint."""

import pytest
from django.urls import reverse

from sectors.catalogue import fiscal_year_open


@pytest.fixture
def fiscal_year(db):
    return fiscal_year_open(be_year=2568)


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def lao_url(lao):
    return reverse("organizations:lao", args=[lao.pk])


def test_home_shows_the_recorder_its_lao(client, world, recorder):
    page = get(client, recorder, "/").content.decode()
    assert "ผู้บันทึกข้อมูล · เทศบาลตำบลด่านขุนทด" in page
    assert 'id="scope-laos"' in page
    assert world.lao_b1.name_th not in page


def test_home_shows_the_district_officer_its_district(client, world, fiscal_year, district_officer):
    page = get(client, district_officer, "/").content.decode()
    assert 'id="scope-districts"' in page
    assert reverse("organizations:district", args=["3008"]) in page
    assert reverse("organizations:district", args=["3001"]) not in page


def test_home_shows_the_provincial_officer_its_province(client, world, fiscal_year, provincial_officer):
    page = get(client, provincial_officer, "/").content.decode()
    assert 'id="scope-provinces"' in page
    assert reverse("organizations:province", args=["30"]) in page
    assert reverse("organizations:province", args=["40"]) not in page


def test_home_shows_the_department_the_nation(client, world, fiscal_year, department_admin):
    page = get(client, department_admin, "/").content.decode()
    assert 'id="scope-nation"' in page
    assert reverse("dashboards:province", args=["30"]) in page
    assert reverse("dashboards:province", args=["40"]) in page


@pytest.mark.parametrize(("role", "visible", "hidden"), [
    ("recorder", ["lao_a1"], ["lao_a1_sao", "lao_a2", "lao_b1", "pao_a"]),
    ("verifier", ["lao_a1"], ["lao_a1_sao", "lao_a2", "lao_b1", "pao_a"]),
    ("certifier", ["lao_a1"], ["lao_a1_sao", "lao_a2", "lao_b1", "pao_a"]),
    ("district_officer", ["lao_a1", "lao_a1_sao"], ["lao_a2", "lao_b1", "pao_a"]),
    ("provincial_officer", ["lao_a1", "lao_a1_sao", "lao_a2", "pao_a"], ["lao_b1"]),
    ("department_admin", ["lao_a1", "lao_a1_sao", "lao_a2", "pao_a", "lao_b1"], []),
    ("nobody", [], ["lao_a1", "lao_a1_sao", "lao_a2", "lao_b1", "pao_a"]),
])
def test_lao_pages_are_404_outside_the_scope(client, world, request, role, visible, hidden):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for name in visible:
        assert client.get(lao_url(getattr(world, name))).status_code == 200, name
    for name in hidden:
        assert client.get(lao_url(getattr(world, name))).status_code == 404, name
    listed = client.get(reverse("organizations:lao_list")).content.decode()
    for name in visible:
        assert lao_url(getattr(world, name)) in listed
    for name in hidden:
        assert lao_url(getattr(world, name)) not in listed


@pytest.mark.parametrize(("role", "visible", "hidden"), [
    ("recorder", [], ["3008", "3001", "4001"]),
    ("district_officer", ["3008"], ["3001", "4001"]),
    ("provincial_officer", ["3008", "3001"], ["4001"]),
    ("department_admin", ["3008", "3001", "4001"], []),
])
def test_district_pages_are_404_outside_the_scope(client, world, request, role, visible, hidden):
    client.force_login(request.getfixturevalue(role))
    for code in visible:
        assert client.get(reverse("organizations:district", args=[code])).status_code == 200
    for code in hidden:
        assert client.get(reverse("organizations:district", args=[code])).status_code == 404


@pytest.mark.parametrize(("role", "visible", "hidden"), [
    ("recorder", [], ["30", "40"]),
    ("district_officer", [], ["30", "40"]),
    ("provincial_officer", ["30"], ["40"]),
    ("department_admin", ["30", "40"], []),
])
def test_province_pages_are_404_outside_the_scope(client, world, request, role, visible, hidden):
    client.force_login(request.getfixturevalue(role))
    for code in visible:
        assert client.get(reverse("organizations:province", args=[code])).status_code == 200
    for code in hidden:
        assert client.get(reverse("organizations:province", args=[code])).status_code == 404


def test_district_page_lists_its_laos(client, world, district_officer):
    page = get(client, district_officer, reverse("organizations:district", args=["3008"])).content.decode()
    assert world.lao_a1.name_th in page
    assert world.lao_a1_sao.name_th in page


def test_lao_list_search(client, world, provincial_officer):
    client.force_login(provincial_officer)
    page = client.get(reverse("organizations:lao_list"), {"q": "กุดพิมาน"}).content.decode()
    assert world.lao_a1_sao.name_th in page
    assert lao_url(world.lao_a1) not in page


def test_about_page_credits_the_geography(client, db):
    page = client.get(reverse("about")).content.decode()
    assert "CC-BY-4.0" in page
    assert "geothai" in page


def test_english_switch(client, world, recorder):
    client.force_login(recorder)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").headers["Content-Language"] == "en"


def test_thai_even_for_an_english_browser(client, world, recorder):
    client.force_login(recorder)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "th"
    assert '<option value="th" selected>' in response.content.decode()
