"""SQL queries per request on the paths the mobile apps hit, pinned exactly.

Each number has a comment saying what the queries are. A change that adds one (an N+1, a query
repeated within a request, a cache that stops covering a warm request) fails here; a change that
removes one should lower the number with it.

How the counts are taken:
* Requests go through the test client exactly as the apps send them: JSON bodies, Bearer tokens.
* "cold" is the first request after the caches were emptied (every test starts with an empty
  shared cache and no in-process catalog rows); "warm" is the same request again right after.
* Each test runs in a transaction, so an atomic() block inside a request shows up as a SAVEPOINT
  and a RELEASE SAVEPOINT (in production: BEGIN and COMMIT). They are counted.
* Places come either from the built-in catalog (no provider key: "catalog") or from Google Places,
  Routes and OpenWeather faked on a local server ("google"), the production setup.
* The same numbers hold on SQLite and PostgreSQL (DATABASE_URL, REDIS_URL).
* A signed-in request that finds no copy of its user in the shared cache (every one here: signing
  in saves the user, and for 30 s after a change accounts/usercache.py reads the row from the
  database) reads the user and then its ended token families (accounts/usercache.py); the comments below
  count the two as "SELECT the token's user".
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import ACTIVITY_KEEP, Activity
from chat.models import Conversation, Message
from events.models import Event
from tests.contract import assert_contract
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db

PAYLOADS = Path(__file__).resolve().parent / "payloads"
MODES = ["catalog", "google"]


def _payload(name: str) -> object:
    return json.loads((PAYLOADS / name).read_text())


@pytest.fixture(autouse=True)
def _no_provider_keys(settings) -> None:
    """Whatever the environment says: no provider unless the test asks for "google"."""
    settings.GOOGLE_API_KEY = ""
    settings.OPENWEATHER_KEY = ""
    settings.GEMINI_API_KEY = ""


@pytest.fixture
def catalog(db) -> None:
    call_command("load_place_catalog", verbosity=0)


@pytest.fixture(params=MODES)
def mode(request, settings, catalog) -> str:
    """Where places come from: "catalog" (no keys) or "google" (Places nearby and text search, Routes
    and OpenWeather on a local fake)."""
    if request.param == "google":
        fake = request.getfixturevalue("fake_http")
        settings.GOOGLE_API_KEY = "test-google-key"
        settings.GOOGLE_PLACES_BASE_URL = fake.url
        settings.GOOGLE_ROUTES_BASE_URL = fake.url
        settings.OPENWEATHER_KEY = "test-weather-key"
        settings.OPENWEATHER_BASE_URL = fake.url
        fake.script("/v1/places:searchNearby", (200, _payload("google_places_nearby.json")))
        fake.script("/v1/places:searchText", (200, _payload("google_places_nearby.json")))  # same shape
        fake.script("/distanceMatrix/v2:computeRouteMatrix", (200, _payload("google_routes_matrix.json")))
        fake.script("/directions/v2:computeRoutes", (200, _payload("google_routes_route.json")))
        fake.script("/data/2.5/weather", (200, _payload("openweather_current.json")))
    return request.param


@pytest.fixture
def events(db) -> list[Event]:
    """Twenty upcoming events, some NYU Engage, most located."""
    return _events_create(20)


def _events_create(count: int) -> list[Event]:
    now = timezone.now()
    return [
        Event.objects.create(
            source=Event.Source.NYU_ENGAGE if n % 2 else Event.Source.STAFF,
            external_id=f"qc-{n}",
            name=f"Event {n}",
            start=now + timedelta(hours=n + 1),
            end=now + timedelta(hours=n + 3),
            venue="Kimmel Center",
            address="60 Washington Square S, New York, NY 10012",
            lat=40.6945 + n / 10000 if n % 5 else None,
            lng=-73.9865 if n % 5 else None,
        )
        for n in range(count)
    ]


# --- Accounts ----------------------------------------------------------------------------------------
def test_signup(api, password, django_assert_num_queries):
    # SAVEPOINT, INSERT user, INSERT the refresh token's OutstandingToken row (simplejwt's
    # blacklist app), RELEASE: user_signup's one atomic block.
    with django_assert_num_queries(4):
        response = api.post("/api/auth/signup", {"email": "new@nyu.edu", "password": password, "first_name": "Vi"}, format="json")
    assert response.status_code == 201
    assert_contract("POST", "/api/auth/signup", response)


def test_login(api, user, password, django_assert_num_queries):
    # SELECT the user by LOWER(email); INSERT the new refresh token's OutstandingToken.
    # No UPDATE of last_login (SIMPLE_JWT UPDATE_LAST_LOGIN is off; login() is never called).
    with django_assert_num_queries(2):
        response = api.post("/api/auth/login", {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200
    assert_contract("POST", "/api/auth/login", response)


def test_refresh(api, tokens, django_assert_num_queries):
    # SELECT the user (active, token version); SAVEPOINT; SELECT ... FOR UPDATE the old token's
    # OutstandingToken; SELECT whether it is blacklisted (under the lock); INSERT its
    # BlacklistedToken; INSERT the new refresh token's OutstandingToken; RELEASE SAVEPOINT.
    # (Was 8: simplejwt also checked the blacklist once before the lock.)
    with django_assert_num_queries(7):
        response = api.post("/api/auth/refresh", {"refresh_token": tokens["refresh_token"]}, format="json")
    assert response.status_code == 200
    assert_contract("POST", "/api/auth/refresh", response)


def test_me_cold_then_warm(auth_api, user, django_assert_num_queries):
    ActivityFactory.create_batch(3, user=user)
    # SELECT the token's user; SELECT the last 100 activities (then cached).
    with django_assert_num_queries(3):
        cold = auth_api.get("/api/user/me")
    # SELECT the token's user only: the recent activity comes from the cache.
    with django_assert_num_queries(2):
        warm = auth_api.get("/api/user/me")
    assert cold.json() == warm.json()
    assert len(warm.json()["recent_activity"]) == 3
    assert_contract("GET", "/api/user/me", warm)


def test_preferences_update(auth_api, django_assert_num_queries):
    # The apps POST a partial object (the contract has no PATCH).
    # SELECT the token's user; SAVEPOINT; SELECT its preferences again FOR UPDATE (a concurrent
    # update of other keys is merged into, not overwritten); UPDATE accounts_user SET preferences
    # only (update_fields); RELEASE SAVEPOINT.
    with django_assert_num_queries(6) as captured:
        response = auth_api.post(
            "/api/user/preferences", {"preferred_vibes": ["study"], "budget": {"min": 0, "max": 30}}, format="json"
        )
    assert response.status_code == 200
    assert_contract("POST", "/api/user/preferences", response)
    update = captured.captured_queries[-2]["sql"]
    assert update.startswith('UPDATE "accounts_user" SET "preferences"') and "password" not in update


ACTIVITY = {"type": "clicked_recommendation", "place_id": "catalog:bk-devocion", "name": "Devoción", "vibe": "study"}


def test_activity_under_the_cap(auth_api, user, django_assert_num_queries):
    ActivityFactory.create_batch(3, user=user)
    # SELECT the token's user; INSERT the activity; SELECT the activities past the newest 100 (none).
    with django_assert_num_queries(4):
        response = auth_api.post("/api/user/activity", ACTIVITY, format="json")
    assert response.status_code == 200
    assert_contract("POST", "/api/user/activity", response)


def test_activity_at_the_cap(auth_api, user, django_assert_num_queries):
    start = timezone.now() - timedelta(days=1)
    Activity.objects.bulk_create(
        [Activity(user=user, type="viewed", name=f"old-{n}", created_at=start + timedelta(minutes=n)) for n in range(ACTIVITY_KEEP)]
    )
    # SELECT the token's user; INSERT the activity; SELECT the one row past the newest 100 (the ids
    # as a subquery); DELETE it. (Was 5: the ids were first fetched in a query of their own.)
    with django_assert_num_queries(5):
        response = auth_api.post("/api/user/activity", ACTIVITY, format="json")
    assert response.status_code == 200
    assert Activity.objects.filter(user=user).count() == ACTIVITY_KEEP


# --- Places ------------------------------------------------------------------------------------------
def test_dashboard_anonymous(api, catalog, django_assert_num_queries):
    # Sign-in required: a 401 before anything is read.
    with django_assert_num_queries(0):
        response = api.get("/api/dashboard")
    assert response.status_code == 401


# Cold: SELECT the token's user; SELECT the last 100 activities (for ranking; cached with
# /api/user/me's); the candidates: catalog: SELECT the catalog and staff places (kept in
# process); google: per category (3), the upsert of Google's results (INSERT ... ON CONFLICT)
# and a SELECT of the rows back; SELECT the upcoming events.
# Warm: SELECT the token's user; SELECT the upcoming events. The activity comes from the cache,
# the places from the process (catalog) or the nearby cache (google).
# (Warm was 3: the activity for ranking was read from the database on every request.)
DASHBOARD = {"catalog": (5, 3), "google": (10, 3)}


def test_dashboard_signed_in_cold_then_warm(auth_api, user, mode, events, django_assert_num_queries):
    ActivityFactory.create_batch(3, user=user)
    cold_count, warm_count = DASHBOARD[mode]
    with django_assert_num_queries(cold_count):
        cold = auth_api.get("/api/dashboard")
    with django_assert_num_queries(warm_count):
        warm = auth_api.get("/api/dashboard")
    assert cold.status_code == warm.status_code == 200
    assert_contract("GET", "/api/dashboard", warm)
    assert all(warm.json()["quick_recommendations"].values())


# Cold: catalog: SELECT the catalog and staff places; google: the upsert of Google's results and
# a SELECT of the rows back; events: SELECT the upcoming events. Warm: none (the whole list is
# cached for a minute per spot).
QUICK_RECS = {("catalog", "quick_bites"): (1, 0), ("google", "quick_bites"): (2, 0), ("catalog", "events"): (1, 0)}


@pytest.mark.parametrize(("mode", "category"), QUICK_RECS, ids=["catalog", "google", "events"], indirect=["mode"])
def test_quick_recs_cold_then_warm(api, mode, category, events, django_assert_num_queries):
    cold_count, warm_count = QUICK_RECS[(mode, category)]
    with django_assert_num_queries(cold_count):
        cold = api.get("/api/quick_recs", {"category": category})
    with django_assert_num_queries(warm_count):
        warm = api.get("/api/quick_recs", {"category": category})
    assert cold.json() == warm.json() and warm.json()["places"]
    assert_contract("GET", "/api/quick_recs", warm)


# Anonymous. Cold: the candidates (catalog: 1 SELECT; google: 3 categories x (upsert + SELECT))
# and SELECT the upcoming events. Warm: SELECT the upcoming events (events are not cached).
# Signed in: also SELECT the token's user every time, and the last 100 activities when cold.
TOP = {
    ("catalog", False): (2, 1),
    ("google", False): (7, 1),
    ("catalog", True): (5, 3),
    ("google", True): (10, 3),
}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_top_recommendations_cold_then_warm(api, auth_api, user, mode, signed_in, events, django_assert_num_queries):
    client = auth_api if signed_in else api
    ActivityFactory.create_batch(3, user=user)
    cold_count, warm_count = TOP[(mode, signed_in)]
    with django_assert_num_queries(cold_count):
        cold = client.get("/api/top_recommendations")
    with django_assert_num_queries(warm_count):
        warm = client.get("/api/top_recommendations")
    assert cold.status_code == warm.status_code == 200 and warm.json()["places"]
    assert_contract("GET", "/api/top_recommendations", warm)


def test_weather_reads_no_database(api, mode, django_assert_num_queries):
    # Provider (through the HTTP cache) or 503: never the database.
    with django_assert_num_queries(0):
        response = api.get("/api/weather")
    assert response.status_code == (200 if mode == "google" else 503)


def test_directions_reads_no_database(api, mode, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = api.get("/api/directions", {"lat": "40.7005", "lng": "-73.9877"})
    assert response.status_code == 200
    assert_contract("GET", "/api/directions", response)


# --- Chat --------------------------------------------------------------------------------------------
SLICE = "where can I get a quick slice?"
FOLLOW_UP = "is the first one open late?"
MORE = "more options"

# The candidates of a new request: catalog: SELECT the catalog and staff places; google: the
# upsert of Google's results, a SELECT of the rows back, and the catalog's places (a request for a
# kind of place is matched against both; the catalog rows are then held in the process).
CANDIDATES = {"catalog": 1, "google": 3}


def _chat(client, message: str, **headers: str):
    response = client.post("/api/chat", {"message": message}, format="json", **headers)
    assert response.status_code == 200, response.content
    assert_contract("POST", "/api/chat", response)
    return response.json()


def test_chat_anonymous_first_turn_then_follow_up(api, mode, django_assert_num_queries):
    # First turn: the candidates only (memory is in the shared cache; nothing is saved for anonymous).
    with django_assert_num_queries(CANDIDATES[mode]):
        first = _chat(api, SLICE)
    assert first["places"]
    # A follow-up about a remembered place: no query at all.
    with django_assert_num_queries(0):
        second = _chat(api, FOLLOW_UP, HTTP_X_SESSION_ID=first["session_id"])
    assert second["intent"] == "follow_up"


def test_chat_signed_in_first_turn_then_follow_ups(auth_api, user, mode, django_assert_num_queries):
    ActivityFactory.create_batch(3, user=user)
    # SELECT the token's user; SELECT the last 100 activities (ranking, then cached); the
    # candidates; INSERT the conversation; INSERT both messages (one bulk INSERT).
    # (Was one more: an UPDATE of the new conversation's updated_at, which create() had just set.)
    with django_assert_num_queries(5 + CANDIDATES[mode]):
        first = _chat(auth_api, SLICE)
    assert first["places"]
    # A follow-up about a remembered place: SELECT the token's user; UPDATE the conversation's
    # updated_at, which also checks it is still this user's; INSERT both messages.
    # (Was 4: a SELECT of the conversation came before the UPDATE.)
    with django_assert_num_queries(4):
        second = _chat(auth_api, FOLLOW_UP)
    assert second["intent"] == "follow_up"
    # More options, with new cards: the same three (activity from the cache, candidates in process
    # or in the nearby cache).
    with django_assert_num_queries(4):
        third = _chat(auth_api, MORE)
    assert third["places"] and third["intent"] == "more_options"
    conversation = user.conversations.get()
    assert conversation.messages.count() == 6


# --- Saved conversations -----------------------------------------------------------------------------
def _conversations_create(user, count: int, messages_each: int) -> list[Conversation]:
    conversations = [Conversation.objects.create(user=user, title=f"Conversation {n}") for n in range(count)]
    Message.objects.bulk_create(
        [
            Message(conversation=conversation, role=Message.Role.USER if m % 2 == 0 else Message.Role.ASSISTANT, text=f"m{m}")
            for conversation in conversations
            for m in range(messages_each)
        ]
    )
    return conversations


@pytest.mark.parametrize(("count", "messages_each"), [(2, 2), (6, 8)])
def test_conversation_list_has_no_n_plus_1(auth_api, user, count, messages_each, django_assert_num_queries):
    _conversations_create(user, count, messages_each)
    # SELECT the token's user; SELECT COUNT(*) (the paginator); SELECT the page with each
    # conversation's message count (one GROUP BY). The same for any number of conversations.
    with django_assert_num_queries(4):
        response = auth_api.get("/api/v1/chat/conversations/")
    assert response.status_code == 200
    assert [item["message_count"] for item in response.json()["results"]] == [messages_each] * count


@pytest.mark.parametrize("messages_each", [2, 12])
def test_conversation_detail_has_no_n_plus_1(auth_api, user, messages_each, django_assert_num_queries):
    conversation = _conversations_create(user, 3, messages_each)[1]
    # SELECT the token's user; SELECT the conversation (with its message count); SELECT its
    # messages (one prefetch). The same for any number of messages.
    with django_assert_num_queries(4):
        response = auth_api.get(f"/api/v1/chat/conversations/{conversation.pk}/")
    assert response.status_code == 200
    assert len(response.json()["messages"]) == messages_each


# --- Events ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [5, 25])
@pytest.mark.parametrize("path", ["/api/events", "/api/nyu_engage_events"])
def test_event_lists_read_one_query_whatever_the_number_of_events(api, path, count, django_assert_num_queries):
    _events_create(count)
    # SELECT the upcoming events (one query, at most 200 rows), for 5 events as for 25.
    with django_assert_num_queries(1):
        response = api.get(path)
    assert response.status_code == 200
    body = response.json()
    listed = body["nyu_permitted"] if path == "/api/events" else body["engage_events"]
    assert len(listed) == (count if path == "/api/events" else count // 2)
    if path == "/api/events":
        assert_contract("GET", path, response)
