"""The shared cache: Redis, with a per-process memory fallback while Redis is unreachable.

Conversation memory, rate-limit counters and cached provider responses all live here. A Redis call
that fails (refused, timed out) is answered from a local-memory cache instead, and so is every call
for the next RETRY_AFTER_SECONDS: a dead or hung Redis costs one timeout per window, not one per
request. `ping()` (what /health calls) asks Redis itself and ends the window as soon as it answers.

The outage is per process, not per thread: Django gives each thread its own instance of the cache
(gunicorn runs 8 threads a worker) and they share one `_Outage`, so one thread's failure spares the
others a wait and one thread's successful ping brings them all back.

What a process wrote to its fallback, Redis still holds older values of (a conversation cleared or an
activity list dropped during the outage must not come back). So before its first Redis call after
such an outage, a process deletes those keys from Redis and empties its fallback; its other threads
wait for that (one round trip). A cache miss is always safe; an old value is not.
"""

import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import state

logger = logging.getLogger(__name__)

_REDIS_DOWN = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)
# Keys remembered per outage and process; past this, the rest may be stale until they expire.
MAX_OUTAGE_KEYS = 50_000
# incr_in_window's one command: the count, with the window's expiry set by its first count.
_INCR_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
# The same count, then the values of KEYS[2..] (MGET): a signed-in request's rate-limit count and
# the user's row in one round trip (accounts/usercache.py).
_INCR_IN_WINDOW_THEN_GET = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local values = redis.call('MGET', unpack(KEYS, 2))
table.insert(values, 1, count)
return values
"""


@dataclass
class _Outage:
    """One process's view of Redis for one cache, shared by every thread's instance of it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    down_until: float = 0.0  # time.monotonic()
    written: set[str] = field(default_factory=set)  # Redis keys written to the fallback


_outages: dict[str, _Outage] = {}
state.on_reset(_outages.clear)  # a new process knows of no outage


