"""Every failure is JSON {error, code, request_id}; request ids; the access log."""

import json
import logging
import re

import pytest
from django.db import DatabaseError
from django.test import Client

from accounts import selectors, services
from tests.contract import assert_contract, assert_error
from tests.error_urls import SECRET
from violetvibes.logging import JsonFormatter

LOGIN = "/api/auth/login"
PREFERENCES = "/api/user/preferences"
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
ONE_MIB = 1024 * 1024


@pytest.fixture
def failing_client() -> Client:
    """A client that returns the 500 response instead of re-raising the view's exception."""
    return Client(REMOTE_ADDR="10.9.8.7", raise_request_exception=False)


# --- Bodies -----------------------------------------------------------------------------------------
BAD_BODIES = [
    pytest.param("{bad json", "application/json", id="malformed"),
    pytest.param('{"email": "a@nyu.edu",}', "application/json", id="trailing-comma"),
    pytest.param('{"score": NaN}', "application/json", id="nan"),
    pytest.param('["a@nyu.edu", "secret"]', "application/json", id="list"),
    pytest.param('"a string"', "application/json", id="string"),
    pytest.param("42", "application/json", id="number"),
    pytest.param("null", "application/json", id="null"),
    pytest.param('{"email": "a@nyu.edu", "password": "purple-violets-42"}', "text/plain", id="text-plain"),
    pytest.param("email=a%40nyu.edu&password=purple-violets-42", "application/x-www-form-urlencoded", id="form"),
    pytest.param("\xff\xfe{}", "application/json", id="not-utf8"),
]


@pytest.mark.parametrize(("body", "content_type"), BAD_BODIES)
def test_bad_body_on_an_anonymous_endpoint_is_400_invalid_json(api, db, body, content_type):
    response = api.post(LOGIN, data=body.encode("latin-1"), content_type=content_type)

    assert_error(response, 400, "invalid_json")
    assert_contract("POST", LOGIN, response)


@pytest.mark.parametrize(("body", "content_type"), BAD_BODIES)
def test_bad_body_on_an_authenticated_endpoint_is_400_invalid_json(auth_api, user, body, content_type):
    before = dict(user.preferences)

    response = auth_api.post(PREFERENCES, data=body.encode("latin-1"), content_type=content_type)

    assert_error(response, 400, "invalid_json")
    user.refresh_from_db()
    assert user.preferences == before


def test_multipart_body_is_400_invalid_json(api, db):
    response = api.post(LOGIN, {"email": "a@nyu.edu", "password": "purple-violets-42"}, format="multipart")

    assert_error(response, 400, "invalid_json")


def test_body_over_1_mib_is_413_json(api, db):
    body = b'{"pad": "' + b"x" * ONE_MIB + b'"}'
    assert len(body) > ONE_MIB

    response = api.post(LOGIN, data=body, content_type="application/json")

    assert_error(response, 413, "payload_too_large")


def test_body_of_1_mib_plus_one_byte_is_413(auth_api, user):
    body = b"{}" + b" " * (ONE_MIB - 1)  # valid JSON (trailing whitespace), one byte over the cap
    assert len(body) == ONE_MIB + 1

    response = auth_api.post(PREFERENCES, data=body, content_type="application/json")

    assert_error(response, 413, "payload_too_large")


def test_body_of_exactly_1_mib_is_accepted(api, db):
    prefix, suffix = b'{"email": "nobody@nyu.edu", "password": "purple-violets-42", "pad": "', b'"}'
    body = prefix + b"x" * (ONE_MIB - len(prefix) - len(suffix)) + suffix
    assert len(body) == ONE_MIB

    response = api.post(LOGIN, data=body, content_type="application/json")

    assert_error(response, 401, "invalid_credentials")


# --- Django's own errors ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/nope"), ("get", "/api/nope"), ("post", "/api/nope"), ("get", "/api/auth/signup/"), ("get", "/api/user/me/extra")],
)
def test_unknown_path_is_404_json(api, db, method, path):
    response = getattr(api, method)(path)

    assert_error(response, 404, "not_found")
    assert_contract(method, path, response)


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", LOGIN), ("put", "/api/auth/signup"), ("delete", "/health"), ("patch", "/api/auth/refresh")],
)
def test_wrong_method_is_405_json(api, db, method, path):
    response = getattr(api, method)(path)

    assert_error(response, 405, "method_not_allowed")


