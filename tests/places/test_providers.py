"""Provider clients of the places app, faked at the HTTP boundary.

`responses` (which replaces the transport adapter) covers request shape, parsing and caching;
`fake_http` (a real server on 127.0.0.1, see conftest.py) covers what only the real transport
does: urllib3 retries, read timeouts and the circuit breaker across calls.
"""

import copy
import json
import logging
import pickle
import socket
import sys
import time
from pathlib import Path

import pytest
import requests
import responses
from django.core.cache import cache

from places.providers import google_places, google_routes, openweather
from places.providers.types import ForecastEntry, ProviderPlace, Route, RouteLeg, Weather
from violetvibes.logging import JsonFormatter
from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import CircuitOpen, ProviderError, ProviderTimeout
from violetvibes.providers.session import RedactSecretsFilter, shared_session
from violetvibes.state import reset_process_state

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads"
PLACES = "https://places.test"
ROUTES = "https://routes.test"
WEATHER = "https://weather.test"
GOOGLE_KEY = "test-key"
WEATHER_KEY = "ow-test-key"
METROTECH = (40.6942, -73.9866)  # 2 MetroTech Center, Brooklyn

NEARBY_URL = f"{PLACES}/v1/places:searchNearby"
TEXT_URL = f"{PLACES}/v1/places:searchText"
MATRIX_URL = f"{ROUTES}/distanceMatrix/v2:computeRouteMatrix"
ROUTE_URL = f"{ROUTES}/directions/v2:computeRoutes"
CURRENT_URL = f"{WEATHER}/data/2.5/weather"
FORECAST_URL = f"{WEATHER}/data/2.5/forecast"
PHOTO_REF = "places/ChIJ3xXxk0tawokRk8VXq8zE2rU/photos/AUc7tXWq1nJ-xG4eLr0mD8vZ_3kTfQ2pHs9bYc"
PHOTO_URL = f"{PLACES}/v1/{PHOTO_REF}/media"


def payload(name: str):
    return json.loads((PAYLOADS / name).read_text())


@pytest.fixture(autouse=True)
def provider_settings(settings):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = PLACES
    settings.GOOGLE_ROUTES_BASE_URL = ROUTES
    settings.OPENWEATHER_KEY = WEATHER_KEY
    settings.OPENWEATHER_BASE_URL = WEATHER
    settings.OUTBOUND_TIMEOUT = (0.5, 0.5)
    settings.OUTBOUND_RETRIES = 1
    return settings


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def nearby(**overrides) -> list[ProviderPlace]:
    kwargs = {"lat": METROTECH[0], "lng": METROTECH[1], "radius_m": 1200, "included_types": ["restaurant", "cafe"]}
    return google_places.search_nearby(**(kwargs | overrides))


def by_name(places: list[ProviderPlace]) -> dict[str, ProviderPlace]:
    return {place.name: place for place in places}


def _stored_answer(namespace_and_seconds: tuple[str, int], request: requests.PreparedRequest):
    """What the HTTP cache holds for `request`, read through the provider's own session (so on the
    local-memory cache and on Redis alike)."""
    backend = shared_session(*namespace_and_seconds).cache
    return backend.get_response(backend.create_key(request))


# --- Google Places: request shape -------------------------------------------------------------------
def test_search_nearby_sends_key_and_field_mask_headers_and_documented_body(rsps):
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))

    nearby()

    request = rsps.calls[0].request
    assert request.headers["X-Goog-Api-Key"] == GOOGLE_KEY
    assert request.headers["X-Goog-FieldMask"] == google_places.FIELD_MASK
    assert set(google_places.FIELD_MASK.split(",")) == {
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
    }
    assert json.loads(request.body) == {
        "includedTypes": ["restaurant", "cafe"],
        "maxResultCount": 20,
        "locationRestriction": {"circle": {"center": {"latitude": 40.6942, "longitude": -73.9866}, "radius": 1200.0}},
        "rankPreference": "POPULARITY",
    }


def test_search_nearby_caps_radius_at_50_km(rsps):
    rsps.post(NEARBY_URL, json={})

    nearby(radius_m=80_000, included_types="park")

    body = json.loads(rsps.calls[0].request.body)
    assert body["locationRestriction"]["circle"]["radius"] == 50_000
    assert body["includedTypes"] == ["park"]


def test_search_with_invalid_coordinates_makes_no_call(rsps):
    with pytest.raises(ProviderError):
        nearby(lat=123.0)
    with pytest.raises(ProviderError):
        nearby(radius_m=0)
    assert len(rsps.calls) == 0


def test_unconfigured_google_key_raises_without_a_call(rsps, settings):
    settings.GOOGLE_API_KEY = ""

    assert google_places.configured() is False
    assert google_routes.configured() is False
    with pytest.raises(ProviderError) as caught:
        nearby()
    assert caught.value.retryable is False
    with pytest.raises(ProviderError):
        google_routes.route(origin=METROTECH, destination=(40.69, -73.98))
    assert len(rsps.calls) == 0


# --- Google Places: Text Search ---------------------------------------------------------------------
def text_search(query: str = "halal place to eat near Tandon", **overrides) -> list[ProviderPlace]:
    kwargs = {"center": METROTECH, "radius_m": 1200} | overrides
    return google_places.search_text(query, **kwargs)


