"""Google Geocoding: coordinates for an address in New York State.

    GET {GOOGLE_MAPS_BASE_URL}/maps/api/geocode/json?address=...&components=administrative_area:NY|country:US&key=...

This API takes its key in the query only: the key is left out of the HTTP cache's key and of the
stored answer (violetvibes.providers.session.SECRET_PARAMETERS) and redacted from the logs.

Google answers quota, key and server trouble with HTTP 200 and an error status. OVER_QUERY_LIMIT
(too many requests a second) and UNKNOWN_ERROR are Google's "try again": they are tried again
(violetvibes/providers/retry.py), as is a read timeout, since geocoding runs in the hourly sync
where nobody waits. The other error statuses fail at once. No error answer is cached; an answer,
ZERO_RESULTS included, is cached for 30 days.
"""

from typing import Any

from django.conf import settings

from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import json_number, request_json
from violetvibes.providers.retry import retried, timed_out
from violetvibes.providers.session import shared_session

from .types import Geocoded

PROVIDER = "google_geocoding"
CACHE_NAMESPACE = "geocode"
CACHE_SECONDS = 30 * 24 * 3600
COMPONENTS = "administrative_area:NY|country:US"

_TRY_AGAIN_STATUSES = frozenset({"OVER_QUERY_LIMIT", "UNKNOWN_ERROR"})
_ERROR_STATUSES = frozenset({"OVER_DAILY_LIMIT", "REQUEST_DENIED", "INVALID_REQUEST"})


class _TryAgain(ProviderError):
    def __init__(self, status: str) -> None:
        super().__init__(PROVIDER, f"status {status}", retryable=True)


def configured() -> bool:
    return bool(settings.GOOGLE_API_KEY)


def geocode(address: str) -> Geocoded | None:
    """Google's first result for `address`; None when Google knows no such place (ZERO_RESULTS, or a
    result without coordinates). Raises ProviderError (a blank address or no key: without a call)."""
    if not configured():
        raise ProviderError(PROVIDER, "GOOGLE_API_KEY is not configured")
    if not isinstance(address, str) or not address.strip():
        raise ProviderError(PROVIDER, "a blank address")

    def attempt() -> Geocoded | None:
        return request_json(
            shared_session(CACHE_NAMESPACE, CACHE_SECONDS),
            PROVIDER,
            "GET",
            f"{str(settings.GOOGLE_MAPS_BASE_URL).rstrip('/')}/maps/api/geocode/json",
            params={"address": address, "components": COMPONENTS, "key": settings.GOOGLE_API_KEY},
            parse=_parse,
        )

    return retried(attempt, when=lambda error: isinstance(error, _TryAgain) or timed_out(error))


# --- Parsing (a ProviderError here also drops the answer from the HTTP cache) --------------------------
def _parse(data: Any) -> Geocoded | None:
    if not isinstance(data, dict):
        raise ProviderError(PROVIDER, "response is not a JSON object")
    status = data.get("status")
    if status in _TRY_AGAIN_STATUSES:
        raise _TryAgain(status)
    if status in _ERROR_STATUSES:
        raise ProviderError(PROVIDER, f"status {status}")
    results = data.get("results")
    first = results[0] if isinstance(results, list) and results else None
    geometry = first.get("geometry") if isinstance(first, dict) else None
    location = geometry.get("location") if isinstance(geometry, dict) else None
    lat = json_number(location.get("lat")) if isinstance(location, dict) else None
    lng = json_number(location.get("lng")) if isinstance(location, dict) else None
    if lat is None or lng is None:
        return None
    types = first.get("types")
    return Geocoded(lat=lat, lng=lng, types=tuple(kind for kind in types if isinstance(kind, str)) if isinstance(types, list) else ())
