"""Google Routes API: walking/transit times to many places (route matrix) and one route's path.

The API key goes in the X-Goog-Api-Key header only. `computeRouteMatrix` answers a JSON array of
elements (one per origin/destination pair, in no particular order) when asked with
`Content-Type: application/json`, which is what `requests` sends for `json=`.

A route is cached as an HTTP answer. A matrix is not cached here: its one cache layer is the walk
times its caller keeps (places/selectors.py; violetvibes/providers/__init__.py lists every layer).
"""

import logging
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import requests
from django.conf import settings

from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import json_int, json_number, request_json
from violetvibes.providers.session import shared_session

from .types import Route, RouteLeg

logger = logging.getLogger(__name__)

PROVIDER = "google_routes"
ROUTE_CACHE_NAMESPACE = "google_routes"
ROUTE_CACHE_SECONDS = 600

MATRIX_FIELD_MASK = "originIndex,destinationIndex,duration,distanceMeters,status,condition"
ROUTE_FIELD_MASK = "routes.duration,routes.distanceMeters,routes.polyline.encodedPolyline"

TRAVEL_MODES = {"walking": "WALK", "transit": "TRANSIT"}
# Google's limit on origins x destinations per computeRouteMatrix call, by travel mode.
MAX_ELEMENTS = {"WALK": 625, "TRANSIT": 100}

_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)s")



def configured() -> bool:
    return bool(settings.GOOGLE_API_KEY)


# --- Public calls ------------------------------------------------------------------------------------
def route_matrix(
    *, origin: tuple[float, float], destinations: Sequence[tuple[float, float]], mode: str = "walking"
) -> list[RouteLeg]:
    """One RouteLeg per destination, in destination order; legs without a route carry None."""
    travel_mode = _travel_mode(mode)
    origin_waypoint = _waypoint(origin)
    destination_waypoints = [_waypoint(destination) for destination in destinations]
    if not destination_waypoints:
        return []
    if len(destination_waypoints) > MAX_ELEMENTS[travel_mode]:  # one origin, so elements == destinations
        raise ProviderError(PROVIDER, f"at most {MAX_ELEMENTS[travel_mode]} destinations per call")
    body = {
        "origins": [{"waypoint": origin_waypoint}],
        "destinations": [{"waypoint": waypoint} for waypoint in destination_waypoints],
        "travelMode": travel_mode,
    }
    count = len(destination_waypoints)
    session = shared_session(f"{PROVIDER}_matrix")
    legs = _post(session, "/distanceMatrix/v2:computeRouteMatrix", body, MATRIX_FIELD_MASK, partial(_parse_matrix, count=count))
    return [legs.get(index, RouteLeg(index, None, None)) for index in range(count)]


def route(*, origin: tuple[float, float], destination: tuple[float, float], mode: str = "walking") -> Route:
    """The recommended route with its duration, distance and (lat, lng) path."""
    body = {
        "origin": _waypoint(origin),
        "destination": _waypoint(destination),
        "travelMode": _travel_mode(mode),
        "polylineEncoding": "ENCODED_POLYLINE",
    }
    session = shared_session(ROUTE_CACHE_NAMESPACE, ROUTE_CACHE_SECONDS)
    return _post(session, "/directions/v2:computeRoutes", body, ROUTE_FIELD_MASK, partial(_parse_route, mode=mode))


def decode_polyline(encoded: str) -> list[tuple[float, float]]:
    """Decodes Google's encoded polyline format (precision 5) into (lat, lng) points.

    Each value is a zig-zag encoded signed delta from the previous point, written as 5-bit
    groups from least significant, each group plus 0x20 when more follow, plus 63 as ASCII.
    Raises ValueError on a character outside the alphabet or a value cut short.
    """
    points: list[tuple[float, float]] = []
    position = 0
    lat = lng = 0
    length = len(encoded)

    def next_value() -> int:
        nonlocal position
        result = shift = 0
        while True:
            if position >= length:
                raise ValueError("polyline ends in the middle of a value")
            chunk = ord(encoded[position]) - 63
            position += 1
            if not 0 <= chunk < 64:
                raise ValueError(f"invalid polyline character at {position - 1}")
            result |= (chunk & 0x1F) << shift
            shift += 5
            if chunk < 0x20:
                break
        return ~(result >> 1) if result & 1 else result >> 1

    while position < length:
        lat += next_value()
        if position >= length:
            raise ValueError("polyline ends after a latitude")
        lng += next_value()
        points.append((lat / 1e5, lng / 1e5))
    return points


