"""Many accounts from one Excel file: all of them, or none and every bad row named."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts import bulk, policy
from accounts.models import User
from accounts.policy import Action, Role
from info_portal import uploads
from jobs.models import Job, JobStatus
from tests.conftest import make_user

HEADER = ["ชื่อผู้ใช้ *", "ชื่อ-นามสกุล *", "อีเมล *", "ตำแหน่ง", "โทรศัพท์", "บทบาท *", "รหัสหน่วยงาน"]


def row(username, role, unit_code, **fields):
    return [username, fields.get("full_name", f"ชื่อ {username}"), fields.get("email", f"{username}@example.test"),
            fields.get("position", "นักวิเคราะห์นโยบายและแผน"), fields.get("phone", ""), role, unit_code]


def workbook_bytes(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="accounts.xlsx"):
    """Post the file; the job it starts runs once the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("accounts:user_bulk"), {"file": SimpleUploadedFile(name, content)})


def last_job() -> Job:
    return Job.objects.filter(kind="accounts_bulk").latest("pk")


def row_errors(response) -> list[bulk.RowError]:
    """The bad rows the upload's job found."""
    assert response.status_code == 302 and response.url == last_job().get_absolute_url()
    job = last_job()
    assert job.status == JobStatus.FAILED, job.summary
    return [bulk.RowError(entry["line"], entry["messages"]) for entry in job.result["rows"]]


def succeeded(response) -> bool:
    return response.status_code == 302 and response.url == last_job().get_absolute_url() and \
        last_job().status == JobStatus.SUCCEEDED


def page(response) -> str:
    return response.content.decode()


def test_the_template_has_thai_headers_instructions_and_only_the_officers_units(client, world, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("accounts:user_bulk_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == bulk.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    data, notes, units = workbook.worksheets
    assert [cell.value for cell in data[1]] == HEADER
    assert any("2,000" in (cell.value or "") for cell in notes["A"])
    codes = {cell.value for cell in units["A"]}
    assert {world.lao_a1.dla_code, world.lao_a1_sao.dla_code} <= codes
    assert world.lao_a2.dla_code not in codes and world.lao_b1.dla_code not in codes


def test_a_filled_template_creates_every_account_with_its_role_and_invitation(
    client, world, district_officer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(district_officer)
    template = load_workbook(io.BytesIO(client.get(reverse("accounts:user_bulk_template")).content))
    sheet = template.worksheets[0]
    sheet.append(row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code, phone="0812345678"))
    sheet.append(row("somsri.t", "verifier", int(world.lao_a1_sao.dla_code)))  # a code typed as a number
    sheet.append([])
    sheet.append(row("Somsak.R", " ผู้รับรองข้อมูล ", world.lao_a1.dla_code, phone=812345678,
                     email="somsak.r@example.test"))
    buffer = io.BytesIO()
    template.save(buffer)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, buffer.getvalue())

    assert succeeded(response)
    assert last_job().summary == "สร้างบัญชี 3 บัญชีแล้ว และส่งลิงก์ตั้งรหัสผ่านทางอีเมลให้ทุกบัญชี"
    created = {user.username: user for user in User.objects.filter(created_by=district_officer)}
    assert set(created) == {"somchai.k", "somsri.t", "somsak.r"}
    assert list(policy.laos_for(created["somchai.k"], Action.RECORD)) == [world.lao_a1]
    assert list(policy.laos_for(created["somsri.t"], Action.VERIFY)) == [world.lao_a1_sao]
    assert list(policy.laos_for(created["somsak.r"], Action.CERTIFY)) == [world.lao_a1]
    assert created["somsak.r"].phone == "0812345678"
    assert not any(user.has_usable_password() for user in created.values())
    assert sorted(message.to[0] for message in mailoutbox) == [
        "somchai.k@example.test", "somsak.r@example.test", "somsri.t@example.test"]
    assert all("/accounts/invitation/" in message.body for message in mailoutbox)


def test_a_provincial_officer_appoints_district_officers_by_district_code(client, world, provincial_officer):
    client.force_login(provincial_officer)
    response = upload(client, workbook_bytes([
        row("dankhunthot.officer", "ท้องถิ่นอำเภอ", world.district_a1.code),
        row("mueang.officer", "district_officer", int(world.district_a2.code)),
    ]))
    assert succeeded(response)
    officer = User.objects.get(username="mueang.officer")
    assert list(policy.districts_overseen(officer)) == [world.district_a2]


def test_one_bad_row_creates_nothing_and_names_its_line(client, world, district_officer, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    client.force_login(district_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, workbook_bytes([
            row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code),
            row("somsri.t", "ผู้ตรวจสอบข้อมูล", world.lao_a1.dla_code, email="not-an-email"),
            row("somsak.r", "ผู้รับรองข้อมูล", world.lao_a1.dla_code),
        ]))
    errors = row_errors(response)
    assert [error.line for error in errors] == [3]
    assert "อีเมล" in errors[0].messages[0]
    job_page = page(client.get(response.url))
    assert "แถวที่ 3: อีเมล" in job_page and "ยังไม่ได้สร้างบัญชีใด" in job_page
    assert not User.objects.filter(username__in=["somchai.k", "somsri.t", "somsak.r"]).exists()
    assert mailoutbox == []


def test_every_bad_row_is_listed(client, world, district_officer):
    client.force_login(district_officer)
    response = upload(client, workbook_bytes([
        row("ok.user", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code),
        row("no.role", "นายก", world.lao_a1.dla_code),
        row("district", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code),  # the district officer's own username
        row("no.unit", "ผู้บันทึกข้อมูล", ""),
        row("too.high", "ท้องถิ่นอำเภอ", world.district_a1.code),
    ]))
    errors = {error.line: " ".join(error.messages) for error in row_errors(response)}
    assert set(errors) == {3, 4, 5, 6}
    assert "ไม่รู้จักบทบาท" in errors[3]
    assert "มีผู้ใช้แล้ว" in errors[4]
    assert "รหัส อปท. 7 หลัก" in errors[5]
    assert "คุณไม่มีสิทธิ์กำหนดบทบาทนี้" in errors[6]
    assert not User.objects.filter(username="ok.user").exists()


def test_a_username_repeated_in_the_file_is_refused(client, world, district_officer):
    client.force_login(district_officer)
    response = upload(client, workbook_bytes([
        row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code),
        row("SOMCHAI.K", "ผู้ตรวจสอบข้อมูล", world.lao_a1_sao.dla_code),
    ]))
    errors = row_errors(response)
    assert [error.line for error in errors] == [3]
    assert "ซ้ำกับแถวที่ 2" in errors[0].messages[0]
    assert not User.objects.filter(username="somchai.k").exists()


