"""Retrieval with Google configured: a specific request is searched with its own words (Text
Search, biased to where it asks about), Google's answers still have to match the request, an outage
leaves the catalog, and a repeated turn costs Google nothing. Google is faked with `responses`."""

import json

import pytest
import requests
import responses
from django.core.management import call_command

from places import geo
from recommendations.request import understand
from recommendations.retrieve import AREA_RADIUS_M, places_for
from tests.chat.helpers import chat
from tests.clock import WEEKDAY_AFTERNOON

PLACES = "https://places.test"
ROUTES = "https://routes.test"
TEXT_URL = f"{PLACES}/v1/places:searchText"
NEARBY_URL = f"{PLACES}/v1/places:searchNearby"
MATRIX_URL = f"{ROUTES}/distanceMatrix/v2:computeRouteMatrix"
TANDON = geo.Point(40.6942, -73.9866)
# Open every day from 08:00 to 23:00 (Google's day 0 is Sunday).
EVERY_DAY = [{"open": {"day": d, "hour": 8, "minute": 0}, "close": {"day": d, "hour": 23, "minute": 0}} for d in range(7)]


def _place(place_id: str, name: str, types: list[str], lat: float, lng: float, **extra) -> dict:
    return {
        "id": place_id,
        "displayName": {"text": name, "languageCode": "en"},
        "formattedAddress": f"{name}, Brooklyn, NY 11201, USA",
        "location": {"latitude": lat, "longitude": lng},
        "primaryType": types[0],
        "types": [*types, "point_of_interest", "establishment"],
        "rating": 4.5,
        "userRatingCount": 800,
        "priceLevel": "PRICE_LEVEL_MODERATE",
        "regularOpeningHours": {"periods": EVERY_DAY},
        **extra,
    }


# What Google answers to "sushi place near Tandon": two sushi places near Tandon, a bar (Google's
# relevance is not the request's filter), and a sushi place across the river, far outside the area.
SUSHI_ANSWER = {
    "places": [
        _place("ChIJsushiOne", "Sushi Fake One", ["sushi_restaurant", "japanese_restaurant", "restaurant"], 40.6931, -73.9870),
        _place("ChIJsushiTwo", "Sushi Fake Two", ["sushi_restaurant", "restaurant"], 40.6950, -73.9850),
        _place("ChIJbar", "Bar Fake", ["bar"], 40.6940, -73.9875),
        _place("ChIJfarSushi", "Sushi Far Away", ["sushi_restaurant", "restaurant"], 40.7580, -73.9855),
    ]
}


@pytest.fixture
def catalog(db):
    call_command("load_place_catalog", verbosity=0)


@pytest.fixture
def google(settings, catalog, clock):
    clock(WEEKDAY_AFTERNOON)
    settings.GOOGLE_API_KEY = "test-google-key"
    settings.GOOGLE_PLACES_BASE_URL = PLACES
    settings.GOOGLE_ROUTES_BASE_URL = ROUTES
    settings.OPENWEATHER_KEY = ""
    settings.GEMINI_API_KEY = ""
    settings.OUTBOUND_RETRIES = 0  # one HTTP call per provider call, so the calls below are counted exactly
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(TEXT_URL, json=SUSHI_ANSWER)
        mock.post(NEARBY_URL, json={})
        mock.post(MATRIX_URL, json=[])  # no route known: walk times are estimated (and that answer cached)
        yield mock


def found(message: str, origin: geo.Point = TANDON):
    return places_for(request=understand(message), origin=origin, user=None, at=WEEKDAY_AFTERNOON, limit=3)


def _calls(mock, url: str | None = None) -> list:
    return [call for call in mock.calls if url is None or call.request.url == url]


def test_a_specific_request_is_searched_with_its_own_words_around_its_area(google):
    found("sushi near tandon")

    (call,) = _calls(google, TEXT_URL)
    body = json.loads(call.request.body)
    assert body["textQuery"] == "sushi place near Tandon"
    assert body["locationBias"] == {"circle": {"center": {"latitude": 40.694, "longitude": -73.987}, "radius": float(AREA_RADIUS_M)}}
    assert call.request.headers["X-Goog-FieldMask"].startswith("places.id,")
    assert _calls(google, NEARBY_URL) == []  # the text search replaces the vibe's nearby search


def test_the_words_without_an_area_are_the_request_alone(google):
    found("halal food", origin=geo.Point(40.7295, -73.9965))

    (call,) = _calls(google, TEXT_URL)
    assert json.loads(call.request.body)["textQuery"] == "halal place to eat"


def test_googles_answers_must_still_match_the_request_and_the_area(google):
    result = found("sushi near tandon")

    # Without Google the catalog knows no sushi near Tandon (tests/recommendations/test_retrieve.py).
    assert result.exact
    assert {card["name"] for card in result.cards} == {"Sushi Fake One", "Sushi Fake Two"}
    assert all(card["source"] == "google_places" for card in result.cards)  # no bar, nothing across the river


def test_a_request_naming_nothing_specific_keeps_the_nearby_search(google):
    found("what's good around tandon")

    assert _calls(google, TEXT_URL) == [] and len(_calls(google, NEARBY_URL)) == 1


@pytest.mark.parametrize(
    "outage",
    [{"status": 503, "json": {"error": "down"}}, {"status": 200, "body": "<html>proxy</html>"}, {"body": requests.ConnectionError("refused")}],
    ids=["503", "garbage", "connection"],
)
def test_a_google_outage_falls_back_to_the_catalog(google, outage):
    google.replace(responses.POST, TEXT_URL, **outage)

    result = found("coffee near tandon")

    assert result.exact and result.cards
    assert all(card["source"] == "catalog" for card in result.cards)
    assert len(_calls(google, TEXT_URL)) == 1 and _calls(google, NEARBY_URL) == []  # one try, no second wait


def test_a_chat_turn_during_an_outage_answers_from_the_catalog(google, api):
    google.replace(responses.POST, TEXT_URL, status=500, json={"error": "down"})

    body = chat(api, "coffee near tandon").json()

    assert body["places"] and all(place["source"] == "catalog" for place in body["places"])


def test_a_chat_turn_makes_at_most_two_google_calls_cold_and_none_warm(google, api, make_client):
    first = chat(api, "any sushi near tandon?").json()
    cold = len(google.calls)

    second = chat(make_client(ip="10.9.8.8"), "any sushi near tandon?").json()  # another student, the same turn

    assert cold == 2  # the text search and the walk-time matrix
    assert len(google.calls) == cold  # warm: no Google call at all
    assert {p["name"] for p in first["places"]} == {p["name"] for p in second["places"]} == {"Sushi Fake One", "Sushi Fake Two"}
