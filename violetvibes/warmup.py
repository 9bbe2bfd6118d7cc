"""Warm-up at a server's start: what the first requests would otherwise load, at a student's expense.

A worker's first request used to cost 0.9-2.7 s (23-30 ms afterwards): importing every view (the
URLconf, and with it the Gemini SDK, 2 s), reading the vocabulary, loading the catalog rows,
connecting to Redis and PostgreSQL. Two steps, both run by gunicorn only (gunicorn.conf.py),
never by tests or management commands:

- `load_code()`: imports and the data read from the repository's files, nothing that connects.
  gunicorn runs it in the master before it forks the workers (`preload_app`), so every worker,
  a restarted one too, starts with it loaded.
- `warm_up()`: in each worker, each app's `warm_up()` (its AppConfig: data that needs the
  database or the shared cache, and the code paths a first request would touch first), a database
  connection and a cache client for each of the worker's threads (Django keeps one of each per
  thread) and the Redis connection pool.

gunicorn follows each with `freeze_heap()`: what they loaded stays for the life of the process, and without it
each of the garbage collector's full passes walked all of it again (about 220,000 objects, 90 ms with
every request of the worker waiting: the p99 of a chat turn and of quick_recs).

A warm-up step that fails (PostgreSQL or Redis down at boot) is logged and skipped: the worker
starts anyway and the request that needs it loads it, as before. Connecting is bounded in time:
gunicorn kills a worker that has not started within its timeout.
"""

import contextlib
import gc
import io
import logging
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, wait
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import get_resolver, resolve

logger = logging.getLogger(__name__)

# Longest a worker waits for its connections before it starts serving anyway.
CONNECT_WAIT_SECONDS = 5.0
# Resolved once, so that the resolver's own caches are filled too.
WARM_PATHS = ("/", "/health", "/api/user/me", "/api/quick_recs", "/api/chat")
# Served once through the whole application (middleware, DRF, the JSON renderer, the Host check's
# patterns): neither calls a provider nor writes anything but its access log line.
WARM_REQUESTS = ("/", "/health")


def _step(name: str, function: Callable[[], object]) -> bool:
    started = time.perf_counter()
    try:
        function()
    except Exception as exc:  # noqa: BLE001 - a warm-up step must never stop a worker from starting
        logger.warning("Warm-up: %s skipped (%s: %s)", name, type(exc).__name__, exc)
        return False
    logger.debug("Warm-up: %s in %.0f ms", name, (time.perf_counter() - started) * 1000)
    return True


def _import_views() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every urls.py and view module
    for path in WARM_PATHS:
        resolve(path)


def load_code() -> None:
    """Every view module and each app's `warm_up_code()` (files only: no connection)."""
    _step("views", _import_views)
    for config in apps.get_app_configs():
        load = getattr(config, "warm_up_code", None)
        if load is not None:
            _step(f"{config.label} code", load)


def freeze_heap() -> None:
    """Moves every object alive now out of the garbage collector's reach (`gc.freeze()`).

    Modules, the vocabulary, the catalog and connections live as long as the process, so a full
    collection has nothing to find among them. After it a full pass walks only what requests
    left (19 ms instead of 90-125 ms, bench/first_request.py's worker at rest). In the master it
    also keeps the collector from writing to the pages the workers share after the fork.
    """
    gc.collect()
    gc.freeze()


def _connect_database() -> None:
    connection.ensure_connection()


def _connect_redis() -> None:
    cache.get("warm-up")


def _connect_each_thread(pool: Executor, threads: int) -> None:
    """A database connection and the shared cache's client in each of the pool's threads (Django
    keeps one of each per thread; a thread's first cache call built its client, 0.3-0.5 ms of its
    first request): each task waits for the others, so that `threads` tasks take `threads` different
    threads. A thread that has not connected within CONNECT_WAIT_SECONDS connects on its first
    request instead."""
    barrier = threading.Barrier(threads)

    def connect() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=CONNECT_WAIT_SECONDS)
        _step("database connection", _connect_database)
        _step("redis client", _connect_redis)

    _done, pending = wait([pool.submit(connect) for _ in range(threads)], timeout=CONNECT_WAIT_SECONDS * 2)
    if pending:
        logger.warning("Warm-up: %d of %d threads had not connected to the database in time", len(pending), threads)


def _host() -> str:
    """A Host the application accepts (DJANGO_ALLOWED_HOSTS), for the warm-up requests."""
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        if host:
            return host.lstrip(".")
    return "localhost"


def _serve(application: Callable[..., Any], path: str) -> None:
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": _host(),
        "HTTP_X_FORWARDED_PROTO": "https",  # as the platform's proxy sends it: no HTTPS redirect
        "HTTP_X_REQUEST_ID": "warm-up-request",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "https",
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if isinstance(proxies, int) and proxies > 0:  # the entries the trusted proxies add
        environ["HTTP_X_FORWARDED_FOR"] = ", ".join(["127.0.0.1"] * proxies)
    status: list[str] = []
    body = application(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        b"".join(body)
    finally:
        getattr(body, "close", lambda: None)()
    if not status or not status[0].startswith(("2", "3")):
        raise RuntimeError(f"GET {path} answered {status[0] if status else 'nothing'}")


def warm_up(*, application: Callable[..., Any] | None = None, pool: Executor | None = None, threads: int = 0) -> None:
    """In a worker: connections (Redis, and the database in each thread of `pool`, else in this
    one), each app's `warm_up()`, then WARM_REQUESTS through `application`."""
    started = time.perf_counter()
    load_code()  # already done by the master with preload_app; nothing left to import then
    _step("redis connection", _connect_redis)
    if pool is not None and threads > 0:
        _step("database connections", lambda: _connect_each_thread(pool, threads))
    else:
        _step("database connection", _connect_database)
    for config in apps.get_app_configs():
        warm = getattr(config, "warm_up", None)
        if warm is not None:
            _step(config.label, warm)
    if application is not None:
        for path in WARM_REQUESTS:
            _step(f"GET {path}", lambda path=path: _serve(application, path))
    if pool is not None:
        connection.close()  # this thread serves no request: only the pool's threads keep one
    logger.info("Warm-up done in %.0f ms", (time.perf_counter() - started) * 1000)
