"""The dashboards, the data view and their downloads read from a real PostgreSQL streaming replica.

The round is written on the primary and committed (transactional tests), the test waits until the replica
has replayed it, then each page is fetched twice: reading the replica and reading the primary. The page must
be the same, its report queries must have gone to the replica, and the user and the session to the primary.
Without CI these tests skip when DATABASE_REPLICA_URL is not set; with CI set, they fail.
"""

import csv
import io
import logging
import re
import time
from datetime import datetime

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from openpyxl import load_workbook

from info_portal import db_router
from organizations.models import Province
from tests.conftest import in_ci

REPLAY_TIMEOUT_SECONDS = 30
DATABASES = [DEFAULT_DB_ALIAS, db_router.REPLICA] if db_router.REPLICA in settings.DATABASES else [DEFAULT_DB_ALIAS]
pytestmark = [pytest.mark.replica, pytest.mark.django_db(transaction=True, databases=DATABASES)]

PAGES = [
    "/dash/nation/", "/dash/province/30/", "/dash/district/3008/",
    "/dash/nation/laggards/", "/dash/province/30/laggards/", "/dash/district/3008/laggards/",
    "/dash/province/30/laggards.xlsx", "/dash/province/30/laggards.pdf", "/dash/nation/laggards.xlsx",
    "/dash/province/30/values/?item=gov_population_total&by=district",
    "/dash/nation/values.csv?item=gov_households&by=lao_type&agg=avg",
    "/dash/district/3008/values.xlsx",
]


def missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"CI is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime(2025, 6, 12).date())


@pytest.fixture
def replica():
    """The replica's connection, checked to be a PostgreSQL standby that answers."""
    if db_router.REPLICA not in settings.DATABASES:
        missing("DATABASE_REPLICA_URL is not set (there is no streaming replica to read from)")
    connection = connections[db_router.REPLICA]
    if connection.vendor != "postgresql":
        missing(f"the replica is {connection.vendor}, not a PostgreSQL standby")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            (in_recovery,) = cursor.fetchone()
    except OperationalError as error:
        missing(f"the replica of DATABASE_REPLICA_URL does not answer: {error}")
    if not in_recovery:
        missing("DATABASE_REPLICA_URL names a server that is not a standby (pg_is_in_recovery() is false)")
    db_router.reset_health()
    yield connection
    db_router.reset_health()