def _with_fallback(name: str, writes: str | None = None) -> Callable[..., Any]:
    """The cache method `name`: Redis's, or the fallback's while Redis is down. `writes` names its
    argument holding the key (or keys) it changes, remembered for when Redis is back."""
    signature = inspect.signature(getattr(BaseCache, name))

    def method(self: "ResilientRedisCache", *args: Any, **kwargs: Any) -> Any:
        if self._use_redis():
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        if writes:
            arguments = signature.bind(self, *args, **kwargs).arguments
            keys = [arguments[writes]] if writes == "key" else arguments[writes]
            self._remember([self.make_key(key, arguments.get("version")) for key in keys])
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    get = _with_fallback("get")
    get_many = _with_fallback("get_many")
    has_key = _with_fallback("has_key")
    add = _with_fallback("add", writes="key")
    set = _with_fallback("set", writes="key")
    touch = _with_fallback("touch", writes="key")
    delete = _with_fallback("delete", writes="key")
    incr = _with_fallback("incr", writes="key")
    decr = _with_fallback("decr", writes="key")
    set_many = _with_fallback("set_many", writes="data")
    delete_many = _with_fallback("delete_many", writes="keys")
    clear = _with_fallback("clear")

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        name = f"{server}|{self.key_prefix}"
        same_keys = {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION") if key in params}
        self.fallback = LocMemCache(f"fallback-{name}", {"OPTIONS": {"MAX_ENTRIES": 10000}, **same_keys})
        self._outage = _outages.setdefault(name, _Outage())  # atomic: no two threads get two
        self._incr_script: Any = None
        self._incr_then_get_script: Any = None

    def get_shared(self, key: str, default: Any = None) -> Any:
        """Redis's value, never the fallback's: `default` while Redis is unreachable.

        For values whose copy in one process's fallback could be out of date with what another
        process changed (accounts/usercache.py: the user row behind a token): the caller then reads
        the database instead."""
        if self._use_redis():
            try:
                return RedisCache.get(self, key, default)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return default

    def get_many_shared(self, keys: list[str]) -> dict[str, Any]:
        """get_many from Redis only (one round trip); {} while Redis is unreachable (see get_shared)."""
        if self._use_redis():
            try:
                return RedisCache.get_many(self, keys)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return {}

    def add_shared(self, key: str, value: Any, timeout: float) -> bool:
        """cache.add to Redis only; False (nothing written anywhere) while Redis is unreachable."""
        if self._use_redis():
            try:
                return bool(RedisCache.add(self, key, value, timeout))
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return False

    def incr_in_window(self, key: str, timeout: int) -> int:
        """Counts one more under `key`, which expires `timeout` seconds after its first count.

        One command to Redis (a script: INCR, and EXPIRE on the first count), where Django's
        add + incr take two round trips: every rate-limited request pays for it
        (docs/BENCHMARKS.md). A script runs atomically, so the counter never lives without its
        expiry."""
        if self._use_redis():
            try:
                client = self.client.get_client(write=True)
                if self._incr_script is None:
                    self._incr_script = client.register_script(_INCR_IN_WINDOW)  # EVALSHA, loaded on first use
                return int(self._incr_script(keys=[self.make_key(key)], args=[timeout], client=client))
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        self._remember([self.make_key(key)])
        return incr_in_window(self.fallback, key, timeout)

    def incr_in_window_get_many_shared(self, counter_key: str, timeout: int, keys: list[str]) -> tuple[int, dict[str, Any]]:
        """incr_in_window(counter_key) and get_many_shared(keys) in one round trip (one script).

        While Redis is unreachable the count is the fallback's, as incr_in_window's, and the values
        are none at all, as get_many_shared's."""
        if self._use_redis():
            try:
                client = self.client.get_client(write=True)
                if self._incr_then_get_script is None:
                    self._incr_then_get_script = client.register_script(_INCR_IN_WINDOW_THEN_GET)
                reply = self._incr_then_get_script(
                    keys=[self.make_key(counter_key), *(self.make_key(key) for key in keys)], args=[timeout], client=client
                )
                found = {key: self.client.decode(value) for key, value in zip(keys, reply[1:], strict=True) if value is not None}
                return int(reply[0]), found
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return self.incr_in_window(counter_key, timeout), {}

    def redis_available(self) -> bool:
        """False within RETRY_AFTER_SECONDS of a failed Redis call."""
        return time.monotonic() >= self._outage.down_until

    def ping(self) -> bool:
        """Asks Redis itself (never the fallback); a success puts Redis back in use at once."""
        try:
            self.client.get_client().ping()
        except _REDIS_DOWN as exc:
            self._mark_down(exc)
            return False
        self._outage.down_until = 0.0
        return True

    def _mark_down(self, exc: BaseException) -> None:
        if self.redis_available():
            logger.warning("Redis unreachable (%s); using the in-process cache for %ss", type(exc).__name__, self.retry_after)
        self._outage.down_until = time.monotonic() + self.retry_after

    def _remember(self, keys: list[str]) -> None:
        outage = self._outage
        with outage.lock:
            outage.written.update(keys[: max(0, MAX_OUTAGE_KEYS - len(outage.written))])

    def _use_redis(self) -> bool:
        """Redis is available and holds nothing older than the fallback (see the module docstring)."""
        outage = self._outage
        if not self.redis_available():
            return False
        if not outage.written:
            return True
        with outage.lock:  # one thread deletes the keys; the others wait, then use Redis
            if outage.written and self.redis_available():
                self._reconcile(list(outage.written))
            return not outage.written and self.redis_available()

    def _reconcile(self, keys: list[str]) -> None:
        """Deletes the outage's keys from Redis, then forgets them and empties the fallback."""
        try:
            client = self.client.get_client(write=True)
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
        except _REDIS_DOWN as exc:
            self._mark_down(exc)  # keeps them for the next try
            return
        self._outage.written.clear()
        self.fallback.clear()
        if len(keys) >= MAX_OUTAGE_KEYS:
            logger.warning("Redis is back; keys past the first %s written during the outage may be stale until they expire", MAX_OUTAGE_KEYS)
        logger.info("Redis is back; %s keys written during the outage were deleted from it", len(keys))


def incr_in_window(cache: Any, key: str, timeout: int) -> int:
    """Counts one more under `key` of any Django cache, the key expiring `timeout` seconds after its
    first count; on the shared cache in one round trip (ResilientRedisCache.incr_in_window)."""
    own = getattr(cache, "incr_in_window", None)
    if own is not None:
        return own(key, timeout)
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout)
        return 1


def incr_in_window_get_many(cache: Any, counter_key: str, timeout: int, keys: list[str]) -> tuple[int, dict[str, Any]]:
    """incr_in_window(cache, counter_key, timeout) and the values of `keys`; on the shared cache in one
    round trip, the values from Redis only (ResilientRedisCache.incr_in_window_get_many_shared)."""
    own = getattr(cache, "incr_in_window_get_many_shared", None)
    if own is not None:
        return own(counter_key, timeout, keys)
    return incr_in_window(cache, counter_key, timeout), cache.get_many(keys)