# --- HTTP --------------------------------------------------------------------------------------------

def _post(session: requests.Session, path: str, body: dict[str, Any], field_mask: str, parse: Callable[[Any], Any]) -> Any:
    if not configured():
        raise ProviderError(PROVIDER, "GOOGLE_API_KEY is not configured")
    url = f"{str(settings.GOOGLE_ROUTES_BASE_URL).rstrip('/')}{path}"
    headers = {"X-Goog-Api-Key": settings.GOOGLE_API_KEY, "X-Goog-FieldMask": field_mask}
    return request_json(session, PROVIDER, "POST", url, json=body, headers=headers, parse=parse)


def _travel_mode(mode: str) -> str:
    try:
        return TRAVEL_MODES[mode]
    except (KeyError, TypeError):
        raise ProviderError(PROVIDER, f"unsupported travel mode {mode!r}") from None


def _waypoint(point: Any) -> dict[str, Any]:
    try:
        lat, lng = point
    except (TypeError, ValueError):
        raise ProviderError(PROVIDER, "a point must be a (lat, lng) pair") from None
    if json_number(lat) is None or json_number(lng) is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ProviderError(PROVIDER, "invalid coordinates")
    return {"location": {"latLng": {"latitude": float(lat), "longitude": float(lng)}}}


# --- Parsing (a ProviderError here also drops the answer from the HTTP cache) --------------------------
def _parse_route(data: Any, *, mode: str) -> Route:
    routes = data.get("routes", []) if isinstance(data, dict) else None  # Google answers {} for no route
    if not isinstance(routes, list):
        raise ProviderError(PROVIDER, "'routes' is not a list")
    if not routes:
        raise ProviderError(PROVIDER, "no route found")
    first = routes[0]
    if not isinstance(first, dict):
        raise ProviderError(PROVIDER, "route is not an object")
    duration = _duration_seconds(first.get("duration"))
    if duration is None:
        raise ProviderError(PROVIDER, "route without a duration")
    distance = first.get("distanceMeters", 0)  # proto3 JSON leaves out a zero
    if not json_int(distance) or distance < 0:
        raise ProviderError(PROVIDER, "route with an invalid distance")
    polyline = first.get("polyline")
    encoded = polyline.get("encodedPolyline", "") if isinstance(polyline, dict) else ""
    if not isinstance(encoded, str):
        raise ProviderError(PROVIDER, "route with an invalid polyline")
    try:
        path = decode_polyline(encoded)
    except ValueError as exc:
        raise ProviderError(PROVIDER, f"route with an invalid polyline: {exc}") from None
    return Route(mode=mode, duration_seconds=duration, distance_meters=distance, path=tuple(path))


def _parse_matrix(data: Any, *, count: int) -> dict[int, RouteLeg]:
    if not isinstance(data, list):
        raise ProviderError(PROVIDER, "route matrix response is not a JSON array")
    legs: dict[int, RouteLeg] = {}
    for element in data:
        if not isinstance(element, dict):
            logger.info("Route matrix element skipped: not an object")
            continue
        index = element.get("destinationIndex", 0)  # proto3 JSON may leave out a zero
        if not json_int(index) or not 0 <= index < count:
            logger.info("Route matrix element skipped: destination index out of range")
            continue
        if index in legs:
            continue
        legs[index] = _parse_element(element, index)
    return legs


def _parse_element(element: dict[str, Any], index: int) -> RouteLeg:
    status = element.get("status")
    failed = isinstance(status, dict) and status.get("code", 0) not in (0, None)
    condition = element.get("condition", "ROUTE_EXISTS")
    duration = _duration_seconds(element.get("duration"))
    distance = element.get("distanceMeters", 0)
    if failed or condition != "ROUTE_EXISTS" or duration is None or not json_int(distance) or distance < 0:
        return RouteLeg(index, None, None)
    return RouteLeg(index, duration, distance)


def _duration_seconds(value: Any) -> int | None:
    """Google durations are strings like "754s" or "3.5s"."""
    if not isinstance(value, str):
        return None
    match = _DURATION_RE.fullmatch(value)
    return round(float(match.group(1))) if match else None


