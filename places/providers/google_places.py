"""Google Places API (New): Nearby Search, Text Search and Place Photos media URIs.

Every call goes through `violetvibes.providers.http.request_json` (timeouts, retries, circuit
breaker). The API key travels in the X-Goog-Api-Key header only, never in a URL, and never ends up
in what these functions return. Any failure, including a response we cannot make sense of, is a
`ProviderError`.

The searches are not cached here: their one cache layer is the rows their caller saves
(places/candidates.py). Photo URIs are cached as HTTP answers (violetvibes/providers/__init__.py
lists every layer).
"""

import logging
import math
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import json_int, json_number, request_json
from violetvibes.providers.session import shared_session

from .. import hours
from .types import ProviderPlace

logger = logging.getLogger(__name__)

PROVIDER = "google_places"
PHOTOS_CACHE_NAMESPACE = "google_photos"
PHOTOS_CACHE_SECONDS = 3000  # photo URIs are short-lived at Google; stay well inside
# None kept past that: a short-lived URI kept longer may no longer open, so it is nothing to fall back on.
PHOTOS_STALE_SECONDS = 0

# Exactly the fields `_parse_place` reads: Google bills by the fields asked for.
FIELD_MASK = ",".join(
    (
        "places.id",
        "places.displayName",
        "places.formattedAddress",
        "places.location",
        "places.primaryType",
        "places.types",
        "places.rating",
        "places.userRatingCount",
        "places.priceLevel",
        "places.currentOpeningHours.openNow",
        "places.regularOpeningHours.weekdayDescriptions",
        "places.regularOpeningHours.periods",
        "places.photos.name",
        "places.editorialSummary",
        "places.servesVegetarianFood",
    )
)

PRICE_LEVELS: dict[str, int | None] = {
    "PRICE_LEVEL_UNSPECIFIED": None,
    "PRICE_LEVEL_FREE": 0,
    "PRICE_LEVEL_INEXPENSIVE": 1,
    "PRICE_LEVEL_MODERATE": 2,
    "PRICE_LEVEL_EXPENSIVE": 3,
    "PRICE_LEVEL_VERY_EXPENSIVE": 4,
}

MAX_RESULTS = 20  # Google's ceiling for maxResultCount: every search asks for all it may
MAX_RADIUS_M = 50_000  # Google's ceiling for a search circle
MAX_INCLUDED_TYPES = 50
MAX_PHOTO_PX = 4800
MAX_QUERY_CHARS = 200  # a text search is a few words a student asked for, never a paragraph
PHOTO_REF_RE = re.compile(r"^places/[A-Za-z0-9_-]+/photos/[A-Za-z0-9_-]+$")



def configured() -> bool:
    return bool(settings.GOOGLE_API_KEY)


# --- Public calls ------------------------------------------------------------------------------------
def search_nearby(
    *,
    lat: float,
    lng: float,
    radius_m: int,
    included_types: Sequence[str],
    breaker: CircuitBreaker | None = None,
) -> list[ProviderPlace]:
    """Places of the given types within `radius_m` of (lat, lng), most popular first.

    A caller making several searches may pass one `breaker` to all of them: its `failed` then says
    Google failed, even when an expired cached answer was still returned."""
    types = [included_types] if isinstance(included_types, str) else list(dict.fromkeys(included_types))
    if len(types) > MAX_INCLUDED_TYPES or not all(isinstance(t, str) and t for t in types):
        raise ProviderError(PROVIDER, f"included_types must be at most {MAX_INCLUDED_TYPES} non-empty strings")
    body: dict[str, Any] = {
        "maxResultCount": MAX_RESULTS,
        "locationRestriction": {"circle": _circle(lat, lng, radius_m)},
        "rankPreference": "POPULARITY",
    }
    if types:  # no types means every type
        body["includedTypes"] = types
    return _post("/v1/places:searchNearby", body, breaker=breaker)