def test_search_text_sends_the_words_and_a_location_bias_with_the_nearby_headers(rsps):
    rsps.post(TEXT_URL, json=payload("google_places_nearby.json"))

    text_search("  halal place   to eat near Tandon ")

    request = rsps.calls[0].request
    assert request.headers["X-Goog-Api-Key"] == GOOGLE_KEY
    assert request.headers["X-Goog-FieldMask"] == google_places.FIELD_MASK  # the same fields, the same parsing
    assert json.loads(request.body) == {
        "textQuery": "halal place to eat near Tandon",
        "pageSize": 20,
        "locationBias": {"circle": {"center": {"latitude": 40.6942, "longitude": -73.9866}, "radius": 1200.0}},
    }
    assert GOOGLE_KEY not in request.url


def test_search_text_parses_places_as_the_nearby_search_does(rsps):
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))
    rsps.post(TEXT_URL, json=payload("google_places_nearby.json"))

    assert text_search() == nearby()
    juniors = text_search()[0]
    assert (juniors.price_level, juniors.rating, juniors.open_now) == (2, 4.4, True)
    assert juniors.hours.startswith("Mo 07:00-24:00") and "restaurant" in juniors.types


def test_search_text_asks_for_fewer_results_and_caps_the_bias_radius(rsps):
    rsps.post(TEXT_URL, json={})  # nothing matched

    assert text_search(max_results=5, radius_m=90_000) == []

    body = json.loads(rsps.calls[0].request.body)
    assert body["pageSize"] == 5 and body["locationBias"]["circle"]["radius"] == 50_000


@pytest.mark.parametrize(
    ("query", "overrides"),
    [("", {}), ("   ", {}), (None, {}), ("x" * 201, {}), ("sushi", {"max_results": 0}), ("sushi", {"max_results": 21}),
     ("sushi", {"max_results": True}), ("sushi", {"center": (123.0, 0.0)}), ("sushi", {"radius_m": 0})],
)  # fmt: skip
def test_search_text_with_a_bad_argument_makes_no_call(rsps, query, overrides):
    with pytest.raises(ProviderError) as caught:
        text_search(query, **overrides)
    assert caught.value.retryable is False
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("answer", [{"json": {"places": "oops"}}, {"status": 503, "json": {"error": "down"}}])
def test_search_text_failures_are_provider_errors(rsps, answer):
    rsps.post(TEXT_URL, **answer)

    with pytest.raises(ProviderError) as caught:
        text_search()
    assert caught.value.provider == "google_places"


def test_the_searches_are_asked_every_time_their_cache_is_the_rows_saved_from_them(rsps):
    # One cache layer per call (violetvibes/providers/__init__.py): a search's is the Place rows
    # places/candidates.py keeps, so the client itself caches nothing.
    rsps.post(TEXT_URL, json=payload("google_places_nearby.json"))
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))

    assert text_search() == text_search()
    assert nearby() == nearby()

    assert len(rsps.calls) == 4


# --- Google Places: parsing -------------------------------------------------------------------------
def test_search_nearby_parses_every_field(rsps):
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))
    juniors_hours = payload("google_places_nearby.json")["places"][0]["regularOpeningHours"]["weekdayDescriptions"]
    assert len(juniors_hours) == 7 and juniors_hours[0].startswith("Monday: 7:00\u202fAM")

    places = nearby()

    assert len(places) == 6
    assert places[0] == ProviderPlace(
        provider_id="ChIJ3xXxk0tawokRk8VXq8zE2rU",
        name="Junior's Restaurant",
        address="386 Flatbush Avenue Extension, Brooklyn, NY 11201, USA",
        lat=40.6903421,
        lng=-73.9817512,
        primary_type="american_restaurant",
        types=("american_restaurant", "diner", "bakery", "restaurant", "food", "point_of_interest", "establishment"),
        rating=4.4,
        rating_count=12873,
        price_level=2,
        open_now=True,
        opening_hours=tuple(juniors_hours),  # passed through as Google writes them
        # ...and its weekly periods as opening_hours syntax, closing past midnight on Fri and Sat
        hours="Mo 07:00-24:00; Tu 07:00-24:00; We 07:00-24:00; Th 07:00-24:00; Fr 07:00-01:00; Sa 07:00-01:00; Su 07:00-24:00",
        photo_ref=PHOTO_REF,  # the first photo
        description="Landmark diner famed for its cheesecake since 1950.",
        diet={"vegetarian": True},
    )


def test_missing_fields_become_none_or_empty_defaults(rsps):
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))

    places = by_name(nearby())

    dunkin = places["Dunkin'"]  # no rating, no hours list, no photo, no summary
    assert (dunkin.rating, dunkin.rating_count) == (None, None)
    assert dunkin.opening_hours == ()
    assert dunkin.photo_ref is None
    assert dunkin.description is None
    assert dunkin.diet == {"vegetarian": False}
    library = places["Brooklyn Heights Library"]  # no currentOpeningHours, no diet fact
    assert library.open_now is None
    assert library.diet == {}
    coffee = places["Brooklyn Roasting Company"]  # no priceLevel
    assert coffee.price_level is None
    assert coffee.open_now is False


@pytest.mark.parametrize(
    ("enum", "level"),
    [
        ("PRICE_LEVEL_FREE", 0),
        ("PRICE_LEVEL_INEXPENSIVE", 1),
        ("PRICE_LEVEL_MODERATE", 2),
        ("PRICE_LEVEL_EXPENSIVE", 3),
        ("PRICE_LEVEL_VERY_EXPENSIVE", 4),
        ("PRICE_LEVEL_UNSPECIFIED", None),
        ("PRICE_LEVEL_SOMETHING_NEW", None),
        (3, None),
    ],
)
def test_price_level_enum_maps_to_0_to_4(rsps, enum, level):
    place = {"id": "ChIJprice", "displayName": {"text": "Priced"}, "priceLevel": enum}
    rsps.post(NEARBY_URL, json={"places": [place]})

    assert nearby()[0].price_level == level


