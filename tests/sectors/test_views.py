"""The sector cards and the report page in the browser: who may see and write, saving, conflicts, carried values."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.policy import Role
from info_portal.templatetags.thai import be_datetime
from sectors import selectors, services
from sectors.catalogue import fiscal_year_open
from sectors.models import ReportStatus, Sector, SectorReport
from tests.conftest import make_user

POPULATION = {"gov_population_male": "600", "gov_population_female": "650", "gov_population_total": "1,250",
              "gov_households": "400"}


def cards_url(lao, year=2568):
    return reverse("sectors:lao_sectors", args=[lao.pk, year])


def report_url(lao, sector="governance", year=2568):
    return reverse("sectors:report", args=[lao.pk, year, sector])


def check_url(lao, sector="governance", year=2568):
    return reverse("sectors:field_check", args=[lao.pk, year, sector])


def post(client, lao, data, **extra):
    return client.post(report_url(lao), {"version": "0", "action": "save", **data}, **extra)


@pytest.fixture
def other_recorder(world):
    return make_user("other.recorder", Role.RECORDER, world.lao_b1, full_name="สมหมาย ต่างถิ่น")


@pytest.fixture
def second_recorder(world):
    return make_user("second.recorder", Role.RECORDER, world.lao_a1, full_name="สมศรี บันทึกไว")


# --- the cards -------------------------------------------------------------------------------------------------

def test_the_recorder_sees_eight_cards_with_what_is_left(client, world, recorder, fiscal_year, report):
    services.report_save(report_id=report.pk, user=recorder, expected_version=0,
                         new_values={"gov_area": Decimal("12.5"), "gov_population_total": 1250})
    client.force_login(recorder)
    response = client.get(cards_url(world.lao_a1))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="card sector-card"') == 8
    for sector in Sector.objects.all():
        assert sector.name_th in page
        assert report_url(world.lao_a1, sector.code) in page
    governance = page.split('id="sector-governance"')[1].split("</li>")[0]
    assert "กรอกแล้ว 2 จาก 8" in governance
    assert "กรอกแล้ว 0 จาก 2" in page.split('id="sector-water"')[0].split('id="sector-health_environment"')[1]
    assert "กำลังบันทึก" in page and "ยังไม่เริ่มบันทึก" in page
    assert page.count(">บันทึกข้อมูล</a>") == 8
    assert "กำหนดส่ง" not in page  # no reporting round yet: no deadline is made up


def test_the_verifier_is_offered_to_check_submitted_sectors_and_to_view_the_rest(client, world, verifier, report):
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    client.force_login(verifier)
    page = client.get(cards_url(world.lao_a1)).content.decode()
    assert page.count(">ตรวจสอบ</a>") == 1
    assert page.count(">ดูข้อมูล</a>") == 7
    assert "รอตรวจสอบ" in page


def test_the_current_year_link_leads_to_the_cards(client, world, recorder, fiscal_year):
    client.force_login(recorder)
    current = reverse("sectors:lao_current", args=[world.lao_a1.pk])
    assert current in client.get("/").content.decode()
    assert current in client.get(reverse("organizations:lao", args=[world.lao_a1.pk])).content.decode()
    response = client.get(current)
    assert response.status_code == 302
    assert response["Location"] == cards_url(world.lao_a1)


def test_a_recorder_starts_reports_only_in_the_current_year(client, world, recorder, fiscal_year):
    fiscal_year_open(be_year=2569, make_current=False)
    client.force_login(recorder)
    page = client.get(cards_url(world.lao_a1, 2569)).content.decode()
    assert page.count(">ดูข้อมูล</a>") == 8 and ">บันทึกข้อมูล</a>" not in page
    page = client.get(report_url(world.lao_a1, "governance", 2569)).content.decode()
    assert 'id="report-form"' not in page and "ยังไม่มีการบันทึกข้อมูลด้านนี้ในปีงบประมาณนี้" in page
    response = client.post(report_url(world.lao_a1, "governance", 2569), {"version": "0", "gov_villages": "1"})
    assert response.status_code == 404
    assert not SectorReport.objects.exists()


def test_an_unknown_year_is_404(client, world, recorder, fiscal_year):
    client.force_login(recorder)
    assert client.get(cards_url(world.lao_a1, 2500)).status_code == 404
    assert client.get(report_url(world.lao_a1, "governance", 2500)).status_code == 404
    assert client.get(report_url(world.lao_a1, "no_such_sector")).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, world, fiscal_year):
    response = client.get(cards_url(world.lao_a1))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- who may read and write ------------------------------------------------------------------------------------

def test_the_recorder_gets_the_form_grouped_by_section(client, world, recorder, fiscal_year):
    client.force_login(recorder)
    response = client.get(report_url(world.lao_a1))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="report-form"' in page
    assert 'name="version" value="0"' in page
    for heading in ("ข้อมูลทั่วไป", "ประชากร", "บุคลากร", "การคลัง", "เรื่องร้องเรียน"):
        assert f">{heading}</h2>" in page
    assert '<label for="id_gov_population_total">ประชากรรวม</label>' in page
    assert "ตร.กม." in page and "บาท" in page
    assert 'name="gov_population_total-na"' in page
    assert "บันทึกร่าง" in page and "ตรวจสอบก่อนส่ง" in page
    assert not SectorReport.objects.filter(lao=world.lao_a1, sector__code="governance").exists()  # a GET never writes


def test_a_recorder_of_another_lao_gets_404_on_read_and_write(client, world, other_recorder, recorder, report):
    client.force_login(other_recorder)
    assert client.get(cards_url(world.lao_a1)).status_code == 404
    assert client.get(report_url(world.lao_a1)).status_code == 404
    assert post(client, world.lao_a1, POPULATION).status_code == 404
    assert client.post(check_url(world.lao_a1), {"version": "0"}).status_code == 404
    assert selectors.report_values(report) == {}


@pytest.mark.parametrize("role", ["verifier", "certifier", "district_officer", "provincial_officer"])
def test_others_in_scope_read_only_and_their_posts_are_refused(client, request, world, recorder, report, role):
    services.report_save(report_id=report.pk, user=recorder, expected_version=0,
                         new_values={"gov_population_total": 1250})
    client.force_login(request.getfixturevalue(role))
    response = client.get(report_url(world.lao_a1))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="report-form"' not in page and "<input" not in page.split("<main>")[1].split("</main>")[0]
    assert "คุณดูข้อมูลด้านนี้ได้อย่างเดียว" in page
    assert "1,250" in page
    assert post(client, world.lao_a1, {"gov_population_total": "1"}).status_code == 403
    assert client.post(check_url(world.lao_a1), {"version": "1"}).status_code == 403
    assert selectors.report_values(report)["gov_population_total"] == 1250


def test_a_viewer_of_a_sector_not_started_sees_an_empty_page_and_nothing_is_created(client, world, verifier,
                                                                                   fiscal_year):
    client.force_login(verifier)
    response = client.get(report_url(world.lao_a1))
    assert response.status_code == 200
    assert "ยังไม่เริ่มบันทึก" in response.content.decode()
    assert not SectorReport.objects.exists()


# --- saving ----------------------------------------------------------------------------------------------------

def test_a_save_writes_the_values_and_redirects(client, world, recorder, report):
    client.force_login(recorder)
    response = post(client, world.lao_a1, {**POPULATION, "gov_area": "๑๒.๕", "gov_budget": "35,000,000.50",
                                           "gov_council_members-na": "on"})
    assert response.status_code == 302
    assert response["Location"] == report_url(world.lao_a1)
    stored = selectors.report_values(report)
    assert stored["gov_population_total"] == 1250
    assert stored["gov_area"] == Decimal("12.5")
    assert stored["gov_budget"] == Decimal("35000000.5")
    assert str(stored["gov_council_members"]) == "NOT_APPLICABLE"
    page = client.get(response["Location"]).content.decode()
    assert "บันทึกข้อมูลแล้ว" in page
    assert 'value="1,250"' in page and 'value="35,000,000.5"' in page
    assert 'name="version" value="1"' in page


def test_a_draft_is_saved_even_incomplete_and_rule_errors_show_beside_the_field(client, world, recorder, report):
    client.force_login(recorder)
    response = post(client, world.lao_a1, {**POPULATION, "gov_households": "2,000"}, follow=True)
    page = response.content.decode()
    assert selectors.report_values(report)["gov_households"] == 2000
    issues = page.split('id="issues-gov_population_total"')[1].split("</div>")[0]
    assert "จำนวนครัวเรือนต้องไม่เกินจำนวนประชากร" in issues


def test_a_total_is_computed_from_its_parts_whatever_is_typed_in_it(client, world, recorder, report):
    client.force_login(recorder)
    page = client.get(report_url(world.lao_a1)).content.decode()
    total = page.split('name="gov_population_total"')[1].split(">")[0]
    assert "readonly" in total and 'data-sum="id_gov_population_male id_gov_population_female"' in total
    assert 'aria-describedby="sum-gov_population_total issues-gov_population_total"' in total
    assert "คำนวณให้จาก ประชากรชาย + ประชากรหญิง" in page
    road = client.get(report_url(world.lao_a1, "infrastructure")).content.decode()
    assert "คำนวณให้จาก ถนนลาดยาง + ถนนคอนกรีต + ถนนลูกรัง + ถนนดิน" in road

    post(client, world.lao_a1, {**POPULATION, "gov_population_total": "1,000"})
    assert selectors.report_values(report)["gov_population_total"] == 1250
    post(client, world.lao_a1, {"gov_population_male": "600", "gov_population_female-na": "on", "version": "1"})
    assert selectors.report_values(report)["gov_population_total"] == 600  # not applicable adds nothing


def test_form_errors_save_nothing_and_keep_the_input(client, world, recorder, report):
    client.force_login(recorder)
    response = post(client, world.lao_a1, {**POPULATION, "gov_villages": "สิบ", "gov_area": "-1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "กรุณากรอกเป็นตัวเลขจำนวนเต็ม" in page
    assert "ต้องไม่น้อยกว่า 0" in page
    assert 'value="สิบ"' in page
    assert selectors.report_values(report) == {}
    report.refresh_from_db()
    assert report.version == 0


def test_the_two_user_conflict_keeps_what_was_typed(client, world, recorder, second_recorder, report):
    client.force_login(recorder)
    opened = client.get(report_url(world.lao_a1)).content.decode()
    assert 'name="version" value="0"' in opened

    # Meanwhile a colleague saves the same report.
    result = services.report_save(report_id=report.pk, user=second_recorder, expected_version=0,
                                  new_values={"gov_population_total": 2000, "gov_area": Decimal("7")})

    response = post(client, world.lao_a1, {**POPULATION, "gov_area": "12.5"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "สมศรี บันทึกไว" in page
    assert be_datetime(result.report.updated_at) in page
    assert 'value="600"' in page and 'value="650"' in page and 'value="1,250"' in page and 'value="12.5"' in page
    assert "ค่าที่บันทึกล่าสุดในระบบ: 2,000" in page
    assert 'name="version" value="1"' in page  # saving again is a deliberate overwrite

    stored = selectors.report_values(report)
    assert stored == {"gov_population_total": 2000, "gov_area": Decimal("7")}
    report.refresh_from_db()
    assert report.version == 1 and report.updated_by == second_recorder
    assert "(ครั้งที่ 1)" in page


def test_a_submitted_report_cannot_be_edited(client, world, recorder, report):
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    client.force_login(recorder)
    page = client.get(report_url(world.lao_a1)).content.decode()
    assert 'id="report-form"' not in page
    assert "รายงานนี้อยู่ในสถานะ “รอตรวจสอบ” จึงแก้ไขไม่ได้" in page
    response = post(client, world.lao_a1, POPULATION)
    assert response.status_code == 409
    assert "ไม่ได้บันทึก" in response.content.decode()
    assert selectors.report_values(report) == {}


def test_the_check_before_submission_saves_nothing_and_lists_errors_and_warnings(client, world, recorder, report):
    ph = services.report_open(lao=world.lao_a1, sector=Sector.objects.get(code="public_health"),
                              fiscal_year=report.fiscal_year)
    services.report_save(report_id=ph.pk, user=recorder, expected_version=0, new_values={"ph_elderly": 200})
    client.force_login(recorder)
    response = post(client, world.lao_a1, {**POPULATION, "gov_households": "2,000", "action": "check"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ผลการตรวจสอบก่อนส่ง" in page
    assert "กรุณากรอกงบประมาณรายจ่ายประจำปี" in page  # required, on the check before submission only
    assert "จำนวนครัวเรือนต้องไม่เกินจำนวนประชากร" in page
    assert 'value="2,000"' in page
    assert selectors.report_values(report) == {}

    soc = services.report_open(lao=world.lao_a1, sector=Sector.objects.get(code="society_culture"),
                               fiscal_year=report.fiscal_year)
    url = report_url(world.lao_a1, "society_culture")
    base = {"version": "0", "action": "check", "soc_temples": "3", "soc_elderly_allowance": "300",
            "soc_disability_allowance": "20"}
    page = client.post(url, base).content.decode()
    warning = "ผู้รับเบี้ยยังชีพผู้สูงอายุมากกว่าจำนวนผู้สูงอายุ"
    assert warning in page and 'name="confirm_warning"' in page
    assert "ข้อมูลผ่านการตรวจสอบก่อนส่งแล้ว" not in page
    key = f"rule:soc_elderly_allowance:{warning}"
    page = client.post(url, {**base, "confirm_warning": key}).content.decode()
    assert "ข้อมูลผ่านการตรวจสอบก่อนส่งแล้ว" in page
    assert selectors.report_values(soc) == {}


# --- carried values and big changes ----------------------------------------------------------------------------

@pytest.fixture
def carried(world, recorder):
    """Last year (2567) certified, this year (2568) opened from it."""
    last_year = fiscal_year_open(be_year=2567, make_current=False)
    governance = Sector.objects.get(code="governance")
    last = services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=last_year)
    services.report_save(report_id=last.pk, user=recorder, expected_version=0, new_values={
        "gov_area": Decimal("12.5"), "gov_villages": 10, "gov_population_male": 600, "gov_population_female": 650,
        "gov_population_total": 1250, "gov_households": 400, "gov_budget": Decimal("35000000"),
    })
    SectorReport.objects.filter(pk=last.pk).update(status=ReportStatus.CERTIFIED)
    this_year = fiscal_year_open(be_year=2568)
    return services.report_open(lao=world.lao_a1, sector=governance, fiscal_year=this_year)


def test_carried_values_show_last_year_beside_them(client, world, recorder, carried):
    client.force_login(recorder)
    page = client.get(report_url(world.lao_a1)).content.decode()
    assert page.count('class="badge carried"') == 7
    assert ">ปี 2567</th>" in page
    assert '<td class="num last-year">35,000,000</td>' in page
    assert 'value="35,000,000"' in page
    assert page.count(">ยืนยันว่าไม่เปลี่ยนแปลง</button>") == 3  # ข้อมูลทั่วไป, ประชากร, การคลัง


def test_confirming_a_section_unchanged_clears_only_its_carried_marks(client, world, recorder, carried):
    client.force_login(recorder)
    page = client.get(report_url(world.lao_a1)).content.decode()
    assert '<h2 id="section-2-title">ประชากร</h2>' in page
    data = {"version": "0", "gov_area": "12.5", "gov_villages": "10", "gov_population_male": "600",
            "gov_population_female": "650", "gov_population_total": "1,250", "gov_households": "400",
            "gov_budget": "35,000,000", "confirm_section": "2"}
    response = client.post(report_url(world.lao_a1), data)
    assert response.status_code == 302
    rows = selectors.report_rows(carried)
    assert {code for code, row in rows.items() if row.carried_forward} == {"gov_area", "gov_villages", "gov_budget"}
    page = client.get(response["Location"]).content.decode()
    assert "ยืนยันข้อมูลที่ยกมาจากปีก่อนแล้ว" in page
    assert page.count('class="badge carried"') == 3

    response = client.post(report_url(world.lao_a1), {**data, "version": "1", "confirm_section": "1"})
    assert response.status_code == 302
    rows = selectors.report_rows(carried)
    assert {code for code, row in rows.items() if row.carried_forward} == {"gov_budget"}


def test_a_big_change_without_reason_asks_for_one(client, world, recorder, carried):
    client.force_login(recorder)
    data = {"version": "0", "gov_population_male": "1,250", "gov_population_female": "1,250",
            "gov_population_total": "2,500"}
    response = client.post(report_url(world.lao_a1), data, follow=True)
    page = response.content.decode()
    issues = page.split('id="issues-gov_population_total"')[1].split("</div>")[0]
    assert "เปลี่ยนจากปีก่อนเกิน 50% (ปีก่อน 1,250) กรุณาระบุเหตุผล" in issues
    assert 'name="gov_population_total-reason"' in page
    assert 'name="gov_area-reason"' not in page  # no big change there, no reason asked

    response = client.post(report_url(world.lao_a1), {
        **data, "version": "1", "gov_population_total-reason": "รวมเขตตำบลข้างเคียง",
        "gov_population_male-reason": "รวมเขต", "gov_population_female-reason": "รวมเขต"}, follow=True)
    page = response.content.decode()
    assert "เปลี่ยนจากปีก่อนเกิน 50%" not in page
    assert "รวมเขตตำบลข้างเคียง" in page  # the reason box stays while it has a reason
    assert selectors.report_rows(carried)["gov_population_total"].change_reason == "รวมเขตตำบลข้างเคียง"


def test_the_verifier_sees_the_reason(client, world, recorder, verifier, carried):
    services.report_save(report_id=carried.pk, user=recorder, expected_version=0,
                         new_values={"gov_population_total": 2500}, reasons={"gov_population_total": "รวมเขต"})
    client.force_login(verifier)
    page = client.get(report_url(world.lao_a1)).content.decode()
    assert "เหตุผลที่เปลี่ยนแปลงมาก:</strong> รวมเขต" in page


# --- htmx ------------------------------------------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_htmx_save_answers_with_what_it_changed_only(client, world, recorder, report):
    client.force_login(recorder)
    response = post(client, world.lao_a1, {**POPULATION, "gov_villages": "x"}, **HTMX)
    assert response.status_code == 200  # nothing saved: the whole form comes back, marked unsaved
    assert response.content.decode().lstrip().startswith("<form") and "data-dirty" in response.content.decode()

    response = post(client, world.lao_a1, {**POPULATION, "gov_area": "45.250"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<form" not in page and "<html" not in page
    assert response["HX-Reswap"] == "none" and response["HX-Trigger"] == "report-saved"
    assert '<input type="hidden" name="version" value="1" id="id_version" hx-swap-oob="true">' in page
    notice = page.split('<div id="report-notice" hx-swap-oob="true">')[1].split("</div>")[0]
    assert "บันทึกข้อมูลแล้ว" in notice
    assert 'id="issues-gov_population_total"' in page and 'id="extra-gov_population_total" class="extra" ' \
        'hx-swap-oob="true"' in page
    # The stored form of what was typed comes back where it differs; other inputs stay as typed.
    area = page.split('name="gov_area"')[1].split(">")[0]
    assert 'value="45.25"' in area and 'hx-swap-oob="true"' in area and 'id="id_gov_area"' in area
    assert 'name="gov_population_total"' not in page  # typed "1,250": shown as stored
    assert "data-dirty" not in page

    response = post(client, world.lao_a1, POPULATION, **HTMX)  # version 0 again: someone saved since
    assert response.status_code == 409
    assert "<html" not in response.content.decode() and "data-dirty" in response.content.decode()


def test_an_htmx_save_on_a_submitted_report_answers_with_the_read_only_body(client, world, recorder, report):
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    client.force_login(recorder)
    response = post(client, world.lao_a1, POPULATION, **HTMX)
    assert response.status_code == 409
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="report-body">') and "<html" not in page
    assert "ไม่ได้บันทึก: รายงานนี้อยู่ในสถานะ “รอตรวจสอบ” จึงแก้ไขไม่ได้" in page


def test_the_field_check_answers_with_the_issues_of_the_item_and_of_those_a_rule_ties_to_it(client, world, recorder,
                                                                                            report):
    client.force_login(recorder)
    response = client.post(check_url(world.lao_a1), {"version": "0", **POPULATION, "gov_households": "1,300"},
                           HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="gov_households")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="extra-gov_households"')
    total = page.split('id="issues-gov_population_total"')[1].split("</div>")[0]
    assert 'hx-swap-oob="true"' in total and "จำนวนครัวเรือนต้องไม่เกินจำนวนประชากร" in total
    # The total is in the same rule; the number of villages is in none with the households.
    assert 'id="issues-gov_villages"' not in page

    page = client.post(check_url(world.lao_a1), {"version": "0", "gov_villages": "x"},
                       HTTP_HX_TRIGGER_NAME="gov_villages").content.decode()
    assert "กรุณากรอกเป็นตัวเลขจำนวนเต็ม" in page.split('id="issues-gov_villages"')[1].split("</div>")[0]
    assert selectors.report_values(report) == {}


def test_the_field_check_of_a_part_refreshes_what_its_computed_total_is_ruled_with(client, world, recorder, report):
    """The male count makes the total (computed), and the total is in the households rule: changing the part can
    change the households' message, so its box comes back too; the villages are tied to neither."""
    client.force_login(recorder)
    page = client.post(check_url(world.lao_a1), {"version": "0", **POPULATION, "gov_households": "1,300",
                                                 "gov_population_male": "900"},
                       HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="gov_population_male").content.decode()
    assert page.lstrip().startswith('<div id="extra-gov_population_male"')
    assert 'id="issues-gov_population_total"' in page and 'id="issues-gov_households"' in page
    assert 'id="issues-gov_villages"' not in page