def search_text(
    query: str,
    *,
    center: tuple[float, float],
    radius_m: int,
    max_results: int = MAX_RESULTS,
    breaker: CircuitBreaker | None = None,
) -> list[ProviderPlace]:
    """Places matching `query` ("halal place to eat near Tandon"), by Google's relevance, biased
    towards the circle of `radius_m` around `center` (lat, lng): a bias, not a restriction, so a
    result may lie outside it. At most `max_results` (1 to 20) places, parsed as search_nearby's."""
    text = " ".join(query.split()) if isinstance(query, str) else ""
    if not text or len(text) > MAX_QUERY_CHARS:
        raise ProviderError(PROVIDER, f"query must be 1 to {MAX_QUERY_CHARS} characters")
    if not (json_int(max_results) and 1 <= max_results <= MAX_RESULTS):
        raise ProviderError(PROVIDER, f"max_results must be 1 to {MAX_RESULTS}")
    body: dict[str, Any] = {
        "textQuery": text,
        "pageSize": max_results,  # the request's name for it (maxResultCount is deprecated here)
        "locationBias": {"circle": _circle(*center, radius_m)},
    }
    return _post("/v1/places:searchText", body, breaker=breaker)


def photo_uri(*, photo_ref: str, max_width: int = 800) -> str:
    """A short-lived, key-free image URL for a photo resource name from a search result."""
    if not isinstance(photo_ref, str) or not PHOTO_REF_RE.fullmatch(photo_ref):
        raise ProviderError(PROVIDER, "invalid photo reference")
    width = max(1, min(int(max_width), MAX_PHOTO_PX))
    headers = _headers(field_mask=None)
    return request_json(
        shared_session(PHOTOS_CACHE_NAMESPACE, PHOTOS_CACHE_SECONDS, stale_seconds=PHOTOS_STALE_SECONDS),
        PROVIDER,
        "GET",
        f"{_base_url()}/v1/{photo_ref}/media",
        params={"maxWidthPx": width, "skipHttpRedirect": "true"},
        headers=headers,
        parse=_parse_photo_uri,
    )


# --- HTTP --------------------------------------------------------------------------------------------

def _base_url() -> str:
    return str(settings.GOOGLE_PLACES_BASE_URL).rstrip("/")


def _headers(*, field_mask: str | None = FIELD_MASK) -> dict[str, str]:
    if not configured():
        raise ProviderError(PROVIDER, "GOOGLE_API_KEY is not configured")
    headers = {"X-Goog-Api-Key": settings.GOOGLE_API_KEY}
    if field_mask:
        headers["X-Goog-FieldMask"] = field_mask
    return headers


def _post(path: str, body: dict[str, Any], *, breaker: CircuitBreaker | None = None) -> list[ProviderPlace]:
    headers = _headers()  # first, so that an unconfigured key costs nothing
    url = f"{_base_url()}{path}"
    return request_json(shared_session(PROVIDER), PROVIDER, "POST", url, breaker=breaker, json=body, headers=headers, parse=_parse_places)


def _circle(lat: float, lng: float, radius_m: int) -> dict[str, Any]:
    if not _valid_coordinates(lat, lng):
        raise ProviderError(PROVIDER, "invalid coordinates")
    radius = float(radius_m)
    if not math.isfinite(radius) or radius <= 0:
        raise ProviderError(PROVIDER, "radius must be positive")
    return {"center": {"latitude": float(lat), "longitude": float(lng)}, "radius": min(radius, MAX_RADIUS_M)}


def _valid_coordinates(lat: Any, lng: Any) -> bool:
    return json_number(lat) is not None and json_number(lng) is not None and -90 <= lat <= 90 and -180 <= lng <= 180


# --- Parsing (a ProviderError here also drops the answer from the HTTP cache) --------------------------
def _parse_photo_uri(data: Any) -> str:
    uri = data.get("photoUri") if isinstance(data, dict) else None
    if not isinstance(uri, str) or not uri.startswith("https://"):
        raise ProviderError(PROVIDER, "photo media response without an https photoUri")
    return uri


def _parse_places(data: Any) -> list[ProviderPlace]:
    if not isinstance(data, dict):
        raise ProviderError(PROVIDER, "response is not a JSON object")
    raw_places = data.get("places", [])  # Google answers {} when nothing matches
    if not isinstance(raw_places, list):
        raise ProviderError(PROVIDER, "'places' is not a list")
    places: list[ProviderPlace] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_places):
        place = _parse_place(raw)
        if place is None:
            logger.info("Google Places result %s skipped: no id or name", position)
            continue
        if place.provider_id in seen:
            continue
        seen.add(place.provider_id)
        places.append(place)
    return places


