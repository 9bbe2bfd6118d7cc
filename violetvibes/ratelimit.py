"""Rate limits as a DRF throttle, counted by django-ratelimit on the shared cache.

Each view names its group (`ratelimit_group = "chat"`), or one per HTTP method
(`ratelimit_group = {"DELETE": "password"}`, other methods "default"); the rate comes from
settings.RATELIMITS[group] or settings.RATELIMIT_DEFAULT. DRF turns a refusal into 429 with
Retry-After. Counters live in the shared cache, so they are shared by every worker and instance
and fall back to per-process memory when Redis is down.

Failure limits (`failures_counted`) count what went wrong rather than requests: wrong passwords,
signups for an email that has an account. They are named in settings.FAILURE_LIMITS; see there.
"""

import hashlib
import logging
import math
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)


def client_ip(request: Request | HttpRequest) -> str:
    # DRF's ident honours NUM_PROXIES (TRUSTED_PROXY_COUNT): REMOTE_ADDR unless proxies are trusted.
    # A server may pass no REMOTE_ADDR at all (a unix socket): those requests share one address.
    return BaseThrottle().get_ident(request) or "unknown"


def rate_for(group: str) -> str:
    return settings.RATELIMITS.get(group, settings.RATELIMIT_DEFAULT)


def hit(request: Request, *, group: str, key: str) -> int | None:
    """Counts one request of `key` in `group`; returns the seconds to wait when over the limit."""
    usage = get_usage(request, group=group, key=lambda _group, _request: key, rate=rate_for(group), increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def group_for(request: Request, view: object) -> str | None:
    """The view's group for this request's method; None: not limited."""
    group = getattr(view, "ratelimit_group", "default")
    if isinstance(group, dict):
        return group.get(request.method, "default")
    return group


class RateLimitThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: object) -> bool:
        group = group_for(request, view)
        if group is None:
            return True
        user = request.user
        key = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_ip(request)}"
        self._wait = hit(request, group=group, key=key)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


# --- Failure limits ---------------------------------------------------------------------------------
class Locked(Throttled):
    """Too many recent failures for this key: 429 rate_limited with Retry-After (the DRF handler)."""


@dataclass(frozen=True)
class FailureRule:
    """settings.FAILURE_LIMITS[name]: `failures` failures, counted for `window` seconds from the first
    one, lock the key for `lock` seconds; after a lock, one more try, and each further failure
    doubles the lock, up to `max_lock`. A lock always ends, so nobody is locked out for good."""

    name: str
    failures: int
    lock: int
    max_lock: int
    window: int

    @classmethod
    def named(cls, name: str) -> "FailureRule":
        return cls(name=name, **settings.FAILURE_LIMITS[name])

    def lock_seconds(self, count: int) -> int:
        return min(self.max_lock, self.lock * 2 ** min(max(count - self.failures, 0), 32))


def limit_key(*parts: str) -> str:
    """A cache key for these values: emails and addresses stay out of the cache's key names."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _cache() -> Any:
    return caches[settings.RATELIMIT_USE_CACHE]


@dataclass
class _Counter:
    rule: FailureRule
    key: str
    number: int = 0  # this attempt's place in the count while it is counted; 0 once settled

    @property
    def count_key(self) -> str:
        return f"fail:{self.rule.name}:{self.key}"

    @property
    def lock_key(self) -> str:
        return f"fail-lock:{self.rule.name}:{self.key}"

    def lock(self) -> tuple[float, int] | None:
        """(until, the count it was set at), kept as long as the count: the try after it is known."""
        value = _cache().get(self.lock_key)
        return tuple(value) if isinstance(value, (tuple, list)) and len(value) == 2 else None

    def set_lock(self, count: int, now: float) -> int:
        seconds = self.rule.lock_seconds(count)
        _cache().set(self.lock_key, (now + seconds, count), timeout=max(self.rule.window, seconds) + 60)
        return seconds

    def increment(self) -> int:
        cache = _cache()
        cache.add(self.count_key, 0, timeout=self.rule.window)  # the window runs from the first failure
        try:
            return cache.incr(self.count_key)
        except ValueError:  # expired between the two calls
            cache.set(self.count_key, 1, timeout=self.rule.window)
            return 1

    def undo(self) -> None:
        if not self.number:
            return
        self.number = 0
        cache = _cache()
        try:
            if cache.decr(self.count_key) < 0:
                cache.delete(self.count_key)
        except ValueError:  # expired, reset, or written to the other side of a Redis outage
            pass

    def reset(self) -> None:
        self.number = 0
        _cache().delete_many([self.count_key, self.lock_key])


def _seconds(until: float, now: float) -> int:
    return max(1, math.ceil(until - now))


class FailureAttempt:
    """One attempt, counted as a failure from the start (so that a burst of concurrent attempts
    cannot all pass before the first of them fails) until it is settled otherwise."""

    def __init__(self, counters: list[_Counter], label: str) -> None:
        self.counters = counters
        self.label = label

    def _begin(self) -> None:
        now = time.time()
        for counter in self.counters:
            lock = counter.lock()
            if lock and lock[0] > now:
                raise Locked(_seconds(lock[0], now))
        for counter in self.counters:
            counter.number = counter.increment()
        for counter in self.counters:
            if counter.number <= counter.rule.failures:
                continue
            lock = counter.lock()
            # Past the limit, each lock lets one try through when it ends: the next one in the count.
            if lock and lock[0] <= now and counter.number == lock[1] + 1:
                continue
            number = counter.number
            self.passed()  # not tried: not a failure
            if lock and lock[0] > now:
                raise Locked(_seconds(lock[0], now))
            # Another attempt took the try, or the lock was lost (evicted, a Redis outage): lock again
            # at the level of the count, which lets the next try through when it ends.
            raise Locked(counter.set_lock(max(number - 1, counter.rule.failures), now))

    def failed(self) -> None:
        now = time.time()
        for counter in self.counters:
            if counter.number >= counter.rule.failures:
                seconds = counter.set_lock(counter.number, now)
                logger.warning(
                    "%s locked for %s s after %s failures (%s)", counter.rule.name, seconds, counter.number, self.label
                )
            counter.number = 0

    def passed(self) -> None:
        """Not a failure (a success, or not tried at all): the attempt is taken off the counts."""
        for counter in self.counters:
            counter.undo()

    def succeeded(self, *, reset: Collection[str] = ()) -> None:
        """A success: taken off the counts, and the counts of the rules named in `reset` start again."""
        for counter in self.counters:
            if counter.rule.name in reset:
                counter.reset()
            else:
                counter.undo()


@contextmanager
def failures_counted(limits: Sequence[tuple[str, str]], *, label: str) -> Iterator[FailureAttempt]:
    """Counts one attempt against each (rule name, key) of `limits`; raises Locked (429) instead of
    letting it through while one of them is locked. The block settles the attempt with `failed()`,
    `succeeded()` or `passed()`; left otherwise (an exception, an outage) it counts as not tried.
    `label` names who and where in the warning logged when a key is locked (email, address).

    On the shared cache: every instance sees the same counts. While Redis is down each process
    counts on its own (violetvibes/cache.py), so the limits hold per process until it is back.
    """
    counters = [_Counter(FailureRule.named(name), limit_key(key)) for name, key in limits] if settings.RATELIMIT_ENABLE else []
    attempt = FailureAttempt(counters, label)
    attempt._begin()
    try:
        yield attempt
    finally:
        attempt.passed()  # nothing left to undo once settled
