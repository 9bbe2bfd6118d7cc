"""The recommendation lists end to end, offline (the catalog answers): quick recs, top picks and
the dashboard. Their behaviour with live providers is in tests/places/test_api.py."""

import pytest
import responses
from django.core.management import call_command

from accounts.models import Activity
from places.models import Place
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import assert_contract
from tests.fakes.nws import fake_nws, use_nws


@pytest.fixture(autouse=True)
def _weekday_afternoon(clock) -> None:
    """What is recommended depends on the hour (late-night ranking, opening hours): these tests are
    written for a weekday afternoon."""
    clock(WEEKDAY_AFTERNOON)


@pytest.fixture
def catalog(db):
    call_command("load_place_catalog", verbosity=0)


@pytest.mark.parametrize("category", ["quick_bites", "cozy_cafes", "chill_cafes", "explore"])
def test_quick_recs_without_location_or_keys_answers_real_catalog_places(api, catalog, category):
    response = api.get("/api/quick_recs", {"category": category})
    assert response.status_code == 200
    assert_contract("GET", "/api/quick_recs", response)
    body = response.json()
    assert body["category"] == ("cozy_cafes" if category == "chill_cafes" else category)
    assert 1 <= len(body["places"]) <= 10
    card = body["places"][0]
    assert card["source"] == "catalog" and card["type"] == "place"
    assert isinstance(card["walk_minutes"], int) and card["walk_time"].endswith("min")
    assert card["maps_link"].startswith("https://www.google.com/maps/")
    scores = [place["score"] for place in body["places"]]
    assert scores == sorted(scores, reverse=True)


def test_quick_recs_events_category_answers_200_without_location(api, catalog):
    response = api.get("/api/quick_recs", {"category": "events"})
    assert response.status_code == 200
    assert_contract("GET", "/api/quick_recs", response)


def test_quick_recs_near_washington_square_are_manhattan_places(api, catalog):
    response = api.get("/api/quick_recs", {"category": "quick_bites", "latitude": "40.7308", "longitude": "-73.9973"})
    assert all(place["location"]["lat"] > 40.71 for place in response.json()["places"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"category": "brunch"}, "category"),
        ({}, "category"),
        ({"category": ""}, "category"),  # required: empty is not absent but a 400
        ({"category": "explore", "limit": "0"}, "limit"),
        ({"category": "explore", "limit": "51"}, "limit"),
        ({"category": "explore", "limit": "ten"}, "limit"),
        ({"category": "explore", "latitude": "91", "longitude": "0"}, "latitude"),
        ({"category": "explore", "latitude": "north", "longitude": "0"}, "latitude"),
        ({"category": "explore", "latitude": "40.7"}, "longitude"),
        ({"category": "explore", "vibe": "spooky"}, "vibe"),
    ],
)
def test_quick_recs_rejects_bad_queries_with_fields(api, catalog, query, field):
    response = api.get("/api/quick_recs", query)
    assert response.status_code == 400
    assert_contract("GET", "/api/quick_recs", response)
    assert field in response.json()["fields"]


def test_unknown_category_error_lists_the_valid_ones(api, catalog):
    message = api.get("/api/quick_recs", {"category": "brunch"}).json()["error"]
    for category in ("quick_bites", "cozy_cafes", "explore", "events"):
        assert category in message


def test_top_recommendations_mix_categories_for_anonymous_callers(api, catalog):
    response = api.get("/api/top_recommendations", {"limit": "6", "weather": "🌧️"})
    assert response.status_code == 200
    assert_contract("GET", "/api/top_recommendations", response)
    body = response.json()
    assert body["category"] == "top"
    assert len(body["places"]) == 6
    assert len({place["place_id"] for place in body["places"]}) == 6


def test_top_recommendations_follow_the_users_activity(auth_api, user, catalog):
    before = auth_api.get("/api/top_recommendations", {"limit": "10"}).json()["places"]
    dismissed = before[0]["place_id"]
    liked = before[-1]
    Activity.objects.create(user=user, type="dismissed", place_id=dismissed)
    Activity.objects.create(user=user, type="clicked_recommendation", place_id=liked["place_id"])
    after = {p["place_id"]: p for p in auth_api.get("/api/top_recommendations", {"limit": "10"}).json()["places"]}
    assert dismissed not in after or after[dismissed]["score"] < before[0]["score"]
    assert after[liked["place_id"]]["score"] > liked["score"]


def test_top_recommendations_follow_the_users_preferences(api, auth_api, user, catalog):
    user.preferences = {**user.preferences, "preferred_vibes": ["nightlife"]}
    user.save()
    rows = Place.objects.filter(source="catalog").values_list("provider_id", "vibes")
    nightlife = {f"catalog:{key}" for key, vibes in rows if {"party", "chill_drinks"} & set(vibes)}
    picks = auth_api.get("/api/top_recommendations", {"limit": "10"}).json()["places"]
    anonymous = api.get("/api/top_recommendations", {"limit": "10"}).json()["places"]
    assert sum(p["place_id"] in nightlife for p in picks) > sum(p["place_id"] in nightlife for p in anonymous)


def test_top_recommendations_limit_is_at_most_10(api, catalog):
    assert api.get("/api/top_recommendations", {"limit": "11"}).status_code == 400


def test_an_invalid_token_on_an_optional_endpoint_is_anonymous(api, catalog):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api.get("/api/top_recommendations").status_code == 200


def test_dashboard_needs_a_signed_in_user(api, catalog):
    response = api.get("/api/dashboard")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_dashboard_offline_has_four_lists_and_no_weather(auth_api, catalog):
    response = auth_api.get("/api/dashboard")
    assert response.status_code == 200
    assert_contract("GET", "/api/dashboard", response)
    body = response.json()
    assert body["weather"] is None
    assert body["calendar_linked"] is False
    assert set(body["quick_recommendations"]) == {"quick_bites", "cozy_cafes", "explore", "events"}
    assert all(isinstance(cards, list) for cards in body["quick_recommendations"].values())
    assert body["quick_recommendations"]["quick_bites"]


def test_dashboard_without_a_weather_key_shows_the_national_weather_service_weather(auth_api, catalog, settings):
    use_nws(settings)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as nws:
        fake_nws(nws)
        response = auth_api.get("/api/dashboard")

    assert response.status_code == 200
    assert_contract("GET", "/api/dashboard", response)
    weather = response.json()["weather"]
    assert (weather["temp_f"], weather["desc"], weather["main"], weather["emoji"]) == (46.0, "mostly cloudy", "Clouds", "☁️")
