"""The catalogue in the admin: items and rules exported and imported as Excel, all or nothing, never in a
certified year; items limited to LAO types."""

import io

import pytest
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from accounts.models import User
from sectors.models import Indicator, ReportStatus, SectorReport, ValidationRule
from sectors.resources import IndicatorResource, ValidationRuleResource


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", email="root@example.test", password="x" * 16,
                                         full_name="ผู้ดูแลระบบ")


@pytest.fixture
def admin(client, superuser):
    client.force_login(superuser)
    return client


def exported(resource, queryset):
    return resource.export(queryset=queryset)


def xlsx_upload(dataset, name="catalogue.xlsx"):
    file = io.BytesIO(XLSX().export_data(dataset))
    file.name = name
    return file


def rows_of(dataset) -> list[dict]:
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]


def dataset_with(dataset, changes: dict[str, dict], key="รหัสรายการ", extra: list[dict] = ()):
    """The exported dataset with some rows' cells changed (by key) and rows added."""
    table = dataset.__class__(headers=dataset.headers)
    for row in rows_of(dataset):
        row.update(changes.get(row[key], {}))
        table.append([row[h] for h in dataset.headers])
    for row in extra:
        table.append([row.get(h, "") for h in dataset.headers])
    return table


def import_through_admin(admin, model: str, dataset):
    """Upload the file, then confirm if the check passed; the last response."""
    url = reverse(f"admin:sectors_{model}_import")
    response = admin.post(url, {"import_file": xlsx_upload(dataset), "format": "0", "resource": "0"})
    confirm = response.context.get("confirm_form") if response.context else None
    if confirm is None:
        return response
    return admin.post(reverse(f"admin:sectors_{model}_process_import"), confirm.initial, follow=True)


def certify_a_report(world, fiscal_year, governance):
    SectorReport.objects.create(lao=world.lao_a1, sector=governance, fiscal_year=fiscal_year,
                                status=ReportStatus.CERTIFIED)


# ------------------------------------------------------------------ items


def test_items_exported_then_imported_unchanged_change_nothing(admin, fiscal_year):
    dataset = exported(IndicatorResource(), fiscal_year.indicators.all())
    assert len(dataset) == 101
    assert dataset.headers[:3] == ["ปีงบประมาณ", "ด้าน", "รหัสรายการ"]
    row = next(r for r in rows_of(dataset) if r["รหัสรายการ"] == "env_disposal_method")
    assert row["ตัวเลือก"].startswith("ฝังกลบถูกหลักสุขาภิบาล | เตาเผา")

    response = import_through_admin(admin, "indicator", dataset)

    assert response.redirect_chain[-1][0] == reverse("admin:sectors_indicator_changelist")
    assert Indicator.objects.filter(fiscal_year=fiscal_year).count() == 101


def test_an_edited_file_updates_and_adds_items_of_the_year(admin, fiscal_year):
    dataset = dataset_with(
        exported(IndicatorResource(), fiscal_year.indicators.all()),
        {"gov_area": {"ชื่อรายการ": "พื้นที่ทั้งหมด", "ประเภท อปท.": "sao, เทศบาลตำบล"}},
        extra=[{"ปีงบประมาณ": 2568, "ด้าน": "water", "รหัสรายการ": "wat_tankers", "ชื่อรายการ": "รถบรรทุกน้ำ",
                "ชนิดข้อมูล": "จำนวนเต็ม", "หน่วย": "คัน", "ต้องกรอก": "ไม่ใช่", "ค่าต่ำสุด": "0", "ลำดับ": 130}],
    )

    import_through_admin(admin, "indicator", dataset)

    area = Indicator.objects.get(fiscal_year=fiscal_year, code="gov_area")
    assert area.label_th == "พื้นที่ทั้งหมด"
    assert area.lao_types == ["sao", "subdistrict_municipality"]
    tankers = Indicator.objects.get(fiscal_year=fiscal_year, code="wat_tankers")
    assert (tankers.sector.code, tankers.kind, tankers.required) == ("water", "integer", False)


