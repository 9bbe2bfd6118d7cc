"""The places endpoints end to end: offline from the catalog, live against fake providers (the
recommendation lists too; offline they are in tests/recommendations/test_lists_api.py)."""

import dataclasses
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
import responses
from django.core.management import call_command

from places import candidates, geo, photos, scoring, selectors
from places.categories import CATEGORIES
from places.models import Place
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import assert_contract
from tests.fakes.nws import fake_nws, observation_with, use_nws
from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.session import STALE_SECONDS

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads"
NEARBY = "/v1/places:searchNearby"
MATRIX = "/distanceMatrix/v2:computeRouteMatrix"
ROUTE = "/directions/v2:computeRoutes"
WEATHER = "/data/2.5/weather"
GOOGLE_KEY = "test-google-key-do-not-leak"


def payload(name: str) -> object:
    return json.loads((PAYLOADS / name).read_text())


@pytest.fixture
def catalog(db):
    call_command("load_place_catalog", verbosity=0)


@pytest.fixture
def google(settings, fake_http, catalog):
    """Google Places + Routes + OpenWeather configured against the local fake."""
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    settings.OPENWEATHER_KEY = "test-weather-key"
    settings.OPENWEATHER_BASE_URL = fake_http.url
    fake_http.script(NEARBY, (200, payload("google_places_nearby.json")))
    fake_http.script(MATRIX, (200, payload("google_routes_matrix.json")))
    fake_http.script(ROUTE, (200, payload("google_routes_route.json")))
    fake_http.script(WEATHER, (200, payload("openweather_current.json")))
    return fake_http


# --- Offline: the catalog answers -----------------------------------------------------------------
def test_directions_offline_estimate_with_the_apps_polyline_shape(api):
    response = api.get("/api/directions", {"lat": "40.7003", "lng": "-73.9967"})
    assert response.status_code == 200
    assert_contract("GET", "/api/directions", response)
    body = response.json()
    assert body["source"] == "estimate" and body["mode"] == "walking"
    assert body["polyline"][0] == {"latitude": 40.693393, "longitude": -73.98555}
    assert body["path"][-1] == [40.7003, -73.9967]
    assert body["duration_seconds"] > 0


def test_directions_needs_a_destination(api):
    response = api.get("/api/directions", {"lat": "40.7"})
    assert response.status_code == 400
    assert "lng" in response.json()["fields"]


def test_weather_without_a_provider_is_503_json(api):
    response = api.get("/api/weather")
    assert response.status_code == 503
    assert response.json()["code"] == "weather_unavailable"
    assert api.get("/api/weather/forecast").status_code == 503


def test_photo_without_google_is_404_json(api):
    response = api.get("/api/places/photo/places/abc/photos/def")
    assert response.status_code == 404
    assert response.json()["code"] == "photo_not_found"


# --- Live providers (faked on loopback) -------------------------------------------------------------
def test_quick_recs_with_google_uses_its_places_and_upserts_them(api, google):
    response = api.get("/api/quick_recs", {"category": "quick_bites"})
    assert response.status_code == 200
    assert_contract("GET", "/api/quick_recs", response)
    places = response.json()["places"]
    assert places and all(place["source"] == "google_places" for place in places)
    assert Place.objects.filter(source="google_places").count() == len(payload("google_places_nearby.json")["places"])
    sent = google.calls(NEARBY)[0]
    headers = {name.lower(): value for name, value in sent.headers.items()}
    assert headers["x-goog-api-key"] == GOOGLE_KEY
    assert "places.displayName" in headers["x-goog-fieldmask"]


def test_quick_recs_cold_makes_two_calls_and_warm_makes_none(api, google):
    api.get("/api/quick_recs", {"category": "quick_bites"})
    assert len(google.calls()) == 2  # one nearby search, one route matrix for every candidate
    api.get("/api/quick_recs", {"category": "quick_bites"})
    assert len(google.calls()) == 2


def test_dashboard_cold_makes_at_most_five_calls_and_warm_none(auth_api, google):
    response = auth_api.get("/api/dashboard")
    assert response.status_code == 200
    assert_contract("GET", "/api/dashboard", response)
    assert response.json()["weather"]["temp_f"] > 0
    cold = len(google.calls())
    assert cold <= 5
    auth_api.get("/api/dashboard")
    assert len(google.calls()) == cold


