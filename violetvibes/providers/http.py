"""One provider call over HTTP: circuit check, the request, status and JSON checks, and the
failure counted, or a `ProviderError`; and the JSON helpers provider parsers share."""

import logging
import math
import time
from collections.abc import Callable
from typing import Any

import requests
from requests_cache import CacheMixin
from urllib3.exceptions import ReadTimeoutError

from .breaker import CircuitBreaker
from .errors import CircuitOpen, ProviderError, ProviderTimeout
from .retry import RETRYABLE_STATUSES

logger = logging.getLogger(__name__)


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
    a 200 answer that is not JSON, or that `parse` rejects, is dropped from the HTTP cache (when
    the session has one) so that one bad answer is not served again for the whole cache lifetime.
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
        raise CircuitOpen(provider)
    started = time.perf_counter()
    try:
        # While the circuit is open, an answer still in the HTTP cache is served; nothing is sent.
        response = session.request(method, url, only_if_cached=True, **kwargs) if circuit_open else session.request(method, url, **kwargs)
    except requests.RequestException as exc:
        breaker.record_failure()
        elapsed = time.perf_counter() - started
        # Not chained: the requests exception's text holds the full URL, with any key in the query.
        if _read_timed_out(exc):
            raise ProviderTimeout(provider, f"read timeout after {elapsed:.1f}s") from None
        raise ProviderError(provider, f"{type(exc).__name__} after {elapsed:.1f}s", retryable=True) from None
    # requests-cache answers a cache miss under only_if_cached with a synthetic 504.
    if circuit_open and (response.status_code == 504 or not getattr(response, "from_cache", False)):
        raise CircuitOpen(provider)
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


def _read_timed_out(exc: requests.RequestException) -> bool:
    """A read timeout: requests' own, or urllib3's once its retries are spent (requests then wraps
    it in a ConnectionError)."""
    if isinstance(exc, requests.ReadTimeout):
        return True
    cause = exc.args[0] if exc.args else None  # the body's read, or urllib3's last try
    return isinstance(cause, ReadTimeoutError) or isinstance(getattr(cause, "reason", None), ReadTimeoutError)


def _evict(session: requests.Session, response: requests.Response) -> None:
    """Drops a cached answer (requests-cache sets `cache_key` on what it stored or served)."""
    key = getattr(response, "cache_key", None)
    backend = getattr(session, "cache", None)
    if key and backend is not None:
        try:
            backend.delete(key)
        except Exception:  # the cache is best effort; the error being raised matters more
            logger.warning("Could not drop a bad cached answer", exc_info=True)


# --- JSON helpers for provider parsers ------------------------------------------------------------------
def json_number(value: Any) -> float | None:
    """A finite JSON number as a float; None for anything else (bools, strings, NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def json_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
