"""The pages and downloads: who may open them (404 outside one's units), what they show, and a number of SQL
queries that does not grow with the number of LAOs."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.policy import Role
from certification.models import ReportEvent
from organizations.models import LAO, LAOType
from organizations.names import short_name_html
from sectors.models import ReportStatus, Sector, SectorReport
from tests.conftest import make_user

PAGES = ["", "laggards/", "laggards.xlsx", "laggards.pdf", "values/", "values.csv", "values.xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The pages read today's date: pin it to 12 June 2025, three days before the deadline."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime(2025, 6, 12).date())


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_a_district_officer_typing_another_districts_url_gets_404(round_, client, district_officer, page):
    signed_in(client, district_officer)
    assert client.get(f"/dash/district/3008/{page}").status_code == 200
    assert client.get(f"/dash/district/3001/{page}").status_code == 404
    assert client.get(f"/dash/district/4001/{page}").status_code == 404
    assert client.get(f"/dash/province/30/{page}").status_code == 404
    assert client.get(f"/dash/nation/{page}").status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_a_provincial_officer_sees_its_province_and_its_districts_only(round_, client, provincial_officer, page):
    signed_in(client, provincial_officer)
    assert client.get(f"/dash/province/30/{page}").status_code == 200
    assert client.get(f"/dash/district/3001/{page}").status_code == 200
    assert client.get(f"/dash/province/40/{page}").status_code == 404
    assert client.get(f"/dash/district/4001/{page}").status_code == 404
    assert client.get(f"/dash/nation/{page}").status_code == 404


def test_anonymous_users_are_sent_to_sign_in_and_lao_users_have_no_dashboard(round_, client, recorder):
    response = client.get("/dash/province/30/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    signed_in(client, recorder)
    assert client.get("/dash/").status_code == 404
    assert client.get("/dash/district/3008/").status_code == 404


@pytest.mark.parametrize(("who", "target"), [("department_admin", "/dash/nation/"),
                                             ("provincial_officer", "/dash/province/30/"),
                                             ("district_officer", "/dash/district/3008/")])
def test_the_dashboard_link_opens_the_widest_unit(round_, client, request, who, target):
    signed_in(client, request.getfixturevalue(who))
    assert client.get("/dash/")["Location"] == target


def test_the_province_page_shows_the_hand_counted_figures_and_links_down(round_, client, provincial_officer, world):
    page = signed_in(client, provincial_officer).get("/dash/province/30/").content.decode()
    assert '<div class="value" id="completion">28.1%</div>' in page
    assert '<th class="num" id="expected">32</th>' in page
    assert 'id="laos-complete">1 / 4<' in page
    assert 'href="/dash/district/3008/">ด่านขุนทด</a>' in page
    assert f'href="/data/lao/{world.pao_a.pk}/2568/"' in page  # the PAO links to its own page
    assert "เหลือ 3 วัน" in page
    assert "<svg" in page and "cdn" not in page.lower()


def test_the_filters_stay_on_the_links_one_level_down(round_, client, provincial_officer):
    page = signed_in(client, provincial_officer).get("/dash/province/30/?type=sao").content.decode()
    assert 'href="/dash/district/3008/?type=sao">ด่านขุนทด</a>' in page
    assert '<div class="value" id="completion">100.0%</div>' in page


def test_the_laggard_downloads_are_attachments(round_, client, provincial_officer):
    signed_in(client, provincial_officer)
    excel = client.get("/dash/province/30/laggards.xlsx")
    assert excel["Content-Type"] == XLSX
    assert excel["Content-Disposition"] == 'attachment; filename="laggards-province-30-2568-20250612.xlsx"'
    assert load_workbook(io.BytesIO(excel.content)).active["A3"].value == \
        "ยังไม่รับรองครบทุกด้าน 3 แห่ง จากทั้งหมด 4 แห่ง"
    pdf = client.get("/dash/province/30/laggards.pdf?digits=thai")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_the_data_view_shows_certified_values_only(round_, client, provincial_officer):
    signed_in(client, provincial_officer)
    page = client.get("/dash/province/30/values/?item=gov_population_total&by=district").content.decode()
    assert "มีข้อมูลที่รับรองแล้ว 2 แห่ง จาก อปท. ทั้งหมด 4 แห่ง" in page  # a2's draft is not there
    csv_response = client.get("/dash/province/30/values.csv?item=gov_households&by=lao_type&agg=avg")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "ครัวเรือน" in csv_response.content.decode("utf-8-sig")


def _grow(world, fiscal_year, n: int) -> None:
    """n more LAOs in district A1, each with eight reports in every state and a certify event, and a recorder."""
    sectors = list(Sector.objects.order_by("order"))
    statuses = [*ReportStatus.values, ReportStatus.CERTIFIED, ReportStatus.CERTIFIED, ReportStatus.DRAFT]
    start = LAO.objects.count()
    laos = LAO.objects.bulk_create([
        LAO(lao_type=LAOType.SAO, name_th=f"อบต.ทดสอบ {start + i}", province=world.province_a,
            district=world.district_a1, dla_code=f"63008{50 + start + i:02d}") for i in range(n)])
    reports = SectorReport.objects.bulk_create([
        SectorReport(lao=lao, sector=sector, fiscal_year=fiscal_year, status=statuses[(i + j) % len(statuses)])
        for i, lao in enumerate(laos) for j, sector in enumerate(sectors)])
    actor = make_user(f"grow{start}", Role.RECORDER, laos[0])
    ReportEvent.objects.bulk_create([
        ReportEvent(report=report, action="certify", from_status="verified", to_status=report.status, actor=actor,
                    at=datetime(2025, 6, 3 + i % 5, 10, tzinfo=ZoneInfo("Asia/Bangkok")))
        for i, report in enumerate(reports) if report.status == ReportStatus.CERTIFIED])
    for lao in laos:
        make_user(f"rec.{lao.dla_code}", Role.RECORDER, lao)


URLS = {
    "department_admin": ["/dash/nation/", "/dash/nation/laggards/", "/dash/nation/laggards.xlsx",
                         "/dash/nation/values/?by=district", "/dash/nation/values.csv"],
    "provincial_officer": ["/dash/province/30/", "/dash/province/30/?sort=-days_left", "/dash/province/30/laggards/",
                           "/dash/province/30/laggards.pdf", "/dash/province/30/values/", "/dash/district/3008/"],
    "district_officer": ["/dash/district/3008/", "/dash/district/3008/laggards/", "/dash/district/3008/laggards.xlsx",
                         "/dash/district/3008/values.xlsx"],
}
MAX_QUERIES = 24


def _query_counts(client, urls) -> list[int]:
    """Queries of each page with nothing cached yet: the most a page ever makes."""
    counts = []
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts.append(len(captured.captured_queries))
    return counts


@pytest.mark.parametrize("who", list(URLS))
def test_the_number_of_queries_does_not_grow_with_the_number_of_laos(round_, client, world, request, who,
                                                                    django_assert_max_num_queries):
    signed_in(client, request.getfixturevalue(who))
    urls = URLS[who]
    _grow(world, round_.fiscal_year, 3)
    small = _query_counts(client, urls)
    _grow(world, round_.fiscal_year, 40)
    assert _query_counts(client, urls) == small
    for url in urls:
        cache.clear()
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url)


def test_the_nation_lists_its_laggards_by_province(round_, client, department_admin):
    page = signed_in(client, department_admin).get("/dash/nation/laggards/").content.decode()
    assert 'id="laggards-by-province"' in page and 'id="laggards"' not in page
    assert '<td class="num">4</td>\n      <td class="num">3</td><td class="num">1</td>' in page  # 30: the PAO untouched
    assert '<td class="num">1</td>\n      <td class="num">1</td><td class="num">0</td>' in page  # 40: one LAO, started
    assert 'href="/dash/province/30/laggards.pdf"' in page


def test_the_national_pdf_is_made_by_a_job_whose_page_links_the_file(round_, client, department_admin,
                                                                      provincial_officer, settings, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    from jobs.models import Job

    settings.MEDIA_ROOT = tmp_path
    signed_in(client, department_admin)
    page = client.get("/dash/nation/laggards/").content.decode()
    assert 'action="/dash/nation/laggards.pdf/job/"' in page
    assert client.get("/dash/nation/laggards.pdf")["Location"] == "/dash/nation/laggards/"  # never in a request

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/dash/nation/laggards.pdf/job/")

    job = Job.objects.get(kind="laggards_pdf")
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.result, job.started_by) == ("succeeded", {"laggards": 4}, department_admin)
    assert job.output_name == "laggards-nation-2568-20250612.pdf"
    job_page = client.get(job.get_absolute_url()).content.decode()
    assert f'href="/jobs/{job.pk}/file/"' in job_page and "ยังไม่รับรองครบทุกด้าน 4 แห่ง" in job_page
    assert b"".join(client.get(f"/jobs/{job.pk}/file/").streaming_content).startswith(b"%PDF")
    signed_in(client, provincial_officer)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert client.post("/dash/nation/laggards.pdf/job/").status_code == 404
    assert Job.objects.count() == 1


def test_the_matrix_tells_the_states_apart_by_a_mark_as_well_as_a_colour(round_, client, district_officer, world):
    page = signed_in(client, district_officer).get("/dash/district/3008/").content.decode()
    matrix = page.split('id="matrix"')[1]
    row = matrix.split(f"{short_name_html(world.lao_a1.name_th)}</a></th>")[1].split("</tr>")[0]
    # Sector order: health-environment returned, education draft, …, water verified, governance certified.
    assert "<td class=r>↩</td>" in row and "<td class=d>✎</td>" in row and "<td class=s>▷</td>" in row
    assert "<td class=v>◎</td>" in row and "<td class=c>✓</td>" in row and "<td class=n>○</td>" in row
    legend = matrix.split('<ul class="state-legend">')[1].split("</ul>")[0]
    for mark, label in (("○", "ยังไม่เริ่ม"), ("↩", "ส่งกลับแก้ไข"), ("✓", "รับรองแล้ว")):
        assert f'aria-hidden="true">{mark}</span>{label}</li>' in legend


def test_the_funnel_is_one_table_and_a_provinces_long_matrix_is_folded(round_, client, provincial_officer):
    page = signed_in(client, provincial_officer).get("/dash/province/30/").content.decode()
    funnel = page.split('id="funnel"')[1].split("</section>")[0]
    assert "<svg" not in funnel and funnel.count('<span class="bar">') == 6
    assert '<details class="fold">' in page.split('id="matrix"')[1]  # closed until asked for
    assert '<a href="#matrix">' in page
    district = client.get("/dash/district/3008/").content.decode()
    assert '<details class="fold" open>' in district.split('id="matrix"')[1]
