"""A circuit breaker per provider, in the shared cache, so that every worker and instance skips a
failing provider together."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


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
