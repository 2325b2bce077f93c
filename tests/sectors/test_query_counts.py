"""The sector form's queries are behaviour: the page, an htmx save and a field check of the 17-item governance
sector stay within their budgets, and take the same number of queries when the sector grows to 67 items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sectors import selectors
from sectors.models import Indicator, IndicatorKind, SectorReport

GET_BUDGET, SAVE_BUDGET, CHECK_BUDGET = 7, 9, 4
HTMX = {"HTTP_HX_REQUEST": "true"}


def _queries(call, data=lambda: None) -> int:
    call(data())  # the first request after the catalogue changed reads it into memory
    sent = data()
    with CaptureQueriesContext(connection) as captured:
        response = call(sent)
    assert response.status_code == 200, response.status_code
    return len(captured)


def _filled(report: SectorReport, step: int) -> dict[str, str]:
    """Every item filled, male + female = total; `step` changes every number so each save writes every row."""
    report.refresh_from_db(fields=["version"])
    data = {"version": str(report.version), "action": "save"}
    for indicator in selectors.indicators_for(report):
        data[indicator.code] = {IndicatorKind.DECIMAL: f"1{step}.5", IndicatorKind.YES_NO: "yes",
                                IndicatorKind.TEXT: f"ข้อความ {step}"}.get(indicator.kind, str(100 + step))
        if indicator.kind == IndicatorKind.CHOICE:
            data[indicator.code] = indicator.choices[0]
    data.update({"gov_population_male": str(500 + step), "gov_population_female": str(500 + step),
                 "gov_population_total": str(1000 + 2 * step)})
    return data


def _counts(client, report) -> dict[str, int]:
    url = reverse("sectors:report", args=[report.lao_id, 2568, "governance"])
    check_url = reverse("sectors:field_check", args=[report.lao_id, 2568, "governance"])
    steps = iter(range(1, 100))

    def filled():
        return _filled(report, next(steps))

    return {
        "GET": _queries(lambda _data: client.get(url)),
        "save": _queries(lambda data: client.post(url, data, **HTMX), filled),
        "check": _queries(lambda data: client.post(check_url, data, HTTP_HX_TRIGGER_NAME="gov_villages", **HTMX),
                          filled),
    }


def _grow(fiscal_year, governance, count: int) -> None:
    Indicator.objects.bulk_create([
        Indicator(fiscal_year=fiscal_year, sector=governance, code=f"extra_item_{n:03d}", label_th=f"รายการเพิ่ม {n}",
                  kind=IndicatorKind.INTEGER, section="รายการเพิ่ม", order=1000 + n)
        for n in range(count)
    ])


@pytest.fixture(autouse=True)
def _no_idle_renewal_during_the_test(settings):
    # The once-a-minute renewal of the session's expiry is pinned in tests/accounts/test_sessions.py.
    settings.SESSION_IDLE_REFRESH_SECONDS = 24 * 3600


def test_the_sector_form_stays_within_its_query_budgets_whatever_its_size(client, recorder, fiscal_year, governance,
                                                                          report):
    client.force_login(recorder)
    assert len(selectors.indicators_for(report)) == 17
    small = _counts(client, report)
    assert small["GET"] <= GET_BUDGET and small["save"] <= SAVE_BUDGET and small["check"] <= CHECK_BUDGET, small

    _grow(fiscal_year, governance, 50)
    report.fiscal_year.refresh_from_db()
    assert len(selectors.indicators_for(report)) == 67
    assert _counts(client, report) == small


def test_the_first_save_of_new_and_changed_items_together_takes_the_same_queries(client, recorder, report):
    client.force_login(recorder)
    url = reverse("sectors:report", args=[report.lao_id, 2568, "governance"])
    some = {"version": "0", "action": "save", "gov_villages": "12", "gov_households": "300"}
    client.post(url, some, **HTMX)  # two rows exist now; the next save changes them and creates the others
    data = _filled(report, 1)
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, data, **HTMX).status_code == 200
    assert len(captured) <= SAVE_BUDGET
    assert selectors.report_values(report)["gov_population_total"] == 1002
