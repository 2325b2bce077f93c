"""Open data: only the public sectors, no sign-in, small groups suppressed, CSV and Excel, a DCAT catalogue."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from opendata import services
from opendata.models import PublicSector
from sectors.models import Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance_public(round_, department_admin, settings):
    settings.OPEN_DATA_MIN_LAOS = 2
    services.public_sectors_set(sectors=[Sector.objects.get(code="governance")], actor=department_admin)


def test_the_page_is_public_and_suppresses_small_groups(governance_public):
    # governance is certified by lao_a1 and lao_a1_sao (province 30) and lao_b1 (province 40)
    response = Client().get("/open-data/", {"year": 2568, "sector": "governance", "item": "gov_population_total"})
    assert response.status_code == 200
    rows = {row.code: row for row in response.context["rows"]}
    assert rows["30"].laos == 2 and not rows["30"].suppressed
    assert rows["40"].laos == 1 and rows["40"].suppressed and rows["40"].total is None
    assert response.context["overall"].laos == 3
    assert b"CC BY 4.0" in response.content and b"catalog.jsonld" in response.content


def test_a_sector_not_public_is_nowhere(governance_public):
    client = Client()
    response = client.get("/open-data/", {"year": 2568, "sector": "water"})
    assert response.context["query"].chosen_sector.code == "governance"
    assert client.get("/open-data/2568/water.csv").status_code == 404
    assert client.get("/open-data/2568/governance.csv").status_code == 200


def test_nothing_public_until_the_department_chooses(round_):
    response = Client().get("/open-data/")
    assert response.status_code == 200 and response.context["rows"] is None
    assert json.loads(Client().get("/open-data/catalog.jsonld").content)["@graph"][0]["dcat:dataset"] == []


def test_downloads_hold_every_grouping_with_suppression(governance_public):
    text = Client().get("/open-data/2568/governance.csv").content.decode("utf-8-sig")
    lines = [line.split(",") for line in text.splitlines()]
    header, rows = lines[0], lines[1:]
    assert header[:3] == ["fiscal_year", "sector", "item"]
    population = [r for r in rows if r[2] == "gov_population_total"]
    assert {r[5] for r in population} == {"province", "district", "lao_type", "nation"}
    province_40 = next(r for r in population if r[5] == "province" and r[6] == "40")
    assert province_40[10] == "" and province_40[12] == "True"
    book = load_workbook(io.BytesIO(Client().get("/open-data/2568/governance.xlsx").content))
    assert book.active.max_row == len(rows) + 1


def test_the_catalogue_is_dcat_that_rdf_tools_read(governance_public):
    response = Client().get("/open-data/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.content, format="json-ld")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    distributions = list(graph.objects(datasets[0], DCAT.distribution))
    urls = {str(graph.value(d, DCAT.downloadURL)) for d in distributions}
    assert urls == {"http://testserver/open-data/2568/governance.csv", "http://testserver/open-data/2568/governance.xlsx"}
    assert graph.value(datasets[0], DCTERMS.license) is not None
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1


def test_only_the_department_chooses_public_sectors(round_, department_admin, provincial_officer):
    client = Client()
    client.force_login(provincial_officer)
    assert client.get("/open-data/sectors/").status_code == 404
    water = Sector.objects.get(code="water")
    assert client.post("/open-data/sectors/", {"sectors": [water.pk]}).status_code == 404
    assert not PublicSector.objects.exists()
    client.force_login(department_admin)
    assert client.post("/open-data/sectors/", {"sectors": [water.pk]}).status_code == 302
    assert list(PublicSector.objects.values_list("sector__code", flat=True)) == ["water"]
    assert client.post("/open-data/sectors/", {"sectors": ["999"]}).status_code == 200
    assert list(PublicSector.objects.values_list("sector__code", flat=True)) == ["water"]
