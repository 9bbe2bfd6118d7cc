"""The Redis cache falls back to process memory while Redis is down; /health reports what it sees."""

import socket
import types

import pytest
from django.core.cache import cache, caches

from tests.contract import assert_contract, assert_error
from violetvibes import cache as cache_module
from violetvibes import health
from violetvibes.cache import ResilientRedisCache

CLOSED_PORT_URL = "redis://127.0.0.1:6390/0"
# The cache options of these tests (resilient_cache() in conftest.py makes backends with the same).
OPTIONS = {
    "CLIENT_CLASS": "django_redis.client.DefaultClient",
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
    "RETRY_AFTER_SECONDS": 30,
}


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    """A clock for violetvibes.cache only (time.monotonic itself stays real)."""
    fake = _Clock()
    monkeypatch.setattr(cache_module, "time", types.SimpleNamespace(monotonic=fake.monotonic))
    return fake


def _count_redis_connects(monkeypatch: pytest.MonkeyPatch, port: int) -> list[object]:
    """Every TCP connection attempt to `port`, seen at the socket (wraps the conftest network guard)."""
    attempts: list[object] = []
    connect = socket.socket.connect

    def counting_connect(sock: socket.socket, address: object) -> object:
        if isinstance(address, tuple) and address[1] == port:
            attempts.append(address)
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    return attempts


# --- ResilientRedisCache, Redis unreachable ---------------------------------------------------------------
def test_unreachable_redis_serves_every_operation_from_the_fallback(resilient_cache):
    backend = resilient_cache(CLOSED_PORT_URL)

    backend.set("a", 1)
    assert backend.get("a") == 1
    assert backend.get("missing", "default") == "default"
    assert backend.add("counter", 1) is True
    assert backend.add("counter", 5) is False
    assert backend.incr("counter") == 2
    assert backend.incr("counter", 3) == 5
    assert backend.decr("counter") == 4
    assert backend.has_key("counter")
    backend.set_many({"b": 2, "c": 3})
    assert backend.get_many(["a", "b", "c"]) == {"a": 1, "b": 2, "c": 3}
    assert backend.get_or_set("d", 4) == 4
    assert backend.touch("a", 60) is True
    backend.delete("a")
    backend.delete_many(["b"])
    assert backend.get_many(["a", "b", "c"]) == {"c": 3}
    backend.clear()
    assert backend.get("c") is None
    assert backend.ping() is False
    assert not backend.redis_available()


def test_incr_of_a_missing_key_raises_value_error_like_any_django_cache(resilient_cache):
    with pytest.raises(ValueError):
        resilient_cache(CLOSED_PORT_URL).incr("never-set")


def test_redis_is_tried_again_only_after_retry_after_seconds(clock, monkeypatch, resilient_cache):
    backend = resilient_cache(CLOSED_PORT_URL, RETRY_AFTER_SECONDS=30)
    attempts = _count_redis_connects(monkeypatch, 6390)

    backend.set("k", "v")
    first_outage = len(attempts)
    assert first_outage >= 1
    assert not backend.redis_available()

    clock.now += 29
    assert backend.get("k") == "v"
    backend.set("k2", "v2")
    assert len(attempts) == first_outage, "Redis must not be retried before RETRY_AFTER_SECONDS"

    clock.now += 2
    assert backend.redis_available()
    assert backend.get("k") == "v"  # tried Redis, failed again, answered from the fallback
    assert len(attempts) > first_outage
    assert not backend.redis_available()


def _thread_instance(backend: ResilientRedisCache) -> ResilientRedisCache:
    """Another instance of the same cache, as each gthread thread gets its own from django.core.cache.caches."""
    options = {**backend._params["OPTIONS"], "RETRY_AFTER_SECONDS": backend.retry_after}
    return ResilientRedisCache(backend._server, {"OPTIONS": options, "KEY_PREFIX": backend.key_prefix})


def test_threads_of_a_process_share_one_view_of_an_outage(clock, monkeypatch, resilient_cache):
    backend = resilient_cache(CLOSED_PORT_URL, RETRY_AFTER_SECONDS=30)
    other_thread = _thread_instance(backend)
    attempts = _count_redis_connects(monkeypatch, 6390)

    backend.set("k", "v")
    tried = len(attempts)

    assert not other_thread.redis_available()
    assert other_thread.get("k") == "v"
    assert len(attempts) == tried, "another thread must not wait on Redis again in the same outage"


