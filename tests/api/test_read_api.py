"""The read API: a key is needed, only certified values are served, a provincial key sees its province only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiUsage
from certification.models import CertificationSeal
from sectors.models import IndicatorValue, ReportStatus
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/provinces/", "/api/v1/districts/", "/api/v1/laos/", "/api/v1/fiscal-years/",
             "/api/v1/sectors/", "/api/v1/items/", "/api/v1/values/", "/api/v1/values.csv", "/api/v1/completion/",
             "/api/v1/aggregates/?fiscal_year=2568&item=gov_population_total"]


def all_pages(client, path: str, **params) -> list[dict]:
    rows, response = [], client.get(path, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


@pytest.mark.parametrize("path", ENDPOINTS)
def test_without_a_key_every_endpoint_answers_401(round_, path):
    response = Client().get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_wrong_revoked_or_expired_key_answers_401(round_, department_admin):
    from api import services
    from tests.api.conftest import ApiClient
    assert ApiClient("abcdefgh.not-a-key").get("/api/v1/provinces/").status_code == 401
    key, raw = services.key_create(name="x", province=None, expires_at=None, actor=None)
    assert ApiClient(raw).get("/api/v1/provinces/").status_code == 200
    services.key_revoke(key_id=key.pk, actor=department_admin)
    assert ApiClient(raw).get("/api/v1/provinces/").status_code == 401
    expired = api_client(expires_at=timezone.now() - timedelta(minutes=1))
    assert expired.get("/api/v1/provinces/").status_code == 401


def test_values_are_those_of_certified_reports_only_with_their_seal(national, round_):
    rows = all_pages(national, "/api/v1/values/", page_size=50)
    certified = IndicatorValue.objects.filter(report__status=ReportStatus.CERTIFIED)
    assert sorted(r["id"] for r in rows) == sorted(certified.values_list("pk", flat=True))
    assert IndicatorValue.objects.exclude(report__status=ReportStatus.CERTIFIED).exists()
    seals = {s.report_id: s.sha256 for s in CertificationSeal.objects.filter(superseded_at__isnull=True)}
    assert all(r["seal_sha256"] == seals[r["report"]] for r in rows)
    sample = certified.select_related("indicator").filter(indicator__kind="integer", value_integer__isnull=False)[0]
    assert next(r for r in rows if r["id"] == sample.pk)["value"] == str(sample.value_integer)


def test_draft_values_never_appear_through_any_endpoint(national, round_, world):
    draft_ids = set(IndicatorValue.objects.exclude(report__status=ReportStatus.CERTIFIED).values_list("pk", flat=True))
    assert draft_ids
    served = {r["id"] for r in all_pages(national, "/api/v1/values/", page_size=1000)}
    assert not served & draft_ids
    csv_text = b"".join(national.get("/api/v1/values.csv").streaming_content).decode("utf-8-sig")
    csv_ids = {int(line.split(",")[0]) for line in csv_text.splitlines()[1:]}
    assert csv_ids == served
    completion = all_pages(national, "/api/v1/completion/")
    assert all("value" not in row for row in completion)
    draft = next(r for r in completion if r["lao"] == world.lao_a2.pk)
    assert draft["status"] == "draft" and draft["certified_at"] is None


def test_a_provincial_key_sees_nothing_foreign(province_a_key, world, round_):
    for path in ("/api/v1/laos/", "/api/v1/values/", "/api/v1/completion/"):
        rows = all_pages(province_a_key, path, page_size=1000)
        assert rows
        assert {r["province"] for r in rows} == {"30"}
    assert [p["code"] for p in all_pages(province_a_key, "/api/v1/provinces/")] == ["30"]
    assert {d["province"] for d in all_pages(province_a_key, "/api/v1/districts/")} == {"30"}
    assert province_a_key.get(f"/api/v1/laos/{world.lao_b1.pk}/").status_code == 404
    assert province_a_key.get(f"/api/v1/laos/{world.lao_a1.pk}/").status_code == 200
    assert province_a_key.get("/api/v1/provinces/40/").status_code == 404
    assert province_a_key.get("/api/v1/districts/4001/").status_code == 404
    for path in ("/api/v1/values/", "/api/v1/completion/", "/api/v1/laos/"):
        assert province_a_key.get(path, {"province": "40"}).status_code == 404
        assert province_a_key.get(path, {"district": "4001"}).status_code == 404
    assert province_a_key.get("/api/v1/values/", {"lao": world.lao_b1.pk}).status_code == 404
    aggregates = province_a_key.get("/api/v1/aggregates/", {"fiscal_year": 2568, "item": "gov_population_total"})
    assert [row["code"] for row in aggregates.json()["results"]] == ["30"]
    assert province_a_key.get("/api/v1/aggregates/", {"fiscal_year": 2568, "item": "gov_population_total",
                                                      "province": "40"}).status_code == 404


def test_filters_narrow_the_values(national, world, round_):
    rows = all_pages(national, "/api/v1/values/", province="40", page_size=1000)
    assert rows and {r["lao"] for r in rows} == {world.lao_b1.pk}
    sao = all_pages(national, "/api/v1/values/", lao_type="sao", sector="water", fiscal_year=2568)
    assert sao and {(r["lao"], r["sector"]) for r in sao} == {(world.lao_a1_sao.pk, "water")}
    assert national.get("/api/v1/values/", {"lao_type": "castle"}).status_code == 400
    item = all_pages(national, "/api/v1/values/", item="gov_population_total")
    assert {r["item"] for r in item} == {"gov_population_total"}


def test_aggregates_are_the_figures_of_the_data_view(national, round_, department_admin):
    from dashboards import selectors
    body = national.get("/api/v1/aggregates/", {"fiscal_year": 2568, "item": "gov_population_total",
                                                "group_by": "district"}).json()
    scope = selectors.scope_for(department_admin, level="nation", fiscal_year=round_.fiscal_year)
    item = selectors.item_or_default(selectors.numeric_items(round_.fiscal_year), "gov_population_total")
    table = selectors.certified_values(scope, indicator=item, group_by="district", aggregate="sum")
    assert [(r["code"], r["laos"], r["total"]) for r in body["results"]] == \
        [(r.code, r.laos, f"{r.total:.4f}") for r in table.rows]
    assert body["overall"]["laos"] == table.overall.laos
    assert national.get("/api/v1/aggregates/", {"fiscal_year": 2568, "item": "nope"}).status_code == 404
    assert national.get("/api/v1/aggregates/", {"item": "gov_population_total"}).status_code == 400


def test_every_list_comes_as_csv_too(national, round_):
    for path in ("/api/v1/provinces/", "/api/v1/laos/", "/api/v1/items/", "/api/v1/values/", "/api/v1/completion/"):
        response = national.get(path, {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        header = response.content.decode("utf-8-sig").splitlines()[0]
        assert header.split(",")[0] in ("code", "id")
    by_accept = national.get("/api/v1/values/", HTTP_ACCEPT="text/csv")
    assert by_accept["Content-Type"].startswith("text/csv")


def test_pages_follow_a_stable_cursor_and_the_link_header(national, round_):
    first = national.get("/api/v1/values/", {"page_size": 10})
    assert 'rel="next"' in first["Link"]
    again = national.get("/api/v1/values/", {"page_size": 10})
    assert first.json() == again.json()
    ids = [r["id"] for r in all_pages(national, "/api/v1/values/", page_size=10)]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_conditional_requests_answer_304(national, round_):
    response = national.get("/api/v1/values/")
    assert response["ETag"] and response["Last-Modified"]
    assert national.get("/api/v1/values/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert national.get("/api/v1/values/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    assert national.get("/api/v1/values/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_each_request_is_logged_with_its_rows(national, round_):
    national.get("/api/v1/provinces/")
    national.get("/api/v1/values/", {"page_size": 7})
    usage = list(ApiUsage.objects.order_by("pk").values_list("resource", "count", "status"))
    assert usage == [("provinces", 2, 200), ("values", 7, 200)]


def test_throttling_answers_429(national, round_, settings):
    settings.API_KEY_THROTTLE_RATE = "3/minute"
    from django.core.cache import cache
    cache.clear()
    codes = [national.get("/api/v1/sectors/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = api_client(name="other")
    assert other.get("/api/v1/sectors/").status_code == 200