@pytest.mark.parametrize(("role", "code_attr"), [
    ("ผู้บันทึกข้อมูล", "lao_a2"),
    ("ผู้บันทึกข้อมูล", "lao_b1"),
    ("ผู้รับรองข้อมูล", "pao_a"),
])
def test_a_unit_outside_the_officers_scope_is_refused(client, world, district_officer, role, code_attr):
    client.force_login(district_officer)
    response = upload(client, workbook_bytes([row("somchai.k", role, getattr(world, code_attr).dla_code)]))
    errors = row_errors(response)
    assert [error.line for error in errors] == [2]
    assert "อยู่นอกขอบเขตที่คุณดูแล" in errors[0].messages[0]
    assert not User.objects.filter(username="somchai.k").exists()


def test_an_unknown_unit_code_is_named(client, world, district_officer):
    client.force_login(district_officer)
    response = upload(client, workbook_bytes([row("somchai.k", "ผู้บันทึกข้อมูล", "6999999")]))
    assert "ไม่พบหน่วยงานรหัส 6999999" in row_errors(response)[0].messages[0]


# Files refused before they are read --------------------------------------------------------------

def test_a_file_that_is_not_an_xlsx_is_refused(client, world, district_officer):
    client.force_login(district_officer)
    response = upload(client, "username,full_name\nsomchai,สมชาย\n".encode(), name="accounts.xlsx")
    assert "ไม่ใช่ไฟล์ Excel (.xlsx)" in response.context["result"].file_error
    assert "ไม่ใช่ไฟล์ Excel (.xlsx)" in page(response)


def test_a_zip_that_is_not_a_workbook_is_refused(client, world, district_officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    client.force_login(district_officer)
    response = upload(client, buffer.getvalue())
    assert "ไม่ใช่ไฟล์ Excel (.xlsx)" in response.context["result"].file_error


def test_a_file_over_the_size_limit_is_refused(client, world, district_officer, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(district_officer)
    response = upload(client, workbook_bytes([row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code)]))
    assert "ไฟล์ใหญ่เกินกำหนด" in response.context["result"].file_error
    assert not User.objects.filter(username="somchai.k").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, world, district_officer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (uploads.MAX_UNCOMPRESSED_BYTES + 1))
    assert len(buffer.getvalue()) < 1024 * 1024
    client.force_login(district_officer)
    response = upload(client, buffer.getvalue())
    assert "เมื่อแตกออกแล้วมีขนาดใหญ่ผิดปกติ" in response.context["result"].file_error


