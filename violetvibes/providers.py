"""What every provider client shares: one error type and one outbound HTTP session factory."""

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)


class ProviderError(Exception):
    """A provider (Google, OpenWeather, Gemini, an event source) did not give a usable answer.

    `retryable` says whether trying again later may help (network error, 429, 5xx) or not
    (bad key, 4xx, a response we cannot parse). Services catch this and degrade.
    """

    def __init__(self, provider: str, message: str, *, retryable: bool = False, status: int | None = None) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider
        self.retryable = retryable
        self.status = status


class _TimeoutSession(requests.Session):
    def __init__(self, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method: str, url: str, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


def outbound_session(*, retries: int | None = None, timeout: tuple[float, float] | None = None) -> requests.Session:
    """A session with a connect/read timeout on every call and bounded retries with backoff.

    Retries cover connection errors, 429 and 5xx only (urllib3 retries POSTs too: the provider
    calls we make are searches, safe to repeat). Retry-After is not honoured so that one slow
    provider cannot hold a worker.
    """
    session = _TimeoutSession(timeout or settings.OUTBOUND_TIMEOUT)
    total = settings.OUTBOUND_RETRIES if retries is None else retries
    retry = Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        status_forcelist=RETRYABLE_STATUSES,
        allowed_methods=None,
        backoff_factor=0.2,
        backoff_max=1.0,
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = "VioletVibes/1.0"
    return session


def raise_for_provider(provider: str, response: requests.Response) -> None:
    if response.status_code >= 400:
        raise ProviderError(
            provider,
            f"HTTP {response.status_code}",
            retryable=response.status_code in RETRYABLE_STATUSES,
            status=response.status_code,
        )