def test_a_refused_htmx_save_shows_the_state_the_report_is_in_now(client, world, recorder, report):
    """Opened as a draft, sent for checking meanwhile: the chip and the notices follow the report, not the page."""
    SectorReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    client.force_login(recorder)
    response = post(client, world.lao_a1, POPULATION, **HTMX)
    assert response.status_code == 409
    page = response.content.decode()
    chip = page.split('<span id="report-status-chip" hx-swap-oob="true">')[1].split("</span></span>")[0]
    assert "รอตรวจสอบ" in chip and "กำลังบันทึก" not in chip
    assert '<div id="report-return" hx-swap-oob="true"></div>' in page  # no return notice left waiting


def test_an_htmx_save_refused_for_a_conflict_sends_the_status_again(client, world, recorder, second_recorder, report):
    services.report_save(report_id=report.pk, user=second_recorder, expected_version=0,
                         new_values={"gov_population_total": 2000})
    client.force_login(recorder)
    response = post(client, world.lao_a1, POPULATION, **HTMX)
    assert response.status_code == 409
    assert '<span id="report-status-chip" hx-swap-oob="true"><span class="status draft">' in response.content.decode()


def test_a_saved_htmx_answer_leaves_the_status_chip_alone(client, world, recorder, report):
    client.force_login(recorder)
    response = post(client, world.lao_a1, POPULATION, **HTMX)
    assert response.status_code == 200 and "report-status-chip" not in response.content.decode()
