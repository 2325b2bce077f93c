"""Each role's home page is its work list: the right counts, each linking to its filtered list, and nothing of a
foreign LAO. The figures are those of the round in tests/dashboards/conftest.py, on 12 June 2025."""

import re

import pytest
from django.urls import reverse

from accounts.policy import Role
from tests.conftest import make_user


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def text_of(page: str, element_id: str) -> str:
    """The text of the element with this id (tags removed, spaces collapsed)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"#{element_id} is missing"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


def href_of(page: str, element_id: str) -> str:
    match = re.search(rf'<a[^>]*\bid="{re.escape(element_id)}"[^>]*>', page) or \
        re.search(rf'<a[^>]*\bhref="([^"]*)"[^>]*\bid="{re.escape(element_id)}"', page)
    assert match, f"link #{element_id} is missing"
    return re.search(r'href="([^"]*)"', match.group(0)).group(1).replace("&amp;", "&")


def test_the_recorder_sees_its_sectors_what_is_missing_the_deadline_and_the_next_step(client, published, world):
    lao = world.lao_a1
    page = home(client, published.a1.recorder)
    prefix = f"work-record-{lao.pk}"
    assert "15 มิถุนายน 2568" not in text_of(page, f"{prefix}-deadline")  # the district's earlier date applies
    assert "11 มิถุนายน 2568" in text_of(page, f"{prefix}-deadline")
    assert "เลยกำหนด 1 วัน" in text_of(page, f"{prefix}-deadline")
    assert text_of(page, f"{prefix}-returned") == "1 ด้าน"
    assert text_of(page, f"{prefix}-drafts") == "1 ด้าน"
    assert text_of(page, f"{prefix}-not-started") == "3 ด้าน"
    assert text_of(page, f"{prefix}-waiting") == "2 ด้าน"
    assert text_of(page, f"{prefix}-certified") == "1 / 8"
    assert href_of(page, f"{prefix}-returned") == f"/workflow/queue/?step=returned&lao={lao.pk}&year=2568"
    assert href_of(page, f"{prefix}-drafts") == f"/workflow/queue/?step=draft&lao={lao.pk}&year=2568"
    assert href_of(page, f"{prefix}-not-started") == f"/data/lao/{lao.pk}/2568/"
    # The return comes first; the draft is complete, so its step is to submit; untouched sectors show what is empty.
    assert text_of(page, f"{prefix}-next").startswith("แก้ไขตามที่ส่งกลับ")
    assert href_of(page, f"{prefix}-next") == f"/data/lao/{lao.pk}/2568/health_environment/"
    assert "ส่งตรวจสอบ" in text_of(page, f"{prefix}-innovation_education")
    assert "จาก" in text_of(page, f"{prefix}-public_health")
    assert "รับรองแล้ว" in text_of(page, f"{prefix}-governance")
    assert world.lao_b1.name_th not in page and world.lao_a1_sao.name_th not in page


def test_the_counts_of_the_recorder_match_the_lists_they_link_to(client, published, world):
    page = home(client, published.a1.recorder)
    listed = client.get(href_of(page, f"work-record-{world.lao_a1.pk}-returned")).content.decode()
    assert listed.count('id="queue-report-') == 1
    assert "health_environment" in listed and "innovation_education" not in listed
    drafts = client.get(href_of(page, f"work-record-{world.lao_a1.pk}-drafts")).content.decode()
    assert drafts.count('id="queue-report-') == 1 and "innovation_education" in drafts


def test_the_verifier_sees_what_waits_the_oldest_first_and_its_open_returns(client, published, world):
    page = home(client, published.a1.verifier)
    assert text_of(page, "work-verify-waiting") == "1 รายการ"
    assert href_of(page, "work-verify-waiting") == "/workflow/queue/?step=verify"
    assert text_of(page, "work-verify-returns") == "1 รายการ"
    assert href_of(page, "work-verify-returns") == "/workflow/queue/?step=sent_verify"
    assert 'id="work-certify' not in page and 'id="scope-record"' not in page
    infrastructure = published.fiscal_year.reports.get(lao=world.lao_a1, sector__code="infrastructure")
    assert f'href="/workflow/reports/{infrastructure.pk}/review/"' in page
    assert world.lao_b1.name_th not in page
    listed = client.get("/workflow/queue/?step=sent_verify").content.decode()
    assert 'id="queue-sent_verify"' in listed and 'id="queue-verify"' not in listed
    assert listed.count('id="queue-report-') == 1


def test_the_head_sees_what_waits_for_certification(client, published, world):
    page = home(client, published.a1.certifier)
    assert text_of(page, "work-certify-waiting") == "1 รายการ"
    assert text_of(page, "work-certify-returns") == "0 รายการ"
    water = published.fiscal_year.reports.get(lao=world.lao_a1, sector__code="water")
    assert f"work-certify-report-{water.pk}" in page
    assert 'id="work-verify' not in page


def test_the_district_officer_sees_completion_the_overdue_the_furthest_behind_and_a_chase_button(
        client, published, world, district_officer):
    page = home(client, district_officer)
    key = "work-district-3008"
    assert text_of(page, f"{key}-completion") == "56.2%"  # 9 of 16 reports
    assert href_of(page, f"{key}-completion") == "/dash/district/3008/"
    assert text_of(page, f"{key}-behind") == "1 จาก 2 แห่ง"
    assert href_of(page, f"{key}-behind") == "/dash/district/3008/laggards/"
    assert text_of(page, f"{key}-overdue") == "1 แห่ง"
    assert href_of(page, f"{key}-overdue") == "/dash/district/3008/laggards/?overdue=1"
    assert text_of(page, f"{key}-deadline") == "11 มิถุนายน 2568"
    assert text_of(page, f"{key}-extensions") == "0 รายการ"
    assert f'id="{key}-lao-{world.lao_a1.pk}"' in page
    assert f'href="/deadlines/lao/{world.lao_a1.pk}/chase/"' in page
    assert f'id="{key}-lao-{world.lao_a1_sao.pk}"' not in page  # complete: not behind
    for foreign in (world.lao_a2, world.lao_b1, world.pao_a):
        assert foreign.name_th not in page
    laggards = client.get(href_of(page, f"{key}-overdue")).content.decode()
    assert 'id="laggard-overdue-only"' in laggards and world.lao_a1.name_th in laggards


def test_the_provincial_officer_sees_the_province_with_its_extensions(client, published, world, provincial_officer):
    page = home(client, provincial_officer)
    key = "work-province-30"
    assert text_of(page, f"{key}-completion") == "28.1%"  # 9 of 32 reports
    assert text_of(page, f"{key}-behind") == "3 จาก 4 แห่ง"
    assert text_of(page, f"{key}-overdue") == "1 แห่ง"
    assert text_of(page, f"{key}-extensions") == "1 รายการ"
    assert href_of(page, f"{key}-extensions") == "/deadlines/level/?province=30#level-extensions"
    assert "น้ำท่วมสำนักงาน" in text_of(page, f"{key}-extension-list")
    behind = text_of(page, f"{key}-behind-list")
    assert behind.index(world.pao_a.name_th) < behind.index(world.lao_a2.name_th) < behind.index(world.lao_a1.name_th)
    assert world.lao_b1.name_th not in page and 'id="work-district-' not in page


def test_the_department_sees_the_nation_the_provinces_by_completion_and_the_round(client, published, world,
                                                                                   department_admin):
    page = home(client, department_admin)
    assert text_of(page, "nation-completion") == "25.0%"  # 10 of 40 reports
    assert text_of(page, "nation-round-state") == "เปิดรับข้อมูล"
    assert "เหลือ 3 วัน" in text_of(page, "nation-round")
    provinces = text_of(page, "nation-provinces")
    assert provinces.index("ขอนแก่น") < provinces.index("นครราชสีมา")  # 12.5 % before 28.1 %
    assert page.count('<svg class="sparkline"') == 2
    assert href_of(page, "nation-completion") == "/dash/nation/"


def test_a_user_with_several_roles_sees_each_work_list(client, published, world):
    user = make_user("many", Role.RECORDER, world.lao_a2)
    from accounts import services as account_services

    account_services.role_grant(actor=None, user=user, role=Role.VERIFIER, unit=world.lao_a1)
    account_services.role_grant(actor=None, user=user, role=Role.DISTRICT_OFFICER, unit=world.district_a2)
    page = home(client, user)
    assert f'id="work-record-{world.lao_a2.pk}"' in page
    assert 'id="work-verify"' in page
    assert 'id="work-district-3001"' in page
    assert world.lao_b1.name_th not in page


@pytest.mark.parametrize("query", ["?step=everything", "?lao=abc", "?year=1999", f"?lao={10**9}"])
def test_a_bad_filter_of_the_queue_says_why_and_shows_every_list(client, published, query):
    client.force_login(published.a1.recorder)
    page = client.get("/workflow/queue/" + query).content.decode()
    assert 'id="queue-filter-errors"' in page
    assert 'id="queue-record"' in page


def test_a_foreign_lao_in_the_queue_filter_is_refused(client, published, world):
    client.force_login(published.a1.recorder)
    page = client.get(f"/workflow/queue/?lao={world.lao_b1.pk}").content.decode()
    assert "ไม่พบ อปท. นี้ในรายการ อปท. ของคุณ" in page
    assert world.lao_b1.name_th not in page
