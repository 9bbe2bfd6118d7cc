"""OWASP API4, unrestricted resource consumption: body size, field and query bounds, page sizes,
JSON nesting, and the rate-limit groups no other test covers (signup, login, refresh, events,
chat and the per-user default have their own tests in tests/violetvibes/test_ratelimit.py, tests/events and
tests/chat)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import Conversation
from events.models import Event
from tests.contract import assert_error
from tests.factories import UserFactory
from tests.security.conftest import client, fresh_token

ONE_MIB = 1024 * 1024

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_providers")]


# --- Bodies ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/chat", "/api/auth/signup", "/api/user/preferences", "/api/user/activity"])
def test_a_body_over_1_mib_is_413_json_before_anything_else(path):
    body = b'{"message": "' + b"x" * ONE_MIB + b'"}'

    response = client().post(path, data=body, content_type="application/json")

    # Even on endpoints that need a token: the size is refused before authentication runs.
    assert_error(response, 413, "payload_too_large")


def test_json_nested_past_the_recursion_limit_is_400_not_500():
    """Found here: 5 000 nested arrays made the JSON decoder raise RecursionError, a 500."""
    body = '{"a": ' + "[" * 5_000 + "]" * 5_000 + "}"

    assert_error(client().post("/api/auth/login", data=body, content_type="application/json"), 400, "invalid_json")


def test_json_nested_deeper_than_32_levels_is_400(user):
    """Found here: 900 levels parse, but the activity's JSON column then failed to encode (500),
    and an activity stored that deep would have broken /api/user/me for good."""
    api = client(fresh_token(user))
    for depth in (33, 900):
        deep = "[" * depth + "]" * depth
        response = api.post("/api/user/activity", data='{"type": "saved", "x": ' + deep + "}", content_type="application/json")
        assert_error(response, 400, "invalid_json")
    assert not user.activities.exists()
    ok = "[" * 30 + "]" * 30
    assert api.post("/api/user/activity", data='{"type": "saved", "x": ' + ok + "}", content_type="application/json").status_code == 200
    assert api.get("/api/user/me").status_code == 200


def test_an_activity_over_10_kib_is_400(user):
    response = client(fresh_token(user)).post("/api/user/activity", {"type": "saved", "note": "x" * (10 * 1024)}, format="json")

    assert_error(response, 400, "validation_error")
    assert not user.activities.exists()


@pytest.mark.usefixtures("no_ratelimits")
def test_a_chat_message_over_2000_characters_is_400(catalog):
    assert client().post("/api/chat", {"message": "é" * 2000}, format="json").status_code == 200

    body = assert_error(client().post("/api/chat", {"message": "é" * 2001}, format="json"), 400, "validation_error")
    assert "message" in body["fields"]


# --- Query bounds -------------------------------------------------------------------------------------
@pytest.mark.usefixtures("no_ratelimits")
@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/quick_recs", {"category": "quick_bites", "limit": 51}, "limit"),
        ("/api/quick_recs", {"category": "quick_bites", "limit": 10**12}, "limit"),
        ("/api/top_recommendations", {"limit": 11}, "limit"),
        ("/api/nyu_engage_events", {"days": 31}, "days"),
        ("/api/events", {"days": 31}, "days"),
        ("/api/events", {"days": 10**30}, "days"),
        ("/api/places/photo/places/a/photos/b", {"maxwidth": 4801}, "maxwidth"),
        ("/api/v1/places/", {"radius_m": 20001, "lat": 40.7, "lng": -74.0}, "radius_m"),
        ("/api/v1/events/", {"radius_m": 50001, "lat": 40.7, "lng": -74.0}, "radius_m"),
        ("/api/v1/places/", {"q": "x" * 101}, "q"),
        ("/api/v1/events/", {"q": "x" * 101}, "q"),
    ],
)
def test_queries_over_their_bounds_are_400(path, params, field):
    body = assert_error(client().get(path, params), 400, "validation_error")

    assert field in body["fields"]


@pytest.mark.usefixtures("no_ratelimits", "catalog")
@pytest.mark.parametrize(("path", "params"), [("/api/quick_recs", {"category": "quick_bites", "limit": 50}), ("/api/top_recommendations", {"limit": 10}), ("/api/events", {"days": 30})])
def test_queries_at_their_bounds_are_accepted(path, params):
    assert client().get(path, params).status_code == 200


# --- Page sizes -----------------------------------------------------------------------------------------
def _many_events(count: int) -> None:
    start = timezone.now() + timedelta(hours=2)
    Event.objects.bulk_create([Event(name=f"Event {n}", start=start + timedelta(minutes=n), external_id=f"e{n}") for n in range(count)])


@pytest.mark.usefixtures("no_ratelimits", "catalog")
@pytest.mark.parametrize("path", ["/api/v1/places/", "/api/v1/events/", "/api/v1/chat/conversations/"])
def test_v1_lists_never_return_more_than_20_results_whatever_is_asked(user, path):
    _many_events(25)
    Conversation.objects.bulk_create([Conversation(user=user, title=f"c{n}") for n in range(25)])
    api = client(fresh_token(user))

    for params in ({}, {"page_size": 1000}, {"limit": 1000}, {"per_page": 1000}, {"page": 2}):
        response = api.get(path, params)
        assert response.status_code == 200, (params, response.content[:300])
        body = response.json()
        assert body["count"] >= 25
        assert 1 <= len(body["results"]) <= 20, params


def test_old_event_lists_are_capped_too(db):
    _many_events(250)

    response = client().get("/api/events", {"days": 30})

    assert response.status_code == 200
    assert len(response.json()["nyu_permitted"]) <= 200


# --- Rate limits of the groups not covered elsewhere ---------------------------------------------------
def _assert_429(response) -> None:
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.usefixtures("one_ratelimit_window")
@pytest.mark.parametrize(
    ("group", "path", "limit", "cheap", "real", "answered"),
    [
        ("quick_recs", "/api/quick_recs", 30, {}, {"category": "quick_bites"}, 200),
        ("top_recommendations", "/api/top_recommendations", 20, {"limit": 0}, {}, 200),
        ("directions", "/api/directions", 30, {}, {"lat": 40.7295, "lng": -73.9965}, 200),
        # No weather source here (no OpenWeather key, the NWS off): 503 weather_unavailable, not 429.
        ("weather", "/api/weather", 30, {"lat": 1}, {}, 503),
    ],
)
def test_each_anonymous_group_is_limited_per_ip_with_retry_after(settings, group, path, limit, cheap, real, answered):
    assert settings.RATELIMITS[group] == f"{limit}/m"
    api = client(ip="10.6.0.1")
    for _ in range(limit):  # refused requests count as much as answered ones
        assert api.get(path, cheap).status_code == 400

    _assert_429(api.get(path, real))
    assert client(ip="10.6.0.2").get(path, real).status_code == answered  # another address: its own budget


@pytest.mark.usefixtures("one_ratelimit_window")
def test_weather_and_forecast_share_one_budget():
    api = client(ip="10.6.0.3")
    for n in range(30):
        assert api.get("/api/weather" if n % 2 else "/api/weather/forecast", {"lat": 1}).status_code == 400

    _assert_429(api.get("/api/weather/forecast"))
    _assert_429(api.get("/api/weather"))


@pytest.mark.usefixtures("one_ratelimit_window")
def test_dashboard_is_limited_to_10_a_minute_per_user(settings, user):
    assert settings.RATELIMITS["dashboard"] == "10/m"
    for n in range(10):
        assert client(fresh_token(user), ip=f"10.6.1.{n}").get("/api/dashboard", {"latitude": 1}).status_code == 400

    _assert_429(client(fresh_token(user), ip="10.6.1.99").get("/api/dashboard"))
    other = UserFactory()
    assert client(fresh_token(other), ip="10.6.1.99").get("/api/dashboard", {"latitude": 1}).status_code == 400


def test_rate_limited_answers_are_json_with_the_contract(settings, one_ratelimit_window):
    settings.RATELIMITS = {**settings.RATELIMITS, "quick_recs": "1/m"}
    api = client(ip="10.6.2.1")
    api.get("/api/quick_recs")

    response = api.get("/api/quick_recs", {"category": "quick_bites"})

    _assert_429(response)
    assert json.loads(response.content)["error"]