def replayed(replica) -> float:
    """Wait until the replica has replayed everything the primary has written; the seconds it took."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    started = time.monotonic()
    while True:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return time.monotonic() - started
        if time.monotonic() - started > REPLAY_TIMEOUT_SECONDS:
            pytest.fail(f"the replica has not replayed {lsn} within {REPLAY_TIMEOUT_SECONDS}s", pytrace=False)
        time.sleep(0.01)


def comparable(response) -> object:
    """What the user sees in a page or download, without what differs on every request by design."""
    content_type = response["Content-Type"]
    if content_type.startswith("text/html"):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    if content_type.startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    if content_type == "application/pdf":
        # The creation time, and the file identifier derived from it.
        return re.sub(rb"/CreationDate \(D:[^)]*\)|/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", response.content)
    book = load_workbook(io.BytesIO(response.content))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def fetch(client, url, replica):
    """The response and the SQL each database received while serving it."""
    sent = {DEFAULT_DB_ALIAS: [], db_router.REPLICA: []}

    def recorder(alias):
        def record(execute, sql, params, many, context):
            sent[alias].append(sql)
            return execute(sql, params, many, context)
        return record

    with connections[DEFAULT_DB_ALIAS].execute_wrapper(recorder(DEFAULT_DB_ALIAS)), \
            replica.execute_wrapper(recorder(db_router.REPLICA)):
        response = client.get(url)
    assert response.status_code == 200, url
    return response, sent[DEFAULT_DB_ALIAS], sent[db_router.REPLICA]


def fetch_from_primary(client, url, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(db_router, "replica_configured", lambda: False)
        response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_each_page_reads_its_reports_from_the_replica_and_shows_what_the_primary_holds(
        replica, round_, client, department_admin, monkeypatch):
    client.force_login(department_admin)
    replayed(replica)

    for url in PAGES:  # one round for every page: writing it is most of the time
        response, primary_sql, replica_sql = fetch(client, url, replica)

        assert any('"sectors_sectorreport"' in sql for sql in replica_sql), url
        assert not any('"sectors_sectorreport"' in sql for sql in primary_sql), url
        assert any('"accounts_user"' in sql for sql in primary_sql), url  # who is signed in: the primary
        assert not any('"accounts_user"' in sql or '"django_session"' in sql for sql in replica_sql), url
        assert comparable(response) == comparable(fetch_from_primary(client, url, monkeypatch)), url


def test_a_change_on_the_primary_shows_on_the_replica_dashboard_once_replayed(
        replica, round_, client, department_admin, world):
    client.force_login(department_admin)
    replayed(replica)
    before, _primary, _replica = fetch(client, "/dash/nation/", replica)
    assert "ขอนแก่น" in before.content.decode() and "จังหวัดขอนแก่นใหม่" not in before.content.decode()

    Province.objects.filter(code="40").update(name_th="จังหวัดขอนแก่นใหม่")
    replayed(replica)

    after, _primary, replica_sql = fetch(client, "/dash/nation/", replica)
    assert "จังหวัดขอนแก่นใหม่" in after.content.decode()
    assert any('"organizations_province"' in sql for sql in replica_sql)


def test_reads_stay_on_the_primary_in_a_transaction_after_a_write_and_for_the_users_own_state(replica, world):
    router = db_router.ReplicaRouter()
    from accounts.models import User
    from sectors.models import SectorReport

    assert router.db_for_read(SectorReport) == DEFAULT_DB_ALIAS  # outside a read-only page
    with db_router.reading_from_replica():
        assert router.db_for_read(SectorReport) == db_router.REPLICA
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(SectorReport) == DEFAULT_DB_ALIAS
        assert router.db_for_read(SectorReport) == db_router.REPLICA
        Province.objects.create(code="51", name_th="ลำพูน", name_en="Lamphun")
        assert router.db_for_read(SectorReport) == DEFAULT_DB_ALIAS
    assert router.db_for_write(SectorReport) == DEFAULT_DB_ALIAS


def test_an_unreachable_replica_sends_the_reads_to_the_primary_with_a_warning(
        replica, round_, client, department_admin, caplog, monkeypatch):
    client.force_login(department_admin)
    replica.close()
    monkeypatch.setitem(replica.settings_dict, "PORT", "1")  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="info_portal.db_router"):
        response, primary_sql, replica_sql = fetch(client, "/dash/province/30/", replica)
        again, _primary, replica_again = fetch(client, "/dash/province/30/", replica)

    assert any('"sectors_sectorreport"' in sql for sql in primary_sql)
    assert replica_sql == [] and replica_again == []  # given up on for a while: not asked on every page
    assert comparable(response) == comparable(again)
    warnings = [r.message for r in caplog.records if r.name == "info_portal.db_router"]
    assert len(warnings) == 1 and "does not answer" in warnings[0]
    replica.close()


def test_a_replica_that_fails_during_a_page_serves_it_from_the_primary(
        replica, round_, client, department_admin, caplog, monkeypatch):
    client.force_login(department_admin)
    replayed(replica)
    expected = comparable(fetch_from_primary(client, "/dash/province/30/", monkeypatch))

    def lose_the_connection(execute, sql, params, many, context):
        if '"sectors_sectorreport"' in sql:
            replica.connection.close()  # as if the replica's server went away mid-page
        return execute(sql, params, many, context)

    with caplog.at_level(logging.WARNING, logger="info_portal.db_router"), \
            replica.execute_wrapper(lose_the_connection):
        response = client.get("/dash/province/30/")

    assert response.status_code == 200
    assert comparable(response) == expected
    assert [r.message for r in caplog.records if "failed during /dash/province/30/" in r.message]


def test_a_replica_further_behind_than_allowed_is_not_read(replica, round_, client, department_admin, settings,
                                                           caplog):
    client.force_login(department_admin)
    replayed(replica)
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = -1.0  # any lag, even none, is too much
    with caplog.at_level(logging.WARNING, logger="info_portal.db_router"):
        _response, primary_sql, replica_sql = fetch(client, "/dash/province/30/", replica)
    assert any('"sectors_sectorreport"' in sql for sql in primary_sql)
    assert not any('"sectors_sectorreport"' in sql for sql in replica_sql)
    assert [r.message for r in caplog.records if "behind" in r.message]
