"""Infrastructure going away mid-traffic.

The database: every request answers 503 JSON with Retry-After, never 500.

`database_down` makes every SQL statement fail the way psycopg does when PostgreSQL is stopped
(django.db.OperationalError), wherever it is run: in a view, in the JWT user lookup, in the
session lookup of Django's middleware, in /health.

Redis: a hung Redis costs one timeout per retry window, not one per request; what was written
during an outage (to the per-process fallback) is not contradicted by Redis's older values after it.
"""

import json
import logging
import socket
import time

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from accounts import services
from tests.contract import assert_contract, assert_error
from violetvibes import errors

DOWN = 'connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused (password=hunter2)'


@pytest.fixture
def database_down(db) -> None:
    """Every query fails as with PostgreSQL stopped; undone before `db` rolls the test back."""

    def fail(self: CursorWrapper, *args: object, **kwargs: object) -> None:
        raise OperationalError(DOWN)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", fail)
        patch.setattr(CursorWrapper, "executemany", fail)
        yield


@pytest.fixture
def failing_client() -> Client:
    """A client that returns the handler's response instead of re-raising the exception."""
    return Client(REMOTE_ADDR="10.9.8.7", raise_request_exception=False)


def assert_unavailable(response: object) -> dict:
    body = assert_error(response, 503, "service_unavailable")
    assert int(response["Retry-After"]) >= 1
    # Neither the password nor the port of the database URL leaks (the request id, random hex,
    # is left out: it contains "5432" about once in 2,000 responses).
    text = json.dumps({key: value for key, value in body.items() if key != "request_id"})
    assert "hunter2" not in text and "5432" not in text
    return body


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record for record in caplog.records if record.name == "violetvibes.errors" and record.levelno == logging.WARNING
    ]


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("error", [OperationalError(DOWN), InterfaceError("connection already closed")])
def test_database_error_in_an_api_view_is_503_with_retry_after(api, user, password, monkeypatch, caplog, error):
    def fail(**kwargs: object) -> None:
        raise error

    monkeypatch.setattr(services, "user_authenticate", fail)

    response = api.post("/api/auth/login", {"email": user.email, "password": password}, format="json")

    assert_unavailable(response)
    assert_contract("POST", "/api/auth/login", response)
    assert not _errors(caplog), "a database outage is not a bug: no ERROR with a traceback"
    (warning,) = _warnings(caplog)
    assert warning.request_id == response["X-Request-ID"]
    assert "hunter2" not in warning.getMessage()


def test_signup_while_the_database_is_down_is_503(api, database_down):
    response = api.post("/api/auth/signup", {"email": "down@nyu.edu", "password": "purple-violets-42"}, format="json")

    assert_unavailable(response)


def test_a_signup_cut_off_before_its_tokens_leaves_no_account_behind(api, db):
    # The database goes away between the account's INSERT and its refresh token's: the answer is
    # 503, so the account must not exist either (else the retry gets email_taken for an account
    # its owner was told was not created).
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    from accounts.models import User

    def fail(**kwargs: object) -> None:
        raise OperationalError(DOWN)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OutstandingToken.objects, "create", fail)
        response = api.post("/api/auth/signup", {"email": "cut@nyu.edu", "password": "purple-violets-42"}, format="json")

    assert_unavailable(response)
    assert not User.objects.filter(email="cut@nyu.edu").exists()
    retry = api.post("/api/auth/signup", {"email": "cut@nyu.edu", "password": "purple-violets-42"}, format="json")
    assert retry.status_code == 201, retry.content


def test_token_user_lookup_while_the_database_is_down_is_503_not_401(tokens, make_client, database_down):
    client = make_client(tokens["token"])

    response = client.get("/api/user/me")

    assert_unavailable(response)


def test_optional_token_lookup_while_the_database_is_down_is_503_not_anonymous(tokens, make_client, database_down):
    client = make_client(tokens["token"])

    response = client.post("/api/chat", {"message": "where can I get coffee?"}, format="json")

    assert_unavailable(response)


def test_database_down_in_django_middleware_is_503_json_with_the_request_id(failing_client, database_down):
    # The admin reads the user from the session (a query) in Django's own code, outside DRF.
    failing_client.cookies["sessionid"] = "a" * 32

    response = failing_client.get("/admin/", HTTP_X_REQUEST_ID="outage-request-01")

    body = assert_unavailable(response)
    assert body["request_id"] == "outage-request-01"


def test_access_log_never_queries_the_session_so_a_404_stays_a_404(failing_client, database_down, caplog):
    caplog.set_level(logging.INFO)
    failing_client.cookies["sessionid"] = "a" * 32

    response = failing_client.get("/nope", HTTP_X_REQUEST_ID="outage-request-02")

    assert assert_error(response, 404, "not_found")["request_id"] == "outage-request-02"
    (access,) = [record for record in caplog.records if record.name == "violetvibes.access"]
    assert (access.status, access.user_id) == (404, None)


