"""Distances, offline walk estimates and map links: no provider needed."""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

EARTH_RADIUS_M = 6_371_000
# Streets are a grid, not a straight line: Manhattan/Brooklyn walks are ~1.3x the crow-flies distance.
GRID_DETOUR_FACTOR = 1.3
WALKING_SPEED_M_PER_MIN = 80  # ~4.8 km/h
METERS_PER_MILE = 1609.344


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


def haversine_m(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlng = lat2 - lat1, math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def walk_estimate(a: Point, b: Point) -> tuple[int, int]:
    """(walk minutes, street distance in metres) estimated from the straight line."""
    return walk_estimate_from(haversine_m(a, b))


def walk_estimate_from(straight_m: float) -> tuple[int, int]:
    """walk_estimate() for a straight-line distance already known."""
    meters = straight_m * GRID_DETOUR_FACTOR
    return max(1, round(meters / WALKING_SPEED_M_PER_MIN)), round(meters)


def bounding_box(center: Point, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) around `center`: a cheap SQL pre-filter for a radius."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * max(0.01, math.cos(math.radians(center.lat)))))
    return center.lat - dlat, center.lat + dlat, center.lng - dlng, center.lng + dlng


def minutes_text(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def miles_text(meters: int | None) -> str | None:
    if meters is None:
        return None
    miles = meters / METERS_PER_MILE
    return f"{miles:.1f} mi" if miles >= 0.1 else f"{round(meters * 3.28084)} ft"


def maps_link(destination: Point, origin: Point | None = None, mode: str = "walking") -> str:
    """A Google Maps directions URL (no key needed, opens the app on phones)."""
    # Built by hand: only numbers and a fixed mode go in, and this runs for every card.
    link = f"https://www.google.com/maps/dir/?api=1&destination={destination.lat:.6f}%2C{destination.lng:.6f}&travelmode={mode}"
    if origin is not None:
        link += f"&origin={origin.lat:.6f}%2C{origin.lng:.6f}"
    return link


def maps_search_link(query: str) -> str:
    return "https://www.google.com/maps/search/?" + urlencode({"api": "1", "query": query})
