"""What every provider client shares: one error type, one outbound session factory with an
HTTP cache on the shared cache, and a circuit breaker that all workers see.

Provider clients (places/providers/*, events/sources/*, chat/llm/*) call `request_json` and
get parsed JSON or a `ProviderError`; services catch that error and degrade.
"""

import logging
import math
import re
import time
from collections.abc import Callable, Iterator, MutableMapping
from datetime import UTC, datetime
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from requests.adapters import HTTPAdapter
from requests_cache import CacheMixin
from requests_cache.backends.base import BaseCache, BaseStorage
from urllib3.util.retry import Retry

from violetvibes import state

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
# Headers and parameters that hold credentials: never part of a cache key, never stored.
SECRET_PARAMETERS = ("X-Goog-Api-Key", "x-goog-api-key", "key", "appid")
_SECRET_QUERY = re.compile(r"(?<=[?&;])(key|appid)=[^&;#\s'\"]*", re.IGNORECASE)


class RedactSecretsFilter(logging.Filter):
    """Libraries log request URLs (urllib3 on a connection retry, requests-cache when it serves an
    expired answer), in the message or in an exception's text; a key in the query must not follow.

    On the log handler (settings.LOGGING), so it sees every logger's records and their tracebacks.
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


# Also on urllib3's logger itself, for whatever handler a test or a shell puts on the root logger.
logging.getLogger("urllib3.connectionpool").addFilter(RedactSecretsFilter())


class ProviderError(Exception):
    """A provider (Google, OpenWeather, Gemini, an event source) did not give a usable answer.

    `retryable` says whether trying again later may help (network error, timeout, 429, 5xx)
    or not (bad key, other 4xx, a response we cannot parse).
    """

    def __init__(self, provider: str, message: str, *, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.retryable = retryable
        self.status = status


# --- HTTP cache on the project's cache backend ------------------------------------------------------
class _DjangoCacheStorage(BaseStorage):
    """requests-cache storage in Django's default cache (Redis, or memory when Redis is down)."""

    # Expired responses are kept this much longer so they can be served when the provider fails.
    STALE_SECONDS = 6 * 3600

    def __init__(self, namespace: str, **kwargs: Any) -> None:
        super().__init__(serializer=None, **kwargs)
        self.namespace = namespace

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
        cache.set(self._key(key), value, ttl + self.STALE_SECONDS)

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

    def __init__(self, namespace: str) -> None:
        super().__init__(cache_name=namespace)
        self.responses: MutableMapping = _DjangoCacheStorage(f"{namespace}:r")


class _TimeoutSession(requests.Session):
    default_timeout: tuple[float, float]  # set by outbound_session

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


class _CachedTimeoutSession(CacheMixin, _TimeoutSession):
    pass