def test_photo_redirects_to_googles_url_without_the_key(api, google):
    google.script("/v1/places/abc/photos/def/media", (200, payload("google_places_photo_media.json")))
    sig = photos.signature("places/abc/photos/def")
    response = api.get("/api/places/photo/places/abc/photos/def", {"maxwidth": "400", "sig": sig})
    assert response.status_code == 302
    assert response["Location"].startswith("https://lh3.googleusercontent.com/")
    assert GOOGLE_KEY not in response["Location"]
    assert google.calls("/v1/places/abc/photos/def/media")[0].query["skipHttpRedirect"] == ["true"]


def test_no_response_contains_the_google_key(api, auth_api, google):
    google.script("/v1/places/abc/photos/def/media", (200, payload("google_places_photo_media.json")))
    responses = [
        api.get("/api/quick_recs", {"category": "explore"}),
        api.get("/api/top_recommendations"),
        auth_api.get("/api/dashboard"),
        api.get("/api/directions", {"lat": "40.7", "lng": "-73.99"}),
        api.get("/api/weather"),
        api.get("/api/v1/places/"),
        api.get("/api/places/photo/places/abc/photos/def", {"sig": photos.signature("places/abc/photos/def")}),
    ]
    for response in responses:
        assert GOOGLE_KEY not in response.content.decode() + str(response.headers)


def test_directions_with_routes_uses_the_polyline(api, google):
    response = api.get("/api/directions", {"lat": "40.6907", "lng": "-73.9832", "mode": "walking"})
    body = response.json()
    assert body["source"] == "google_routes"
    assert len(body["polyline"]) > 2
    assert_contract("GET", "/api/directions", response)


@pytest.fixture
def routes(settings, fake_http):
    """Google Routes on the local fake, with nothing scripted yet."""
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    return fake_http


def test_best_directions_stop_at_the_first_retryable_failure(api, routes):
    routes.script(ROUTE, (503, {"error": "down"}))

    response = api.get("/api/directions", {"lat": "40.6907", "lng": "-73.9832", "mode": "best"})

    assert response.json()["source"] == "estimate"
    assert len(routes.calls(ROUTE)) == 2  # walking and its one retry; transit would wait the same way


def test_best_directions_still_try_transit_when_walking_has_no_route(api, routes):
    routes.script(ROUTE, (200, {}), (200, payload("google_routes_route.json")))  # {}: no walking route

    response = api.get("/api/directions", {"lat": "40.6907", "lng": "-73.9832", "mode": "best"})

    assert (response.json()["source"], response.json()["mode"]) == ("google_routes", "transit")
    assert [call.json()["travelMode"] for call in routes.calls(ROUTE)] == ["WALK", "TRANSIT"]


def test_weather_and_forecast_with_openweather(api, google):
    google.script("/data/2.5/forecast", (200, payload("openweather_forecast.json")))
    current = api.get("/api/weather", {"lat": "40.69", "lon": "-73.98"})
    assert current.status_code == 200
    assert_contract("GET", "/api/weather", current)
    assert isinstance(current.json()["temp"], int)
    forecast = api.get("/api/weather/forecast")
    assert forecast.status_code == 200
    assert_contract("GET", "/api/weather/forecast", forecast)


def test_weather_and_forecast_without_a_key_come_from_the_national_weather_service(api, settings):
    use_nws(settings)
    with responses.RequestsMock() as nws:
        fake_nws(nws)
        current = api.get("/api/weather", {"lat": "40.6942", "lon": "-73.9866"})
        forecast = api.get("/api/weather/forecast", {"lat": "40.6942", "lon": "-73.9866"})

    assert current.status_code == 200
    assert_contract("GET", "/api/weather", current)
    assert current.json() == {
        "temp_f": 46.0, "temp": 46, "desc": "mostly cloudy", "icon": "03d", "main": "Clouds",
        "humidity": 53, "wind_speed": 9.2, "emoji": "☁️",
    }
    assert forecast.status_code == 200
    assert_contract("GET", "/api/weather/forecast", forecast)
    entries = forecast.json()["forecast"]
    assert len(entries) == 8 and entries[0]["dt"] < entries[1]["dt"]
    assert entries[3] == {
        "dt": entries[0]["dt"] + 3 * 3600, "main": {"temp": 44.0, "humidity": 68},
        "weather": [{"main": "Rain", "description": "chance light rain"}], "wind": {"speed": 8.0},
    }


