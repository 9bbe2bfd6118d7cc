"""Property-based requests against the OpenAPI schema: no endpoint answers 5xx, and every
response is one the schema documents: its status, its content type and its body. Bounded to keep
`make test` fast."""


import json
from collections.abc import Callable
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import token_pair_for
from tests.factories import UserFactory

MAX_EXAMPLES = 12


def _payload(name: str) -> object:
    return json.loads((Path(__file__).parent / "payloads" / name).read_text())


@pytest.fixture
def api_schema(db):
    call_command("load_place_catalog", verbosity=0)
    # Calling the WSGI app directly fires request_started/finished, which would close the test's
    # database connection mid-transaction; Django's own test client unhooks the same handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def providers(fake_http) -> dict[str, object]:
    """Every provider configured against a local fake, so weather and Google paths are exercised
    too (unconfigured weather is a documented 503)."""
    fake_http.script("/v1/places:searchNearby", (200, _payload("google_places_nearby.json")))
    fake_http.script("/v1/places:searchText", (200, _payload("google_places_nearby.json")))  # same shape
    fake_http.script("/distanceMatrix/v2:computeRouteMatrix", (200, _payload("google_routes_matrix.json")))
    fake_http.script("/directions/v2:computeRoutes", (200, _payload("google_routes_route.json")))
    fake_http.script("/data/2.5/weather", (200, _payload("openweather_current.json")))
    fake_http.script("/data/2.5/forecast", (200, _payload("openweather_forecast.json")))
    return {
        "RATELIMIT_ENABLE": False,
        "GOOGLE_API_KEY": "fuzz-key",
        "OPENWEATHER_KEY": "fuzz-key",
        "GOOGLE_PLACES_BASE_URL": fake_http.url,
        "GOOGLE_ROUTES_BASE_URL": fake_http.url,
        "OPENWEATHER_BASE_URL": fake_http.url,
    }


@pytest.fixture
def bearer(db) -> Callable[[], dict[str, str]]:
    """A new token for each call: a fuzzed logout-all or password change revokes the ones before."""
    user = UserFactory()
    return lambda: {"Authorization": f"Bearer {token_pair_for(user)['token']}"}


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_responses_are_the_documented_ones(case, bearer, providers):
    # DELETE /api/user/me is fuzzed too: it needs the user's password, which no generated one is.
    # Overridden per call: schemathesis runs each operation as a subtest, after function-scoped
    # fixtures that changed settings have already been undone.
    with override_settings(**providers):
        response = case.call(headers=bearer())
    case.validate_response(response, checks=CHECKS)
