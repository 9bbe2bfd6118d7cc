"""Coordinates for event locations: the source's when plausible, the NYU venue table, then Google
Geocoding when a key is set (its client: tests/places/test_google_geocoding.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from events import geocoding

MAPS = "https://maps.geocode.test"
GEOCODE_URL = f"{MAPS}/maps/api/geocode/json"
KEY = "test-geocoding-key-do-not-leak"
ADDRESS = "1 Pierrepont Plaza, Brooklyn"
FOUND = {
    "status": "OK",
    "results": [{"formatted_address": "1 Pierrepont Plaza, Brooklyn, NY 11201, USA", "geometry": {"location": {"lat": 40.6943, "lng": -73.9919}}}],
}


@pytest.fixture
def google(settings) -> None:
    settings.GOOGLE_API_KEY = KEY
    settings.GOOGLE_MAPS_BASE_URL = MAPS


@pytest.fixture
def no_key(settings) -> None:
    settings.GOOGLE_API_KEY = None
    settings.GOOGLE_MAPS_BASE_URL = MAPS


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.mark.parametrize(
    ("venue", "expected"),
    [
        ("Dibner Library", (40.69452, -73.98597)),
        ("370 Jay St", (40.69268, -73.98769)),
        ("Paulson Center", (40.72695, -73.99637)),
        ("Kimmel Center", (40.72995, -73.99790)),
        ("Bobst", (40.72954, -73.99723)),
    ],
)
def test_known_nyu_venues_are_located_without_any_http_call(google, mocked, venue, expected):
    assert geocoding.locate(venue=venue, address="", lat=None, lng=None) == expected
    assert geocoding.locate(venue="", address=f"{venue.upper()}, Room 101", lat=None, lng=None) == expected
    assert len(mocked.calls) == 0


def test_known_venue_matching_ignores_case_and_extra_spaces():
    assert geocoding.known_venue("  the   KIMMEL center ") == (40.72995, -73.99790)
    assert geocoding.known_venue("somewhere in Queens") is None


def test_coordinates_the_source_gave_are_kept(google, mocked):
    assert geocoding.locate(venue="Kimmel Center", address=ADDRESS, lat=40.7, lng=-73.9) == (40.7, -73.9)
    assert len(mocked.calls) == 0


def test_an_unknown_address_is_geocoded_with_the_key(google, mocked):
    mocked.get(GEOCODE_URL, json=FOUND)

    assert geocoding.locate(venue="", address=ADDRESS, lat=None, lng=None) == (40.6943, -73.9919)

    assert len(mocked.calls) == 1
    sent = mocked.calls[0].request
    assert urlsplit(sent.url).path == "/maps/api/geocode/json"
    params = parse_qs(urlsplit(sent.url).query)
    assert params["key"] == [KEY]
    assert params["address"] == [ADDRESS]


def test_the_venue_is_geocoded_when_there_is_no_address(google, mocked):
    mocked.get(GEOCODE_URL, json=FOUND)

    assert geocoding.locate(venue="Pierrepont Plaza Atrium", address="", lat=None, lng=None) == (40.6943, -73.9919)
    assert parse_qs(urlsplit(mocked.calls[0].request.url).query)["address"] == ["Pierrepont Plaza Atrium"]


def test_without_a_key_nothing_is_called_and_coordinates_stay_none(no_key, mocked):
    mocked.get(GEOCODE_URL, json=FOUND)

    assert geocoding.locate(venue="Some Hall", address=ADDRESS, lat=None, lng=None) == (None, None)
    assert geocoding.geocode(ADDRESS) is None
    assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500, "json": {"error_message": "backend error"}},
        {"status": 503, "body": "Service Unavailable"},
        {"body": requests.exceptions.ReadTimeout("read timed out")},
        {"body": "<html>not json</html>", "content_type": "text/html"},
    ],
)
def test_a_failing_geocoder_leaves_coordinates_none_without_raising(google, mocked, answer):
    mocked.get(GEOCODE_URL, **answer)

    assert geocoding.locate(venue="", address=ADDRESS, lat=None, lng=None) == (None, None)
    assert len(mocked.calls) >= 1


@pytest.mark.parametrize(
    "body",
    [
        {"status": "ZERO_RESULTS", "results": []},
        {"status": "OK", "results": [{"geometry": {}}]},
        {"status": "OK", "results": [{"geometry": {"location": {"lat": "north", "lng": None}}}]},
        {"status": "OK", "results": [{"geometry": None}]},
        {"status": "OK", "results": ["not an object"]},
        {"status": "OK", "results": {"not": "a list"}},
        ["not", "an", "object"],
    ],
)
def test_an_answer_without_coordinates_gives_none(google, mocked, body):
    mocked.get(GEOCODE_URL, json=body)

    assert geocoding.locate(venue="", address=ADDRESS, lat=None, lng=None) == (None, None)


def test_a_blank_address_is_not_sent(google, mocked):
    assert geocoding.geocode("   ") is None
    assert len(mocked.calls) == 0


# --- Implausible points and offline lookups -------------------------------------------------------------
FAR = {"status": "OK", "results": [{"geometry": {"location": {"lat": 48.8566, "lng": 2.3522}}}]}  # Paris


@pytest.mark.parametrize(("lat", "lng"), [(0.0, 0.0), (-73.98, 40.69), (42.36, -71.06)])  # null island, swapped, Boston
def test_source_coordinates_far_from_campus_are_ignored(google, mocked, lat, lng):
    assert geocoding.locate(venue="Kimmel Center", address="", lat=lat, lng=lng) == (40.72995, -73.99790)
    assert geocoding.locate(venue="", address="", lat=lat, lng=lng) == (None, None)


def test_a_geocoded_point_far_from_campus_is_dropped(google, mocked):
    mocked.get(GEOCODE_URL, json=FAR)

    assert geocoding.locate(venue="", address="Rue de Rivoli", lat=None, lng=None) == (None, None)


def test_points_within_reach_of_campus_are_plausible():
    assert geocoding.plausible(40.5, -74.25)  # Staten Island's south shore
    assert not geocoding.plausible(0.0, 0.0)
    assert not geocoding.plausible(None, -73.99)


def test_locate_offline_uses_the_venue_table_but_never_google(google, mocked):
    mocked.get(GEOCODE_URL, json=FOUND)

    assert geocoding.locate(venue="Bobst", address="", lat=None, lng=None, online=False) == (40.72954, -73.99723)
    assert geocoding.locate(venue="", address=ADDRESS, lat=None, lng=None, online=False) == (None, None)
    assert len(mocked.calls) == 0


def test_the_venue_table_reuses_the_campus_and_park_constants(settings):
    from events.sources import brooklyn_bridge_park

    assert geocoding.known_venue("2 MetroTech Center") == tuple(settings.DEFAULT_ORIGIN)
    assert geocoding.known_venue("Brooklyn Bridge Park") == (brooklyn_bridge_park.PARK_LAT, brooklyn_bridge_park.PARK_LNG)


# --- An area is not a location ---------------------------------------------------------------------------
def _answer(types: list[str], lat: float = 40.6957, lng: float = -73.9847, location_type: str = "APPROXIMATE") -> dict:
    geometry = {"location": {"lat": lat, "lng": lng}, "location_type": location_type}
    return {"status": "OK", "results": [{"types": types, "geometry": geometry}]}


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("Downtown Brooklyn", ["neighborhood", "political"]),
        ("Brooklyn", ["political", "sublocality", "sublocality_level_1"]),
        ("New York", ["locality", "political"]),
        ("11201", ["postal_code"]),
        ("Kings County", ["administrative_area_level_2", "political"]),
    ],
)
def test_an_area_geocoded_to_its_centre_gives_no_coordinates(google, mocked, text, types):
    """Google answers a neighbourhood or a borough with its centre: for Downtown Brooklyn that is
    the Tandon campus, a point the event is not known to be at."""
    mocked.get(GEOCODE_URL, json=_answer(types))

    assert geocoding.geocode(text) is None
    assert geocoding.locate(venue=text, address="", lat=None, lng=None) == (None, None)


@pytest.mark.parametrize(
    "types", [["street_address"], ["premise"], ["establishment", "point_of_interest", "park"], ["subpremise"], []]
)
def test_a_building_a_place_or_an_untyped_answer_is_located(google, mocked, types):
    mocked.get(GEOCODE_URL, json=_answer(types, 40.6943, -73.9919, "ROOFTOP"))

    assert geocoding.geocode(ADDRESS) == (40.6943, -73.9919)