def test_weather_with_an_unknown_observed_temperature_says_the_forecast_one_never_zero(api, settings):
    use_nws(settings)
    with responses.RequestsMock() as nws:
        fake_nws(nws, observation=observation_with(temperature=None))
        response = api.get("/api/weather")

    assert response.status_code == 200
    assert response.json()["temp_f"] == 47.0


@pytest.mark.parametrize(
    "failure",
    [{"points": 404}, {"points": 500}, {"points": requests.exceptions.ReadTimeout("read timed out")},
     {"observation": observation_with(temperature=None), "hourly": 500}],
    ids=["outside-coverage", "500", "timeout", "no-temperature-known"],
)
def test_weather_the_nws_cannot_give_is_503_json_never_a_500(api, settings, failure):
    use_nws(settings)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as nws:
        fake_nws(nws, **failure)
        current = api.get("/api/weather")
        forecast = api.get("/api/weather/forecast")

    assert (current.status_code, current.json()["code"]) == (503, "weather_unavailable")
    assert (forecast.status_code, forecast.json()["code"]) == (503, "weather_unavailable")


@pytest.mark.parametrize(
    "answer",
    [(500, {"error": "boom"}), (429, {"error": "slow down"}), (200, "<html>not json</html>"), (200, ["a", "list"])],
    ids=["500", "429", "garbage", "wrong-shape"],
)
def test_a_failing_google_degrades_to_the_catalog(api, settings, fake_http, catalog, answer):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    fake_http.script(NEARBY, answer)
    fake_http.script(MATRIX, answer)
    response = api.get("/api/quick_recs", {"category": "cozy_cafes"})
    assert response.status_code == 200
    places = response.json()["places"]
    assert places and all(place["source"] == "catalog" for place in places)
    assert all(isinstance(place["walk_minutes"], int) for place in places)


@pytest.fixture
def hanging_google(settings, fake_http, catalog):
    """Google Places and Routes that answer after 2 s, with 0.3 s timeouts."""
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    settings.OUTBOUND_TIMEOUT = (0.3, 0.3)
    fake_http.script(NEARBY, (200, {}, 2.0))
    fake_http.script(MATRIX, (200, [], 2.0))
    return fake_http


def test_a_hanging_google_costs_one_timeout_per_cooldown_then_the_catalog_answers_fast(api, hanging_google):
    fake_http = hanging_google
    for _ in range(3):  # the breaker opens after three failures
        assert api.get("/api/quick_recs", {"category": "explore"}).status_code == 200
    calls = len(fake_http.calls())
    started = time.perf_counter()
    for _ in range(5):
        assert api.get("/api/quick_recs", {"category": "explore"}).status_code == 200
    assert time.perf_counter() - started < 1.0
    assert len(fake_http.calls()) == calls


def test_a_hanging_google_costs_a_dashboard_one_timeout_not_one_per_category(auth_api, hanging_google):
    response = auth_api.get("/api/dashboard")

    assert response.status_code == 200
    lists = response.json()["quick_recommendations"]
    assert all(lists[key] for key in ("quick_bites", "cozy_cafes", "explore"))  # all from the catalog
    assert len(hanging_google.calls(NEARBY)) == 1


def _later(clock, seconds: int) -> None:
    clock(WEEKDAY_AFTERNOON + timedelta(seconds=seconds))


def test_a_hanging_google_with_expired_rows_costs_a_dashboard_one_timeout(settings, fake_http, catalog, clock):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    settings.OUTBOUND_TIMEOUT = (0.3, 0.3)
    specs, origin = list(CATEGORIES.values()), selectors.default_origin()
    # An answer for each search, then Google hangs.
    fake_http.script(NEARBY, *[(200, payload("google_places_nearby.json"))] * len(specs), (200, {}, 2.0))
    assert all(candidates.candidates(specs=specs, origin=origin).values())
    _later(clock, candidates.NEARBY_CACHE_SECONDS + 60)  # every search's rows are past their 30 minutes

    found = candidates.candidates(specs=specs, origin=origin)

    # The first search waited, then took its expired rows; the others took theirs at once.
    assert len(fake_http.calls(NEARBY)) == len(specs) + 1
    assert all(found[spec.key] and {place.source for place in found[spec.key]} == {"google_places"} for spec in specs)


