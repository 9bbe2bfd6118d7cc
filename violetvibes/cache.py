"""The shared cache: Redis, with a per-process memory fallback while Redis is unreachable.

Conversation memory, rate-limit counters and cached provider responses all live here. When
Redis stops answering, every operation is served from a local-memory cache instead of raising,
and Redis is tried again after RETRY_AFTER_SECONDS; once it answers, it is used again.
"""

import logging
import time
from collections.abc import Callable
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


def _resilient(name: str) -> Callable[..., Any]:
    redis_method = getattr(RedisCache, name)

    def method(self: "ResilientRedisCache", *args: Any, **kwargs: Any) -> Any:
        if self.redis_available():
            try:
                return redis_method(self, *args, **kwargs)
            except _REDIS_DOWN as exc:
                self._mark_down(exc)
        return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self.fallback = LocMemCache(f"fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 10000}, **self._fallback_params(params)})
        self._down_until = 0.0

    @staticmethod
    def _fallback_params(params: dict[str, Any]) -> dict[str, Any]:
        return {key: params[key] for key in ("TIMEOUT", "KEY_PREFIX", "VERSION") if key in params}

    def redis_available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _mark_down(self, exc: BaseException) -> None:
        if self._down_until == 0.0 or self.redis_available():
            logger.warning("Redis unreachable (%s); using the in-process cache for %ss", type(exc).__name__, self.retry_after)
        self._down_until = time.monotonic() + self.retry_after

    def ping(self) -> bool:
        """Asks Redis itself (never the fallback); a success puts Redis back in use at once."""
        try:
            self.client.get_client().ping()
        except _REDIS_DOWN as exc:
            self._mark_down(exc)
            return False
        self._down_until = 0.0
        return True


for _name in _CACHE_METHODS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