def test_places_without_id_or_name_are_skipped_with_a_log_line(rsps, caplog):
    data = payload("google_places_nearby.json")
    data["places"][1:1] = [
        {"displayName": {"text": "No id"}},
        {"id": "ChIJnoname", "displayName": {"text": "  "}},
        {"id": "ChIJnoname2"},
        "not an object",
    ]
    rsps.post(NEARBY_URL, json=data)

    with caplog.at_level(logging.INFO, logger="places.providers.google_places"):
        places = nearby()

    assert len(places) == 6
    assert len([r for r in caplog.records if "skipped" in r.getMessage()]) == 4


def test_garbage_fields_inside_a_place_are_ignored_not_fatal(rsps):
    place = {
        "id": "ChIJgarbage",
        "displayName": {"text": "Odd Place"},
        "location": {"latitude": "40.69", "longitude": -73.98},
        "rating": True,
        "userRatingCount": -3,
        "types": ["cafe", 7, None],
        "currentOpeningHours": {"openNow": "yes"},
        "regularOpeningHours": "always",
        "photos": [{"name": "https://evil.example/photo?key=x"}, {"name": "places/ChIJgarbage/photos/Ref_1-a"}],
        "servesVegetarianFood": "sometimes",
    }
    rsps.post(NEARBY_URL, json={"places": [place]})

    (parsed,) = nearby()

    assert (parsed.lat, parsed.lng) == (None, None)
    assert parsed.rating is None
    assert parsed.rating_count is None
    assert parsed.types == ("cafe",)
    assert parsed.open_now is None
    assert parsed.opening_hours == ()
    assert parsed.photo_ref == "places/ChIJgarbage/photos/Ref_1-a"
    assert parsed.diet == {}


def test_empty_response_means_no_places(rsps):
    rsps.post(NEARBY_URL, json={})  # what Google answers when nothing matches

    assert nearby() == []


@pytest.mark.parametrize(
    "answer",
    [
        {"body": "<html>Service Unavailable</html>", "content_type": "text/html"},
        {"json": [{"id": "ChIJ1"}]},
        {"json": {"places": {"id": "ChIJ1"}}},
        {"json": "places"},
    ],
    ids=["not-json", "json-list", "places-not-a-list", "json-string"],
)
def test_garbage_places_response_raises_provider_error(rsps, answer):
    rsps.post(NEARBY_URL, status=200, **answer)

    with pytest.raises(ProviderError) as caught:
        nearby()
    assert caught.value.provider == "google_places"


@pytest.mark.parametrize(
    "answer",
    [{"body": "<html>captive portal</html>", "content_type": "text/html"}, {"json": {"name": "no photoUri"}}],
    ids=["not-json", "bad-shape"],
)
def test_a_garbage_answer_is_not_served_again_from_the_http_cache(rsps, answer):
    rsps.get(PHOTO_URL, status=200, **answer)
    with pytest.raises(ProviderError):
        google_places.photo_uri(photo_ref=PHOTO_REF)

    rsps.replace(responses.GET, PHOTO_URL, json=payload("google_places_photo_media.json"))

    assert google_places.photo_uri(photo_ref=PHOTO_REF).startswith("https://")  # asked again
    assert google_places.photo_uri(photo_ref=PHOTO_REF).startswith("https://")  # and the good answer is cached
    assert len(rsps.calls) == 2


def test_garbage_answers_from_the_cache_cannot_open_the_circuit(rsps):
    rsps.get(PHOTO_URL, status=200, body="not json", content_type="text/plain")

    for _ in range(2):
        with pytest.raises(ProviderError):
            google_places.photo_uri(photo_ref=PHOTO_REF)
    rsps.replace(responses.GET, PHOTO_URL, json=payload("google_places_photo_media.json"))

    assert google_places.photo_uri(photo_ref=PHOTO_REF).startswith("https://")
    assert len(rsps.calls) == 3


# --- Google Places: photos --------------------------------------------------------------------------
def test_photo_uri_asks_for_json_instead_of_a_redirect_with_the_key_in_a_header(rsps):
    rsps.get(f"{PLACES}/v1/{PHOTO_REF}/media", json=payload("google_places_photo_media.json"))

    uri = google_places.photo_uri(photo_ref=PHOTO_REF, max_width=640)

    assert uri == payload("google_places_photo_media.json")["photoUri"]
    request = rsps.calls[0].request
    assert request.method == "GET"
    assert request.url == f"{PLACES}/v1/{PHOTO_REF}/media?maxWidthPx=640&skipHttpRedirect=true"
    assert request.headers["X-Goog-Api-Key"] == GOOGLE_KEY
    assert GOOGLE_KEY not in request.url and GOOGLE_KEY not in uri


@pytest.mark.parametrize(
    "photo_ref",
    [
        "",
        "places/ChIJ1/photos",
        "places/ChIJ1/photos/ref/../../v1/places:searchNearby",
        "places/ChIJ1/photos/ref?key=other",
        "places/ChIJ1/photos/ref\n",
        "https://evil.example/places/ChIJ1/photos/ref",
    ],
)
def test_photo_uri_rejects_an_invalid_reference_without_a_call(rsps, photo_ref):
    with pytest.raises(ProviderError) as caught:
        google_places.photo_uri(photo_ref=photo_ref)
    assert caught.value.retryable is False
    assert len(rsps.calls) == 0