def test_health_while_the_database_is_down_is_503_with_retry_after(api, database_down, settings):
    settings.REDIS_URL = ""

    response = api.get("/health")

    body = assert_unavailable(response)
    assert body["database"] == "disconnected"


def test_an_outage_is_logged_once_as_a_warning_not_per_request(api, database_down, caplog):
    for _ in range(3):
        assert_unavailable(
            api.post("/api/auth/login", {"email": "a@nyu.edu", "password": "purple-violets-42"}, format="json")
        )

    assert len(_warnings(caplog)) == 1
    assert not _errors(caplog)


def test_a_programming_error_is_still_a_500(api, user, password, monkeypatch):
    from django.db import ProgrammingError

    def fail(**kwargs: object) -> None:
        raise ProgrammingError('relation "accounts_user" does not exist')

    monkeypatch.setattr(services, "user_authenticate", fail)

    response = api.post("/api/auth/login", {"email": user.email, "password": password}, format="json")

    assert_error(response, 500, "server_error")


class _ServerError(Exception):
    """What psycopg2 raises for an error PostgreSQL reported, with its SQLSTATE in `pgcode`."""

    def __init__(self, message: str, pgcode: str | None) -> None:
        super().__init__(message)
        self.pgcode = pgcode


def _wrapped(message: str, cause: BaseException) -> OperationalError:
    """The error as Django raises it: its own class, the driver's error as the cause."""
    error = OperationalError(message)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(DOWN, _ServerError(DOWN, None)),  # connection refused: no SQLSTATE (the live fault run)
        _wrapped("server closed the connection unexpectedly", _ServerError("closed", "08006")),
        _wrapped("terminating connection due to administrator command", _ServerError("admin", "57P01")),
        _wrapped("the database system is starting up", _ServerError("starting", "57P03")),
    ],
    ids=["refused", "connection-failure", "admin-shutdown", "cannot-connect-now"],
)
def test_a_lost_or_refused_connection_is_an_outage(api, user, password, monkeypatch, caplog, error):
    def fail(**kwargs: object) -> None:
        raise error

    monkeypatch.setattr(services, "user_authenticate", fail)

    response = api.post("/api/auth/login", {"email": user.email, "password": password}, format="json")

    assert_unavailable(response)
    assert len(_warnings(caplog)) == 1
    assert not _errors(caplog)


def _sqlite_locked() -> BaseException:
    import sqlite3

    return sqlite3.OperationalError("database is locked")


@pytest.mark.parametrize(
    "error",
    [
        _wrapped("deadlock detected", _ServerError("deadlock detected", "40P01")),
        _wrapped("canceling statement due to statement timeout", _ServerError("timeout", "57014")),
        _wrapped("could not serialize access", _ServerError("serialization", "40001")),
        _wrapped("canceling statement due to lock timeout", _ServerError("lock timeout", "55P03")),
        _wrapped("database is locked", _sqlite_locked()),
    ],
    ids=["deadlock", "statement-timeout", "serialization-failure", "lock-timeout", "sqlite-locked"],
)
def test_an_operational_error_of_a_working_database_is_a_logged_500_not_an_outage(
    api, user, password, monkeypatch, caplog, error
):
    def fail(**kwargs: object) -> None:
        raise error

    monkeypatch.setattr(services, "user_authenticate", fail)

    response = api.post("/api/auth/login", {"email": user.email, "password": password}, format="json")

    assert_error(response, 500, "server_error")
    assert not _warnings(caplog), "a bug must not be hidden as an outage"
    (logged,) = _errors(caplog)
    assert logged.exc_info is not None, "logged with its traceback"


def test_an_operational_error_outside_drf_is_a_logged_500_too(failing_client, db, monkeypatch, caplog):
    # Django's own code (the admin's session lookup), answered by errors.server_error.
    def fail(self: CursorWrapper, *args: object, **kwargs: object) -> None:
        raise _wrapped("deadlock detected", _ServerError("deadlock detected", "40P01"))

    failing_client.cookies["sessionid"] = "a" * 32
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", fail)
        response = failing_client.get("/admin/")

    assert_error(response, 500, "server_error")
    assert "Retry-After" not in response
    assert not _warnings(caplog)


@pytest.mark.postgres
def test_a_real_statement_timeout_is_a_500(db):
    from django.db import connection, transaction

    with pytest.raises(OperationalError) as raised, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")

    assert raised.value.__cause__.pgcode == "57014"
    assert not errors.is_database_unavailable(raised.value)


