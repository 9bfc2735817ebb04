"""Every operation of /api/schema/ fuzzed by schemathesis through the WSGI app.

Asserts no 5xx and that responses conform to the schema. CI runs a bounded number of
examples per operation (a few thousand requests in all); set FUZZ_EXAMPLES for a
longer manual run, e.g. `FUZZ_EXAMPLES=500 pytest tests/security/test_schema_fuzz.py`.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from redbook.wsgi import application
from tests.conftest import client_for
from tests.factories import BrandFactory, UserFactory

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The real WSGI app closes "old" connections around each request, which would
    close the test's transaction; Django's own test client disconnects this too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth_header(db):
    """A signed-in shopper with a little world around them, so ids sometimes resolve."""
    user = UserFactory(username="fuzzer")
    UserFactory(username="someone")
    BrandFactory(username="somebrand")
    token = client_for(user)._credentials["HTTP_AUTHORIZATION"]
    return {"Authorization": token}


schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every CI run; FUZZ_EXAMPLES explores further
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_responses_match_the_schema(case, auth_header):
    response = case.call(headers=auth_header)

    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