def test_photo_uri_without_a_photo_uri_raises(rsps):
    rsps.get(f"{PLACES}/v1/{PHOTO_REF}/media", json={"name": f"{PHOTO_REF}/media"})

    with pytest.raises(ProviderError):
        google_places.photo_uri(photo_ref=PHOTO_REF)


# --- Google: key hygiene and caching ----------------------------------------------------------------
def test_google_key_is_never_in_a_url_or_in_what_is_returned(rsps):
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))
    rsps.get(f"{PLACES}/v1/{PHOTO_REF}/media", json=payload("google_places_photo_media.json"))
    rsps.post(MATRIX_URL, json=payload("google_routes_matrix.json"))
    rsps.post(ROUTE_URL, json=payload("google_routes_route.json"))

    results = [
        nearby(),
        google_places.photo_uri(photo_ref=PHOTO_REF),
        google_routes.route_matrix(origin=METROTECH, destinations=[(40.69, -73.98)] * 4),
        google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834)),
    ]

    assert len(rsps.calls) == 4
    for call in rsps.calls:
        assert GOOGLE_KEY not in call.request.url
        assert call.request.headers["X-Goog-Api-Key"] == GOOGLE_KEY
    assert GOOGLE_KEY not in repr(results)


def test_a_photo_uri_is_cached_per_reference_and_width(rsps):
    rsps.get(PHOTO_URL, json=payload("google_places_photo_media.json"))

    first = google_places.photo_uri(photo_ref=PHOTO_REF, max_width=800)
    second = google_places.photo_uri(photo_ref=PHOTO_REF, max_width=800)
    google_places.photo_uri(photo_ref=PHOTO_REF, max_width=400)  # another width is another entry

    assert first == second
    assert len(rsps.calls) == 2


def test_cached_photo_uris_do_not_depend_on_the_key_and_do_not_store_it(rsps, settings):
    rsps.get(PHOTO_URL, json=payload("google_places_photo_media.json"))

    google_places.photo_uri(photo_ref=PHOTO_REF)
    settings.GOOGLE_API_KEY = "rotated-key"
    google_places.photo_uri(photo_ref=PHOTO_REF)

    assert len(rsps.calls) == 1
    stored = _stored_answer(
        (google_places.PHOTOS_CACHE_NAMESPACE, google_places.PHOTOS_CACHE_SECONDS), rsps.calls[0].request
    )
    assert stored is not None and stored.status_code == 200
    assert GOOGLE_KEY not in pickle.dumps(stored).decode("latin-1")


def test_an_expired_photo_uri_is_not_served_when_google_fails(rsps, expired_http_cache):
    rsps.get(PHOTO_URL, json=payload("google_places_photo_media.json"))
    google_places.photo_uri(photo_ref=PHOTO_REF)
    expired_http_cache()
    rsps.replace(responses.GET, PHOTO_URL, status=503, json={"error": "down"})

    with pytest.raises(ProviderError):  # a short-lived URI past its time may not open: no stale copy
        google_places.photo_uri(photo_ref=PHOTO_REF)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_not_retryable(rsps, status):
    rsps.post(NEARBY_URL, status=status, json={"error": {"code": status, "status": "PERMISSION_DENIED"}})

    with pytest.raises(ProviderError) as caught:
        nearby()

    assert caught.value.retryable is False
    assert caught.value.status == status
    assert len(rsps.calls) == 1


def test_a_timeout_is_a_retryable_provider_error(rsps):
    rsps.post(NEARBY_URL, body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(ProviderError) as caught:
        nearby()

    assert caught.value.retryable is True
    assert len(rsps.calls) == 1


def test_a_connection_error_is_a_retryable_provider_error(rsps):
    rsps.post(MATRIX_URL, body=requests.exceptions.ConnectionError("connection reset"))

    with pytest.raises(ProviderError) as caught:
        google_routes.route_matrix(origin=METROTECH, destinations=[(40.69, -73.98)])

    assert caught.value.retryable is True


# --- Real transport (fake_http): retries, timeouts, circuit breaker ---------------------------------
def test_a_503_then_200_succeeds_after_one_retry(fake_http, settings):
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    fake_http.script("/v1/places:searchNearby", (503, {"error": "busy"}), (200, payload("google_places_nearby.json")))

    places = nearby()

    assert len(places) == 6
    calls = fake_http.calls("/v1/places:searchNearby")
    assert len(calls) == 2
    assert calls[1].headers["X-Goog-FieldMask"] == google_places.FIELD_MASK
    assert calls[1].json()["rankPreference"] == "POPULARITY"


def test_repeated_500_gives_up_after_the_configured_retries(fake_http, settings):
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    fake_http.script("/v1/places:searchNearby", (500, {"error": "boom"}))

    with pytest.raises(ProviderError) as caught:
        nearby()

    assert caught.value.retryable is True
    assert caught.value.status == 500
    assert len(fake_http.calls()) == 2  # the call and OUTBOUND_RETRIES=1 retry


@pytest.mark.parametrize("status", [400, 403])
def test_client_errors_are_not_retried_on_the_real_transport(fake_http, settings, status):
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    fake_http.script("/directions/v2:computeRoutes", (status, {"error": {"code": status}}))

    with pytest.raises(ProviderError) as caught:
        google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834))

    assert caught.value.retryable is False
    assert len(fake_http.calls()) == 1