def test_rows_past_their_time_are_asked_for_again_and_replaced(settings, fake_http, catalog, clock):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    spec, origin = CATEGORIES["quick_bites"], selectors.default_origin()
    fake_http.script(NEARBY, (200, payload("google_places_nearby.json")), (200, {}))

    assert candidates.candidates(specs=[spec], origin=origin)[spec.key][0].source == "google_places"
    _later(clock, candidates.NEARBY_CACHE_SECONDS - 60)
    assert candidates.candidates(specs=[spec], origin=origin)[spec.key][0].source == "google_places"
    assert len(fake_http.calls(NEARBY)) == 1  # fresh: one cache read, no call
    _later(clock, candidates.NEARBY_CACHE_SECONDS + 60)

    found = candidates.candidates(specs=[spec], origin=origin)[spec.key]

    assert len(fake_http.calls(NEARBY)) == 2
    assert found and all(place.source == "catalog" for place in found)  # Google now knows none here


@pytest.mark.parametrize("after", [candidates.NEARBY_CACHE_SECONDS + 60, candidates.NEARBY_CACHE_SECONDS + STALE_SECONDS - 60])
def test_expired_rows_are_used_without_a_call_while_the_circuit_is_open(settings, fake_http, catalog, clock, after):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    spec, origin = CATEGORIES["cozy_cafes"], selectors.default_origin()
    fake_http.script(NEARBY, (200, payload("google_places_nearby.json")))
    rows = candidates.candidates(specs=[spec], origin=origin)[spec.key]
    _later(clock, after)
    breaker = CircuitBreaker("google_places")
    for _ in range(breaker.threshold):
        breaker.record_failure()

    assert candidates.candidates(specs=[spec], origin=origin)[spec.key] == rows
    assert len(fake_http.calls(NEARBY)) == 1


def test_rows_kept_past_their_stale_hours_are_gone_and_the_catalog_answers(settings, fake_http, catalog, clock):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    spec, origin = CATEGORIES["cozy_cafes"], selectors.default_origin()
    fake_http.script(NEARBY, (200, payload("google_places_nearby.json")), (503, {"error": "down"}))
    candidates.candidates(specs=[spec], origin=origin)
    _later(clock, candidates.NEARBY_CACHE_SECONDS + STALE_SECONDS + 60)

    found = candidates.candidates(specs=[spec], origin=origin)[spec.key]

    assert found and all(place.source == "catalog" for place in found)


def test_expired_walk_times_are_used_when_routes_fails(settings, fake_http, catalog, clock):
    settings.GOOGLE_API_KEY = GOOGLE_KEY
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    origin = selectors.default_origin()
    places = selectors.places_near(origin=origin, radius_m=1500)[:4]
    fake_http.script(MATRIX, (200, [{"destinationIndex": i, "duration": "1260s", "distanceMeters": 1500} for i in range(4)]), (503, {"error": "down"}))
    routed = selectors.walk_times(origin=origin, places=places)
    assert {walk.minutes for walk in routed.values()} == {21}
    _later(clock, selectors.WALKS_CACHE_SECONDS + 60)

    assert selectors.walk_times(origin=origin, places=places) == routed  # Google's, not estimates
    assert len(fake_http.calls(MATRIX)) >= 2  # it was asked again


# --- Catalog, browse API, admin -------------------------------------------------------------------
def test_catalog_load_is_idempotent_and_keeps_staff_edits(db):
    call_command("load_place_catalog", verbosity=0)
    count = Place.objects.count()
    assert count >= 150
    place = Place.objects.filter(source="catalog").first()
    place.description = "Edited by staff"
    place.save()
    call_command("load_place_catalog", verbosity=0)
    assert Place.objects.count() == count
    place.refresh_from_db()
    assert place.description == "Edited by staff"
    call_command("load_place_catalog", "--refresh", verbosity=0)
    place.refresh_from_db()
    assert place.description != "Edited by staff"


def test_catalog_covers_both_campuses_and_every_category():
    entries = json.loads((Path(__file__).resolve().parents[2] / "places" / "data" / "catalog.json").read_text())
    assert len(entries) >= 150
    assert {entry["campus"] for entry in entries} == {"brooklyn", "manhattan"}
    for category in ("quick_bites", "cozy_cafes", "explore"):
        assert sum(category in entry["categories"] for entry in entries) >= 20
    vibes = {vibe for entry in entries for vibe in entry["vibes"]}
    assert vibes >= {"explore", "study", "food_general", "party", "chill_drinks", "shopping", "fast_bite", "bookstore"}


