"""Chat never fails because Gemini, Redis, OpenWeather or Google is down: it answers 200 from
the built-in writer, the in-process cache and the catalog instead.

Gemini runs through the real SDK against tests/fakes/gemini_server.py (`fake_gemini`).
"""

import pytest
from django.core.cache import cache, caches
from rest_framework.test import APIClient

from chat import memory as memories
from chat import replies
from places import selectors as place_selectors
from tests.chat.helpers import chat, issued, names
from tests.fakes.gemini_server import FakeGeminiServer
from tests.fakes.nws import use_nws
from violetvibes.cache import ResilientRedisCache

SLICE = "where can I get a quick slice?"
CLOSED_PORT = "http://127.0.0.1:9"
CLOSED_REDIS = "redis://127.0.0.1:6390/0"


def _cards_for_slice(api) -> list[dict]:
    """The cards a new slice request gets (same catalog, origin and vibe every time), asked in a
    conversation of its own (asked again in one conversation, it brings other places)."""
    return chat(APIClient(), SLICE, headers={"X-Session-ID": issued("learn-the-cards")}).json()["places"]


def _prompt_of(request) -> str:
    return request.json["contents"][-1]["parts"][0]["text"]


# --- Gemini -----------------------------------------------------------------------------------------------
def test_gemini_reply_is_used_when_it_names_only_shown_places(api, catalog, fake_gemini: FakeGeminiServer):
    fake_gemini.reply_text = "Enjoy!"
    cards = _cards_for_slice(api)
    fake_gemini.reply_text = f"{cards[0]['name']} is {cards[0]['walk_time']} away and cheap. Grab a slice!"

    answer = chat(api, SLICE).json()

    assert names(answer) == [card["name"] for card in cards]
    assert answer["reply"] == fake_gemini.reply_text
    request = fake_gemini.requests[-1]
    assert request.headers["x-goog-api-key"] == "test-gemini-key"
    assert request.json["systemInstruction"]["parts"][0]["text"] == replies.SYSTEM_INSTRUCTION
    prompt = _prompt_of(request)
    assert all(card["name"] in prompt for card in cards)
    assert prompt.endswith(f"STUDENT: {SLICE}")


def test_gemini_gets_the_conversation_so_far(api, catalog, fake_gemini: FakeGeminiServer):
    fake_gemini.reply_text = "Enjoy!"
    session = {"X-Session-ID": issued("gemini-history")}
    first = chat(api, SLICE, headers=session).json()

    chat(api, "is the first one open late?", headers=session)

    contents = fake_gemini.requests[-1].json["contents"]
    assert [(c["role"], c["parts"][0]["text"]) for c in contents[:2]] == [("user", SLICE), ("model", "Enjoy!")]
    prompt = _prompt_of(fake_gemini.requests[-1])
    assert first["places"][0]["name"] in prompt
    assert not any(card["name"] in prompt for card in first["places"][1:]), "only the place asked about"


@pytest.mark.parametrize("mode", ["slow", "error500", "error429", "empty", "no_candidates", "blocked", "blocked_finish", "garbage"])
def test_gemini_failure_falls_back_to_the_built_in_reply(api, catalog, fake_gemini: FakeGeminiServer, settings, mode):
    settings.GEMINI_TIMEOUT_SECONDS = 0.5
    fake_gemini.mode = mode
    fake_gemini.delay = 2.0
    fake_gemini.reply_text = "this text must not be used"

    answer = chat(api, SLICE).json()

    assert fake_gemini.requests, "Gemini was asked"
    assert answer["reply"] != fake_gemini.reply_text
    assert answer["reply"].strip()
    assert len(answer["places"]) == 3
    assert all(card["name"] in answer["reply"] for card in answer["places"])


def test_gemini_timeout_costs_about_the_configured_timeout(api, catalog, fake_gemini: FakeGeminiServer, settings):
    settings.GEMINI_TIMEOUT_SECONDS = 0.5
    fake_gemini.mode = "slow"
    fake_gemini.delay = 3.0

    answer = chat(api, SLICE).json()

    assert answer["latency"] < 2.0


def test_gemini_reply_naming_a_place_not_shown_is_repaired(api, catalog, fake_gemini: FakeGeminiServer):
    fake_gemini.reply_text = "Enjoy!"
    cards = _cards_for_slice(api)
    shown = {card["name"] for card in cards}
    intruder = next(
        name
        for name in sorted(place_selectors.place_names())
        if name not in shown and replies.unknown_places_named(name, allowed=shown, known=[name])
    )
    fake_gemini.reply_text = f"{cards[0]['name']} is a quick walk away. You could also try {intruder}."

    answer = chat(api, SLICE).json()

    assert intruder not in answer["reply"]
    assert answer["reply"] == f"{cards[0]['name']} is a quick walk away."


