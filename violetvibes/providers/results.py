"""A provider call's result in the shared cache, for the calls whose one cache layer is what the
caller made of the answer (Google's places saved as rows, walk times) rather than the HTTP answer:
read warm, that is one cache read, with no parsing and no database write.

The stale policy is the HTTP cache's (session.py): a result is used while fresh; once expired, the
provider is asked again, and if it fails (or its circuit is open) the expired result is still
used for STALE_SECONDS more. Only results are stored, never errors: nothing bad stays cached.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .errors import ProviderError
from .session import STALE_SECONDS

logger = logging.getLogger(__name__)

T = TypeVar("T")


def cached(
    key: str, fetch: Callable[[], T], *, fresh_seconds: int, stale_seconds: int = STALE_SECONDS, may_call: bool = True
) -> T | None:
    """The result under `key` while it is fresh; else fetch()'s, stored for `fresh_seconds` (and
    kept `stale_seconds` longer). When fetch() raises ProviderError, the expired result is used if
    one is kept, else the error is raised. With may_call=False nothing is fetched: the kept result,
    fresh or expired, or None."""
    stored = cache.get(key)
    now = time.time()
    if stored is not None and stored[0] + stale_seconds <= now:
        stored = None  # past its kept time (the cache's own expiry clears it; this does not rely on it)
    if stored is not None and stored[0] > now:
        return stored[1]
    if not may_call:
        return stored[1] if stored is not None else None
    try:
        value = fetch()
    except ProviderError as exc:
        if stored is None:
            raise
        age = now - (stored[0] - fresh_seconds)
        logger.warning("%s; its result from %.0f min ago is used", exc, age / 60)
        return stored[1]
    cache.set(key, (now + fresh_seconds, value), fresh_seconds + stale_seconds)
    return value
