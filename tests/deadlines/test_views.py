"""The round page, the internal deadline page, the chase page and the deadline everyone sees."""

import uuid
from datetime import date

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from accounts.policy import Role
from deadlines.context_processors import deadline as deadline_context
from deadlines.models import ChaseLog, Extension, LevelDeadline, ReportingRound
from deadlines.selectors import my_deadline
from jobs.models import Job
from notifications.models import Channel, Notification
from sectors.catalogue import fiscal_year_open
from tests.conftest import make_user
from tests.deadlines.conftest import set_statuses

TODAY = date(2025, 6, 8)


# The round page -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["recorder", "district_officer", "provincial_officer", "nobody"])
def test_the_round_page_is_the_departments_alone(client, request, world, role):
    fiscal_year_open(be_year=2568)
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("deadlines:round")).status_code == 404


def test_the_department_sets_the_round_then_publishes_it(client, world, department_admin, people,
                                                         django_capture_on_commit_callbacks):
    fiscal_year_open(be_year=2568)
    client.force_login(department_admin)
    url = reverse("deadlines:round_year", args=[2568])
    assert "ยังไม่ได้กำหนดรอบ" in client.get(reverse("deadlines:round")).content.decode()

    response = client.post(url, {"action": "save", "opens_on": "2025-05-24", "record_by": "2025-06-10",
                                 "certify_by": "2025-06-15", "closes_on": "", "reminder_stages": "14, 7, 3, 1, 0",
                                 "overdue_every_days": "2"})
    assert response.status_code == 302
    round_ = ReportingRound.objects.get(fiscal_year__be_year=2568)
    assert (round_.certify_by, round_.stages, round_.overdue_every_days) == (date(2025, 6, 15), [14, 7, 3, 1, 0], 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "publish"})
    job = Job.objects.get(kind="round_publish")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "ประกาศรอบแล้ว: ส่งการแจ้งเตือนใหม่ 12 รายการ" in page
    assert 'data-status="succeeded"' in page and "hx-trigger" not in page
    assert ReportingRound.objects.get(pk=round_.pk).published_at is not None
    assert len(mail.outbox) == 6


def test_a_round_with_dates_out_of_order_is_refused_on_the_form(client, world, department_admin):
    fiscal_year_open(be_year=2568)
    client.force_login(department_admin)
    response = client.post(reverse("deadlines:round"), {
        "action": "save", "opens_on": "2025-05-24", "record_by": "2025-06-20", "certify_by": "2025-06-15",
        "reminder_stages": "7, x", "overdue_every_days": "3"})
    assert response.status_code == 200
    assert response.context["form"].errors["reminder_stages"]
    assert not ReportingRound.objects.exists()


# The internal deadline page -------------------------------------------------------------------------------------


def level_url(**query) -> str:
    return reverse("deadlines:level") + "".join(f"?{key}={value}" for key, value in query.items())


def test_a_province_sets_its_internal_deadline_never_later_than_the_departments(client, world, published_round,
                                                                                provincial_officer):
    client.force_login(provincial_officer)
    page = client.get(reverse("deadlines:level"))
    assert page.status_code == 200 and page.context["unit"] == world.province_a

    later = client.post(level_url(province="30"), {"action": "level", "record_by": "2025-06-10",
                                                   "certify_by": "2025-06-20"})
    assert later.status_code == 200 and later.context["level_form"].errors["certify_by"]
    assert client.post(level_url(province="30"), {"action": "level", "record_by": "2025-06-05",
                                                  "certify_by": "2025-06-12"}).status_code == 302
    assert LevelDeadline.objects.get(province=world.province_a).certify_by == date(2025, 6, 12)


def test_a_province_extends_one_lao_with_a_reason(client, world, published_round, provincial_officer):
    client.force_login(provincial_officer)
    response = client.post(level_url(province="30"), {"action": "extend", "target": f"lao:{world.lao_a1.pk}",
                                                      "certify_by": "2025-06-30", "reason": "น้ำท่วมสำนักงาน"})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert (extension.lao, extension.certify_by, extension.reason) == (world.lao_a1, date(2025, 6, 30),
                                                                       "น้ำท่วมสำนักงาน")


def test_a_district_sets_its_own_deadline_but_grants_no_extension(client, world, published_round,
                                                                  district_officer):
    client.force_login(district_officer)
    page = client.get(reverse("deadlines:level"))
    assert page.context["unit"] == world.district_a1 and page.context["extension_form"] is None
    assert client.post(level_url(district="3008"), {"action": "level", "record_by": "2025-06-01",
                                                    "certify_by": "2025-06-08"}).status_code == 302
    client.post(level_url(district="3008"), {"action": "extend", "target": f"lao:{world.lao_a1.pk}",
                                             "certify_by": "2025-06-30", "reason": "x"})
    assert not Extension.objects.exists()


@pytest.mark.parametrize(("role", "query"), [("district_officer", {"district": "3001"}),
                                             ("provincial_officer", {"province": "40"}),
                                             ("recorder", {}), ("nobody", {})])
def test_the_deadline_page_of_another_unit_is_not_found(client, request, published_round, role, query):
    client.force_login(request.getfixturevalue(role))
    assert client.get(level_url(**query)).status_code == 404


# The chase page -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("district_officer", 200), ("provincial_officer", 200), ("department_admin", 200),
    ("other_district", 404), ("other_province", 404), ("recorder", 404), ("nobody", 404)])