def test_one_threads_ping_brings_redis_back_for_every_thread_and_reconciles_their_writes(clock, real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    other_thread = _thread_instance(backend)
    backend.set("conversation", "before", 60)
    backend._mark_down(ConnectionError("simulated"))
    assert not other_thread.redis_available()
    other_thread.delete("conversation")  # e.g. "start over" served by another thread during the outage

    assert backend.ping() is True

    assert other_thread.redis_available()
    assert backend.get("conversation") is None  # the delete made during the outage is not undone


def test_other_threads_wait_until_the_outage_keys_are_deleted_then_read_redis(real_redis_url, resilient_cache):
    import threading

    import redis

    backend = resilient_cache(real_redis_url)
    other_thread = _thread_instance(backend)
    backend.set("conversation", "before the outage", 60)
    backend.set("recent", "before the outage", 60)
    backend._mark_down(ConnectionError("simulated"))
    other_thread.set("conversation", "during the outage", 60)
    assert backend.ping() is True  # Redis is back; nothing deleted yet
    waited = threading.Event()
    lock = backend._outage.lock

    class WaitSignallingLock:
        """The outage's lock, telling when a second thread has to wait for it."""

        def __enter__(self) -> None:
            if not lock.acquire(blocking=False):
                waited.set()
                lock.acquire()

        def __exit__(self, *exc: object) -> None:
            lock.release()

    backend._outage.lock = WaitSignallingLock()
    seen: dict[str, object] = {}

    def other() -> None:
        seen["conversation"] = other_thread.get("conversation")
        other_thread.set("recent", "during the deletes", 60)

    thread = threading.Thread(target=other)
    delete = redis.Redis.delete

    def delete_meanwhile(client: redis.Redis, *names: str) -> object:
        # Another thread's calls while this one deletes the outage's keys.
        thread.start()
        assert waited.wait(5), "the other thread did not wait for the deletes"
        return delete(client, *names)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redis.Redis, "delete", delete_meanwhile)
        assert backend.get("conversation") is None  # deletes the outage's keys, then reads Redis
    thread.join(5)

    assert seen["conversation"] is None, "the other thread read the fallback or Redis's value from before"
    assert backend.get("recent") == "during the deletes", "a write made just after the deletes went to Redis"
    assert backend.fallback.get("recent") is None, "Redis is in use again"
    backend.delete_many(["recent", "conversation"])


def test_redis_down_is_logged_once_per_outage(clock, caplog, resilient_cache):
    backend = resilient_cache(CLOSED_PORT_URL, RETRY_AFTER_SECONDS=30)

    backend.set("k", "v")
    backend.get("k")
    clock.now += 5
    backend.ping()

    assert [record.levelname for record in caplog.records if record.name == "violetvibes.cache"] == ["WARNING"]


def test_retry_after_seconds_option_is_not_passed_to_redis(resilient_cache):
    backend = resilient_cache(CLOSED_PORT_URL, RETRY_AFTER_SECONDS=7)

    assert backend.retry_after == 7
    assert "RETRY_AFTER_SECONDS" not in backend._params["OPTIONS"]


# --- ResilientRedisCache, real Redis (CI) ------------------------------------------------------------------
def test_real_redis_set_and_get_go_to_redis(real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)

    backend.set("greeting", "hello", 60)

    assert backend.get("greeting") == "hello"
    assert backend.fallback.get("greeting") is None
    assert backend.client.get_client().exists(backend.make_and_validate_key("greeting")) == 1
    assert backend.add("n", 1) is True
    assert backend.incr("n") == 2
    assert backend.ping() is True
    backend.delete_many(["greeting", "n"])