def test_more_than_the_row_limit_is_refused(client, world, district_officer):
    rows = [row(f"user{n:04d}", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code) for n in range(bulk.MAX_ROWS + 1)]
    client.force_login(district_officer)
    response = upload(client, workbook_bytes(rows))
    assert "เกิน 2,000 แถว" in response.context["result"].file_error
    assert not User.objects.filter(username="user0000").exists()


def test_a_file_without_the_template_headers_is_refused(client, world, district_officer):
    client.force_login(district_officer)
    response = upload(client, workbook_bytes([["a", "b"]], header=["x", "y"]))
    assert "ไม่มีคอลัมน์" in response.context["result"].file_error


def test_english_column_keys_are_accepted_too(client, world, district_officer):
    client.force_login(district_officer)
    header = ["username", "full_name", "email", "position", "phone", "role", "unit_code"]
    response = upload(client, workbook_bytes([row("somchai.k", "recorder", world.lao_a1.dla_code)], header=header))
    assert succeeded(response)
    assert User.objects.filter(username="somchai.k").exists()


def test_the_service_refuses_an_account_taken_between_the_check_and_the_write(world, district_officer,
                                                                               monkeypatch):
    # the check passes; then someone else takes the username before the accounts are written
    original = bulk._validate

    def validate_then_race(actor, rows):
        valid, errors = original(actor, rows)
        make_user("somchai.k")
        return valid, errors

    monkeypatch.setattr(bulk, "_validate", validate_then_race)
    content = workbook_bytes([row("somsri.t", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code),
                              row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code)])
    result = bulk.accounts_bulk_create(actor=district_officer, file=SimpleUploadedFile("a.xlsx", content))
    assert not result.ok and [error.line for error in result.row_errors] == [3]
    assert not User.objects.filter(username="somsri.t").exists()
    assert not policy.laos_for(User.objects.get(username="somchai.k"), Action.RECORD).exists()


def test_lao_users_cannot_upload(client, world, recorder):
    client.force_login(recorder)
    response = upload(client, workbook_bytes([row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code)]))
    assert response.status_code == 404
    assert not User.objects.filter(username="somchai.k").exists()


def test_roles_are_read_by_value_or_thai_label():
    names = bulk._role_names()
    assert names["recorder"] is Role.RECORDER
    assert names["ท้องถิ่นจังหวัด"] is Role.PROVINCIAL_OFFICER


def test_the_upload_only_starts_a_job_whose_rerun_after_its_commit_does_nothing(
        client, world, district_officer, mailoutbox, django_capture_on_commit_callbacks):
    from accounts.tasks import accounts_bulk_create_task

    client.force_login(district_officer)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("accounts:user_bulk"), {"file": SimpleUploadedFile(
            "accounts.xlsx", workbook_bytes([row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code)]))})
    job = last_job()
    assert response.url == job.get_absolute_url() and len(queued) == 1
    assert not User.objects.filter(username="somchai.k").exists()  # the request wrote the job only

    with django_capture_on_commit_callbacks(execute=True):
        assert accounts_bulk_create_task(job.pk) == JobStatus.SUCCEEDED
        assert accounts_bulk_create_task(job.pk) == "finished already"

    assert User.objects.filter(username="somchai.k").count() == 1
    assert len(mailoutbox) == 1


def test_a_bulk_job_cut_short_before_its_commit_leaves_nothing_and_runs_again_once(
        client, world, district_officer, monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    from accounts.tasks import accounts_bulk_create_task
    from jobs import services as job_services

    class WorkerKilled(BaseException):
        """The process is gone: no handler sees it."""

    client.force_login(district_officer)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("accounts:user_bulk"), {"file": SimpleUploadedFile("accounts.xlsx", workbook_bytes([
            row("somchai.k", "ผู้บันทึกข้อมูล", world.lao_a1.dla_code),
            row("somsri.t", "ผู้ตรวจสอบข้อมูล", world.lao_a1.dla_code)]))})
    job = last_job()

    def killed(**kwargs):
        raise WorkerKilled

    monkeypatch.setattr(bulk, "job_succeed", killed)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        accounts_bulk_create_task(job.pk)
    assert not User.objects.filter(username__in=["somchai.k", "somsri.t"]).exists()
    assert mailoutbox == []
    monkeypatch.setattr(bulk, "job_succeed", job_services.job_succeed)

    with django_capture_on_commit_callbacks(execute=True):
        assert accounts_bulk_create_task(job.pk) == JobStatus.SUCCEEDED

    job.refresh_from_db()
    assert (job.attempts, job.result) == (2, {"created": 2})
    assert User.objects.filter(username__in=["somchai.k", "somsri.t"]).count() == 2
    assert len(mailoutbox) == 2
