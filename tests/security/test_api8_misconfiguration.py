"""OWASP API8, security misconfiguration: the production settings as they really run (a subprocess
with violetvibes.settings.production on a throw-away SQLite file, see the `production` fixture in
conftest.py and production_probe.py), CORS, and errors that never carry a traceback or an
exception's text."""

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.contract import assert_error
from tests.security.conftest import PRODUCTION_HOST as HOST
from tests.security.conftest import PRODUCTION_ORIGIN as ALLOWED_ORIGIN

SECRET_DETAIL = "secret-detail: postgres://admin:hunter2@db.internal/violetvibes"


def test_manage_check_deploy_reports_no_issues_under_production_settings(production):
    assert production["check"]["ok"], production["check"]["output"]
    assert "System check identified no issues" in production["check"]["output"], production["check"]["output"]


def test_debug_is_off_in_production(production):
    assert production["debug"] is False
    for name in ("not_found", "unknown_page"):
        answer = production[name]
        assert answer["status"] == 404
        assert answer["headers"]["content-type"].startswith("application/json"), name
        assert "Traceback" not in answer["body"] and "URLconf" not in answer["body"] and "DEBUG" not in answer["body"]


@pytest.mark.parametrize("name", ["me", "refused_signup", "chat", "not_found", "admin_login", "proxied_https"])
def test_production_responses_carry_the_security_headers(production, name):
    headers = production[name]["headers"]

    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains; preload"
    assert headers.get("cross-origin-opener-policy") == "same-origin"


def test_production_redirects_plain_http_to_https_except_the_health_check(production):
    assert production["plain_http_api"]["status"] == 301
    assert production["plain_http_api"]["headers"]["location"] == f"https://{HOST}/api/v1/places/"
    assert production["plain_http_health"]["status"] == 200
    # Behind the platform's proxy, X-Forwarded-Proto: https is trusted and served.
    assert production["proxied_https"]["status"] == 200


def test_production_builds_no_link_with_a_port_the_client_put_in_the_host(production):
    """Any port passes ALLOWED_HOSTS (Django checks the name only); production drops it from the
    host its links are built for (DJANGO_ALLOWED_HOST_PORTS, none by default)."""
    answer = production["plain_http_ported_host"]

    assert answer["status"] == 301
    assert answer["headers"]["location"] == f"https://{HOST}/api/v1/places/"


def test_production_chat_cookie_is_secure_httponly_and_samesite(production):
    cookie = production["chat"]["cookies"]["vv_chat_session"]

    assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_production_cors_answers_only_the_configured_origins(production):
    assert production["cors_allowed_origin"] == ALLOWED_ORIGIN
    assert production["cors_allowed"]["headers"].get("access-control-allow-origin") == ALLOWED_ORIGIN
    for name in ("cors_evil", "cors_evil_preflight"):
        headers = production[name]["headers"]
        assert "access-control-allow-origin" not in headers, name  # the probe lower-cases header names
        assert "access-control-allow-credentials" not in headers, name


def test_production_refuses_an_unknown_host_with_json(production):
    answer = production["bad_host"]

    assert answer["status"] == 400
    assert json.loads(answer["body"])["code"] == "bad_request"


def test_production_500_has_no_traceback_nor_exception_text(production):
    answer = production["forced_error"]

    assert answer["status"] == 500
    body = json.loads(answer["body"])
    assert body["code"] == "server_error" and set(body) == {"error", "code", "request_id"}
    for leak in ("secret-detail", "hunter2", "RuntimeError", "Traceback", 'File "'):
        assert leak not in answer["body"]


# --- In this process (test settings) -----------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://localhost:3000.evil.example", "https://app.violetvibes.app.evil.example"])
def test_an_origin_not_allowed_gets_no_cors_headers(origin):
    response = Client().get("/api/v1/places/", HTTP_ORIGIN=origin)
    preflight = Client().options("/api/auth/login", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight


@pytest.mark.django_db
def test_an_allowed_origin_gets_cors_headers_but_no_credentials():
    origin = settings.CORS_ALLOWED_ORIGINS[0]

    response = Client().get("/api/v1/places/", HTTP_ORIGIN=origin)

    assert response["Access-Control-Allow-Origin"] == origin
    assert "Access-Control-Allow-Credentials" not in response


def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError(SECRET_DETAIL)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "method", "path", "body", "signed_in"),
    [
        ("accounts.services.user_authenticate", "post", "/api/auth/login", {"email": "a@nyu.edu", "password": "whatever-1"}, False),
        ("accounts.services.user_profile_update", "post", "/api/user/profile", {"first_name": "A"}, True),
        ("chat.services.chat_message_send", "post", "/api/chat", {"message": "coffee"}, False),
        ("recommendations.lists.quick_recs", "get", "/api/quick_recs", {"category": "quick_bites"}, False),
        ("events.selectors.nyu_permitted", "get", "/api/events", {}, False),
    ],
)
def test_an_unhandled_error_is_a_bare_500_json_without_its_text(monkeypatch, settings, user, target, method, path, body, signed_in):
    settings.RATELIMIT_ENABLE = False
    module, name = target.rsplit(".", 1)
    monkeypatch.setattr(f"{module}.{name}", _explode)
    from accounts.tokens import token_pair_for

    browser = Client(raise_request_exception=False)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_pair_for(user)['token']}"} if signed_in else {}
    if method == "post":
        response = browser.post(path, json.dumps(body), content_type="application/json", **headers)
    else:
        response = browser.get(path, body, **headers)

    error = assert_error(response, 500, "server_error")
    assert set(error) == {"error", "code", "request_id"}
    text = response.content.decode()
    for leak in ("secret-detail", "hunter2", "RuntimeError", "Traceback"):
        assert leak not in text
