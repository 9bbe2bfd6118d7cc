"""The outbound requests session every provider client over HTTP uses: a connect/read timeout on
every call, the transport's retries (retry.py), and, for the calls whose one cache layer is HTTP
(see violetvibes/providers/__init__.py), an HTTP cache in the shared cache. Also what keeps the
keys some providers take in the query string out of that cache and out of the logs.
"""

import logging
import re
from collections.abc import Iterator, MutableMapping
from datetime import UTC, datetime
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from requests.adapters import HTTPAdapter
from requests_cache import CacheMixin
from requests_cache.backends.base import BaseCache, BaseStorage

from .. import state
from .retry import transport_retry

# Expired answers are kept this much longer, to be served when the provider fails or its circuit
# is open (the stale policy of every cache layer on a provider call, this one and results.py).
STALE_SECONDS = 6 * 3600

# Headers and parameters that hold credentials: never part of a cache key, never stored.
SECRET_PARAMETERS = ("X-Goog-Api-Key", "x-goog-api-key", "key", "appid")
_SECRET_QUERY = re.compile(r"(?<=[?&;])(key|appid)=[^&;#\s'\"]*", re.IGNORECASE)


class RedactSecretsFilter(logging.Filter):
    """Libraries log request URLs (urllib3 on a connection retry, requests-cache when it serves an
    expired answer), in the message or in an exception's text; a key in the query must not follow.

    Installed by settings.LOGGING, on the log handler (so it sees every logger's records and their
    tracebacks) and on urllib3's connection-pool logger (for whatever handler a test or a shell
    puts on the root logger).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_SECRET_QUERY.sub(r"\1=REDACTED", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _SECRET_QUERY.sub(r"\1=REDACTED", record.msg)
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            if _SECRET_QUERY.search(text):
                # Formatters (text and JSON, violetvibes.logging) write the redacted text instead.
                record.exc_text = _SECRET_QUERY.sub(r"\1=REDACTED", text)
                record.exc_info = None
        return True


# --- HTTP cache on the project's cache backend ------------------------------------------------------
class _DjangoCacheStorage(BaseStorage):
    """requests-cache storage in Django's default cache (Redis, or memory when Redis is down)."""

    def __init__(self, namespace: str, *, stale_seconds: int, **kwargs: Any) -> None:
        super().__init__(serializer=None, **kwargs)
        self.namespace = namespace
        self.stale_seconds = stale_seconds

    def _key(self, key: str) -> str:
        return f"http:{self.namespace}:{key}"

    def __getitem__(self, key: str) -> Any:
        value = cache.get(self._key(key))
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        expires = getattr(value, "expires", None)
        if expires is None:
            ttl = 3600
        else:
            now = datetime.now(UTC) if expires.tzinfo else datetime.now(UTC).replace(tzinfo=None)
            ttl = max(1, int((expires - now).total_seconds()))
        cache.set(self._key(key), value, ttl + self.stale_seconds)

    def __delitem__(self, key: str) -> None:
        if not cache.delete(self._key(key)):
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())  # the shared cache is not enumerable, and nothing here needs it to be

    def __len__(self) -> int:
        return 0

    def clear(self) -> None:  # requests-cache's clear(); entries simply expire
        return None


class _DjangoCacheBackend(BaseCache):
    """Responses in the shared cache. Redirect aliases stay in BaseCache's in-process dict: these
    APIs never redirect, and a shared store cost one more cache read on every miss."""

    def __init__(self, namespace: str, *, stale_seconds: int) -> None:
        super().__init__(cache_name=namespace)
        self.responses: MutableMapping = _DjangoCacheStorage(f"{namespace}:r", stale_seconds=stale_seconds)


class _TimeoutSession(requests.Session):
    default_timeout: tuple[float, float]  # set by outbound_session

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


class _CachedTimeoutSession(CacheMixin, _TimeoutSession):
    pass


def outbound_session(
    *, cache_namespace: str | None = None, expire_after: int | None = None, stale_seconds: int = STALE_SECONDS
) -> requests.Session:
    """A session with a connect/read timeout on every call and the transport's bounded retries
    (retry.transport_retry). With `cache_namespace`, successful GET/POST answers are cached in the
    shared cache for `expire_after` seconds (POST bodies are part of the key) and kept
    `stale_seconds` longer for when the provider fails."""
    if cache_namespace:
        session: _TimeoutSession = _CachedTimeoutSession(
            backend=_DjangoCacheBackend(cache_namespace, stale_seconds=stale_seconds),
            expire_after=expire_after or 300,
            allowable_methods=("GET", "POST"),
            allowable_codes=(200,),
            ignored_parameters=SECRET_PARAMETERS,
            match_headers=["X-Goog-FieldMask"],
            stale_if_error=bool(stale_seconds),
        )
    else:
        session = _TimeoutSession()
    session.default_timeout = settings.OUTBOUND_TIMEOUT
    adapter = HTTPAdapter(max_retries=transport_retry())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = "VioletVibes/1.0"
    return session


_shared_sessions: dict[str, requests.Session] = {}
state.on_reset(_shared_sessions.clear)


def shared_session(name: str, cache_seconds: int | None = None, *, stale_seconds: int = STALE_SECONDS) -> requests.Session:
    """The process's one session called `name` (its connection pool is shared by every thread),
    with an HTTP cache of `cache_seconds` when given: only for a call whose one cache layer is
    HTTP (violetvibes/providers/__init__.py). The outbound settings are read when it is built
    (tests start each with no sessions: tests/conftest.py)."""
    session = _shared_sessions.get(name)
    if session is None:
        session = _shared_sessions[name] = (
            outbound_session(cache_namespace=name, expire_after=cache_seconds, stale_seconds=stale_seconds)
            if cache_seconds
            else outbound_session()
        )
    return session