def test_gemini_reply_naming_only_places_not_shown_is_replaced_by_the_built_in_one(api, catalog, fake_gemini):
    fake_gemini.reply_text = "Enjoy!"
    cards = _cards_for_slice(api)
    shown = {card["name"] for card in cards}
    intruders = [name for name in sorted(place_selectors.place_names()) if name not in shown and len(name) > 6][:2]
    fake_gemini.reply_text = f"Head to {intruders[0]}. Or {intruders[1]} if it's busy."

    answer = chat(api, SLICE).json()

    assert not any(name in answer["reply"] for name in intruders)
    assert all(name in answer["reply"] for name in shown)


def test_gemini_reply_may_name_a_remembered_card(api, catalog, fake_gemini: FakeGeminiServer):
    fake_gemini.reply_text = "Enjoy!"
    session = {"X-Session-ID": issued("remembered-ok1")}
    first = chat(api, SLICE, headers=session).json()
    fake_gemini.reply_text = f"Yes, {first['places'][0]['name']} is open late, unlike {first['places'][1]['name']}."

    answer = chat(api, "is the first one open late?", headers=session).json()

    assert answer["reply"] == fake_gemini.reply_text


def test_start_over_is_answered_without_gemini(api, db, fake_gemini: FakeGeminiServer):
    answer = chat(api, "start over").json()

    assert answer["intent"] == "clear"
    assert fake_gemini.requests == []


# --- Redis ------------------------------------------------------------------------------------------------
@pytest.fixture
def redis_down(settings):
    """The shared cache pointed at a closed port, as if Redis had gone away.

    Overriding CACHES fires Django's setting_changed handler (django.test.signals.clear_cache_handlers),
    which closes the open caches and rebuilds `caches`; `django.core.cache.cache` is a proxy to
    caches["default"], so chat.memory, the rate limiter and the circuit breakers all follow.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": CLOSED_REDIS,
            "KEY_PREFIX": "vv",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "RETRY_AFTER_SECONDS": 30,
            },
        }
    }
    assert isinstance(caches["default"], ResilientRedisCache)
    assert cache.redis_available() is True  # the proxy reaches the new backend
    cache.clear()  # the per-process fallback starts empty
    yield
    cache.clear()


def test_chat_answers_and_remembers_while_redis_is_down(api, catalog, redis_down):
    session = {"X-Session-ID": issued("redis-is-down1")}

    first = chat(api, SLICE, headers=session).json()
    answer = chat(api, "is the second one open?", headers=session).json()

    assert cache.redis_available() is False, "Redis was tried and found down"
    assert answer["intent"] == "follow_up"
    assert answer["places"] == [first["places"][1]]
    stored = cache.fallback.get(memories.memory_key(user_id=None, session_id=issued("redis-is-down1")))
    assert len(stored["history"]) == 4


def test_signed_in_chat_works_while_redis_is_down(auth_api, user, catalog, redis_down):
    first = chat(auth_api, SLICE).json()

    answer = chat(auth_api, "how far is the third one?").json()

    assert answer["places"] == [first["places"][2]]
    assert user.conversations.get().messages.count() == 4


# --- OpenWeather and Google -------------------------------------------------------------------------------
def test_failing_openweather_gives_weather_null(api, catalog, settings):
    settings.OPENWEATHER_KEY = "k"
    settings.OPENWEATHER_BASE_URL = CLOSED_PORT

    answer = chat(api, SLICE).json()

    assert answer["weather"] is None
    assert len(answer["places"]) == 3


def test_failing_national_weather_service_gives_weather_null(api, catalog, settings):
    use_nws(settings)
    settings.NWS_BASE_URL = CLOSED_PORT

    answer = chat(api, SLICE).json()

    assert answer["weather"] is None
    assert len(answer["places"]) == 3


def test_failing_google_falls_back_to_catalog_cards(api, catalog, settings):
    settings.GOOGLE_API_KEY = "k"
    settings.GOOGLE_PLACES_BASE_URL = CLOSED_PORT
    settings.GOOGLE_ROUTES_BASE_URL = CLOSED_PORT
    settings.GOOGLE_MAPS_BASE_URL = CLOSED_PORT

    answer = chat(api, SLICE).json()

    assert len(answer["places"]) == 3
    assert {card["source"] for card in answer["places"]} == {"catalog"}
    assert all(card["walk_time"] for card in answer["places"]), "estimated walks when Routes is down"


def test_everything_failing_at_once_still_answers(api, catalog, settings, fake_gemini: FakeGeminiServer, redis_down):
    settings.OPENWEATHER_KEY = "k"
    settings.OPENWEATHER_BASE_URL = CLOSED_PORT
    settings.GOOGLE_API_KEY = "k"
    settings.GOOGLE_PLACES_BASE_URL = CLOSED_PORT
    settings.GOOGLE_ROUTES_BASE_URL = CLOSED_PORT
    fake_gemini.mode = "error500"

    answer = chat(api, SLICE).json()

    assert answer["weather"] is None
    assert len(answer["places"]) == 3
    assert all(card["name"] in answer["reply"] for card in answer["places"])
