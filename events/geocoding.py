"""Coordinates for event locations: a table of NYU venues first, Google Geocoding when configured."""

import logging
import re

from django.conf import settings

from places import geo
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import request_json
from violetvibes.providers.session import shared_session

from .sources.brooklyn_bridge_park import PARK_LAT, PARK_LNG

logger = logging.getLogger(__name__)

# A point farther than this from campus (settings.DEFAULT_ORIGIN) is a feed's or the geocoder's
# mistake (0,0, swapped lat/lng, a namesake street in another state), not an event we could list.
MAX_DISTANCE_M = 50_000

# Venues that NYU event listings name without an address, with their coordinates.
KNOWN_VENUES: tuple[tuple[tuple[str, ...], float, float], ...] = (
    (("dibner", "5 metrotech"), 40.69452, -73.98597),
    (("370 jay",), 40.69268, -73.98769),
    (("jacobs", "rogers hall", "6 metrotech"), 40.69432, -73.98645),
    (("2 metrotech",), *settings.DEFAULT_ORIGIN),
    (("metrotech",), 40.69366, -73.98618),
    (("makerspace", "tandon"), 40.69440, -73.98570),
    (("paulson", "181 mercer"), 40.72695, -73.99637),
    (("bobst", "70 washington square"), 40.72954, -73.99723),
    (("kimmel", "60 washington square"), 40.72995, -73.99790),
    (("skirball", "566 laguardia"), 40.72863, -73.99834),
    (("silver center", "100 washington square"), 40.73016, -73.99577),
    (("washington square park",), 40.73082, -73.99733),
    (("brooklyn bridge park",), PARK_LAT, PARK_LNG),
)


# Google answers quota, key and server trouble with HTTP 200 and one of these statuses.
_ERROR_STATUSES = frozenset({"OVER_DAILY_LIMIT", "OVER_QUERY_LIMIT", "REQUEST_DENIED", "INVALID_REQUEST", "UNKNOWN_ERROR"})


# Result types of an area rather than a spot: Google answers "Downtown Brooklyn", "Brooklyn" or a ZIP
# code with the area's centre (for Downtown Brooklyn, the Tandon campus), which is not where an event is.
_AREA_TYPES = frozenset({"political", "country", "locality", "sublocality", "neighborhood", "colloquial_area", "postal_code", "postal_town"})
_AREA_TYPE_PREFIXES = ("administrative_area_level_", "sublocality_level_", "locality_level_")


def _is_area(result: dict) -> bool:
    types = result.get("types")
    if not isinstance(types, list) or not types:
        return False
    return all(isinstance(kind, str) and (kind in _AREA_TYPES or kind.startswith(_AREA_TYPE_PREFIXES)) for kind in types)


def known_venue(text: str) -> tuple[float, float] | None:
    lowered = re.sub(r"\s+", " ", text.lower())
    for keywords, lat, lng in KNOWN_VENUES:
        if any(keyword in lowered for keyword in keywords):
            return lat, lng
    return None


def _checked(data: object) -> object:
    """Raises for an error status so that request_json drops the answer from the 30-day cache."""
    if isinstance(data, dict) and data.get("status") in _ERROR_STATUSES:
        raise ProviderError("google_geocoding", f"status {data['status']}")
    return data


def geocode(address: str) -> tuple[float, float] | None:
    """Google's coordinates for an address near NYC (cached 30 days); None when unknown or when
    Google only found an area (a neighbourhood, borough, city or ZIP code) and gave its centre."""
    if not settings.GOOGLE_API_KEY or not address.strip():
        return None
    try:
        data = request_json(
            shared_session("geocode", 30 * 24 * 3600),
            "google_geocoding",
            "GET",
            f"{settings.GOOGLE_MAPS_BASE_URL}/maps/api/geocode/json",
            params={"address": address, "components": "administrative_area:NY|country:US", "key": settings.GOOGLE_API_KEY},
            parse=_checked,
        )
    except ProviderError as exc:
        logger.warning("Geocoding unavailable: %s", exc)
        return None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or not results or not isinstance(results[0], dict) or _is_area(results[0]):
        return None
    geometry = results[0].get("geometry")
    location = geometry.get("location") if isinstance(geometry, dict) else None
    try:
        return float(location["lat"]), float(location["lng"])
    except (KeyError, TypeError, ValueError):
        return None


def plausible(lat: float | None, lng: float | None) -> bool:
    """Whether (lat, lng) is a point within MAX_DISTANCE_M of campus."""
    if lat is None or lng is None:
        return False
    origin = geo.Point(*settings.DEFAULT_ORIGIN)
    return geo.haversine_m(origin, geo.Point(lat, lng)) <= MAX_DISTANCE_M


def locate(
    *, venue: str, address: str, lat: float | None, lng: float | None, online: bool = True
) -> tuple[float | None, float | None]:
    """The source's coordinates when they are plausible, else the venue table's, else (when
    `online`) Google's. Every point returned is near campus; (None, None) when there is none."""
    if plausible(lat, lng):
        return lat, lng
    found = known_venue(f"{venue} {address}")
    text = (address or venue).strip()
    if found is None and online and text:  # no location named: nothing to look up
        found = geocode(text)
    return found if found and plausible(*found) else (None, None)
