"""When a provider call is tried again: one policy, in two places.

**The transport** (`transport_retry`, on every requests session of session.py) retries a lost
connection, 429 and 5xx up to `OUTBOUND_RETRIES` times (2), at once and then after 0.4 s, 0.8 s,
... (at most 1 s). Never a read timeout: a provider that hangs once hangs again, and a student is
waiting. Retry-After is not honoured, so that a provider cannot hold a worker.

**Above the transport** (`retried`, tenacity), for what the transport cannot see, with the same
count and waits:

| Call | Retried on | Why not the transport |
|---|---|---|
| Gemini (chat/llm/gemini.py) | a lost connection, 408, 429, 5xx; never a timeout; all within the call's own time limit | the SDK talks httpx, not requests |
| Google Geocoding (places/providers/google_geocoding.py) | `OVER_QUERY_LIMIT`, `UNKNOWN_ERROR` (Google's "try again", under HTTP 200); a read timeout | a 200 is a success to HTTP; it runs in the hourly sync, where nobody waits |
| Event pages (events/sources/) | a read timeout | the sync job is background work: nobody waits on it |

An open circuit is never retried: the breaker (breaker.py) is what stops the calls. Gemini's
tries count once on its breaker, as the transport's tries of one request do; a timed-out try of
background work counts each time, so that a provider hanging on the sync job opens its circuit
and the job's other calls skip it.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import tenacity
from django.conf import settings
from urllib3.util.retry import Retry

from .errors import CircuitOpen, ProviderError, ProviderTimeout

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
BACKOFF_FACTOR = 0.2  # urllib3's: the first retry at once, then 0.4 s, 0.8 s, ...
BACKOFF_MAX = 1.0
# A retry that would have less than this left of its call's time limit is not started.
MIN_ATTEMPT_SECONDS = 1.0


def transport_retry() -> Retry:
    """urllib3's retries for a requests session (see the module docstring)."""
    retries = settings.OUTBOUND_RETRIES
    return Retry(
        total=retries,
        connect=retries,
        read=0,
        status=retries,
        other=0,
        status_forcelist=RETRYABLE_STATUSES,
        allowed_methods=None,
        backoff_factor=BACKOFF_FACTOR,
        backoff_max=BACKOFF_MAX,
        respect_retry_after_header=False,
        raise_on_status=False,
    )


# --- What is retried above the transport --------------------------------------------------------------
def answered_retryable(error: ProviderError) -> bool:
    """For a client with no transport retries below it (Gemini): what it calls retryable (a lost
    connection, 408, 429, 5xx) but a timeout or an open circuit."""
    return error.retryable and not isinstance(error, (ProviderTimeout, CircuitOpen))


def timed_out(error: ProviderError) -> bool:
    """For background work over the retrying transport, which has retried everything else."""
    return isinstance(error, ProviderTimeout)


def backoff_seconds(retry: int) -> float:
    """The wait before retry number `retry` (1, 2, ...), as urllib3 computes it for the transport."""
    return 0.0 if retry <= 1 else min(BACKOFF_MAX, BACKOFF_FACTOR * 2 ** (retry - 1))


def sleep(seconds: float) -> None:
    """The wait between tries (tests replace it: they never wait on the wall clock)."""
    time.sleep(seconds)


def retried(attempt: Callable[[], T], *, when: Callable[[ProviderError], bool], budget_s: float | None = None) -> T:
    """attempt(), tried again while it raises a ProviderError that `when` accepts, at most
    OUTBOUND_RETRIES more times, waiting as the transport does; with `budget_s`, no try starts
    with less than MIN_ATTEMPT_SECONDS left of that many seconds from the first. The last error
    is raised as it is."""

    def log_retry(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        logger.info("%s; try %s of %s in %.1fs", error, state.attempt_number + 1, settings.OUTBOUND_RETRIES + 1, state.upcoming_sleep)

    stop = tenacity.stop_after_attempt(settings.OUTBOUND_RETRIES + 1)
    if budget_s is not None:
        stop |= tenacity.stop_before_delay(max(0.0, budget_s - MIN_ATTEMPT_SECONDS))
    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(lambda error: isinstance(error, ProviderError) and when(error)),
        stop=stop,
        wait=lambda state: backoff_seconds(state.attempt_number),
        sleep=lambda seconds: sleep(seconds),
        before_sleep=log_retry,
        reraise=True,
    )
    return retrying(attempt)
