"""The shared cache: Redis, with a per-process memory fallback while Redis is unreachable.

Conversation memory, rate-limit counters and cached provider responses all live here. When
Redis stops answering, every operation is served from a local-memory cache instead of raising,
and Redis is tried again after RETRY_AFTER_SECONDS; once it answers, it is used again.

The outage is seen per process, not per thread: Django gives each thread its own instance of the
cache (gunicorn runs 8 threads a worker), and they all share one `_Outage` record, so one
thread's failed call spares the others a wait and one successful ping brings them all back.

Coming back, a process first deletes from Redis every key it wrote or deleted during the outage
(Redis still holds the values from before, which those writes replaced: a conversation cleared
or an activity list dropped during the outage must not come back), then empties its fallback (so
the next outage does not start from this one's values). One thread does this while the others keep
to the fallback, until the deletes are done. A cache miss is always safe; an old value
is not.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_REDIS_DOWN = (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError)

# The Django cache API; each call goes to Redis, or to the fallback while Redis is down.
_CACHE_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "has_key",
    "incr",
    "decr",
    "clear",
)


# Writes whose keys are remembered while they go to the fallback: one key first, or many.
_KEY_WRITES = {"add", "set", "touch", "delete", "incr", "decr"}
_MANY_WRITES = {"set_many", "delete_many"}
# Keys remembered per outage and process; past this, the rest is logged as not reconciled.
MAX_OUTAGE_KEYS = 50_000

# incr_in_window's one command: the count, with the window's expiry set by its first count.
_INCR_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@dataclass
class _Outage:
    """One process's view of Redis for one cache, shared by every thread's instance of it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    # Held by the one thread deleting the outage's keys from Redis (see `_reconcile`).
    reconciling: threading.Lock = field(default_factory=threading.Lock)
    down_until: float = 0.0
    # What the process did to the fallback since Redis last answered (see the module docstring).
    fallback_used: bool = False
    keys: set[tuple[str, int | None]] = field(default_factory=set)
    dropped: int = 0


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(name: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(name, _Outage())


def _resilient(name: str) -> Callable[..., Any]:
    redis_method = getattr(RedisCache, name)

    def method(self: "ResilientRedisCache", *args: Any, **kwargs: Any) -> Any:
        if self.redis_available() and self._reconcile():
            try:
                return redis_method(self, *args, **kwargs)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        self._remember(name, args, kwargs)
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self.fallback = LocMemCache(f"fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 10000}, **self._fallback_params(params)})
        self._outage = _outage_for(f"{server}|{self.key_prefix}")
        self._incr_script: Any = None

    @staticmethod
    def _fallback_params(params: dict[str, Any]) -> dict[str, Any]:
        return {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION") if key in params}

    def redis_available(self) -> bool:
        return time.monotonic() >= self._outage.down_until

    def _mark_down(self, exc: BaseException) -> None:
        if self._outage.down_until == 0.0 or self.redis_available():
            logger.warning("Redis unreachable (%s); using the in-process cache for %ss", type(exc).__name__, self.retry_after)
        self._outage.down_until = time.monotonic() + self.retry_after

    def _remember(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Notes a fallback call; for a write, its keys (as given, with the `version` keyword if any)."""
        if name in _KEY_WRITES:
            keys = [args[0] if args else kwargs.get("key")]
        elif name in _MANY_WRITES:
            keys = list(args[0] if args else kwargs.get("data", kwargs.get("keys", ())))
        else:
            keys = []
        version = kwargs.get("version")
        outage = self._outage
        with outage.lock:
            outage.fallback_used = True
            for key in keys:
                if len(outage.keys) < MAX_OUTAGE_KEYS:
                    outage.keys.add((key, version))
                else:
                    outage.dropped += 1

    def _take_keys(self) -> tuple[set[tuple[str, int | None]], int]:
        """The outage's keys and their overflow count, handed over (call with the outage's lock held)."""
        outage = self._outage
        keys, dropped = outage.keys, outage.dropped
        outage.keys, outage.dropped = set(), 0
        return keys, dropped

    def _delete_from_redis(self, keys: set[tuple[str, int | None]]) -> None:
        by_version: dict[int | None, list[str]] = {}
        for key, version in keys:
            by_version.setdefault(version, []).append(key)
        for version, names in by_version.items():
            for start in range(0, len(names), 1000):
                RedisCache.delete_many(self, names[start : start + 1000], version=version)

    def _reconcile(self) -> bool:
        """Before the first Redis call after an outage: drop from Redis what the outage's writes replaced.

        One thread reconciles. Until it has finished, `fallback_used` stays set and every other call
        gets False and keeps to the fallback: Redis still holds values about to be deleted. False
        too (and Redis marked down again) if Redis fails meanwhile."""
        outage = self._outage
        if not outage.fallback_used:
            return True
        if not outage.reconciling.acquire(blocking=False):
            return False
        taken: set[tuple[str, int | None]] = set()
        dropped = 0
        try:
            with outage.lock:
                if not outage.fallback_used:  # another thread finished just before
                    return True
                taken, dropped = self._take_keys()
            try:
                self.client.get_client().ping()  # the fallback is emptied only once Redis has answered
                self._delete_from_redis(taken)
                # The keys other threads wrote to the fallback meanwhile (few: one round trip's worth)
                # are deleted with the lock held, so their next calls wait until Redis can be read.
                with outage.lock:
                    more, more_dropped = self._take_keys()
                    taken |= more
                    dropped += more_dropped
                    self._delete_from_redis(more)
                    self.fallback.clear()
                    outage.fallback_used = False
            except _REDIS_DOWN as exc:
                with outage.lock:  # keep them for the next attempt
                    outage.keys |= taken
                    outage.dropped += dropped
                self._mark_down(exc)
                return False
        finally:
            outage.reconciling.release()
        if dropped:
            logger.warning("Redis is back; %s keys written during the outage were not tracked and may be stale until they expire", dropped)
        logger.info("Redis is back; %s keys written during the outage were deleted from it", len(taken))
        return True

    def get_shared(self, key: str, default: Any = None) -> Any:
        """Redis's value, never the fallback's: `default` while Redis is unreachable.

        For values whose copy in one process's fallback could be out of date with what another
        process changed (accounts/usercache.py: the user row behind a token): the caller then reads
        the database instead."""
        if self.redis_available() and self._reconcile():
            try:
                return RedisCache.get(self, key, default)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return default

    def get_many_shared(self, keys: list[str]) -> dict[str, Any]:
        """get_many from Redis only (one round trip); {} while Redis is unreachable (see get_shared)."""
        if self.redis_available() and self._reconcile():
            try:
                return RedisCache.get_many(self, keys)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return {}

    def add_shared(self, key: str, value: Any, timeout: float) -> bool:
        """cache.add to Redis only; False (nothing written anywhere) while Redis is unreachable."""
        if self.redis_available() and self._reconcile():
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
        if self.redis_available() and self._reconcile():
            try:
                client = self.client.get_client(write=True)
                if self._incr_script is None:
                    self._incr_script = client.register_script(_INCR_IN_WINDOW)  # EVALSHA, loaded on first use
                return int(self._incr_script(keys=[self.client.make_key(key)], args=[timeout], client=client))
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        self._remember("incr", (key,), {})
        return incr_in_window(self.fallback, key, timeout)

    def ping(self) -> bool:
        """Asks Redis itself (never the fallback); a success puts Redis back in use at once."""
        try:
            self.client.get_client().ping()
        except _REDIS_DOWN as exc:
            self._mark_down(exc)
            return False
        self._outage.down_until = 0.0
        return True


for _name in _CACHE_METHODS:
    setattr(ResilientRedisCache, _name, _resilient(_name))


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