# --- Redis: hung, and back after an outage ---------------------------------------------------------------
def test_a_hung_redis_costs_one_timeout_per_retry_window_not_one_per_request(resilient_cache):
    # A Redis that takes connections and never answers (paused, overloaded, half-open link).
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        backend = resilient_cache(f"redis://127.0.0.1:{hung.getsockname()[1]}/0", SOCKET_CONNECT_TIMEOUT=0.3, SOCKET_TIMEOUT=0.3)

        started = time.monotonic()
        for n in range(20):
            backend.set(f"k{n}", n)
            assert backend.get(f"k{n}") == n
        elapsed = time.monotonic() - started

    assert elapsed < 0.3 + 0.4, f"{elapsed:.2f} s: every operation waited for Redis"
    assert not backend.redis_available()


def test_a_delete_while_redis_is_down_is_not_undone_when_redis_comes_back(real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    backend.set("memory", "the conversation before the outage", 60)
    backend._mark_down(ConnectionError("simulated"))
    backend.delete("memory")  # "start over" in the chat, or an activity change, during the outage
    assert backend.get("memory") is None

    assert backend.ping() is True

    assert backend.get("memory") is None, "Redis served the value deleted during the outage"


def test_a_value_written_during_an_outage_is_not_served_again_after_it(real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    backend.set("recent", "from Redis, before", 60)
    backend._mark_down(ConnectionError("simulated"))
    backend.set("recent", "written during the outage", 60)
    assert backend.ping() is True

    assert backend.get("recent") is None, "Redis's value is older than the write made during the outage"
    backend.set("recent", "after", 60)
    backend.delete("recent")  # changed while Redis is up: the fallback never hears of it
    backend._mark_down(ConnectionError("simulated again"))

    assert backend.get("recent") is None, "the next outage served a value left in the fallback by the previous one"


def test_redis_is_used_as_before_after_an_outage_without_writes(real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    backend.set("kept", "value", 60)
    backend._mark_down(ConnectionError("simulated"))
    assert backend.get("kept") is None  # the fallback knows nothing of it
    assert backend.ping() is True

    assert backend.get("kept") == "value"
    backend.delete("kept")


def test_the_fallback_is_kept_while_redis_is_still_down_at_a_retry(resilient_cache):
    backend = resilient_cache("redis://127.0.0.1:6390/0", RETRY_AFTER_SECONDS=0)
    backend.get("anything")  # the outage starts
    backend.fallback.set("memory", "kept")  # written earlier in this outage

    for _ in range(3):  # each call retries Redis (no back-off here) and fails
        assert backend.get("memory") == "kept"


def test_a_write_under_another_version_during_an_outage_is_deleted_from_redis_too(real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    backend.set("recent", "from Redis, before", 60, version=2)
    backend._mark_down(ConnectionError("simulated"))
    backend.set("recent", "written during the outage", 60, 2)  # the version given positionally
    assert backend.ping() is True

    assert backend.get("recent", version=2) is None


def test_when_redis_fails_while_the_outage_keys_are_deleted_the_fallback_serves_until_a_retry_succeeds(
    real_redis_url, resilient_cache, monkeypatch
):
    import redis

    backend = resilient_cache(real_redis_url)
    backend.set("memory", "before the outage", 60)
    backend._mark_down(ConnectionError("simulated"))
    backend.set("memory", "written during the outage", 60)
    delete = redis.Redis.delete

    def fail_once(client: redis.Redis, *names: str) -> object:
        monkeypatch.setattr(redis.Redis, "delete", delete)
        raise redis.exceptions.ConnectionError("gone again")

    monkeypatch.setattr(redis.Redis, "delete", fail_once)
    assert backend.ping() is True

    assert backend.get("memory") == "written during the outage", "from the fallback, kept"
    assert not backend.redis_available(), "down again for RETRY_AFTER_SECONDS"
    assert backend.ping() is True
    assert backend.get("memory") is None, "the next try deleted it from Redis and emptied the fallback"
    assert backend.fallback.get("memory") is None


def test_keys_past_the_outage_limit_are_not_remembered_and_that_is_logged(real_redis_url, resilient_cache, monkeypatch, caplog):
    from violetvibes import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_OUTAGE_KEYS", 2)
    backend = resilient_cache(real_redis_url)
    backend.set_many({"a": "before", "b": "before", "c": "before"}, 60)
    backend._mark_down(ConnectionError("simulated"))
    backend.set_many({"a": "during", "b": "during", "c": "during"}, 60)
    assert backend.ping() is True

    assert backend.get_many(["a", "b", "c"]) == {"c": "before"}, "two deleted; the third, not remembered, is stale"
    assert any("may be stale" in record.getMessage() for record in caplog.records if record.name == "violetvibes.cache")
    backend.delete_many(["a", "b", "c"])
