"""Shared fixtures: an outbound-network guard, a clean cache per test, clients and users, and the
clock (`clock` pins one test's "now"; the `--clock` option of tests/clock.py moves the whole run)."""

import ipaddress
import os
import socket
import time
import types
import uuid
from datetime import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.clock import pytest_addoption, pytest_configure, pytest_report_header, pytest_unconfigure  # noqa: F401 - hooks
from tests.factories import UserFactory
from tests.fakes.http import fake_http  # noqa: F401 - a fixture for every test folder
from violetvibes.state import reset_process_state

_real_connect = socket.socket.connect


def pytest_runtest_setup(item: pytest.Item) -> None:
    """@pytest.mark.postgres: skipped unless the tests run on PostgreSQL (DATABASE_URL)."""
    if item.get_closest_marker("postgres"):
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            pytest.skip("needs PostgreSQL (set DATABASE_URL)")


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_outbound_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails the test if anything tries to reach a host other than this machine."""
    attempts: list[object] = []

    def guarded_connect(sock: socket.socket, address: object) -> object:
        if not _is_local(address):
            attempts.append(address)
            raise ConnectionRefusedError(f"Tests must not reach {address!r}")
        return _real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield
    if attempts:
        pytest.fail(f"The test tried to reach the outside network: {attempts}")


@pytest.fixture(autouse=True)
def _fresh_process_state() -> None:
    """Every test starts with what a new process holds (violetvibes/state.py): no outbound sessions,
    catalog rows, recent weather, Gemini client, remembered Redis or database outage, or warning
    already logged, so nothing leaks between tests."""
    reset_process_state()


@pytest.fixture(autouse=True)
def retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the retry policy asked for between a provider call's tries, in seconds: recorded,
    never waited (violetvibes/providers/retry.py)."""
    from violetvibes.providers import retry

    waits: list[float] = []
    monkeypatch.setattr(retry, "sleep", waits.append)
    return waits


@pytest.fixture
def clock(time_machine):
    """clock(instant, tick=True) -> instant: from here on the test runs at `instant` (an aware
    datetime, or ISO 8601 text with an offset), the clock ticking on from there; tick=False stops it.
    A test whose outcome depends on "now" says which now with this (tests/clock.py names a few)."""

    def move(instant: datetime | str, *, tick: bool = True) -> datetime:
        when = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
        assert when.tzinfo is not None, "an instant needs its offset"
        time_machine.move_to(when, tick=tick)
        return when

    return move


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient(REMOTE_ADDR="10.9.8.7")


@pytest.fixture
def password() -> str:
    return "purple-violets-42"


@pytest.fixture
def user(db, password: str):
    return UserFactory(password=password)


@pytest.fixture
def auth_api(user) -> APIClient:
    from accounts.tokens import token_pair_for

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user)['token']}")
    return client


@pytest.fixture
def tokens(user) -> dict[str, str]:
    """A fresh {token, refresh_token} pair for `user`, as login would give."""
    from accounts.tokens import token_pair_for

    return token_pair_for(user)


def api_client(token: str | None = None, ip: str = "10.9.8.7") -> APIClient:
    """An APIClient from that address, with that Bearer token (the `make_client` fixture; also
    imported by suites that call it at module level, tests/security)."""
    client = APIClient(REMOTE_ADDR=ip)
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def make_client():
    """make_client(token=None, ip="10.9.8.7"): an APIClient from that address, with that Bearer token."""
    return api_client


def production_environ(database_path: os.PathLike | str) -> dict[str, str]:
    """A clean environment (nothing inherited but PATH) with every required production variable,
    an unreachable Redis, on a SQLite file at `database_path` (the `production_env` fixture; the security suite's probe
    starts before any fixture can run)."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "violetvibes.settings.production",
        "DJANGO_SECRET_KEY": "prod-like-secret-" + "k7Qz" * 16,
        "JWT_SECRET": "prod-like-jwt-secret-" + "x9Lm" * 12,
        "DATABASE_URL": f"sqlite:///{database_path}",
        "DJANGO_ALLOWED_HOSTS": "api.violetvibes.app",
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "TRUSTED_PROXY_COUNT": "1",  # behind the platform's load balancer, as .do/app.yaml says
        # On by default, the keyless weather source would reach the internet: a subprocess has no
        # network guard (the test settings switch it off too).
        "NWS_ENABLED": "false",
        # Required. Nothing listens there: the cache serves from its memory fallback, as production
        # does while Redis is down, and never touches the Redis the suite runs on.
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """production_environ() on a throw-away SQLite file: for subprocesses under production settings."""
    return production_environ(tmp_path / "check.db")


@pytest.fixture
def real_redis_url() -> str:
    """REDIS_URL, of a real Redis; the test is skipped without it (CI sets it)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set (CI sets it)")
    return url


@pytest.fixture
def resilient_cache():
    """resilient_cache(url, **OPTIONS): a ResilientRedisCache with a key prefix of its own and an
    empty fallback; short socket timeouts and RETRY_AFTER_SECONDS=30 unless OPTIONS say otherwise."""
    from violetvibes.cache import ResilientRedisCache

    def make(url: str, **options: object) -> ResilientRedisCache:
        params = {
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "RETRY_AFTER_SECONDS": 30,
                **options,
            },
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
        backend = ResilientRedisCache(url, params)
        backend.fallback.clear()
        return backend

    return make


@pytest.fixture
def one_ratelimit_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pins django-ratelimit's clock: its counters restart at window edges, so a test counting up to a
    limit must not straddle one (it would, by chance, about once in a hundred runs)."""
    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))
