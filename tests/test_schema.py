"""The OpenAPI document and the docs page."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

ACCOUNTS_PATHS = {
    "/api/auth/signup": {"post"},
    "/api/auth/login": {"post"},
    "/api/auth/refresh": {"post"},
    "/api/auth/logout": {"post"},
    "/api/auth/password": {"post"},
    "/api/user/me": {"get", "delete"},
    "/api/user/preferences": {"get", "post"},
    "/api/user/settings": {"get", "post"},
    "/api/user/profile": {"get", "post"},
    "/api/user/activity": {"post"},
    "/api/user/notification_token": {"post"},
    "/health": {"get"},
}
AUTHENTICATED = {path for path in ACCOUNTS_PATHS if path.startswith("/api/user/")} | {"/api/auth/logout", "/api/auth/password"}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_json(api):
    for response in (api.get("/api/schema/", {"format": "json"}), api.get("/api/schema/", HTTP_ACCEPT="application/json")):
        assert response.status_code == 200
        assert response["Content-Type"].startswith(("application/json", "application/vnd.oai.openapi+json"))
        assert response.json()["openapi"].startswith("3.")


def test_schema_contains_every_accounts_path_and_method(schema):
    for path, methods in ACCOUNTS_PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), (path, set(schema["paths"][path]))


def test_schema_documents_bearer_auth_on_authenticated_endpoints(schema):
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    for path in AUTHENTICATED:
        for method, operation in schema["paths"][path].items():
            assert operation["security"] == [{"jwtAuth": []}], (method, path)
    for path in ("/api/auth/signup", "/api/auth/login", "/api/auth/refresh"):
        assert schema["paths"][path]["post"]["security"] == [{}]


def test_schema_describes_the_user_and_recent_activity(schema):
    components = schema["components"]["schemas"]
    me_ref = schema["paths"]["/api/user/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    me = components[me_ref.rsplit("/", 1)[1]]
    assert {"id", "email", "first_name", "home_address", "preferences", "settings", "recent_activity"} <= set(me["properties"])
    assert me["properties"]["first_name"].get("nullable") is True
    activity = me["properties"]["recent_activity"]
    assert activity["type"] == "array"
    assert "$ref" in activity["items"]


def test_schema_documents_the_sign_in_and_signup_limits_as_429_with_retry_after(schema):
    for path, words in (("/api/auth/login", "failed sign-ins"), ("/api/auth/signup", "emails that have an account")):
        refused = schema["paths"][path]["post"]["responses"]["429"]
        assert words in refused["description"], refused
        assert refused["headers"]["Retry-After"]["schema"] == {"type": "integer"}


def test_spectacular_validate_fail_on_warn_is_clean(tmp_path):
    """The whole project's schema: every app's views must generate without a warning."""
    target = tmp_path / "openapi.yaml"
    GENERATOR_STATS.reset()  # warnings are remembered per process; count this run's only

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert target.read_text().startswith("openapi: 3.")


def test_no_schema_warning_comes_from_accounts_or_the_project_package(tmp_path):
    """The same, for this code only, so a warning elsewhere does not hide one here."""
    GENERATOR_STATS.reset()

    call_command("spectacular", "--validate", "--file", str(tmp_path / "openapi.yaml"))

    ours = [str(settings.BASE_DIR / "accounts"), str(settings.BASE_DIR / "violetvibes")]
    problems = [msg for msg in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache] if any(p in msg for p in ours)]
    GENERATOR_STATS.reset()
    assert not problems, problems


def test_docs_page_uses_only_local_static_assets(api):
    response = api.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html[:500]
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file of the project"
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", html.split("<script>", 1)[0])
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in html
    assert "/api/schema/" in html


# --- What the schema says beyond the happy path --------------------------------------------------
def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _query_parameters(operation: dict) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def _is_paginated(operation: dict) -> bool:
    return "page" in _query_parameters(operation)


def test_every_client_error_is_documented_with_the_error_body(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "code", "request_id"}
    assert error["properties"]["fields"]["additionalProperties"]["type"] == "array"
    for path, method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_operations_that_need_a_signed_in_user_document_401(schema):
    for path, method, operation in _operations(schema):
        if {} not in operation["security"]:
            assert "401" in operation["responses"], (method, path)
    # Open to everyone, and no credentials are checked: never a 401.
    assert "401" not in schema["paths"]["/api/auth/signup"]["post"]["responses"]
    assert "401" not in schema["paths"]["/api/v1/places/{id}/"]["get"]["responses"]
    # Wrong credentials are a 401 too.
    assert "401" in schema["paths"]["/api/auth/login"]["post"]["responses"]
    assert "401" in schema["paths"]["/api/auth/refresh"]["post"]["responses"]


def test_every_rate_limited_operation_documents_429_with_retry_after(schema):
    for path, method, operation in _operations(schema):
        if path == "/health":  # never limited: the platform probes it
            assert "429" not in operation["responses"]
            continue
        response = operation["responses"].get("429")
        assert response, (method, path)
        assert response["headers"]["Retry-After"]["schema"]["type"] == "integer", (method, path)


def test_detail_and_paginated_operations_document_404(schema):
    for path, method, operation in _operations(schema):
        if "{" in path or _is_paginated(operation):
            assert "404" in operation["responses"], (method, path)
    assert "404" not in schema["paths"]["/api/quick_recs"]["get"]["responses"]


def test_400_is_documented_exactly_where_the_operation_reads_input(schema):
    for path, method, operation in _operations(schema):
        reads_input = "requestBody" in operation or bool(set(_query_parameters(operation)) - {"page"})
        assert ("400" in operation["responses"]) == reads_input, (method, path)


def test_delete_me_documents_the_password_it_needs_and_what_it_answers(schema):
    operation = schema["paths"]["/api/user/me"]["delete"]
    body = operation["requestBody"]
    assert body["required"] is True
    ref = body["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component["required"] == ["password"]
    assert set(operation["responses"]) == {"204", "400", "401", "429"}  # never a 403: no permission beyond signing in


COORDINATE_PAIRS = {
    ("/api/quick_recs", "get"): ("latitude", "longitude"),
    ("/api/top_recommendations", "get"): ("latitude", "longitude"),
    ("/api/dashboard", "get"): ("latitude", "longitude"),
    ("/api/weather", "get"): ("lat", "lon"),
    ("/api/weather/forecast", "get"): ("lat", "lon"),
    ("/api/directions", "get"): ("origin_lat", "origin_lng"),
    ("/api/v1/places/", "get"): ("lat", "lng"),
    ("/api/v1/events/", "get"): ("lat", "lng"),
}


@pytest.mark.parametrize(("path", "method"), COORDINATE_PAIRS)
def test_paired_coordinates_say_both_or_neither_and_document_the_400(schema, path, method):
    operation = schema["paths"][path][method]
    parameters = _query_parameters(operation)
    first, second = COORDINATE_PAIRS[path, method]
    assert second in parameters[first]["description"] and "neither" in parameters[first]["description"]
    assert first in parameters[second]["description"] and "neither" in parameters[second]["description"]
    assert "400" in operation["responses"]


def test_chat_body_coordinates_say_both_or_neither(schema):
    properties = schema["components"]["schemas"]["ChatRequestRequest"]["properties"]
    assert "longitude" in properties["latitude"]["description"] and "neither" in properties["latitude"]["description"]
    assert "latitude" in properties["longitude"]["description"]


def test_categories_and_vibes_are_enums_of_the_real_constants(schema):
    from accounts.vibes import VIBES
    from places.categories import CATEGORIES, CATEGORY_ALIASES, QUICK_RECS_CATEGORIES

    quick = _query_parameters(schema["paths"]["/api/quick_recs"]["get"])
    assert quick["category"]["schema"]["enum"] == [*QUICK_RECS_CATEGORIES, *CATEGORY_ALIASES]
    browse = _query_parameters(schema["paths"]["/api/v1/places/"]["get"])
    assert browse["category"]["schema"]["enum"] == [*CATEGORIES, *CATEGORY_ALIASES]
    for path in ("/api/quick_recs", "/api/top_recommendations", "/api/v1/places/"):
        vibe = _query_parameters(schema["paths"][path]["get"])["vibe"]
        assert vibe["schema"]["enum"] == list(VIBES), path
        assert "alias" in vibe["description"]
    chat_vibe = schema["components"]["schemas"]["ChatRequestRequest"]["properties"]["vibe"]
    assert chat_vibe["nullable"] is True
    assert chat_vibe["oneOf"] == [{"$ref": "#/components/schemas/VibeEnum"}, {"$ref": "#/components/schemas/NullEnum"}]
    assert schema["components"]["schemas"]["VibeEnum"]["enum"] == list(VIBES)


def test_optional_query_parameters_may_be_sent_empty(schema):
    """`?days=` is the same as leaving `days` out (a form's unfilled field); a required one sent
    empty is a 400."""
    assert "empty" in schema["info"]["description"]
    for path, method, operation in _operations(schema):
        for name, parameter in _query_parameters(operation).items():
            assert parameter.get("allowEmptyValue", False) == (not parameter.get("required", False)), (method, path, name)


def _component(schema: dict, ref_holder: dict) -> dict:
    return schema["components"]["schemas"][ref_holder["$ref"].rsplit("/", 1)[1]]


def test_schema_documents_the_preferences_update_and_its_adjustments(schema):
    post = schema["paths"]["/api/user/preferences"]["post"]
    request = _component(schema, post["requestBody"]["content"]["application/json"]["schema"])
    assert "adjusted" not in request["properties"]
    assert "replaces" in request["properties"]["budget"]["description"]
    answer = _component(schema, post["responses"]["200"]["content"]["application/json"]["schema"])
    adjusted = answer["properties"]["adjusted"]
    assert adjusted["type"] == "object" and adjusted["additionalProperties"]["items"]["type"] == "string"
    assert "adjusted" not in answer.get("required", [])
    got = schema["paths"]["/api/user/preferences"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "adjusted" not in _component(schema, got)["properties"]


def test_schema_documents_the_calendar_check(schema):
    operation = schema["paths"]["/api/calendar/notifications/check"]["get"]
    assert operation["security"] == [{"jwtAuth": []}]
    body = _component(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    notification = _component(schema, body["properties"]["notifications"]["items"])
    assert set(notification["required"]) == {"free_time", "events"}
    free_time = _component(schema, notification["properties"]["free_time"])
    assert set(free_time["required"]) == {"start", "end", "duration_minutes"}
    event = _component(schema, notification["properties"]["events"]["items"])
    assert set(event["properties"]) == {"title", "start", "description", "location", "type"}
