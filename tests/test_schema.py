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
    "/": {"get"},
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