def test_a_count_and_values_in_one_script_on_the_real_redis(real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    backend.set("row", ("a", 1), 60)
    backend.fallback.set("other", "from this process only", 60)

    first = backend.incr_in_window_get_many_shared("counter", 30, ["row", "other"])
    second = backend.incr_in_window_get_many_shared("counter", 30, ["row"])

    assert first == (1, {"row": ("a", 1)})
    assert second == (2, {"row": ("a", 1)})
    assert 0 < backend.client.get_client().ttl(backend.make_and_validate_key("counter")) <= 30
    backend.delete_many(["row", "counter"])


def test_while_redis_is_down_the_count_is_the_fallbacks_and_no_value_is_read(resilient_cache):
    backend = resilient_cache(CLOSED_PORT_URL)
    backend.fallback.set("row", "an out-of-date copy", 60)

    assert backend.incr_in_window_get_many_shared("counter", 30, ["row"]) == (1, {})
    assert backend.incr_in_window_get_many_shared("counter", 30, ["row"]) == (2, {})
    assert backend.fallback.get("counter") == 2


def test_real_redis_is_used_again_once_ping_succeeds(clock, real_redis_url, resilient_cache):
    backend = resilient_cache(real_redis_url)
    backend._mark_down(ConnectionError("simulated"))
    backend.set("during-outage", 1)
    assert backend.fallback.get("during-outage") == 1

    assert backend.ping() is True

    backend.set("after-outage", 2, 60)
    assert backend.fallback.get("after-outage") is None
    assert backend.client.get_client().exists(backend.make_and_validate_key("after-outage")) == 1
    backend.delete("after-outage")


# --- End to end with Redis unreachable ------------------------------------------------------------------
@pytest.fixture
def redis_down(settings):
    """The project's cache pointed at a closed port, as if Redis had gone away."""
    settings.REDIS_URL = CLOSED_PORT_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": CLOSED_PORT_URL,
            "KEY_PREFIX": "vv",
            "OPTIONS": dict(OPTIONS),
        }
    }
    # override_settings' setting_changed handler rebuilt django.core.cache.caches.
    assert isinstance(caches["default"], ResilientRedisCache)
    cache.clear()  # the fallback memory is per process: start from nothing
    yield
    cache.clear()


def test_signup_login_and_health_work_while_redis_is_down(api, db, redis_down):
    signup = api.post("/api/auth/signup", {"email": "down@nyu.edu", "password": "purple-violets-42"}, format="json")
    assert signup.status_code == 201, signup.content
    login = api.post("/api/auth/login", {"email": "down@nyu.edu", "password": "purple-violets-42"}, format="json")
    assert login.status_code == 200, login.content

    response = api.get("/health")

    assert response.status_code == 200
    assert_contract("GET", "/health", response)
    assert response.json() == {"status": "degraded", "database": "connected", "redis": "disconnected"}


@pytest.mark.usefixtures("one_ratelimit_window")
def test_rate_limits_still_apply_from_the_fallback_while_redis_is_down(api, db, redis_down):
    for n in range(5):
        response = api.post("/api/auth/signup", {"email": f"down{n}@nyu.edu", "password": "purple-violets-42"}, format="json")
        assert response.status_code == 201

    response = api.post("/api/auth/signup", {"email": "down5@nyu.edu", "password": "purple-violets-42"}, format="json")

    assert response.status_code == 429


# --- /health ---------------------------------------------------------------------------------------------
def test_health_without_redis_configured(api, db, settings):
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "health"}}

    response = api.get("/health")

    assert response.status_code == 200
    assert_contract("GET", "/health", response)
    assert response.json() == {"status": "ok", "database": "connected", "redis": "not_configured"}


def test_health_with_the_real_redis(api, db, settings, real_redis_url):
    assert real_redis_url == settings.REDIS_URL

    response = api.get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "connected", "redis": "connected"}


def test_health_is_503_when_the_database_is_down(api, db, monkeypatch, settings):
    class BrokenConnection:
        def cursor(self) -> None:
            raise health_error

    health_error = OSError("could not connect to server")
    settings.REDIS_URL = ""
    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = api.get("/health")

    body = assert_error(response, 503, "service_unavailable")
    assert {key: body[key] for key in ("status", "database", "redis")} == {
        "status": "degraded",
        "database": "disconnected",
        "redis": "not_configured",
    }
    assert "could not connect" not in response.content.decode()


def test_health_needs_no_token_and_ignores_a_bad_one(api, db):
    response = api.get("/health", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 200
    assert response.json()["database"] == "connected"


def test_health_is_not_rate_limited(api, db, settings):
    settings.RATELIMIT_DEFAULT = "2/m"

    assert all(api.get("/health").status_code == 200 for _ in range(5))
