"""Coordinates for event locations: the source's when plausible, a table of NYU venues, then Google
Geocoding (through places.selectors) when configured."""

import logging
import re

from django.conf import settings

from places import geo, selectors

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


def known_venue(text: str) -> tuple[float, float] | None:
    lowered = re.sub(r"\s+", " ", text.lower())
    for keywords, lat, lng in KNOWN_VENUES:
        if any(keyword in lowered for keyword in keywords):
            return lat, lng
    return None


def geocode(address: str) -> tuple[float, float] | None:
    """Google's coordinates for an address (places.selectors.address_geocoded); None when there are
    none, and when Google found only an area (a neighbourhood, borough, city or ZIP code) and gave
    its centre, which is not where an event is."""
    found = selectors.address_geocoded(address=address)
    if found is None or found.is_area:
        return None
    return found.lat, found.lng


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