BAD_ROWS = [
    ({"ด้าน": "space"}, "ด้าน", "ไม่รู้จักด้าน “space”"),
    ({"ชนิดข้อมูล": "วันที่"}, "ชนิดข้อมูล", "ไม่รู้จักชนิดข้อมูล “วันที่”"),
    ({"ชนิดข้อมูล": "choice", "ตัวเลือก": ""}, "ตัวเลือก", "ต้องมีตัวเลือกอย่างน้อยหนึ่งตัว"),
    ({"ตัวเลือก": "ก | ข"}, "ตัวเลือก", "ระบุตัวเลือกได้เฉพาะรายการชนิดตัวเลือก"),
    ({"ประเภท อปท.": "pao, village"}, "ประเภท อปท.", "ไม่รู้จักประเภท อปท. “village”"),
    ({"ค่าต่ำสุด": "สิบ"}, "ค่าต่ำสุด", "ต้องเป็นตัวเลข"),
    ({"ปีงบประมาณ": 2400}, "ปีงบประมาณ", "ไม่มีปีงบประมาณ “2400” ในระบบ"),
]


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS,
                         ids=["sector", "kind", "no-choices", "stray-choices", "lao-type", "number", "year"])
def test_one_bad_row_imports_nothing_and_is_named_in_thai(admin, fiscal_year, cells, column, message):
    dataset = dataset_with(exported(IndicatorResource(), fiscal_year.indicators.all()),
                           {"gov_area": {"ชื่อรายการ": "พื้นที่ทั้งหมด"}, "gov_budget": cells})

    response = import_through_admin(admin, "indicator", dataset)

    result = response.context["result"]
    (invalid,) = result.invalid_rows
    assert len(invalid.error_dict[column]) == 1
    assert message in invalid.error_dict[column][0]
    assert message in response.content.decode()
    assert "confirm_form" not in response.context
    assert Indicator.objects.get(fiscal_year=fiscal_year, code="gov_area").label_th == "พื้นที่"


def test_the_resource_rolls_back_every_row_when_one_is_bad(fiscal_year):
    dataset = dataset_with(exported(IndicatorResource(), fiscal_year.indicators.all()),
                           {"gov_area": {"ชื่อรายการ": "พื้นที่ทั้งหมด"}, "gov_budget": {"ชนิดข้อมูล": "วันที่"}})

    result = IndicatorResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert Indicator.objects.get(fiscal_year=fiscal_year, code="gov_area").label_th == "พื้นที่"


def test_a_code_twice_in_one_file_is_refused(fiscal_year):
    dataset = exported(IndicatorResource(), fiscal_year.indicators.filter(code="gov_area"))
    dataset.append(dataset[0])

    result = IndicatorResource().import_data(dataset, dry_run=True)

    assert [r.error.messages for r in result.invalid_rows] == [["ซ้ำกับแถวที่ 1 ในไฟล์นี้"]]


def test_a_certified_year_is_refused_on_import_and_read_only_in_the_admin(admin, world, fiscal_year, governance):
    dataset = dataset_with(exported(IndicatorResource(), fiscal_year.indicators.all()),
                           {"gov_area": {"ชื่อรายการ": "พื้นที่ทั้งหมด"}})
    certify_a_report(world, fiscal_year, governance)

    response = import_through_admin(admin, "indicator", dataset)

    assert "ปีงบประมาณ 2568 มีรายงานที่รับรองแล้ว" in response.content.decode()
    assert Indicator.objects.get(fiscal_year=fiscal_year, code="gov_area").label_th == "พื้นที่"
    area = Indicator.objects.get(fiscal_year=fiscal_year, code="gov_area")
    change_url = reverse("admin:sectors_indicator_change", args=[area.pk])
    page = admin.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert "มีรายงานที่รับรองแล้ว" in page.content.decode()
    assert admin.post(change_url, {"label_th": "แก้"}).status_code == 403
    assert admin.post(reverse("admin:sectors_indicator_delete", args=[area.pk]), {"post": "yes"}).status_code == 403
    assert Indicator.objects.filter(pk=area.pk, label_th="พื้นที่").exists()