def outbound_session(*, cache_namespace: str | None = None, expire_after: int | None = None) -> requests.Session:
    """A session with a connect/read timeout on every call and bounded retries with backoff.

    Retries cover connection errors, 429 and 5xx only, never a read timeout (a provider that
    hangs once will hang again) and never beyond OUTBOUND_RETRIES. Retry-After is not honoured
    so that a provider cannot hold a worker. With `cache_namespace`, successful GET/POST answers
    are cached in the shared cache for `expire_after` seconds (POST bodies are part of the key).
    """
    if cache_namespace:
        session: _TimeoutSession = _CachedTimeoutSession(
            backend=_DjangoCacheBackend(cache_namespace),
            expire_after=expire_after or 300,
            allowable_methods=("GET", "POST"),
            allowable_codes=(200,),
            ignored_parameters=SECRET_PARAMETERS,
            match_headers=["X-Goog-FieldMask"],
            stale_if_error=True,
        )
    else:
        session = _TimeoutSession()
    session.default_timeout = settings.OUTBOUND_TIMEOUT
    retries = settings.OUTBOUND_RETRIES
    retry = Retry(
        total=retries,
        connect=retries,
        read=0,
        status=retries,
        other=0,
        status_forcelist=RETRYABLE_STATUSES,
        allowed_methods=None,
        backoff_factor=0.2,
        backoff_max=1.0,
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = "VioletVibes/1.0"
    return session


_shared_sessions: dict[str, requests.Session] = {}
state.on_reset(_shared_sessions.clear)


def shared_session(namespace: str, expire_after: int) -> requests.Session:
    """The process's one cached session for a provider namespace. The outbound settings are read
    when it is built (tests start each with no sessions: tests/conftest.py)."""
    session = _shared_sessions.get(namespace)
    if session is None:
        session = _shared_sessions[namespace] = outbound_session(cache_namespace=namespace, expire_after=expire_after)
    return session


def json_number(value: Any) -> float | None:
    """A finite JSON number as a float; None for anything else (bools, strings, NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def json_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- Circuit breaker in the shared cache ------------------------------------------------------------
class CircuitBreaker:
    """Skips a provider for `cooldown` seconds after `threshold` failures within `window`.

    State lives in the shared cache, so every worker and instance skips together. After the
    cool-down a single caller (across workers) probes; if it fails the circuit opens again at
    once, so an outage costs one timeout per cool-down rather than one per request.
    """

    def __init__(self, name: str, *, threshold: int = 3, window: int = 120, cooldown: int = 30) -> None:
        self.name = name
        self.threshold = threshold
        self.window = window
        self.cooldown = cooldown
        # allow() saw no failure on record, so a success has nothing to clear.
        self._clean = False
        # This instance recorded a failure: a caller sharing it across calls can stop calling.
        self.failed = False

    def _key(self, part: str) -> str:
        return f"circuit:{self.name}:{part}"

    def allow(self) -> bool:
        state = cache.get_many([self._key("open"), self._key("failures")])  # one round trip
        is_open, failures = state.get(self._key("open")), state.get(self._key("failures")) or 0
        self._clean = not is_open and not failures
        if is_open:
            return False
        if failures >= self.threshold:
            return cache.add(self._key("probe"), 1, self.cooldown)
        return True

    def record_failure(self) -> None:
        self._clean = False
        self.failed = True
        cache.add(self._key("failures"), 0, self.window)
        try:
            failures = cache.incr(self._key("failures"))
        except ValueError:
            failures = 1
        if failures >= self.threshold:
            cache.set(self._key("open"), 1, self.cooldown)
            cache.delete(self._key("probe"))
            logger.warning("Provider %s skipped for %ss after %s failures", self.name, self.cooldown, failures)

    def record_success(self) -> None:
        if self._clean:  # the common case: nothing on record, no round trip
            return
        cache.delete_many([self._key("failures"), self._key("open"), self._key("probe")])


def request_json(
    session: requests.Session,
    provider: str,
    method: str,
    url: str,
    *,
    breaker: CircuitBreaker | None = None,
    parse: Callable[[Any], Any] | None = None,
    **kwargs: Any,
) -> Any:
    """One provider call: circuit check, HTTP, status check, JSON parse — or ProviderError.

    `parse`, if given, turns the JSON into the caller's result or raises ProviderError; either way
    a 200 answer that is not JSON, or that `parse` rejects, is dropped from the HTTP cache so that
    one bad answer is not served again for the whole cache lifetime.
    """
    breaker = breaker or CircuitBreaker(provider)
    response = provider_response(session, provider, method, url, breaker=breaker, **kwargs)
    try:
        data = response.json()
    except ValueError as exc:
        _evict(session, response)
        breaker.record_failure()
        raise ProviderError(provider, "response is not JSON") from exc
    if parse is not None:
        try:
            data = parse(data)
        except ProviderError:
            _evict(session, response)
            raise
    if not getattr(response, "from_cache", False):
        breaker.record_success()
    return data


def provider_response(
    session: requests.Session, provider: str, method: str, url: str, *, breaker: CircuitBreaker, **kwargs: Any
) -> requests.Response:
    """The HTTP half of `request_json`, for answers it does not parse (HTML, or JSON whose headers
    are needed): circuit check, network errors and 4xx/5xx as ProviderError, failures counted.
    The caller records the success once it has read the body."""
    circuit_open = not breaker.allow()
    if circuit_open and not isinstance(session, CacheMixin):
        raise ProviderError(provider, "skipped while the circuit is open", retryable=True)
    started = time.perf_counter()
    try:
        # While the circuit is open, an answer still in the HTTP cache is served; nothing is sent.
        response = session.request(method, url, only_if_cached=True, **kwargs) if circuit_open else session.request(method, url, **kwargs)
    except requests.RequestException as exc:
        breaker.record_failure()
        # Not chained: the requests exception's text holds the full URL, with any key in the query.
        raise ProviderError(provider, f"{type(exc).__name__} after {time.perf_counter() - started:.1f}s", retryable=True) from None
    # requests-cache answers a cache miss under only_if_cached with a synthetic 504.
    if circuit_open and (response.status_code == 504 or not getattr(response, "from_cache", False)):
        raise ProviderError(provider, "skipped while the circuit is open", retryable=True)
    if not circuit_open and getattr(response, "from_cache", False) and getattr(response, "is_expired", False):
        # An expired answer comes back only when the live call failed (stale_if_error): it is
        # still used, but the failure counts, or the circuit would never open for cells answered
        # before and each of them would pay the full timeouts.
        breaker.record_failure()
        logger.warning("%s failed after %.1fs; its expired cached answer is used", provider, time.perf_counter() - started)
    if response.status_code >= 400:
        retryable = response.status_code in RETRYABLE_STATUSES
        if retryable:
            breaker.record_failure()
        raise ProviderError(provider, f"HTTP {response.status_code}", retryable=retryable, status=response.status_code)
    return response


def _evict(session: requests.Session, response: requests.Response) -> None:
    """Drops a cached answer (requests-cache sets `cache_key` on what it stored or served)."""
    key = getattr(response, "cache_key", None)
    backend = getattr(session, "cache", None)
    if key and backend is not None:
        try:
            backend.delete(key)
        except Exception:  # the cache is best effort; the error being raised matters more
            logger.warning("Could not drop a bad cached answer", exc_info=True)
