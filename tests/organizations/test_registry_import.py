"""Import of the official LAO registry: every row validated, all rows or none, errors by line in Thai."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from accounts.models import User
from jobs.models import Job
from organizations.models import LAO, LAOType
from organizations.registry import LAORegistryResource, registry_import

THAI_HEADER = ["รหัส อปท.", "ประเภท", "ชื่อ อปท.", "ชื่อภาษาอังกฤษ", "รหัสจังหวัด", "รหัสอำเภอ", "รหัสตำบลในเขต", "ใช้งาน"]
KEY_HEADER = ["dla_code", "lao_type", "name_th", "name_en", "province", "district", "subdistricts", "is_active"]
# Three new LAOs on the `world` geography: a PAO in province 40, a ทต. in 3001, an อบต. in 3008.
GOOD_ROWS = [
    ["2400101", "อบจ.", "องค์การบริหารส่วนจังหวัดขอนแก่น", "Khon Kaen PAO", "40", "", "", "ใช่"],
    ["5300101", "ทต.", "เทศบาลตำบลหัวทะเล", "", "30", "3001", "300101", ""],
    ["6300802", "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบลหนองกราด", "", "30", "3008", "300801", "0"],
]
GOOD_CODES = ["2400101", "5300101", "6300802"]
TEMPLATE = Path(__file__).resolve().parents[2] / "fixtures" / "registry_template.csv"


def csv_bytes(rows, header=THAI_HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, header=THAI_HEADER) -> bytes:
    book = Workbook()
    for row in [header, *rows]:
        book.active.append([int(v) if v.isdigit() else v for v in row])  # codes as Excel numbers
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(data: bytes, file_name="registry.csv", dry_run=False):
    return registry_import(file=io.BytesIO(data), file_name=file_name, dry_run=dry_run)


def with_bad_row(bad_row):
    """The good rows with `bad_row` as the file's line 3."""
    return csv_bytes([GOOD_ROWS[0], bad_row, *GOOD_ROWS[1:]])


def assert_nothing_imported(count_before: int):
    assert LAO.objects.count() == count_before
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES).exists()


@pytest.mark.parametrize("header", [THAI_HEADER, KEY_HEADER])
def test_good_csv_creates_every_row_with_its_fields(world, header):
    result = run(csv_bytes(GOOD_ROWS, header))

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    pao = LAO.objects.get(dla_code="2400101")
    assert (pao.lao_type, pao.province, pao.district, pao.name_en) == (LAOType.PAO, world.province_b, None,
                                                                      "Khon Kaen PAO")
    town = LAO.objects.get(dla_code="5300101")
    assert (town.lao_type, town.district, town.is_active) == (LAOType.SUBDISTRICT_MUNICIPALITY, world.district_a2, True)
    assert list(town.subdistricts.values_list("code", flat=True)) == ["300101"]
    sao = LAO.objects.get(dla_code="6300802")
    assert (sao.lao_type, sao.name_th, sao.is_active) == (LAOType.SAO, "องค์การบริหารส่วนตำบลหนองกราด", False)
    assert list(sao.subdistricts.values_list("code", flat=True)) == ["300801"]
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES, is_demo=True).exists()


def test_good_xlsx_imports(world):
    result = run(xlsx_bytes(GOOD_ROWS), file_name="registry.xlsx")

    assert result.ok, result.errors
    assert result.created == 3
    assert LAO.objects.get(dla_code="5300101").district == world.district_a2


def test_dry_run_checks_but_saves_nothing(world):
    before = LAO.objects.count()

    result = run(csv_bytes(GOOD_ROWS), dry_run=True)

    assert result.ok and result.created == 3
    assert [row.line for row in result.rows] == [2, 3, 4]
    assert_nothing_imported(before)


def test_importing_the_same_file_again_changes_nothing(world):
    data = csv_bytes(GOOD_ROWS)
    run(data)
    count = LAO.objects.count()

    again = run(data)

    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert LAO.objects.count() == count


def test_code_in_the_database_updates_that_lao_and_marks_it_real(world):
    LAO.objects.filter(pk=world.lao_a1.pk).update(is_demo=True)
    row = ["5300801", "ทต.", "เทศบาลตำบลด่านขุนทดใหม่", "", "30", "3008", "300802 300801", ""]

    result = run(csv_bytes([row]))

    assert (result.created, result.updated) == (0, 1)
    world.lao_a1.refresh_from_db()
    assert world.lao_a1.name_th == "เทศบาลตำบลด่านขุนทดใหม่"
    assert not world.lao_a1.is_demo
    assert set(world.lao_a1.subdistricts.values_list("code", flat=True)) == {"300801", "300802"}