def test_a_read_timeout_is_retryable_and_not_retried(fake_http, settings):
    settings.OPENWEATHER_BASE_URL = fake_http.url
    settings.OUTBOUND_TIMEOUT = (0.5, 0.2)
    fake_http.script("/data/2.5/weather", (200, payload("openweather_current.json"), 1.0))

    with pytest.raises(ProviderTimeout) as caught:  # urllib3 wraps it in a ConnectionError: told apart
        openweather.current(lat=40.69, lon=-73.99)

    assert caught.value.retryable is True
    assert "read timeout after" in str(caught.value)
    assert len(fake_http.calls()) == 1


def test_the_circuit_opens_after_three_failures_and_then_makes_no_request(fake_http, settings):
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    fake_http.script("/v1/places:searchNearby", (503, {"error": "down"}))
    fake_http.script("/directions/v2:computeRoutes", (200, payload("google_routes_route.json")))

    for _ in range(3):
        with pytest.raises(ProviderError):
            nearby()
    requests_before = len(fake_http.calls("/v1/places:searchNearby"))
    with pytest.raises(CircuitOpen) as caught:
        nearby(radius_m=300)

    assert "circuit" in str(caught.value)
    assert caught.value.retryable is True
    assert len(fake_http.calls("/v1/places:searchNearby")) == requests_before == 6
    # Other providers have their own circuit.
    assert google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834)).distance_meters == 612


def test_an_expired_answer_served_because_the_provider_hangs_counts_as_a_failure(fake_http, settings, expired_http_cache):
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    settings.OUTBOUND_TIMEOUT = (0.5, 0.2)
    answer = payload("google_routes_route.json")
    fake_http.script("/directions/v2:computeRoutes", (200, answer), (200, answer, 1.0))  # then it hangs
    fresh = google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834))
    expired_http_cache()

    for _ in range(3):  # each one waits for the read timeout, then gets the expired answer
        assert google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834)) == fresh
    assert len(fake_http.calls("/directions/v2:computeRoutes")) == 4
    # The breaker opened after three failures: the expired answer is served without a call.
    assert google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834)) == fresh
    assert len(fake_http.calls("/directions/v2:computeRoutes")) == 4


def test_the_circuit_breaker_reads_its_state_in_one_round_trip_and_clears_only_what_is_there(monkeypatch):
    calls: list[str] = []
    _count_cache_round_trips(monkeypatch, calls)

    breaker = CircuitBreaker("test_provider")
    assert breaker.allow() is True
    breaker.record_success()
    assert calls == ["get_many"]  # nothing on record, so nothing to clear

    breaker.record_failure()
    calls.clear()
    again = CircuitBreaker("test_provider")
    assert again.allow() is True
    again.record_success()
    assert calls == ["get_many", "delete_many"]
    assert cache.get("circuit:test_provider:failures") is None


def test_a_provider_call_reads_the_shared_cache_once_per_layer_cold_or_warm(rsps, monkeypatch):
    rsps.get(PHOTO_URL, json=payload("google_places_photo_media.json"))
    rsps.post(NEARBY_URL, json=payload("google_places_nearby.json"))
    calls: list[str] = []
    _count_cache_round_trips(monkeypatch, calls)

    for _ in range(2):
        google_places.photo_uri(photo_ref=PHOTO_REF)
        # The breaker's state and the cached answer (a miss, then a hit); no redirect alias (these
        # APIs never redirect, the aliases stay in process) and nothing to clear on the breaker.
        assert calls == ["get_many", "get"]
        calls.clear()
    for _ in range(2):
        nearby()  # its cache is the rows its caller keeps: the breaker's state only
        assert calls == ["get_many"]
        calls.clear()
    assert len(rsps.calls) == 3


def _count_cache_round_trips(monkeypatch, calls: list[str]) -> None:
    """Records get, get_many, delete and delete_many on the shared cache (the local-memory cache's
    get_many is a loop of gets: those count as the one get_many)."""
    inside = []

    def counted(name, method):
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "delete", "delete_many"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))


def test_the_openweather_key_is_not_logged_when_a_connection_is_retried(settings, caplog, monkeypatch, expired_http_cache):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as probe:  # a local port with nothing listening: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OPENWEATHER_BASE_URL = f"http://127.0.0.1:{port}"

    with caplog.at_level(logging.DEBUG), pytest.raises(ProviderError) as caught:
        openweather.current(lat=40.69, lon=-73.99)

    assert caught.value.retryable is True
    assert any("Retrying" in record.getMessage() for record in caplog.records)  # urllib3 did log the URL
    assert WEATHER_KEY not in caplog.text
    assert WEATHER_KEY not in str(caught.value)
    assert caught.value.__cause__ is None  # the requests exception's text holds the URL

    # The same failure with an expired answer in the HTTP cache: the answer is served, and the
    # warning about it (requests-cache's came with the traceback, whose text holds the URL) must
    # not carry the key either, in the test's capture or in what the log handler writes.
    with responses.RequestsMock() as mock:
        mock.get(f"{settings.OPENWEATHER_BASE_URL}/data/2.5/weather", json=payload("openweather_current.json"))
        cached = openweather.current(lat=40.69, lon=-73.99)
    reset_process_state()  # another worker
    expired_http_cache()
    caplog.clear()

    with caplog.at_level(logging.DEBUG):
        assert openweather.current(lat=40.69, lon=-73.99) == cached

    assert any("expired" in record.getMessage() for record in caplog.records)
    assert WEATHER_KEY not in caplog.text
    console = _console_handler()
    assert not any(WEATHER_KEY in console.format(record) for record in caplog.records if console.filter(record))