def test_who_may_chase_an_lao(client, request, world, published_round, who, status):
    users = {"other_district": lambda: make_user("a2", Role.DISTRICT_OFFICER, world.district_a2),
             "other_province": lambda: make_user("b", Role.PROVINCIAL_OFFICER, world.province_b)}
    client.force_login(users[who]() if who in users else request.getfixturevalue(who))
    assert client.get(reverse("deadlines:chase", args=[world.lao_a1.pk])).status_code == status


def test_a_chase_reaches_each_user_with_work_waiting_and_is_recorded_once(client, world, published_round, people,
                                                                          django_capture_on_commit_callbacks):
    set_statuses(world.lao_a1, published_round.fiscal_year, {"water": "submitted"})
    client.force_login(people["district"])
    url = reverse("deadlines:chase", args=[world.lao_a1.pk])
    page = client.get(url)
    token = page.context["form"].initial["token"]
    form = {"token": str(token), "note": "กรุณาส่งภายในวันนี้"}

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, form, follow=True)
        again = client.post(url, form, follow=True)  # a double click, or a reload

    assert "ส่งการแจ้งเตือนถึงผู้ใช้ของ อปท. 2 คนแล้ว" in sent.content.decode()
    assert again.status_code == 200
    log = ChaseLog.objects.get()
    assert (log.sent_by, log.recipients, log.note) == (people["district"], 2, "กรุณาส่งภายในวันนี้")
    assert sorted(m.to[0] for m in mail.outbox) == ["recorder@example.test", "verifier@example.test"]
    verifier = Notification.objects.get(recipient=people["verifier"], channel=Channel.PORTAL, kind="chase")
    assert "ท้องถิ่นอำเภอด่านขุนทด" in verifier.title and "กรุณาส่งภายในวันนี้" in verifier.body
    assert "ด้านการบริหารจัดการน้ำ" in verifier.body
    assert "กรุณาส่งภายในวันนี้" in client.get(url).content.decode()  # the history shows the send


def test_nothing_to_chase_when_nothing_waits(client, world, published_round, people):
    set_statuses(world.lao_a1, published_round.fiscal_year, "certified")
    client.force_login(people["province"])
    url = reverse("deadlines:chase", args=[world.lao_a1.pk])
    response = client.post(url, {"token": str(uuid.uuid4())}, follow=True)
    assert "ไม่มีงานค้าง" in response.content.decode()
    assert not ChaseLog.objects.exists() and not Notification.objects.exists()


# The deadline everyone sees -------------------------------------------------------------------------------------


def test_everyone_sees_the_deadline_that_applies_to_them(world, published_round, people):
    from deadlines import services

    services.level_deadline_set(actor=people["province"], round_=published_round, unit=world.province_a,
                                record_by=date(2025, 6, 5), certify_by=date(2025, 6, 12))
    seen = {role: my_deadline(user, today=TODAY) for role, user in people.items()}
    assert {role: (d.level, d.certify_by, d.days_left) for role, d in seen.items()} == {
        "recorder": ("lao", date(2025, 6, 12), 4), "verifier": ("lao", date(2025, 6, 12), 4),
        "certifier": ("lao", date(2025, 6, 12), 4), "district": ("district", date(2025, 6, 12), 4),
        "province": ("province", date(2025, 6, 12), 4), "department": ("department", date(2025, 6, 15), 7)}
    assert seen["district"].unit == world.district_a1.name_th


def test_the_context_processor_costs_the_same_whatever_the_user_holds(world, published_round, people,
                                                                      django_assert_max_num_queries):
    from accounts import services as account_services

    for lao in (world.lao_a1_sao, world.lao_a2, world.lao_b1, world.pao_a):
        account_services.role_grant(actor=None, user=people["recorder"], role=Role.RECORDER, unit=lao)
    request = RequestFactory().get("/")
    for user in people.values():
        request.user = user
        with django_assert_max_num_queries(9):
            assert deadline_context(request)["my_deadline"].certify_by


def test_the_include_shows_the_deadline_and_days_left(client, world, published_round, recorder):
    from django.template.loader import render_to_string

    html = render_to_string("deadlines/includes/my_deadline.html",
                            {"my_deadline": my_deadline(recorder, today=date(2025, 6, 18))})
    assert "15 มิถุนายน 2568" in html and "เลยกำหนด 3 วัน" in html and "overdue" in html
    assert render_to_string("deadlines/includes/my_deadline.html", {"my_deadline": None}).strip() == ""


def test_the_sector_cards_show_the_lao_deadline(client, world, published_round, recorder):
    client.force_login(recorder)
    response = client.get(reverse("sectors:lao_sectors", args=[world.lao_a1.pk, 2568]))
    page = response.content.decode()
    assert page.count("กำหนดส่ง 15 มิถุนายน 2568") == 8  # on each of the eight sector cards


def test_the_publish_request_writes_only_the_job_and_leaves_the_announcements_to_the_worker(
        client, world, department_admin, people, lao_users_b1, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deadlines import services
    from notifications.models import Notification

    services.round_set(actor=department_admin, fiscal_year=fiscal_year_open(be_year=2568),
                       opens_on=date(2025, 5, 24), record_by=date(2025, 6, 10), certify_by=date(2025, 6, 15))
    client.force_login(department_admin)
    url = reverse("deadlines:round_year", args=[2568])

    with django_capture_on_commit_callbacks(execute=False) as queued, CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"action": "publish"})

    assert response.status_code == 302 and len(queued) == 1
    assert not Notification.objects.exists()
    assert Job.objects.get().status == "queued"
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split()[2] for sql in writes if "jobs_job" in sql] == ['"jobs_job"']
    assert len(queries.captured_queries) <= 15  # signing in, the round, the job: none per person