def test_row_without_code_is_matched_by_type_province_and_name_and_keeps_its_code(world):
    row = ["", "อบต", "องค์การบริหารส่วนตำบลกุดพิมาน", "Kut Phiman SAO", "30", "3008", "", ""]

    result = run(csv_bytes([row]))

    assert (result.created, result.updated) == (0, 1)
    world.lao_a1_sao.refresh_from_db()
    assert (world.lao_a1_sao.dla_code, world.lao_a1_sao.name_en) == ("6300801", "Kut Phiman SAO")


def test_exported_registry_imports_back_unchanged(world):
    exported = LAORegistryResource().export(LAO.objects.all()).csv.encode()

    result = run(exported)

    assert result.ok, result.errors
    assert result.unchanged == LAO.objects.count()


def test_template_imports_into_the_real_geography(db):
    call_command("load_geography", stdout=io.StringIO())

    result = run(TEMPLATE.read_bytes(), file_name=TEMPLATE.name)

    assert result.ok, result.errors
    assert result.created == 3
    assert LAO.objects.get(dla_code="6300801").subdistricts.get().name_th == "กุดพิมาน"


@pytest.mark.parametrize(("bad_row", "message"), [
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "9999", "", ""], "ไม่พบอำเภอรหัส 9999"),
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "99", "3008", "", ""], "ไม่พบจังหวัดรหัส 99"),
    (["63008", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "", ""], "ต้องเป็นตัวเลข 7 หลัก"),
    (["5300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "", ""], "หลักแรกของรหัสต้องเป็น 6"),
    (["6300199", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "", ""], "ไม่ตรงกับอำเภอ"),
    (["6300899", "สภาตำบล", "สภาตำบลทดสอบ", "", "30", "3008", "", ""], 'ไม่รู้จักประเภท อปท. "สภาตำบล"'),
    (["2400101", "อบจ.", "องค์การบริหารส่วนจังหวัดขอนแก่น", "", "40", "", "", ""], "รหัส อปท. 2400101 ซ้ำกับบรรทัด 2"),
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "300801,400101", ""],
     "ตำบลรหัส 400101 (ในเมือง) ไม่อยู่ในอำเภอด่านขุนทด"),
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "999999", ""], "ไม่พบตำบลรหัส 999999"),
    (["2300101", "อบจ.", "องค์การบริหารส่วนจังหวัดนครราชสีมา", "", "30", "3008", "", ""], "ไม่ต้องระบุอำเภอ"),
    (["6400199", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "4001", "", ""], "อำเภอไม่อยู่ในจังหวัดที่ระบุ"),
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "", "", ""], "ต้องระบุอำเภอ"),
    (["6300899", "อบต.", "", "", "30", "3008", "", ""], "ต้องระบุชื่อ อปท."),
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "", "บางที"], "ค่าในคอลัมน์ใช้งาน"),
    (["6300899", "อบต.", "=HYPERLINK(\"http://x\")", "", "30", "3008", "", ""], "ต้องไม่ขึ้นต้นด้วยเครื่องหมาย"),
    (["6300899", "อบต.", "+องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "", ""], "ต้องไม่ขึ้นต้นด้วยเครื่องหมาย"),
    (["6300899", "อบต.", "-องค์การบริหารส่วนตำบลทดสอบ", "", "30", "3008", "", ""], "ต้องไม่ขึ้นต้นด้วยเครื่องหมาย"),
    (["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "@SUM(A1)", "30", "3008", "", ""], "ชื่อภาษาอังกฤษ ต้องไม่ขึ้นต้น"),
], ids=["unknown-district", "unknown-province", "code-format", "code-type-digit", "code-district", "unknown-type",
        "duplicate-code", "subdistrict-outside-district", "unknown-subdistrict", "pao-with-district",
        "district-outside-province", "sao-without-district", "no-name", "bad-active-flag",
        "formula-equals", "formula-plus", "formula-minus", "formula-at-english"])
def test_one_bad_row_imports_nothing_and_names_its_line(world, bad_row, message):
    before = LAO.objects.count()

    result = run(with_bad_row(bad_row))

    assert not result.ok
    assert [line for line, _message in result.errors] == [3]
    assert str(result.errors[0]).startswith("บรรทัด 3: ")
    assert message in result.errors[0].message
    assert_nothing_imported(before)


def test_every_bad_row_is_reported_by_its_line_counting_blank_lines(world):
    bad_district = ["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "9999", "", ""]
    bad_type = ["6300898", "อบตx", "องค์การบริหารส่วนตำบลทดสอบสอง", "", "30", "3008", "", ""]
    data = csv_bytes([GOOD_ROWS[0], bad_district, [""] * 8, GOOD_ROWS[1], bad_type])

    result = run(data)

    assert [str(e) for e in result.errors] == [
        "บรรทัด 3: ไม่พบอำเภอรหัส 9999", 'บรรทัด 6: ไม่รู้จักประเภท อปท. "อบตx"',
    ]


def test_two_rows_without_code_for_the_same_lao_are_a_duplicate(world):
    row = ["", "อบต.", "องค์การบริหารส่วนตำบลหนองกราด", "", "30", "3008", "", ""]

    result = run(csv_bytes([row, row]))

    assert [str(e) for e in result.errors] == ["บรรทัด 3: องค์การบริหารส่วนตำบลหนองกราด ซ้ำกับบรรทัด 2"]


NEW_CODELESS = [
    ["", "อบต.", "องค์การบริหารส่วนตำบลหนองกราด", "", "30", "3008", "", ""],
    ["", "อบต.", "องค์การบริหารส่วนตำบลโนนเมืองพัฒนา", "", "30", "3008", "", ""],
]


@pytest.fixture
def codeless_special(world) -> LAO:
    """An LAO without a DLA code, as Bangkok and Pattaya are, holding a report."""
    from sectors.catalogue import fiscal_year_open
    from sectors.models import Sector, SectorReport

    special = LAO.objects.create(lao_type=LAOType.SPECIAL, name_th="เมืองพิเศษทดสอบ", province=world.province_a)
    year = fiscal_year_open(be_year=2568)
    SectorReport.objects.create(lao=special, sector=Sector.objects.get(code="governance"), fiscal_year=year)
    return special


def test_rows_without_code_never_rewrite_an_lao_that_has_no_code(world, codeless_special):
    before = LAO.objects.count()

    result = run(csv_bytes(NEW_CODELESS))

    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    assert LAO.objects.count() == before + 2
    codeless_special.refresh_from_db()
    assert (codeless_special.lao_type, codeless_special.name_th, codeless_special.district) == (
        LAOType.SPECIAL, "เมืองพิเศษทดสอบ", None)
    assert codeless_special.reports.count() == 1


def test_reimporting_a_file_of_codeless_rows_changes_nothing(world, codeless_special):
    data = csv_bytes(NEW_CODELESS)
    run(data)
    count = LAO.objects.count()

    again = run(data)

    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert LAO.objects.count() == count
    assert LAO.objects.filter(name_th=NEW_CODELESS[0][2]).count() == 1


def test_codeless_row_matches_the_special_lao_by_its_natural_key(world, codeless_special):
    row = ["", "special", "เมืองพิเศษทดสอบ", "Special City", "30", "", "", ""]

    result = run(csv_bytes([row]))

    assert (result.created, result.updated) == (0, 1)
    assert result.rows[0].lao_id == codeless_special.pk
    codeless_special.refresh_from_db()
    assert codeless_special.name_en == "Special City"


def test_natural_key_includes_the_district(world):
    LAO.objects.create(lao_type=LAOType.SAO, name_th="องค์การบริหารส่วนตำบลในเมือง", province=world.province_a,
                       district=world.district_a2)
    same_name_elsewhere = LAO.objects.create(lao_type=LAOType.SAO, name_th="องค์การบริหารส่วนตำบลในเมือง",
                                             province=world.province_a, district=world.district_a1)
    row = ["", "อบต.", "องค์การบริหารส่วนตำบลในเมือง", "In Mueang", "30", "3008", "", ""]

    result = run(csv_bytes([row]))

    assert result.ok, result.errors
    assert [(r.action, r.lao_id) for r in result.rows] == [("update", same_name_elsewhere.pk)]


def test_an_ambiguous_natural_key_is_an_error_naming_the_line(world):
    for _ in range(2):
        LAO.objects.create(lao_type=LAOType.SAO, name_th="องค์การบริหารส่วนตำบลซ้ำ", province=world.province_a,
                           district=world.district_a1)
    row = ["", "อบต.", "องค์การบริหารส่วนตำบลซ้ำ", "Renamed", "30", "3008", "", ""]

    result = run(csv_bytes([GOOD_ROWS[0], row]))

    assert [e.line for e in result.errors] == [3]
    assert "มากกว่าหนึ่งแห่ง" in result.errors[0].message and "กรุณาระบุรหัส อปท." in result.errors[0].message
    assert not LAO.objects.filter(name_en="Renamed").exists()
    assert not LAO.objects.filter(dla_code=GOOD_ROWS[0][0]).exists()


def test_a_codeless_row_repeating_a_coded_row_of_the_file_is_a_duplicate(world):
    coded = ["6300802", "อบต.", "องค์การบริหารส่วนตำบลหนองกราด", "", "30", "3008", "", ""]
    codeless = ["", "อบต.", "องค์การบริหารส่วนตำบลหนองกราด", "", "30", "3008", "", ""]

    result = run(csv_bytes([coded, codeless]))

    assert [str(e) for e in result.errors] == ["บรรทัด 3: องค์การบริหารส่วนตำบลหนองกราด ซ้ำกับบรรทัด 2"]


def test_an_lao_holding_reports_is_never_moved_by_an_import(world, codeless_special):
    from sectors.models import Sector, SectorReport

    # Data left inconsistent by an older version: the code says district 3008, the row says 3001.
    LAO.objects.filter(pk=world.lao_a1.pk).update(dla_code="5300101")
    SectorReport.objects.create(lao=world.lao_a1, sector=Sector.objects.get(code="governance"),
                                fiscal_year=codeless_special.reports.get().fiscal_year)
    row = ["5300101", "ทต.", "เทศบาลตำบลหัวทะเล", "", "30", "3001", "", ""]

    result = run(csv_bytes([row]))

    assert [e.line for e in result.errors] == [2]
    assert "มีรายงานข้อมูลแล้ว" in result.errors[0].message
    world.lao_a1.refresh_from_db()
    assert (world.lao_a1.district, world.lao_a1.name_th) == (world.district_a1, "เทศบาลตำบลด่านขุนทด")


def test_preview_names_each_lao_a_file_changes_and_how(world):
    rename = ["5300801", "ทต.", "เทศบาลตำบลด่านขุนทดใหม่", "", "30", "3008", "300802", ""]
    same = ["2300101", "อบจ.", "องค์การบริหารส่วนจังหวัดนครราชสีมา", "", "30", "", "", ""]

    result = run(csv_bytes([rename, same, GOOD_ROWS[2]]), dry_run=True)

    assert [(r.line, r.action, r.lao_id) for r in result.rows] == [
        (2, "update", world.lao_a1.pk), (3, "skip", world.pao_a.pk), (4, "new", None)]
    assert result.rows[0].changes == [("ชื่อภาษาไทย", "เทศบาลตำบลด่านขุนทด", "เทศบาลตำบลด่านขุนทดใหม่")]
    assert result.rows[2].changes == []
    world.lao_a1.refresh_from_db()
    assert world.lao_a1.name_th == "เทศบาลตำบลด่านขุนทด"


def test_unknown_and_missing_columns_are_errors_on_line_1(world):
    header = ["dla_code", "ประเภท", "ชื่อ อปท.", "อำเภอของฉัน"]

    result = run(csv_bytes([["6300802", "อบต.", "องค์การบริหารส่วนตำบลหนองกราด", "3008"]], header))

    assert [str(e) for e in result.errors] == [
        'บรรทัด 1: ไม่รู้จักคอลัมน์ "อำเภอของฉัน"', 'บรรทัด 1: ไม่พบคอลัมน์ "รหัสจังหวัด" (province)',
    ]


def test_a_binary_file_renamed_xlsx_is_refused(world):
    before = LAO.objects.count()

    result = run(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, file_name="registry.xlsx")

    assert [str(e).split(" กรุณา")[0] for e in result.errors] == ["ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"]
    assert LAO.objects.count() == before


def test_a_workbook_renamed_csv_is_refused(world):
    result = run(xlsx_bytes(GOOD_ROWS), file_name="registry.csv")

    assert "ไม่ใช่ไฟล์ CSV" in result.errors[0].message
    assert_nothing_imported(LAO.objects.count())


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    result = run(out.getvalue(), file_name="registry.xlsx")

    assert [str(e).split(" กรุณา")[0] for e in result.errors] == ["ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง"]


def test_an_xlsx_that_unpacks_to_a_huge_size_is_refused_before_parsing(world, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the workbook must not be opened")

    monkeypatch.setattr("info_portal.uploads.load_workbook", fail)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(101):
                member.write(bytes(1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024

    result = run(out.getvalue(), file_name="registry.xlsx")

    assert "เมื่อแตกออกแล้วมีขนาดใหญ่ผิดปกติ" in str(result.errors[0])


def test_a_file_larger_than_the_upload_limit_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 200
    before = LAO.objects.count()

    result = run(csv_bytes(GOOD_ROWS))

    assert "ไฟล์ใหญ่เกินกำหนด" in result.errors[0].message
    assert_nothing_imported(before)


def test_only_csv_and_xlsx_are_accepted(world):
    result = run(csv_bytes(GOOD_ROWS), file_name="registry.xls")

    assert [str(e) for e in result.errors] == ["รองรับเฉพาะไฟล์ .csv หรือ .xlsx"]


def test_csv_saved_by_thai_windows_excel_is_read(world):
    data = csv_bytes(GOOD_ROWS).decode("utf-8-sig").encode("cp874")

    assert run(data).created == 3


def test_command_imports_a_good_file(world, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS))
    out = io.StringIO()

    call_command("import_registry", str(path), stdout=out)

    assert "เพิ่มใหม่ 3" in out.getvalue()
    assert LAO.objects.filter(dla_code__in=GOOD_CODES).count() == 3


def test_command_dry_run_lists_what_it_would_do_and_saves_nothing(world, tmp_path):
    path = tmp_path / "registry.csv"
    rename = ["5300801", "ทต.", "เทศบาลตำบลด่านขุนทดใหม่", "", "30", "3008", "300802", ""]
    path.write_bytes(csv_bytes([GOOD_ROWS[0], rename]))
    out = io.StringIO()

    call_command("import_registry", str(path), "--dry-run", stdout=out)

    assert "บรรทัด 2: เพิ่มใหม่ องค์การบริหารส่วนจังหวัดขอนแก่น" in out.getvalue()
    assert (f"บรรทัด 3: ปรับปรุง เทศบาลตำบลด่านขุนทดใหม่ (#{world.lao_a1.pk}) "
            "ชื่อภาษาไทย: เทศบาลตำบลด่านขุนทด → เทศบาลตำบลด่านขุนทดใหม่") in out.getvalue()
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES).exists()


def test_command_prints_each_error_and_fails_on_a_bad_file(world, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(with_bad_row(["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "9999", "", ""]))
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_registry", str(path), stdout=io.StringIO(), stderr=err)

    assert failure.value.returncode == 1
    assert "บรรทัด 3: ไม่พบอำเภอรหัส 9999" in err.getvalue()
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES).exists()


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", email="root@example.test", password="x" * 16,
                                         full_name="ผู้ดูแลระบบ")


def upload(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_admin_change_list_links_to_the_import_page(world, client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:organizations_lao_changelist"))

    assert reverse("admin:organizations_lao_import") in response.content.decode()


def post_import(client, data: bytes, name: str, button: str, capture):
    """Upload through the admin; the job runs once the request's transaction commits. Returns (response, job)."""
    with capture(execute=True):
        response = client.post(reverse("admin:organizations_lao_import"),
                               {"import_file": upload(data, name), button: "1"})
    job = Job.objects.filter(kind="registry_import").order_by("-pk").first()
    return response, job


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_admin_check_runs_as_a_job_that_previews_without_saving(world, client, superuser,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(superuser)

    response, job = post_import(client, csv_bytes(GOOD_ROWS), "registry.csv", "_check",
                                django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.status, job.started_by, job.params["dry_run"]) == ("succeeded", superuser, True)
    page = client.get(response.url).content.decode()
    assert "ตรวจสอบแล้ว ไม่พบข้อผิดพลาด (ยังไม่ได้บันทึก): เพิ่มใหม่ 3" in page
    assert "บรรทัด 2: เพิ่มใหม่ องค์การบริหารส่วนจังหวัดขอนแก่น" in page
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES).exists()


def test_admin_check_names_each_changed_lao_and_shows_old_and_new(world, client, superuser,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(superuser)
    rename = ["5300801", "ทต.", "เทศบาลตำบลด่านขุนทดใหม่", "", "30", "3008", "300802", ""]

    _response, job = post_import(client, csv_bytes([rename]), "registry.csv", "_check",
                                 django_capture_on_commit_callbacks)

    assert job.result["lines"] == [f"บรรทัด 2: ปรับปรุง เทศบาลตำบลด่านขุนทดใหม่ (#{world.lao_a1.pk}) "
                                   "ชื่อภาษาไทย: เทศบาลตำบลด่านขุนทด → เทศบาลตำบลด่านขุนทดใหม่"]


def test_admin_imports_a_good_file_in_a_job_with_its_history(world, client, superuser,
                                                             django_capture_on_commit_callbacks):
    from organizations.tasks import registry_import_task

    client.force_login(superuser)

    _response, job = post_import(client, xlsx_bytes(GOOD_ROWS), "registry.xlsx", "_import",
                                 django_capture_on_commit_callbacks)

    assert job.status == "succeeded" and job.summary == "เพิ่มใหม่ 3 ปรับปรุง 0 ไม่เปลี่ยนแปลง 0"
    assert LAO.objects.filter(dla_code__in=GOOD_CODES).count() == 3
    assert LogEntry.objects.filter(user=superuser).count() == 3
    assert registry_import_task(job.pk) == "finished already"  # a second delivery does nothing
    assert LogEntry.objects.filter(user=superuser).count() == 3


def test_a_registry_job_cut_short_before_its_commit_leaves_nothing_and_runs_again_once(
        world, client, superuser, monkeypatch, django_capture_on_commit_callbacks):
    from jobs import services as job_services
    from organizations.registry import job as registry_job
    from organizations.tasks import registry_import_task

    class WorkerKilled(BaseException):
        pass

    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("admin:organizations_lao_import"),
                    {"import_file": upload(csv_bytes(GOOD_ROWS), "registry.csv"), "_import": "1"})
    job = Job.objects.get(kind="registry_import")

    def killed(**kwargs):
        raise WorkerKilled

    monkeypatch.setattr(registry_job, "job_succeed", killed)
    with pytest.raises(WorkerKilled):
        registry_import_task(job.pk)
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES).exists()
    assert not LogEntry.objects.exists()
    monkeypatch.setattr(registry_job, "job_succeed", job_services.job_succeed)

    assert registry_import_task(job.pk) == "succeeded"

    job.refresh_from_db()
    assert (job.status, job.attempts, job.result["created"]) == ("succeeded", 2, 3)
    assert LAO.objects.filter(dla_code__in=GOOD_CODES).count() == 3
    assert LogEntry.objects.count() == 3


def test_admin_job_shows_thai_errors_by_line_and_imports_nothing(world, client, superuser,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(superuser)
    data = with_bad_row(["6300899", "อบต.", "องค์การบริหารส่วนตำบลทดสอบ", "", "30", "9999", "", ""])

    response, job = post_import(client, data, "registry.csv", "_import", django_capture_on_commit_callbacks)

    assert job.status == "failed" and job.result["errors"] == ["บรรทัด 3: ไม่พบอำเภอรหัส 9999"]
    page = client.get(response.url).content.decode()
    assert "ไม่ได้นำเข้าข้อมูลใดเลย: พบข้อผิดพลาด 1 รายการ" in page and "บรรทัด 3: ไม่พบอำเภอรหัส 9999" in page
    assert not LAO.objects.filter(dla_code__in=GOOD_CODES).exists()


def test_admin_job_refuses_a_fake_workbook_with_a_thai_message(world, client, superuser,
                                                               django_capture_on_commit_callbacks):
    client.force_login(superuser)

    _response, job = post_import(client, b"MZ\x90\x00" * 100, "registry.xlsx", "_import",
                                 django_capture_on_commit_callbacks)

    assert "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่ถูกต้อง" in job.result["errors"][0]


def test_one_registry_import_at_a_time(world, client, superuser, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("admin:organizations_lao_import"),
                    {"import_file": upload(csv_bytes(GOOD_ROWS), "registry.csv"), "_import": "1"})
        response = client.post(reverse("admin:organizations_lao_import"),
                               {"import_file": upload(csv_bytes(GOOD_ROWS), "registry.csv"), "_check": "1"})

    assert response.status_code == 200 and "งานนี้กำลังทำอยู่แล้ว" in response.content.decode()
    assert Job.objects.filter(kind="registry_import").count() == 1


def test_admin_import_needs_permission_to_add_and_change_laos(world, client):
    staff = User.objects.create_user(username="staff", password="x" * 16, full_name="เจ้าหน้าที่", is_staff=True)
    client.force_login(staff)

    assert client.get(reverse("admin:organizations_lao_import")).status_code == 403


def test_admin_export_page_still_opens(world, client, superuser):
    client.force_login(superuser)

    assert client.get(reverse("admin:organizations_lao_export")).status_code == 200