def _console_handler() -> logging.Handler:
    """The handler settings.LOGGING puts on the root logger (with its filters)."""
    return next(h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecretsFilter) for f in h.filters))


def test_the_key_filter_is_installed_by_the_logging_settings_not_by_importing_a_module():
    import ast

    package = Path(__file__).resolve().parents[2] / "violetvibes" / "providers"
    module_level_calls = [
        f"{path.name}: {ast.unparse(node)}"
        for path in sorted(package.glob("*.py"))
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    ]
    # Registering what the process-state reset clears (violetvibes/state.py) is the one call allowed.
    assert [call for call in module_level_calls if ": state.on_reset(" not in call] == []
    assert any(isinstance(f, RedactSecretsFilter) for f in logging.getLogger("urllib3.connectionpool").filters)
    assert _console_handler() is not None


@pytest.mark.parametrize("formatter", [None, JsonFormatter()], ids=["text", "json"])
def test_the_log_handler_redacts_keys_from_messages_and_tracebacks(formatter):
    console = _console_handler()
    url = f"/data/2.5/weather?lat=40.69&appid={WEATHER_KEY}"
    try:
        raise requests.ConnectionError(f"Max retries exceeded with url: {url}")
    except requests.ConnectionError:
        record = logging.getLogger("requests_cache.session").makeRecord(
            "requests_cache.session", logging.WARNING, __file__, 1, "Request for URL %s failed", (url,), sys.exc_info()
        )

    assert console.filter(record)
    text = (formatter or console.formatter).format(record)

    assert WEATHER_KEY not in text
    assert text.count("appid=REDACTED") == 2  # the message and the traceback
    assert "ConnectionError" in text




# --- Google Routes ----------------------------------------------------------------------------------
def test_route_matrix_is_one_call_for_many_destinations_ordered_by_destination_index(rsps):
    rsps.post(MATRIX_URL, json=payload("google_routes_matrix.json"))
    destinations = [(40.6907, -73.9834), (40.6926, -73.9872), (40.7044, -73.9867), (40.7580, -73.9855)]

    legs = google_routes.route_matrix(origin=METROTECH, destinations=destinations)

    assert legs == [
        RouteLeg(0, 468, 612),
        RouteLeg(1, 287, 377),
        RouteLeg(2, 1066, 1402),
        RouteLeg(3, None, None),  # ROUTE_NOT_FOUND
    ]
    assert len(rsps.calls) == 1
    request = rsps.calls[0].request
    assert (
        request.headers["X-Goog-FieldMask"] == "originIndex,destinationIndex,duration,distanceMeters,status,condition"
    )
    assert request.headers["X-Goog-Api-Key"] == GOOGLE_KEY
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.body)
    assert body["travelMode"] == "WALK"
    assert body["origins"] == [{"waypoint": {"location": {"latLng": {"latitude": 40.6942, "longitude": -73.9866}}}}]
    assert body["destinations"][3] == {
        "waypoint": {"location": {"latLng": {"latitude": 40.758, "longitude": -73.9855}}}
    }
    assert len(body["destinations"]) == 4


def test_route_matrix_fills_missing_or_failed_elements_with_none(rsps):
    rsps.post(
        MATRIX_URL,
        json=[
            {"originIndex": 0, "destinationIndex": 1, "status": {"code": 5, "message": "NOT_FOUND"}},
            {"originIndex": 0, "destinationIndex": 2, "status": {}, "distanceMeters": 10, "condition": "ROUTE_EXISTS"},
            {"originIndex": 0, "destinationIndex": 9, "duration": "5s", "distanceMeters": 5},
            {"originIndex": 0, "destinationIndex": 3, "duration": "0s", "condition": "ROUTE_EXISTS"},
            "garbage",
        ],
    )

    legs = google_routes.route_matrix(origin=METROTECH, destinations=[(40.69, -73.98)] * 4, mode="transit")

    assert legs == [RouteLeg(0, None, None), RouteLeg(1, None, None), RouteLeg(2, None, None), RouteLeg(3, 0, 0)]
    assert json.loads(rsps.calls[0].request.body)["travelMode"] == "TRANSIT"


def test_route_matrix_without_destinations_makes_no_call(rsps):
    assert google_routes.route_matrix(origin=METROTECH, destinations=[]) == []
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(("mode", "count"), [("walking", 626), ("transit", 101)])
def test_route_matrix_beyond_googles_element_limit_makes_no_call(rsps, mode, count):
    destinations = [(40.69 + i / 100_000, -73.98) for i in range(count)]

    with pytest.raises(ProviderError) as caught:
        google_routes.route_matrix(origin=METROTECH, destinations=destinations, mode=mode)

    assert caught.value.retryable is False
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    "answer",
    [{"json": {"error": "not a list"}}, {"body": "not json", "content_type": "text/plain"}],
    ids=["object", "not-json"],
)
def test_route_matrix_garbage_raises(rsps, answer):
    rsps.post(MATRIX_URL, **answer)

    with pytest.raises(ProviderError) as caught:
        google_routes.route_matrix(origin=METROTECH, destinations=[(40.69, -73.98)])
    assert caught.value.provider == "google_routes"


def test_routes_reject_unknown_modes_and_bad_points_without_a_call(rsps):
    with pytest.raises(ProviderError):
        google_routes.route_matrix(origin=METROTECH, destinations=[(40.69, -73.98)], mode="driving")
    with pytest.raises(ProviderError):
        google_routes.route_matrix(origin=METROTECH, destinations=[(40.69,)])
    with pytest.raises(ProviderError):
        google_routes.route(origin=(91.0, 0.0), destination=METROTECH)
    assert len(rsps.calls) == 0


