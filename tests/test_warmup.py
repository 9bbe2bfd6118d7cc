"""The warm-up at a server's start (violetvibes/warmup.py, called by gunicorn.conf.py's hooks): it
loads what first requests used to load, connects every thread, is harmless when PostgreSQL or
Redis is down, and runs under gunicorn only."""

import runpy
import threading
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections

from places import selectors
from tests.factories import PlaceFactory
from violetvibes import warmup

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
CLOSED_PORT_URL = "redis://127.0.0.1:6390/0"


def test_the_code_step_connects_to_nothing_so_the_master_can_fork_after_it(monkeypatch):
    """gunicorn runs it in the master: a connection made there would be shared by every worker."""

    def refuse(*args, **kwargs):
        raise AssertionError("load_code connected to something")

    with monkeypatch.context() as patched:
        patched.setattr(warmup.connection, "ensure_connection", refuse)
        patched.setattr("django.db.backends.base.base.BaseDatabaseWrapper.connect", refuse)
        patched.setattr("violetvibes.cache.ResilientRedisCache.redis_available", refuse)
        patched.setattr("django.core.cache.backends.locmem.LocMemCache.get", refuse)

        warmup.load_code()  # no exception: nothing connected


def test_each_app_loads_its_own(monkeypatch, db):
    loaded = []
    monkeypatch.setattr(selectors, "_local_rows", None)
    from recommendations import request

    request.vocabulary.cache_clear()
    monkeypatch.setattr(warmup, "_step", lambda name, function: loaded.append(name) or function())

    warmup.warm_up()

    assert {"views", "places code", "recommendations code", "chat code", "places", "recommendations"} <= set(loaded)
    assert selectors._local_rows is not None  # the catalog rows, held per process
    assert request.vocabulary.cache_info().currsize == 1


def test_every_thread_of_the_pool_gets_its_own_database_connection_and_cache_client(monkeypatch):
    threads: dict[str, set[int]] = {"database": set(), "cache": set()}
    lock = threading.Lock()

    def connected(kind: str) -> None:
        with lock:
            threads[kind].add(threading.get_ident())

    monkeypatch.setattr(warmup, "_connect_database", lambda: connected("database"))
    monkeypatch.setattr(warmup, "_connect_redis", lambda: connected("cache"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        warmup._connect_each_thread(pool, 4)

    assert len(threads["database"]) == 4
    assert threads["cache"] == threads["database"]
    assert threading.get_ident() not in threads["database"]


def test_the_lists_warm_up_asks_no_provider_even_with_keys(db, settings, monkeypatch):
    from django.apps import apps

    from places.providers import google_places, google_routes

    def refuse(*args, **kwargs):
        raise AssertionError("a provider was asked at boot")

    settings.GOOGLE_API_KEY = "configured-but-never-called"
    for module, name in ((google_places, "search_nearby"), (google_places, "search_text"), (google_routes, "route_matrix")):
        monkeypatch.setattr(module, name, refuse)
    PlaceFactory.create_batch(2)
    monkeypatch.setattr(selectors, "_local_rows", None)
    cards_built = []
    rank_places = selectors.rank_places
    monkeypatch.setattr(selectors, "rank_places", lambda *args, **kwargs: cards_built.append(rank_places(*args, **kwargs)) or cards_built[-1])

    apps.get_app_config("recommendations").warm_up()  # no AssertionError

    assert [len(cards) for cards in cards_built] == [2]  # the catalog's cards, serialised


def test_the_warm_up_requests_are_answered_through_the_whole_application(db, settings):
    settings.ALLOWED_HOSTS = ["api.violetvibes.app"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    # As Django's test client does: the test's transaction keeps its connection between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for path in warmup.WARM_REQUESTS:
            warmup._serve(WSGIHandler(), path)  # raises unless 2xx or 3xx
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_a_worker_starts_when_the_database_and_redis_are_down(db, settings, monkeypatch, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": CLOSED_PORT_URL,
            "KEY_PREFIX": "vv",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "RETRY_AFTER_SECONDS": 30},
        }
    }

    def database_down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(selectors, "_local_rows", None)

    with monkeypatch.context() as down, ThreadPoolExecutor(max_workers=2) as pool:
        down.setattr("django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", database_down)
        warmup.warm_up(application=WSGIHandler(), pool=pool, threads=2)  # returns: nothing raised

    skipped = [record.getMessage() for record in caplog.records if "skipped" in record.getMessage()]
    assert any("database connection" in message for message in skipped)
    assert any("places" in message for message in skipped)
    assert selectors._local_rows is None  # loaded by the first request that needs it instead


def _conf(monkeypatch, **variables: str) -> dict:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/4")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_gunicorn_preloads_the_application_and_warms_each_worker_up(monkeypatch):
    conf = _conf(monkeypatch)
    calls = []
    monkeypatch.setattr(warmup, "load_code", lambda: calls.append("load_code"))
    monkeypatch.setattr(warmup, "warm_up", lambda **kwargs: calls.append(kwargs))
    monkeypatch.setattr(warmup, "freeze_heap", lambda: calls.append("freeze_heap"))
    pool = object()
    worker = types.SimpleNamespace(wsgi="the application", tpool=pool, cfg=types.SimpleNamespace(threads=8))

    conf["when_ready"](object())
    conf["post_worker_init"](worker)

    assert conf["preload_app"] is True
    assert calls == [
        "load_code",
        "freeze_heap",
        {"application": "the application", "pool": pool, "threads": 8},
        "freeze_heap",
    ]


def test_gunicorn_warm_up_false_starts_workers_cold(monkeypatch):
    conf = _conf(monkeypatch, GUNICORN_WARM_UP="false")
    monkeypatch.setattr(warmup, "load_code", lambda: pytest.fail("warmed up"))
    monkeypatch.setattr(warmup, "warm_up", lambda **kwargs: pytest.fail("warmed up"))
    monkeypatch.setattr(warmup, "freeze_heap", lambda: pytest.fail("froze the heap"))

    conf["when_ready"](object())
    conf["post_worker_init"](types.SimpleNamespace(wsgi=None, cfg=types.SimpleNamespace(threads=1)))

    assert conf["preload_app"] is False


def test_freezing_the_heap_leaves_the_collector_only_what_came_after():
    import gc

    warmup.freeze_heap()
    try:
        assert gc.get_freeze_count() > 0
        assert len(gc.get_objects()) < gc.get_freeze_count()
    finally:
        gc.unfreeze()