def test_wrong_method_on_an_authenticated_endpoint_is_405_json(auth_api):
    assert_error(auth_api.put(PREFERENCES, {}, format="json"), 405, "method_not_allowed")


# --- Hosts: /health answers the platform's probe at the container's IP; any other unknown Host is a 400 --
SERVED_HOST = "api.violetvibes.app"
PROBE_HOST = "10.244.3.17:8080"  # App Platform probes each container at its own address


@pytest.mark.parametrize("ssl_redirect", [False, True], ids=["http", "https-redirect"])
def test_health_answers_the_platform_probe_whatever_host_it_sends(api, db, settings, caplog, ssl_redirect):
    settings.ALLOWED_HOSTS = [SERVED_HOST]
    settings.SECURE_SSL_REDIRECT = ssl_redirect
    settings.SECURE_REDIRECT_EXEMPT = [r"^health$"]

    with caplog.at_level(logging.INFO):
        response = api.get("/health", HTTP_HOST=PROBE_HOST)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "connected", "redis": response.json()["redis"]}
    assert REQUEST_ID.fullmatch(response["X-Request-ID"])
    assert [record.levelname for record in caplog.records if record.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("path", ["/api/v1/places/", "/api/auth/login", "/nope", "/admin/login/", "/health/", "/"])
@pytest.mark.parametrize("ssl_redirect", [False, True], ids=["http", "https-redirect"])
def test_an_unknown_host_is_a_400_json_error_logged_as_one_warning_without_a_traceback(api, db, settings, caplog, path, ssl_redirect):
    settings.ALLOWED_HOSTS = [SERVED_HOST]
    settings.SECURE_SSL_REDIRECT = ssl_redirect

    with caplog.at_level(logging.INFO):
        response = api.get(path, HTTP_HOST="evil.example.com")

    assert_error(response, 400, "bad_request")
    assert REQUEST_ID.fullmatch(response["X-Request-ID"])
    problems = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [(record.name, record.levelname, record.exc_info, record.exc_text) for record in problems] == [
        ("django.security.DisallowedHost", "WARNING", None, None)
    ]
    assert "evil.example.com" in problems[0].getMessage()


def test_the_health_probe_of_an_allowed_host_goes_through_every_middleware(api, db, settings):
    settings.ALLOWED_HOSTS = [SERVED_HOST]

    response = api.get("/health", HTTP_HOST=SERVED_HOST)

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware's header


# --- Unhandled exceptions ------------------------------------------------------------------------------
@pytest.mark.parametrize("error", [RuntimeError(SECRET), DatabaseError(SECRET)])
def test_unhandled_exception_in_an_api_view_is_500_json_without_details(api, user, password, monkeypatch, caplog, error):
    def fail(**kwargs: object) -> None:
        raise error

    monkeypatch.setattr(services, "user_authenticate", fail)

    response = api.post(LOGIN, {"email": user.email, "password": password}, format="json")

    body = assert_error(response, 500, "server_error")
    assert_contract("POST", LOGIN, response)
    assert "hunter2" not in response.content.decode()
    assert "secret detail" not in response.content.decode()
    assert body["error"] == "Something went wrong on our side. Please try again."
    # Logged, with the traceback, under the request id.
    (logged,) = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert logged.exc_info and logged.exc_info[1] is error
    assert logged.request_id == response["X-Request-ID"]


def test_unhandled_exception_in_an_authenticated_view_is_500_json(auth_api, monkeypatch):
    def fail(**kwargs: object) -> None:
        raise DatabaseError(SECRET)

    monkeypatch.setattr(selectors, "activity_recent", fail)

    response = auth_api.get("/api/user/me")

    assert_error(response, 500, "server_error")
    assert "hunter2" not in response.content.decode()


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize("path", ["/test/django-boom", "/test/api-boom"])
def test_unhandled_exception_anywhere_is_500_json_logged_with_the_request_id(failing_client, db, caplog, path):
    response = failing_client.get(path, HTTP_X_REQUEST_ID="boom-request-0001")

    body = assert_error(response, 500, "server_error")
    assert body["request_id"] == "boom-request-0001"
    assert "hunter2" not in response.content.decode()
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors, "the unhandled exception must be logged"
    assert all(record.request_id == "boom-request-0001" for record in errors)
    assert any(record.exc_info and SECRET in str(record.exc_info[1]) for record in errors)


# --- X-Request-ID ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("request_id", ["abcdefgh", "a" * 64, "550e8400-e29b-41d4-a716-446655440000", "Req-ID-42-xyz"])
def test_well_formed_request_id_is_kept_and_echoed(api, db, request_id):
    response = api.get("/health", HTTP_X_REQUEST_ID=request_id)

    assert response["X-Request-ID"] == request_id


@pytest.mark.parametrize(
    "request_id", ["bad id!", "x" * 65, "short", "", "abcdefgh\n", "abcdefgh\r\nSet-Cookie: a=b", "ab_cdefgh", "abcdéfgh"]
)
def test_malformed_request_id_is_replaced_by_a_generated_one(api, db, request_id):
    response = api.get("/nope", HTTP_X_REQUEST_ID=request_id)

    generated = response["X-Request-ID"]
    assert generated != request_id
    assert REQUEST_ID.fullmatch(generated)
    assert assert_error(response, 404)["request_id"] == generated


def test_request_id_is_generated_when_absent_and_differs_per_request(api, db):
    first, second = api.get("/health")["X-Request-ID"], api.get("/health")["X-Request-ID"]

    assert REQUEST_ID.fullmatch(first) and REQUEST_ID.fullmatch(second)
    assert first != second


def test_request_id_is_on_413_responses(api, db):
    response = api.post(LOGIN, data=b"{" + b" " * ONE_MIB + b"}", content_type="application/json", HTTP_X_REQUEST_ID="big-body-0001")

    assert assert_error(response, 413)["request_id"] == "big-body-0001"


# --- Logs ------------------------------------------------------------------------------------------------
def _access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "violetvibes.access"]


