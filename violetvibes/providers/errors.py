"""The one error type provider clients raise, and the two kinds of it that the retry policy and the
caches tell apart. Services catch `ProviderError` (all three) and degrade."""


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


class ProviderTimeout(ProviderError):
    """Asked, and no answer came within the read timeout. Retryable, but never retried while a
    student waits: a provider that hangs once hangs again (retry.py)."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(provider, message, retryable=True)


class CircuitOpen(ProviderError):
    """Not asked: the provider failed repeatedly and its circuit is open (breaker.py). Retryable
    later, never at once."""

    def __init__(self, provider: str) -> None:
        super().__init__(provider, "skipped while the circuit is open", retryable=True)
