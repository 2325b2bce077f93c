"""schemathesis against the generated schema, on a live server with a real key: every operation, a few generated
requests each (kept small so CI stays fast). No answer is a server error, every answer's status, content type,
headers and body conform to the schema, and with the key ignored (ignored_auth) the API answers 401."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import services

MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, ignored_auth]


@pytest.mark.django_db(transaction=True)
def test_every_operation_conforms_to_its_schema(live_server, round_, settings):
    settings.API_KEY_THROTTLE_RATE = "100000/minute"
    _key, raw = services.key_create(name="contract", province=None, expires_at=None, actor=None)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    headers = {"Authorization": f"Api-Key {raw}"}
    statuses: dict[str, set[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13

    def check(operation) -> None:
        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))
        def conforms(case):
            response = case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)
            statuses.setdefault(operation.label, set()).add(response.status_code)

        conforms()

    for operation in operations:
        check(operation)

    assert set(statuses) == {operation.label for operation in operations}
    assert all(codes <= {200, 304, 400, 401, 404, 429} for codes in statuses.values()), statuses
