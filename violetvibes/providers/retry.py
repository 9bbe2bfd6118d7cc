"""When a provider call is tried again.

**The transport** (`transport_retry`, on every requests session of session.py) retries a lost
connection, 429 and 5xx up to `OUTBOUND_RETRIES` times (2), at once and then after 0.4 s, 0.8 s,
... (at most 1 s). Never a read timeout: a provider that hangs once hangs again, and a student is
waiting. Retry-After is not honoured, so that a provider cannot hold a worker.
"""

from django.conf import settings
from urllib3.util.retry import Retry

RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
BACKOFF_FACTOR = 0.2  # urllib3's: the first retry at once, then 0.4 s, 0.8 s, ...
BACKOFF_MAX = 1.0


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
