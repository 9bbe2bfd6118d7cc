"""Rate limits as a DRF throttle, counted by django-ratelimit on the shared cache.

Each view names its group (`ratelimit_group = "chat"`), or one per HTTP method
(`ratelimit_group = {"DELETE": "password"}`, other methods "default"); the rate comes from
settings.RATELIMITS[group] or settings.RATELIMIT_DEFAULT. DRF turns a refusal into 429 with
Retry-After. Counters live in the shared cache, so they are shared by every worker and instance
and fall back to per-process memory when Redis is down.

Signed in, the budget is the user's, counted by the authentication in the round trip that reads
the user's row (counter_in_advance, accounts/authentication.py) and given back if the token is
then refused; otherwise the client address's (`client_key`): an IPv4 address, or an IPv6
address's /64 (one subscriber's network: its addresses are not separate budgets). Behind TRUSTED_PROXY_COUNT proxies the address is read from X-Forwarded-For, else it is
the peer's (REMOTE_ADDR). That count must match the deployment: too low, every client is counted as
the proxy; reached past the proxies, a client picks its own address with the header. What can be
noticed of that is: a deployment with no proxy trusted (`manage.py check --deploy`, violetvibes.W001)
and requests that arrive without the entries the trusted proxies add (logged once per process).

Failure limits (`failures_counted`) count what went wrong rather than requests: wrong passwords,
signups for an email that has an account. They are named in settings.FAILURE_LIMITS; see there.
"""

import hashlib
import ipaddress
import logging
import math
import re
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.signals import setting_changed
from django.http import HttpRequest
from django_ratelimit import core as ratelimit_core
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from . import state
from .cache import incr_in_window
from .errors import DomainError

logger = logging.getLogger(__name__)

IPV6_NETWORK_PREFIX = 64
# What some proxies append: an address with its port ("203.0.113.5:443", "[2001:db8::1]:443").
_WITH_PORT = re.compile(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::\d{1,5})?|(?P<v4>\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}")

_proxy_warning_logged = False


@state.on_reset
def _forget_proxy_warning() -> None:
    global _proxy_warning_logged
    _proxy_warning_logged = False


def trusted_proxy_count() -> int:
    """TRUSTED_PROXY_COUNT (DRF's NUM_PROXIES); anything but a whole number >= 0 counts as 0 (and is a
    system check error, violetvibes.E001): DRF would read None as "trust the whole header"."""
    count = api_settings.NUM_PROXIES
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    with_port = _WITH_PORT.fullmatch(text)
    if with_port:
        text = with_port.group("v6") or with_port.group("v4")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request: Request | HttpRequest) -> str:
    """The client's address: the peer's (REMOTE_ADDR), or behind N trusted proxies the N-th entry
    of X-Forwarded-For from the right (the one the outermost trusted proxy appended; whatever the
    client wrote before it is not read). An entry there that is not an address falls back to the
    peer's, so that junk in the header is not one budget shared by everyone who sends it. A server
    may pass no REMOTE_ADDR at all (a unix socket): those requests share one address, "unknown"."""
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = trusted_proxy_count()
    if not proxies:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    entries = header.split(",") if header else []
    if len(entries) < proxies:
        _warn_untrusted_path(found=len(entries), proxies=proxies)
    if not entries:
        return peer
    address = _address(entries[-min(proxies, len(entries))])
    return str(address) if address is not None else peer


def client_key(request: Request | HttpRequest) -> str:
    """The anonymous budget's key: the client's IPv4 address, or its IPv6 address's /64."""
    text = client_ip(request)
    address = _address(text)
    if address is None:
        return text
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_NETWORK_PREFIX), strict=False))
    return str(address)


def _warn_untrusted_path(*, found: int, proxies: int) -> None:
    # Behind the configured proxies every request carries at least one entry per proxy: fewer means
    # the app is reachable without them (a client could then choose its address) or the count is
    # wrong. Once per process: it is a deployment's state, not a request's.
    global _proxy_warning_logged
    if _proxy_warning_logged:
        return
    _proxy_warning_logged = True
    logger.warning(
        "A request came with %d X-Forwarded-For entries while TRUSTED_PROXY_COUNT=%d proxies should add "
        "one each: the app is reached without passing them, or TRUSTED_PROXY_COUNT does not match the "
        "deployment (README, Security). Logged once per process.",
        found,
        proxies,
    )


def rate_for(group: str) -> str:
    return settings.RATELIMITS.get(group, settings.RATELIMIT_DEFAULT)


@dataclass(frozen=True)
class RateCounter:
    """One budget's counter in one group: django-ratelimit's window and counter key (a window per
    key, staggered by a hash of it, so that they do not all restart at once)."""

    group: str
    key: str  # the budget: "user:<pk>" or "ip:<address>"
    cache_key: str
    timeout: int
    limit: int
    window: int  # when the current window ends (epoch seconds)

    @classmethod
    def of(cls, *, group: str, key: str) -> "RateCounter":
        rate = rate_for(group)
        window = ratelimit_core._get_window(key, _split_rate(rate)[1])
        return _counter(group, key, rate, window)

    def wait(self, count: int) -> int | None:
        """The seconds to wait with this count, None: under the limit."""
        if count <= self.limit:
            return None
        return max(1, self.window - int(ratelimit_core.time.time()))