def test_route_parses_duration_distance_and_decodes_the_path(rsps):
    rsps.post(ROUTE_URL, json=payload("google_routes_route.json"))

    result = google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834), mode="transit")

    assert isinstance(result, Route)
    assert (result.mode, result.duration_seconds, result.distance_meters) == ("transit", 468, 612)
    assert result.path[0] == pytest.approx((40.69421, -73.98662))
    assert result.path[-1] == pytest.approx((40.69071, -73.98341))
    assert len(result.path) == 6
    request = rsps.calls[0].request
    assert (
        request.headers["X-Goog-FieldMask"] == "routes.duration,routes.distanceMeters,routes.polyline.encodedPolyline"
    )
    body = json.loads(request.body)
    assert body["travelMode"] == "TRANSIT"
    assert body["origin"] == {"location": {"latLng": {"latitude": 40.6942, "longitude": -73.9866}}}
    assert body["destination"] == {"location": {"latLng": {"latitude": 40.6907, "longitude": -73.9834}}}


@pytest.mark.parametrize(
    "answer",
    [
        {},
        {"routes": []},
        {"routes": {"duration": "5s"}},
        {"routes": [{"distanceMeters": 10}]},
        {"routes": [{"duration": "ten seconds", "distanceMeters": 10}]},
        {"routes": [{"duration": "10s", "distanceMeters": 10, "polyline": {"encodedPolyline": "_p~iF~ps|U_ul"}}]},
        [],
    ],
    ids=["empty", "no-routes", "routes-object", "no-duration", "bad-duration", "cut-polyline", "json-list"],
)
def test_route_without_a_usable_route_raises(rsps, answer):
    rsps.post(ROUTE_URL, json=answer)

    with pytest.raises(ProviderError) as caught:
        google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834))
    assert caught.value.retryable is False


def test_a_route_is_cached_and_a_matrix_is_not(rsps):
    # A matrix's one cache layer is the walk times its caller keeps (places/selectors.py).
    rsps.post(ROUTE_URL, json=payload("google_routes_route.json"))
    rsps.post(MATRIX_URL, json=payload("google_routes_matrix.json"))
    destinations = [(40.6907, -73.9834), (40.6926, -73.9872), (40.7044, -73.9867), (40.7580, -73.9855)]

    for _ in range(2):
        google_routes.route(origin=METROTECH, destination=(40.6907, -73.9834))
        google_routes.route_matrix(origin=METROTECH, destinations=destinations)

    assert [call.request.url for call in rsps.calls] == [ROUTE_URL, MATRIX_URL, MATRIX_URL]


def test_decode_polyline_matches_googles_documented_example():
    points = google_routes.decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@")

    assert points == [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]


def test_decode_polyline_of_an_empty_string_is_an_empty_path():
    assert google_routes.decode_polyline("") == []


@pytest.mark.parametrize("encoded", ["_p~iF", "_p~iF~ps|U_", "_p~iF~ps|U\x7f@", " p~iF~ps|U"])
def test_decode_polyline_rejects_malformed_input(encoded):
    with pytest.raises(ValueError):
        google_routes.decode_polyline(encoded)


# --- OpenWeather ------------------------------------------------------------------------------------
def test_current_weather_sends_imperial_units_and_appid_with_rounded_coordinates(rsps):
    rsps.get(CURRENT_URL, json=payload("openweather_current.json"))

    openweather.current(lat=40.694213, lon=-73.986634)

    request = rsps.calls[0].request
    assert request.method == "GET"
    assert request.params == {"lat": "40.69", "lon": "-73.99", "units": "imperial", "appid": WEATHER_KEY}


def test_current_weather_parses_the_documented_fields(rsps):
    rsps.get(CURRENT_URL, json=payload("openweather_current.json"))

    weather = openweather.current(lat=40.69, lon=-73.99)

    assert weather == Weather(
        temp_f=61.52, desc="broken clouds", icon="04d", main="Clouds", humidity=68, wind_speed=9.22
    )
    assert WEATHER_KEY not in repr(weather)


def test_current_weather_takes_an_integer_temperature_as_float(rsps):
    data = payload("openweather_current.json")
    data["main"] = {"temp": 70}
    del data["wind"]
    rsps.get(CURRENT_URL, json=data)

    weather = openweather.current(lat=40.69, lon=-73.99)

    assert weather.temp_f == 70.0 and isinstance(weather.temp_f, float)
    assert (weather.humidity, weather.wind_speed) == (None, None)


def _current_without(path: str):
    data = payload("openweather_current.json")
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    del node[int(last) if last.isdigit() else last]
    return data


@pytest.mark.parametrize(
    "answer",
    [
        _current_without("main.temp"),
        _current_without("main"),
        _current_without("weather"),
        _current_without("weather.0"),
        _current_without("weather.0.main"),
        _current_without("weather.0.icon"),
        {**payload("openweather_current.json"), "main": {"temp": "61"}},
        {**payload("openweather_current.json"), "weather": "cloudy"},
        [payload("openweather_current.json")],
    ],
    ids=[
        "no-temp",
        "no-main",
        "no-weather",
        "empty-weather",
        "no-condition",
        "no-icon",
        "string-temp",
        "weather-str",
        "list",
    ],
)
def test_current_weather_with_missing_or_garbage_fields_raises(rsps, answer):
    rsps.get(CURRENT_URL, json=answer)

    with pytest.raises(ProviderError) as caught:
        openweather.current(lat=40.69, lon=-73.99)
    assert caught.value.provider == "openweather"