def test_the_admin_form_limits_items_to_lao_types_and_lists_choices_by_line(admin, fiscal_year, governance):
    item = Indicator.objects.get(fiscal_year=fiscal_year, code="gov_area")
    url = reverse("admin:sectors_indicator_change", args=[item.pk])
    form = admin.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"kind": "choice", "choices": "เล็ก\n  กลาง \n\nใหญ่", "lao_types": ["sao", "town"],
                 "min_value": "", "max_value": ""})

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.choices == ["เล็ก", "กลาง", "ใหญ่"]
    assert item.lao_types == ["sao", "town"]
    assert 'type="checkbox" name="lao_types" value="pao"' in admin.get(url).content.decode()


def test_the_admin_form_refuses_a_choice_item_without_choices_and_a_certified_year(
        admin, world, fiscal_year, governance):
    url = reverse("admin:sectors_indicator_add")
    data = {"fiscal_year": fiscal_year.pk, "sector": governance.pk, "code": "gov_new", "label_th": "ใหม่",
            "kind": "choice", "choices": "", "order": 1, "min_value": "0"}

    response = admin.post(url, data)
    assert "ต้องมีตัวเลือกอย่างน้อยหนึ่งตัว" in response.content.decode()

    certify_a_report(world, fiscal_year, governance)
    response = admin.post(url, {**data, "choices": "ก"})
    assert "ปีงบประมาณ 2568 มีรายงานที่รับรองแล้ว" in response.content.decode()
    assert not Indicator.objects.filter(code="gov_new").exists()


# ------------------------------------------------------------------ rules


def test_rules_round_trip_and_a_rule_naming_an_unknown_item_imports_nothing(admin, fiscal_year):
    dataset = exported(ValidationRuleResource(), fiscal_year.rules.all())
    assert len(dataset) == 15 and dataset.headers[:2] == ["ปีงบประมาณ", "เงื่อนไข"]
    import_through_admin(admin, "validationrule", dataset)
    assert fiscal_year.rules.count() == 15

    bad = dataset_with(dataset, {}, key="เงื่อนไข", extra=[
        {"ปีงบประมาณ": 2568, "เงื่อนไข": "gov_budget >= 0", "ระดับ": "คำเตือน", "ข้อความแจ้ง": "งบต้องไม่ติดลบ",
         "ลำดับ": 200},
        {"ปีงบประมาณ": 2568, "เงื่อนไข": "gov_budget >= gov_nothing", "ระดับ": "error", "ข้อความแจ้ง": "ผิด",
         "ลำดับ": 210},
        {"ปีงบประมาณ": 2568, "เงื่อนไข": "gov_budget >>", "ระดับ": "error", "ข้อความแจ้ง": "ผิด", "ลำดับ": 220},
    ])
    response = import_through_admin(admin, "validationrule", bad)

    messages = [m for r in response.context["result"].invalid_rows for m in r.error_dict["เงื่อนไข"]]
    assert messages[0] == "ไม่พบรายการข้อมูล gov_nothing ในปีงบประมาณ 2568"
    assert len(messages) == 2
    assert fiscal_year.rules.count() == 15

    good = dataset_with(dataset, {}, key="เงื่อนไข", extra=[
        {"ปีงบประมาณ": 2568, "เงื่อนไข": "gov_budget >= 0", "ระดับ": "คำเตือน", "ข้อความแจ้ง": "งบต้องไม่ติดลบ",
         "ลำดับ": 200}])
    import_through_admin(admin, "validationrule", good)
    assert ValidationRule.objects.get(fiscal_year=fiscal_year, expression="gov_budget >= 0").severity == "warning"


def test_rules_of_a_certified_year_are_refused(admin, world, fiscal_year, governance):
    dataset = exported(ValidationRuleResource(), fiscal_year.rules.all())
    certify_a_report(world, fiscal_year, governance)

    result = ValidationRuleResource().import_data(dataset, dry_run=True)

    assert len(result.invalid_rows) == 15
    assert "มีรายงานที่รับรองแล้ว" in result.invalid_rows[0].error_dict["ปีงบประมาณ"][0]
    rule = fiscal_year.rules.first()
    assert admin.post(reverse("admin:sectors_validationrule_change", args=[rule.pk]), {}).status_code == 403


def test_import_needs_permission_to_add_and_change(client, fiscal_year):
    staff = User.objects.create_user(username="staff", password="x" * 16, full_name="เจ้าหน้าที่", is_staff=True)
    client.force_login(staff)

    assert client.get(reverse("admin:sectors_indicator_import")).status_code == 403