def _parse_place(raw: Any) -> ProviderPlace | None:
    if not isinstance(raw, dict):
        return None
    place_id = _text(raw.get("id"))
    display_name = raw.get("displayName")
    name = _text(display_name.get("text")) if isinstance(display_name, dict) else None
    if not place_id or not name:
        return None

    location = raw.get("location") if isinstance(raw.get("location"), dict) else {}
    lat, lng = json_number(location.get("latitude")), json_number(location.get("longitude"))
    if lat is None or lng is None or not _valid_coordinates(lat, lng):
        lat = lng = None

    rating = json_number(raw.get("rating"))
    rating_count = raw.get("userRatingCount")
    current_hours = raw.get("currentOpeningHours")
    open_now = current_hours.get("openNow") if isinstance(current_hours, dict) else None
    regular_hours = raw.get("regularOpeningHours")
    weekday = regular_hours.get("weekdayDescriptions") if isinstance(regular_hours, dict) else None
    periods = regular_hours.get("periods") if isinstance(regular_hours, dict) else None
    summary = raw.get("editorialSummary")
    vegetarian = raw.get("servesVegetarianFood")

    return ProviderPlace(
        provider_id=place_id,
        name=name,
        address=_text(raw.get("formattedAddress")) or "",
        lat=lat,
        lng=lng,
        primary_type=_text(raw.get("primaryType")) or "",
        types=_strings(raw.get("types")),
        rating=rating if rating is not None and 0 <= rating <= 5 else None,
        rating_count=rating_count if json_int(rating_count) and rating_count >= 0 else None,
        price_level=PRICE_LEVELS.get(raw.get("priceLevel")) if isinstance(raw.get("priceLevel"), str) else None,
        open_now=open_now if isinstance(open_now, bool) else None,
        opening_hours=_strings(weekday),
        hours=opening_hours_expression(periods),
        photo_ref=_first_photo(raw.get("photos")),
        description=_text(summary.get("text")) if isinstance(summary, dict) else None,
        diet={"vegetarian": vegetarian} if isinstance(vegetarian, bool) else {},
    )


OSM_DAYS = ("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa")  # Google's day 0 is Sunday


def _moment(point: Any) -> tuple[int, int, int] | None:
    """(day, hour, minute) of a period's open or close point, or None when it is not one."""
    if not isinstance(point, dict):
        return None
    values = tuple(point.get(name) for name in ("day", "hour", "minute"))
    if not all(json_int(value) for value in values):
        return None
    day, hour, minute = values
    return (day, hour, minute) if 0 <= day <= 6 and 0 <= hour <= 24 and 0 <= minute <= 59 else None


def opening_hours_expression(periods: Any) -> str | None:
    """Google's weekly opening periods as an OpenStreetMap opening_hours expression ("Mo-Fr" kept
    day by day: "Mo 07:00-23:00; Fr 07:00-01:00"); None when absent or not understood."""
    if not isinstance(periods, list) or not periods:
        return None
    first = periods[0] if isinstance(periods[0], dict) else {}
    if len(periods) == 1 and _moment(first.get("open")) == (0, 0, 0) and first.get("close") is None:
        return "24/7"  # Google's way of saying always open
    spans: dict[int, list[str]] = {}
    for period in periods:
        period = period if isinstance(period, dict) else {}
        opens, closes = _moment(period.get("open")), _moment(period.get("close"))
        if opens is None or closes is None or (closes[0] - opens[0]) % 7 > 1:
            return None  # an opening of more than a day: not something to guess at
        end = "24:00" if closes[1:] == (0, 0) and closes[0] != opens[0] else f"{closes[1]:02d}:{closes[2]:02d}"
        spans.setdefault(opens[0], []).append(f"{opens[1]:02d}:{opens[2]:02d}-{end}")
    order = (1, 2, 3, 4, 5, 6, 0)  # Monday first, as people read it
    expression = "; ".join(f"{OSM_DAYS[day]} {','.join(spans[day])}" for day in order if day in spans)
    try:
        hours.parse(expression)
    except ValueError:
        return None
    return expression


def _first_photo(photos: Any) -> str | None:
    if not isinstance(photos, list):
        return None
    for photo in photos:
        name = photo.get("name") if isinstance(photo, dict) else None
        if isinstance(name, str) and PHOTO_REF_RE.fullmatch(name):
            return name
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item.strip() for item in value if isinstance(item, str) and item.strip())