def test_current_weather_401_is_not_retryable(rsps):
    rsps.get(CURRENT_URL, status=401, json={"cod": 401, "message": "Invalid API key."})

    with pytest.raises(ProviderError) as caught:
        openweather.current(lat=40.69, lon=-73.99)

    assert (caught.value.retryable, caught.value.status) == (False, 401)
    assert WEATHER_KEY not in str(caught.value)


def test_forecast_parses_entries_in_order(rsps):
    rsps.get(FORECAST_URL, json=payload("openweather_forecast.json"))

    entries = openweather.forecast(lat=40.69, lon=-73.99)

    assert rsps.calls[0].request.params == {"lat": "40.69", "lon": "-73.99", "units": "imperial", "appid": WEATHER_KEY}
    assert [entry.dt for entry in entries] == [1728756000, 1728766800, 1728777600, 1728788400]
    assert entries[1] == ForecastEntry(
        dt=1728766800, temp=60.8, humidity=72, main="Rain", description="light rain", wind_speed=11.7
    )
    assert WEATHER_KEY not in repr(entries)


def test_forecast_skips_malformed_entries_with_a_log_line(rsps, caplog):
    data = payload("openweather_forecast.json")
    good = copy.deepcopy(data["list"][0])
    data["list"] = [
        good,
        {**good, "dt": "soon"},
        {**good, "main": {}},
        {**good, "weather": []},
        "garbage",
        {**good, "dt": good["dt"] + 10800, "wind": "calm", "main": {"temp": 50, "humidity": 140}},
    ]
    rsps.get(FORECAST_URL, json=data)

    with caplog.at_level(logging.INFO, logger="places.providers.openweather"):
        entries = openweather.forecast(lat=40.69, lon=-73.99)

    assert [entry.dt for entry in entries] == [good["dt"], good["dt"] + 10800]
    assert (entries[1].temp, entries[1].humidity, entries[1].wind_speed) == (50.0, None, None)
    assert len([r for r in caplog.records if "skipped" in r.getMessage()]) == 4


@pytest.mark.parametrize(
    "answer",
    [{"cod": "200"}, {"list": {"dt": 1}}, {"list": ["garbage", {"dt": 1}]}, ["list"]],
    ids=["no-list", "list-object", "all-malformed", "json-list"],
)
def test_forecast_garbage_raises(rsps, answer):
    rsps.get(FORECAST_URL, json=answer)

    with pytest.raises(ProviderError):
        openweather.forecast(lat=40.69, lon=-73.99)


def test_an_unusable_weather_answer_is_not_cached(rsps):
    rsps.get(CURRENT_URL, json={"cod": 200, "main": {}})
    with pytest.raises(ProviderError):
        openweather.current(lat=40.69, lon=-73.99)
    rsps.replace(responses.GET, CURRENT_URL, json=payload("openweather_current.json"))

    assert openweather.current(lat=40.69, lon=-73.99).temp_f == 61.52
    assert len(rsps.calls) == 2


def test_a_worker_reuses_its_weather_answer_for_a_minute_without_asking_the_cache(rsps):
    rsps.get(CURRENT_URL, json=payload("openweather_current.json"))
    first = openweather.current(lat=40.6942, lon=-73.9866)
    shared_reads = []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "get", lambda *args, **kwargs: shared_reads.append(args))
        assert openweather.current(lat=40.6938, lon=-73.9871) == first  # same 2-decimal cell
    assert shared_reads == [] and len(rsps.calls) == 1

    later = time.monotonic() + openweather.RECENT_SECONDS + 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(openweather.time, "monotonic", lambda: later)
        assert openweather.current(lat=40.6942, lon=-73.9866) == first  # from the shared HTTP cache
    assert len(rsps.calls) == 1


def test_forecast_with_no_entries_is_empty(rsps):
    rsps.get(FORECAST_URL, json={"cod": "200", "cnt": 0, "list": []})

    assert openweather.forecast(lat=40.69, lon=-73.99) == []


def test_nearby_callers_share_one_cached_weather_answer(rsps):
    rsps.get(CURRENT_URL, json=payload("openweather_current.json"))

    first = openweather.current(lat=40.6942, lon=-73.9866)
    reset_process_state()  # another worker: only the shared HTTP cache can answer
    second = openweather.current(lat=40.6938, lon=-73.9871)  # same 2-decimal cell

    assert first == second
    assert len(rsps.calls) == 1


def test_cached_weather_does_not_store_the_key(rsps):
    rsps.get(CURRENT_URL, json=payload("openweather_current.json"))

    openweather.current(lat=40.69, lon=-73.99)

    stored = _stored_answer((openweather.CACHE_NAMESPACE, openweather.CACHE_SECONDS), rsps.calls[0].request)
    assert stored is not None and stored.status_code == 200
    assert WEATHER_KEY not in pickle.dumps(stored).decode("latin-1")
    assert WEATHER_KEY not in stored.request.url


def test_unconfigured_openweather_raises_without_a_call(rsps, settings):
    settings.OPENWEATHER_KEY = ""

    assert openweather.configured() is False
    with pytest.raises(ProviderError) as caught:
        openweather.forecast(lat=40.69, lon=-73.99)
    assert caught.value.retryable is False
    assert len(rsps.calls) == 0