@lru_cache(maxsize=64)
def _split_rate(rate: str) -> tuple[int, int]:
    return ratelimit_core._split_rate(rate)


@lru_cache(maxsize=4096)
def _counter(group: str, key: str, rate: str, window: int) -> RateCounter:
    """The counter of `key` in `group` for the window ending at `window`: its cache key (a hash) is
    worked out once per budget and window, not once per request (a RateCounter is immutable)."""
    limit, period = _split_rate(rate)
    cache_key = ratelimit_core._make_cache_key(group, window, rate, key, ratelimit_core.ALL)
    return RateCounter(group, key, cache_key, period + ratelimit_core.EXPIRATION_FUDGE, limit, window)


def _forget_counters(**kwargs: Any) -> None:
    # django-ratelimit reads RATELIMIT_CACHE_PREFIX and RATELIMIT_HASH_ALGORITHM into the cache key.
    if kwargs.get("setting", "").startswith("RATELIMIT_"):
        _counter.cache_clear()


setting_changed.connect(_forget_counters)
state.on_reset(_counter.cache_clear)


def hit(request: Request, *, group: str, key: str) -> int | None:
    """Counts one request of `key` in `group`; returns the seconds to wait when over the limit.

    Counted in one round trip to the shared cache instead of django-ratelimit's add + incr
    (violetvibes.cache.incr_in_window), or not at all here when authentication already counted it
    with the user's row (counted_in_advance). A counter that cannot be read lets the request
    through (RATELIMIT_FAIL_OPEN)."""
    if not settings.RATELIMIT_ENABLE:
        return None
    advance = getattr(request, "_ratelimit_counted", None)
    if advance is not None and (advance[0].group, advance[0].key) == (group, key):
        return advance[0].wait(advance[1])
    counter = RateCounter.of(group=group, key=key)
    try:
        count = incr_in_window(_cache(), counter.cache_key, counter.timeout)
    except Exception:
        if not settings.RATELIMIT_FAIL_OPEN:
            raise
        logger.warning("Rate limit counter unavailable for %s; the request is let through", group, exc_info=True)
        return None
    return counter.wait(count)


def counter_in_advance(request: Request, view: object, *, user_id: int) -> RateCounter | None:
    """The counter RateLimitThrottle will count this request on once the token of `user_id` is
    accepted, for authentication to count it in the same round trip as it reads the user's row
    (accounts/authentication.py); record the count with counted_in_advance, and give it back with
    uncount if the token is refused after all. None: nothing to count in advance (rate limits off,
    the view not limited or not throttled by RateLimitThrottle, counters on another cache than the
    user's row)."""
    if not settings.RATELIMIT_ENABLE or settings.RATELIMIT_USE_CACHE != DEFAULT_CACHE_ALIAS:
        return None
    throttles = getattr(view, "throttle_classes", ())
    if not any(isinstance(cls, type) and issubclass(cls, RateLimitThrottle) for cls in throttles):
        return None
    group = group_for(request, view)
    return None if group is None else RateCounter.of(group=group, key=f"user:{user_id}")


def counted_in_advance(request: Request, counter: RateCounter, count: int) -> None:
    request._ratelimit_counted = (counter, count)


def uncount(request: Request, counter: RateCounter) -> None:
    """Gives back a count taken in advance for a token then refused: a revoked token must not spend
    its user's budget."""
    request._ratelimit_counted = None
    try:
        _cache().decr(counter.cache_key)
    except ValueError:  # expired, or counted on the other side of a Redis outage
        pass
    except Exception:
        logger.warning("Rate limit counter unavailable for %s; a refused request stays counted", counter.group, exc_info=True)


def group_for(request: Request, view: object) -> str | None:
    """The view's group for this request's method; None: not limited."""
    return method_group(view, request.method)


def method_group(view: object, method: str) -> str | None:
    """The view's group for `method` (also what the OpenAPI schema documents as a 429)."""
    group = getattr(view, "ratelimit_group", "default")
    if isinstance(group, dict):
        return group.get(method, "default")
    return group


class RateLimitThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: object) -> bool:
        group = group_for(request, view)
        if group is None:
            return True
        user = request.user
        key = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_key(request)}"
        self._wait = hit(request, group=group, key=key)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


# --- Failure limits ---------------------------------------------------------------------------------
class Locked(DomainError):
    """Too many recent failures for this key, for `wait` more seconds (rate_limited, with Retry-After)."""

    code = "rate_limited"

    def __init__(self, wait: int) -> None:
        super().__init__(wait=wait)


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
