"""The DCAT catalogue of the open datasets in JSON-LD, as ckanext-dcat harvests it (dcat_rdf_harvester): one
dcat:Dataset per fiscal year and public sector, each with its CSV and Excel distributions."""

from django.conf import settings
from django.urls import reverse

from opendata.selectors import last_certified_at
from sectors.models import FiscalYear, Sector

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
MEDIA = {"csv": ("CSV", "text/csv"),
         "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime" if hasattr(value, "hour") else "xsd:date"}


def _publisher() -> dict:
    return {"@id": settings.SITE_URL.rstrip("/") + "/#publisher", "@type": "foaf:Organization",
            "foaf:name": settings.OPEN_DATA_PUBLISHER}


def _dataset(absolute, fiscal_year: FiscalYear, sector: Sector) -> dict:
    page = absolute(reverse("opendata:index") + f"?year={fiscal_year.be_year}&sector={sector.code}")
    distributions = []
    for extension, (name, media_type) in MEDIA.items():
        url = absolute(reverse(f"opendata:dataset_{extension}", args=[fiscal_year.be_year, sector.code]))
        distributions.append({
            "@id": url, "@type": "dcat:Distribution", "dct:title": f"{sector.name_th} {fiscal_year} ({name})",
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url}, "dct:format": name,
            "dcat:mediaType": media_type, "dct:license": {"@id": settings.OPEN_DATA_LICENCE_URL},
        })
    changed = last_certified_at(fiscal_year)
    dates = fiscal_year.dates
    dataset = {
        "@id": page, "@type": "dcat:Dataset",
        "dct:identifier": f"info-{fiscal_year.be_year}-{sector.code}",
        "dct:title": [{"@value": f"{sector.name_th} {fiscal_year}", "@language": "th"},
                      {"@value": f"{sector.name_en}, fiscal year {fiscal_year.be_year} B.E.", "@language": "en"}],
        "dct:description": [
            {"@value": f"ผลรวม ค่าเฉลี่ย และจำนวน อปท. ของข้อมูลที่รับรองแล้ว ด้าน{sector.name_th} {fiscal_year} "
                       "แยกตามจังหวัด อำเภอ และประเภท อปท.", "@language": "th"},
            {"@value": f"Sums, means and counts of LAOs' certified data, {sector.name_en}, by province, district "
                       "and LAO type.", "@language": "en"}],
        "dcat:keyword": ["อปท.", sector.name_th, "LAO", sector.name_en],
        "dct:publisher": {"@id": _publisher()["@id"]},
        "dct:license": {"@id": settings.OPEN_DATA_LICENCE_URL},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/THA"},
        "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(dates.start),
                         "dcat:endDate": _date(dates.end)},
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": distributions,
    }
    if changed is not None:
        dataset["dct:modified"] = _date(changed)
    if settings.OPEN_DATA_CONTACT_EMAIL:
        dataset["dcat:contactPoint"] = {"@type": "vcard:Organization", "vcard:fn": settings.OPEN_DATA_PUBLISHER,
                                        "vcard:hasEmail": {"@id": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"}}
    return dataset


def catalog(absolute, datasets: list[tuple[FiscalYear, Sector]]) -> dict:
    """`absolute` turns a path into a full URL; `datasets` are the (fiscal year, public sector) pairs."""
    home = absolute(reverse("opendata:index"))
    return {
        "@context": CONTEXT,
        "@graph": [
            {"@id": home + "#catalog", "@type": "dcat:Catalog",
             "dct:title": [{"@value": "ข้อมูลเปิด ระบบข้อมูลกลาง อปท.", "@language": "th"},
                           {"@value": "INFO portal open data", "@language": "en"}],
             "dct:description": "Certified aggregates of Thailand's Local Administrative Organizations",
             "foaf:homepage": {"@id": home},
             "dct:publisher": {"@id": _publisher()["@id"]},
             "dct:license": {"@id": settings.OPEN_DATA_LICENCE_URL},
             "dcat:dataset": [_dataset(absolute, year, sector) for year, sector in datasets]},
            _publisher(),
        ],
    }