def test_every_log_line_carries_the_request_id(api, user, password, monkeypatch, caplog):
    caplog.set_level(logging.INFO)

    def fail(**kwargs: object) -> None:
        logging.getLogger("accounts.services").warning("about to fail")
        raise RuntimeError(SECRET)

    monkeypatch.setattr(services, "user_authenticate", fail)

    api.post(LOGIN, {"email": user.email, "password": password}, format="json", HTTP_X_REQUEST_ID="trace-0001-abcd")

    assert {record.name for record in caplog.records} >= {"accounts.services", "violetvibes.errors", "violetvibes.access"}
    for record in caplog.records:
        assert record.request_id == "trace-0001-abcd", record.getMessage()
        assert json.loads(JsonFormatter().format(record))["request_id"] == "trace-0001-abcd"


def test_access_log_line_has_method_path_status_duration_and_user(auth_api, user, caplog):
    caplog.set_level(logging.INFO)

    response = auth_api.get("/api/user/me?debug=1")

    (record,) = _access_records(caplog)
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/api/user/me", 200, user.pk)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]
    line = json.loads(JsonFormatter().format(record))
    assert {"method", "path", "status", "duration_ms", "user_id", "request_id", "level", "timestamp"} <= set(line)


@pytest.mark.parametrize(("path", "status"), [("/nope", 404), (LOGIN, 405)])
def test_access_log_line_is_written_for_errors_too(api, db, caplog, path, status):
    caplog.set_level(logging.INFO)

    api.get(path)

    (record,) = _access_records(caplog)
    assert (record.path, record.status, record.user_id) == (path, status, None)


def test_logs_never_contain_the_password_email_or_tokens_of_a_login(api, user, password, caplog):
    caplog.set_level(logging.DEBUG)

    ok = api.post(LOGIN, {"email": user.email, "password": password}, format="json")
    bad = api.post(LOGIN, {"email": user.email, "password": "wrong-" + password}, format="json")

    assert ok.status_code == 200 and bad.status_code == 401
    secrets = [password, user.email, ok.json()["token"], ok.json()["refresh_token"], user.email.split("@")[0]]
    assert len(_access_records(caplog)) == 2
    text_format = logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    for record in caplog.records:
        rendered = JsonFormatter().format(record) + text_format.format(record)
        for secret in secrets:
            assert secret not in rendered, f"{secret!r} leaked into the log: {rendered}"