def test_browse_places_filters_orders_and_paginates(api, catalog):
    response = api.get("/api/v1/places/", {"vibe": "party", "ordering": "distance"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 0 and len(body["results"]) <= 20
    distances = [card["distance_meters"] for card in body["results"]]
    assert distances == sorted(distances)
    assert all(isinstance(card["id"], int) for card in body["results"])
    near = api.get("/api/v1/places/", {"lat": "40.7308", "lng": "-73.9973", "radius_m": "500"}).json()
    assert near["count"] > 0 and all(card["distance_meters"] < 800 for card in near["results"])
    assert api.get("/api/v1/places/", {"q": "library"}).json()["count"] > 0
    assert api.get("/api/v1/places/", {"category": "events"}).status_code == 400


def test_browse_empty_parameters_are_the_defaults(api, catalog):
    """As the schema says (allowEmptyValue): `ordering=` is the default order, not a 400."""
    response = api.get("/api/v1/places/?ordering=&category=&vibe=&lat=&lng=&open_now=&min_rating=&page=")

    assert response.status_code == 200
    assert [card["id"] for card in response.json()["results"]] == [card["id"] for card in api.get("/api/v1/places/").json()["results"]]


@pytest.mark.parametrize("ordering", ["score", "distance", "rating"])
def test_browse_builds_cards_for_the_page_only(api, catalog, monkeypatch, ordering):
    from places import selectors

    first = api.get("/api/v1/places/", {"ordering": ordering}).json()
    built = []
    real_card = selectors.place_card
    monkeypatch.setattr(selectors, "place_card", lambda *args, **kwargs: built.append(1) or real_card(*args, **kwargs))

    second = api.get("/api/v1/places/", {"ordering": ordering, "page": "2"}).json()

    assert second["count"] == first["count"] > 2 * len(second["results"]) > 0
    assert len(built) == len(second["results"])
    cards = first["results"] + second["results"]
    assert len({card["id"] for card in cards}) == len(cards)
    sort_key = {"score": "score", "distance": "distance_meters", "rating": "rating"}[ordering]
    values = [card[sort_key] or 0 for card in cards]  # unrated (null) places last
    assert values == sorted(values, reverse=ordering != "distance")


def test_browse_place_detail_and_404(api, catalog):
    place = Place.objects.filter(source="catalog").first()
    detail = api.get(f"/api/v1/places/{place.pk}/")
    assert detail.status_code == 200
    assert detail.json()["place_id"] == place.card_id and "types" in detail.json()
    missing = api.get("/api/v1/places/999999/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_staff_can_edit_places_in_the_admin(client, catalog):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get("/admin/places/place/?q=library").status_code == 200
    place = Place.objects.first()
    assert client.get(f"/admin/places/place/{place.pk}/change/").status_code == 200


def test_a_staff_edit_shows_at_once_although_local_places_are_cached(api, catalog):
    first = api.get("/api/v1/places/", {"q": "Dibner"}).json()["results"][0]
    api.get("/api/quick_recs", {"category": "cozy_cafes", "limit": "50"})
    place = Place.objects.get(pk=first["id"])
    place.is_active = False
    place.save()
    cards = api.get("/api/top_recommendations", {"limit": "10", "vibe": "study"}).json()["places"]
    assert place.card_id not in {card["place_id"] for card in cards}


def test_distances_remembered_per_origin_are_those_computed_and_only_for_the_local_rows(catalog):
    bobst = geo.Point(40.7295, -73.9972)
    near = selectors.places_near(origin=bobst, radius_m=1500)
    assert near and selectors.places_near(origin=bobst, radius_m=1500) == near
    assert selectors.distances_m(near, bobst) == {p.pk: geo.haversine_m(bobst, geo.Point(p.lat, p.lng)) for p in near}
    # Another object for the same row (as a provider's copy would be), somewhere else: measured, not remembered.
    moved = Place(pk=near[0].pk, name=near[0].name, lat=near[0].lat + 0.01, lng=near[0].lng)
    assert selectors.distance_m(moved, bobst) == geo.haversine_m(bobst, geo.Point(moved.lat, moved.lng))


def test_places_near_by_card_are_places_near_by_card_id_and_follow_a_catalog_change(catalog):
    bobst = geo.Point(40.7295, -73.9972)
    near = selectors.places_near(origin=bobst, radius_m=1500)
    by_card = selectors.places_near_by_card(origin=bobst, radius_m=1500)
    assert list(by_card.values()) == near and list(by_card) == [p.card_id for p in near]
    assert selectors.places_near_by_card(origin=bobst, radius_m=1500) is by_card  # remembered per origin
    gone = Place.objects.get(pk=near[0].pk)
    gone.is_active = False
    gone.save()  # a new version of the local places: read again
    assert gone.card_id not in selectors.places_near_by_card(origin=bobst, radius_m=1500)


def test_walks_and_values_remembered_for_the_local_rows_are_those_computed_and_only_for_them(catalog):
    bobst = geo.Point(40.7295, -73.9972)
    near = selectors.places_near(origin=bobst, radius_m=1500)
    near.pop()  # the caller's own list: what is remembered is not changed by it
    assert selectors.places_near(origin=bobst, radius_m=1500) != near
    held = near[0]
    moved = Place(pk=held.pk, name=held.name, lat=held.lat + 0.01, lng=held.lng, tags=["vegan"])
    walks = selectors.walk_times(origin=bobst, places=[held, moved])  # the same pk: the later place's walk
    assert walks == {held.pk: selectors.estimated_walk(moved, bobst)} != {held.pk: selectors.estimated_walk(held, bobst)}
    assert selectors.walk_times(origin=bobst, places=[held]) == {held.pk: selectors.estimated_walk(held, bobst)}
    # Held rows only (picked by pk from those remembered), from another origin too: the estimates
    for origin in (bobst, geo.Point(40.6943, -73.9865)):
        assert selectors.walk_times(origin=origin, places=iter(near)) == {p.pk: selectors.estimated_walk(p, origin) for p in near}

    computed = []

    def tags(place):
        computed.append(place)
        return tuple(place.tags)

    assert selectors.local_row_value(held, "tags", tags) == selectors.local_row_value(held, "tags", tags) == tuple(held.tags)
    assert selectors.local_row_value(moved, "tags", tags) == selectors.local_row_value(moved, "tags", tags) == ("vegan",)
    assert computed == [held, moved, moved]  # a held row once; any other place each time


def test_a_tests_answers_are_remembered_for_the_local_rows_only_and_per_test(catalog):
    bobst = geo.Point(40.7295, -73.9972)
    held = selectors.places_near(origin=bobst, radius_m=1500)[0]
    moved = Place(pk=held.pk, name=held.name, lat=held.lat, lng=held.lng, tags=["vegan"])
    asked = []

    @dataclasses.dataclass(frozen=True)
    class Tagged:
        tag: str

        def __call__(self, place):
            asked.append((self.tag, place))
            return self.tag in place.tags

    vegan = selectors.local_rows_test(Tagged("vegan"))
    assert vegan(held) == vegan(held) == ("vegan" in held.tags)
    assert selectors.local_rows_test(Tagged("vegan"))(held) == ("vegan" in held.tags)  # an equal test: remembered
    assert vegan(moved) is vegan(moved) is True
    assert selectors.local_rows_test(Tagged("wifi"))(held) == ("wifi" in held.tags)
    assert asked == [("vegan", held), ("vegan", moved), ("vegan", moved), ("wifi", held)]


def test_a_ranked_brief_has_its_cards_values_and_the_entries_are_rank_places_order(catalog):
    bobst = geo.Point(40.7295, -73.9972)
    at = WEEKDAY_AFTERNOON
    near = selectors.places_near(origin=bobst, radius_m=1500)
    walks = selectors.walk_times(origin=bobst, places=near)
    context = scoring.RankingContext(vibe="study", at=at)
    entries = selectors.rank_entries(near + near[:3], walks=walks, context=context)  # one per place
    cards = selectors.rank_places(near, origin=bobst, walks=walks, context=context, limit=len(near))
    assert [entry.place.card_id for entry in entries] == [card["place_id"] for card in cards]
    for entry, card in zip(entries, cards, strict=True):
        brief = selectors.ranked_brief(entry)
        assert brief == {key: card[key] for key in brief}
        assert selectors.ranked_card(entry, origin=bobst, at=at) == card
