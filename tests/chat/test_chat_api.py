"""POST /api/chat end to end: conversations with follow-ups, memory by header, body, cookie and
user, clearing, validation, the rate limit and what the memory keeps in the shared cache.

Providers are unconfigured here (tests/chat/conftest.py): the catalog and the built-in writer answer.
"""

import json
import os

import pytest
import responses
from django.core.cache import cache, caches
from rest_framework.test import APIClient

from accounts.tokens import token_pair_for
from chat import memory as memories
from chat.views import SESSION_COOKIE
from tests.chat.helpers import chat, ids, issued, names
from tests.contract import assert_error
from tests.factories import UserFactory
from tests.fakes.nws import fake_nws, use_nws

SLICE = "where can I get a quick slice?"


def _client(ip: str = "10.9.8.7") -> APIClient:
    return APIClient(REMOTE_ADDR=ip)


def _session_memory(session_id: str) -> memories.Memory:
    return memories.memory_load(key=memories.memory_key(user_id=None, session_id=session_id))


# --- A conversation ---------------------------------------------------------------------------------------
def test_multi_turn_conversation_follows_up_on_the_cards_it_showed(api, catalog):
    session = {"X-Session-ID": issued("multi-turn-0001")}

    first = chat(api, SLICE, headers=session).json()
    assert first["intent"] == "new_request"
    assert first["vibe"] == "fast_bite"
    assert len(first["places"]) == 3
    assert all(name in first["reply"] for name in names(first))
    card1, *others = first["places"]

    open_late = chat(api, "is the first one open late?", headers=session).json()
    assert open_late["intent"] == "follow_up"
    assert open_late["places"] == [card1]
    assert card1["name"] in open_late["reply"]
    assert not any(card["name"] in open_late["reply"] for card in others)

    how_far = chat(api, "how far is it?", headers=session).json()
    assert how_far["intent"] == "follow_up"
    assert how_far["places"] == [card1], "'it' is the place just talked about"
    assert card1["name"] in how_far["reply"] and card1["walk_time"] in how_far["reply"]

    more = chat(api, "more options", headers=session).json()
    assert more["intent"] == "more_options"
    assert len(more["places"]) == 3
    assert not set(ids(more)) & set(ids(first))

    # The last list already had a $ place, and nothing near is free: no "cheaper" list that is not.
    assert min(card["price_level"] for card in more["places"]) == 1
    cheaper = chat(api, "anything cheaper?", headers=session).json()
    assert cheaper["intent"] == "follow_up"
    cheapest = min((card for card in more["places"]), key=lambda card: card["price_level"])
    assert (cheaper["reply"], cheaper["places"]) == (f"I don't know anything of that kind cheaper than {cheapest['name']} ($).", [])
    assert {first["session_id"], more["session_id"], cheaper["session_id"]} == {issued("multi-turn-0001")}


def test_anything_quieter_asks_for_a_quiet_place_of_that_kind_and_says_when_it_knows_none(api, catalog):
    session = {"X-Session-ID": issued("quieter-0001")}
    first = chat(api, SLICE, headers=session).json()

    quieter = chat(api, "anything quieter?", headers=session).json()

    assert quieter["intent"] == "more_options" and quieter["vibe"] == first["vibe"]
    # No pizza place is known to be quiet: said plainly; the alternatives stay food, not a library.
    assert quieter["reply"].startswith("I don't know another quiet pizza place near you. Other places nearby instead:")
    assert len(quieter["places"]) == 3 and not any("library" in card["types"] for card in quieter["places"])
    assert not set(ids(quieter)) & set(ids(first)), "new places, not the same cards again"
    assert all(name in quieter["reply"] for name in names(quieter))


def test_a_follow_up_about_them_all_answers_for_every_card(api, catalog):
    session = {"X-Session-ID": issued("all-of-them-01")}
    first = chat(api, SLICE, headers=session).json()
    chat(api, "is the first one open late?", headers=session)

    answer = chat(api, "how far are they?", headers=session).json()

    assert answer["intent"] == "follow_up"
    assert answer["places"] == first["places"]
    assert all(card["walk_time"] in answer["reply"] for card in first["places"])


def test_a_new_request_replaces_the_remembered_cards(api, catalog):
    session = {"X-Session-ID": issued("new-request-01")}
    chat(api, SLICE, headers=session)
    study = chat(api, "I need a quiet place to study", headers=session).json()

    answer = chat(api, "is the second one open?", headers=session).json()

    assert answer["places"] == [study["places"][1]]


# --- Memory: header, body, cookie, user -------------------------------------------------------------------
def test_two_clients_continue_one_conversation_through_the_x_session_id_header(catalog):
    phone, tablet = _client("10.0.0.1"), _client("10.0.0.2")
    first = chat(phone, SLICE, headers={"X-Session-ID": issued("shared-header-1")}).json()

    answer = chat(tablet, "is the second one open?", headers={"X-Session-ID": issued("shared-header-1")}).json()

    assert answer["intent"] == "follow_up"
    assert answer["places"] == [first["places"][1]]
    assert answer["session_id"] == issued("shared-header-1")


def test_two_clients_continue_one_conversation_through_the_body_session_id(catalog):
    phone, tablet = _client("10.0.0.1"), _client("10.0.0.2")
    first = chat(phone, SLICE, session_id=issued("shared-body-01")).json()

    answer = chat(tablet, "how far is the third one?", session_id=issued("shared-body-01")).json()

    assert answer["intent"] == "follow_up"
    assert answer["places"] == [first["places"][2]]
    assert answer["session_id"] == issued("shared-body-01")


def test_the_x_session_id_header_wins_over_the_body_session_id(catalog):
    chat(_client(), SLICE, headers={"X-Session-ID": issued("header-session")})

    answer = chat(_client(), "is the first one open?", headers={"X-Session-ID": issued("header-session")}, session_id=issued("body-session")).json()

    assert answer["session_id"] == issued("header-session")
    assert answer["intent"] == "follow_up"


def test_a_client_that_only_keeps_cookies_continues_its_conversation(catalog):
    expo = _client()
    first_response = chat(expo, SLICE)
    first = first_response.json()

    cookie = first_response.cookies[SESSION_COOKIE]
    assert cookie.value == first["session_id"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 24 * 3600

    answer = chat(expo, "is the first one open late?").json()  # the test client sends its cookies back

    assert answer["session_id"] == first["session_id"]
    assert answer["intent"] == "follow_up"
    assert answer["places"] == [first["places"][0]]


def test_a_client_without_the_cookie_starts_its_own_conversation(catalog):
    first = chat(_client(), SLICE).json()

    stranger = chat(_client(), "is the first one open late?").json()

    assert stranger["session_id"] != first["session_id"]
    assert stranger["intent"] != "follow_up"


def test_a_malformed_session_id_header_is_ignored_for_a_fresh_session(api, catalog):
    answer = chat(api, "hi", headers={"X-Session-ID": "short"}).json()

    assert answer["session_id"] != "short"
    assert len(answer["session_id"]) >= 8


# --- Only ids the service issued ------------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["header", "body", "cookie"])
def test_a_session_id_the_client_picked_is_a_new_conversation_not_the_one_of_that_id(catalog, how):
    """Whoever picks or guesses an id does not read, add to or clear the conversation of whoever
    used it before: an id this service did not issue starts a new conversation, under a new id."""
    picked = "alices-phone-0001"

    def send(client: APIClient, message: str, **body: object):
        if how == "cookie":
            client.cookies[SESSION_COOKIE] = picked
            return chat(client, message, **body)
        where = {"headers": {"X-Session-ID": picked}} if how == "header" else {"session_id": picked}
        return chat(client, message, **where, **body)

    alice = send(_client("10.0.0.1"), SLICE).json()
    assert alice["session_id"] != picked

    mallory = send(_client("10.0.0.2"), "is the first one open late?").json()
    assert mallory["intent"] != "follow_up"
    assert mallory["session_id"] not in (picked, alice["session_id"])
    assert _session_memory(picked) == memories.Memory()


def test_a_forged_session_id_reads_poisons_and_clears_nothing(catalog):
    alice_client = _client("10.0.0.1")
    alice = chat(alice_client, SLICE).json()
    own = alice["session_id"]
    remembered = cache.get(memories.memory_key(user_id=None, session_id=own))
    assert remembered
    # Another id of the same shape: one character of it changed, wherever it is.
    forgeries = {own[:i] + ("a" if own[i] != "a" else "b") + own[i + 1 :] for i in (0, len(own) // 2, len(own) - 1)}

    for forged in forgeries:
        mallory = _client("10.0.0.2")
        answer = chat(mallory, "is the first one open late?", headers={"X-Session-ID": forged}).json()
        assert answer["intent"] != "follow_up" and answer["session_id"] not in (forged, own)
        chat(mallory, "", headers={"X-Session-ID": forged, "X-Clear-Session": "true"})
        assert _session_memory(forged) == memories.Memory()

    assert cache.get(memories.memory_key(user_id=None, session_id=own)) == remembered
    assert chat(alice_client, "is the first one open late?").json()["intent"] == "follow_up"


def test_an_id_issued_before_a_secret_key_rotation_continues_while_the_old_key_is_a_fallback(settings, catalog):
    first = chat(_client(), SLICE).json()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-django-secret-key-" + "r7" * 20
    follow_up = {"X-Session-ID": first["session_id"]}

    answer = chat(_client(), "is the first one open late?", headers=follow_up).json()
    assert (answer["intent"], answer["session_id"]) == ("follow_up", first["session_id"])

    settings.SECRET_KEY_FALLBACKS = []
    assert chat(_client(), "is the first one open late?", headers=follow_up).json()["session_id"] != first["session_id"]


def test_signed_in_memory_follows_the_user_across_clients(user, catalog):
    token = token_pair_for(user)["token"]
    phone, laptop = _client("10.0.0.1"), _client("10.0.0.2")
    for client in (phone, laptop):
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    first = chat(phone, SLICE, headers={"X-Session-ID": issued("phone-session")}).json()

    answer = chat(laptop, "is the third one open?", headers={"X-Session-ID": issued("laptop-session")}).json()

    assert answer["intent"] == "follow_up"
    assert answer["places"] == [first["places"][2]]
    remembered = memories.memory_load(key=memories.memory_key(user_id=user.pk, session_id=""))
    assert [card["place_id"] for card in remembered.cards] == ids(first)
    assert _session_memory(issued("phone-session")) == memories.Memory(), "a signed-in user's memory is not kept by session"


def test_an_anonymous_client_cannot_read_a_signed_in_users_memory_by_session_id(auth_api, catalog):
    chat(auth_api, SLICE, headers={"X-Session-ID": issued("the-users-phone")})

    answer = chat(_client(), "is the first one open?", headers={"X-Session-ID": issued("the-users-phone")}).json()

    assert answer["intent"] != "follow_up"


def test_two_users_do_not_share_memory(auth_api, catalog):
    other = UserFactory()
    client = _client()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(other)['token']}")
    chat(auth_api, SLICE)

    answer = chat(client, "is the first one open?").json()

    assert answer["intent"] != "follow_up"


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs REDIS_URL: without it the cache is LocMem, whose connections share one dict, so this passes by construction",
)
def test_memory_saved_by_one_worker_is_read_by_another(api, catalog):
    """A fresh cache connection stands for another worker or instance (meaningful with REDIS_URL)."""
    first = chat(api, SLICE, headers={"X-Session-ID": issued("other-worker-1")}).json()

    other_worker = caches.create_connection("default")
    stored = other_worker.get(memories.memory_key(user_id=None, session_id=issued("other-worker-1")))

    assert [card["place_id"] for card in stored["cards"]] == ids(first)


def test_memory_is_kept_24_hours_in_the_shared_cache(api, catalog, monkeypatch):
    timeouts = []
    real_set = cache.set

    def spying_set(key, value, timeout=None, **kwargs):
        if key.startswith("chat:memory:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spying_set)
    chat(api, SLICE)

    assert timeouts == [24 * 3600]


# --- Clearing ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"clear_session": True}, {}),
        ({"clear_session": True, "message": ""}, {}),
        ({"clear_session": True, "message": "   "}, {}),
        ({}, {"X-Clear-Session": "true"}),
        ({"message": ""}, {"X-Clear-Session": "TRUE"}),
    ],
    ids=["flag", "flag-empty-message", "flag-blank-message", "header", "header-empty-message"],
)
def test_clear_only_answers_exactly_session_cleared_and_forgets(api, catalog, body, headers):
    session = {"X-Session-ID": issued("clear-me-0001")}
    chat(api, SLICE, headers=session)

    response = chat(api, headers={**session, **headers}, **body)

    assert response.json() == {"status": "session_cleared"}
    assert _session_memory(issued("clear-me-0001")) == memories.Memory()
    after = chat(api, "is the first one open?", headers=session).json()
    assert after["intent"] != "follow_up"


@pytest.mark.parametrize(
    ("body", "headers"),
    [({"clear_session": True}, {}), ({}, {"X-Clear-Session": "true"})],
    ids=["flag", "header"],
)
def test_clear_with_a_message_forgets_then_answers_the_message(api, catalog, body, headers):
    session = {"X-Session-ID": issued("clear-and-ask-1")}
    chat(api, SLICE, headers=session)

    answer = chat(api, "is the first one open?", headers={**session, **headers}, **body).json()

    assert answer["intent"] == "new_request", "with nothing remembered there is no 'first one'"
    remembered = _session_memory(issued("clear-and-ask-1"))
    assert [turn["text"] for turn in remembered.history] == ["is the first one open?", answer["reply"]]


def test_x_clear_session_header_other_than_true_does_not_clear(api, catalog):
    session = {"X-Session-ID": issued("keep-me-00001")}
    first = chat(api, SLICE, headers=session).json()

    answer = chat(api, "is the first one open?", headers={**session, "X-Clear-Session": "false"}).json()

    assert answer["places"] == [first["places"][0]]


def test_start_over_message_forgets_cards_vibe_and_history(api, catalog):
    session = {"X-Session-ID": issued("start-over-001")}
    chat(api, SLICE, headers=session)

    answer = chat(api, "start over", headers=session).json()

    assert answer["intent"] == "clear"
    assert answer["places"] == []
    assert answer["vibe"] == "generic"
    assert _session_memory(issued("start-over-001")) == memories.Memory()
    after = chat(api, "is the first one open?", headers=session).json()
    assert after["intent"] != "follow_up"


def _spy_on_memory_cache(monkeypatch) -> list[str]:
    """Records the chat memory cache calls ("get", "set", "delete"; a get_many that reads it is a
    "get") made from now on."""
    calls = []
    for name in ("get", "set", "delete"):
        real = getattr(cache, name)

        def spy(key, *args, _real=real, _name=name, **kwargs):
            if key.startswith("chat:memory:"):
                calls.append(_name)
            return _real(key, *args, **kwargs)

        monkeypatch.setattr(cache, name, spy)
    real_many = cache.get_many

    def spy_many(keys, *args, **kwargs):  # one read, whether the backend reads the keys one by one or not
        before = len(calls)
        found = real_many(keys, *args, **kwargs)
        del calls[before:]
        if any(key.startswith("chat:memory:") for key in keys):
            calls.append("get")
        return found

    monkeypatch.setattr(cache, "get_many", spy_many)
    return calls


def test_start_over_reads_the_memory_once_and_overwrites_it(api, catalog, monkeypatch):
    session = {"X-Session-ID": issued("start-over-rt1")}
    chat(api, SLICE, headers=session)
    calls = _spy_on_memory_cache(monkeypatch)

    chat(api, "start over", headers=session)

    assert calls == ["get", "set"]
    assert _session_memory(issued("start-over-rt1")) == memories.Memory()


def test_clear_flag_with_a_message_does_not_read_the_memory_it_just_cleared(api, catalog, monkeypatch):
    session = {"X-Session-ID": issued("clear-ask-rt1")}
    chat(api, SLICE, headers=session)
    calls = _spy_on_memory_cache(monkeypatch)

    chat(api, "is the first one open?", headers=session, clear_session=True)

    assert calls == ["delete", "set"]


# --- Validation -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": "  \n "}, {"clear_session": False}])
def test_empty_message_without_clear_is_400_with_fields(api, db, body):
    response = chat(api, status=400, **body)

    error = assert_error(response, 400, "validation_error")
    assert list(error["fields"]) == ["message"]


def test_message_of_2001_characters_is_400(api, db):
    response = chat(api, "a" * 2001, status=400)

    error = assert_error(response, 400, "validation_error")
    assert "message" in error["fields"]


def test_message_of_2000_characters_is_answered(api, catalog):
    chat(api, "pizza " * 333 + "pi")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": 123}, "message"),
        ({"message": None}, "message"),
        ({"message": ["hi"]}, "message"),
        ({"message": "hi", "clear_session": "yes"}, "clear_session"),
        ({"message": "hi", "clear_session": 1}, "clear_session"),
        ({"message": "hi", "latitude": 40.69}, "longitude"),
        ({"message": "hi", "longitude": -73.98}, "latitude"),
        ({"message": "hi", "latitude": 200, "longitude": -73.98}, "latitude"),
        ({"message": "hi", "latitude": 40.69, "longitude": -181}, "longitude"),
        ({"message": "hi", "latitude": "north", "longitude": -73.98}, "latitude"),
        ({"message": "hi", "vibe": "sleepy-hollow"}, "vibe"),
        ({"message": "hi", "commute_preference": "helicopter"}, "commute_preference"),
        ({"message": "hi", "session_id": "not ok!"}, "session_id"),
        ({"message": "hi", "session_id": 12345678}, "session_id"),
    ],
)
def test_wrong_types_and_values_are_400_json_naming_the_field(api, db, body, field):
    response = chat(api, status=400, **body)

    error = assert_error(response, 400, "validation_error")
    assert field in error["fields"], error


def test_a_body_that_is_not_a_json_object_is_400_json(api, db):
    response = api.post("/api/chat", ["hi"], format="json")

    assert_error(response, 400)


def test_coordinates_vibe_and_commute_preference_are_accepted(api, catalog):
    answer = chat(
        api, "somewhere to eat", latitude=40.7295, longitude=-73.9965, vibe="study", commute_preference="walking"
    ).json()

    assert answer["places"]
    assert answer["weather"] is None


def test_a_weather_question_without_a_weather_key_is_answered_from_the_national_weather_service(api, catalog, settings):
    use_nws(settings)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as nws:
        fake_nws(nws)
        answer = chat(api, "what's the weather like").json()

    assert answer["intent"] == "general_question"
    assert answer["reply"] == "Right now it's 46°F with mostly cloudy."
    assert answer["weather"]["temp_f"] == 46.0


# --- Rate limit -------------------------------------------------------------------------------------------
def test_eleventh_chat_request_in_a_minute_is_429_with_retry_after(api, db, one_ratelimit_window):
    for _ in range(10):
        chat(api, "hi")

    response = chat(api, "hi", status=429)

    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    chat(_client("10.1.1.1"), "hi")  # another address has its own allowance


def test_signed_in_users_are_limited_per_user(user, db, one_ratelimit_window):
    token = token_pair_for(user)["token"]
    for n in range(10):
        client = _client(f"10.2.0.{n}")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        chat(client, "hi")
    client = _client("10.2.1.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert_error(chat(client, "hi", status=429), 429, "rate_limited")


# --- What memory keeps ------------------------------------------------------------------------------------
def test_history_is_bounded_to_the_last_20_turns(api, db, settings):
    settings.RATELIMIT_ENABLE = False
    sent = [f"thanks {n}" if n % 2 else f"hello again {n}" for n in range(25)]
    for message in sent:
        answer = chat(api, message, headers={"X-Session-ID": issued("long-talk-001")}).json()
        assert answer["intent"] in ("small_talk", "general_question")

    history = _session_memory(issued("long-talk-001")).history

    assert len(history) == 2 * memories.MAX_TURNS == 40
    assert [turn["role"] for turn in history] == ["user", "assistant"] * 20
    assert [turn["text"] for turn in history[::2]] == sent[5:]


def test_memory_values_are_plain_json(api, catalog):
    session = {"X-Session-ID": issued("json-memory-1")}
    chat(api, SLICE, headers=session)
    chat(api, "is the first one open late?", headers=session)
    chat(api, "more options", headers=session)

    stored = cache.get(memories.memory_key(user_id=None, session_id=issued("json-memory-1")))

    assert isinstance(stored, dict)
    assert json.loads(json.dumps(stored)) == stored
    assert len(stored["history"]) == 6 and len(stored["cards"]) == 3 and len(stored["shown_ids"]) == 6


def test_signed_in_memory_values_are_plain_json(auth_api, user, catalog):
    chat(auth_api, SLICE)

    stored = cache.get(memories.memory_key(user_id=user.pk, session_id=""))

    assert json.loads(json.dumps(stored)) == stored
    assert isinstance(stored["conversation_id"], int)


def test_memory_in_an_unknown_shape_starts_afresh(api, catalog):
    cache.set(memories.memory_key(user_id=None, session_id=issued("old-shape-0001")), {"turns": ["from an old release"]})

    answer = chat(api, SLICE, headers={"X-Session-ID": issued("old-shape-0001")}).json()

    assert answer["intent"] == "new_request"
    assert len(_session_memory(issued("old-shape-0001")).history) == 2


def test_memory_saved_before_focus_existed_still_continues(api, catalog):
    """A memory written by the previous release (no "focus" key) is read, not thrown away."""
    first = chat(api, SLICE, headers={"X-Session-ID": issued("older-release1")}).json()
    key = memories.memory_key(user_id=None, session_id=issued("older-release1"))
    stored = cache.get(key)
    del stored["focus"]
    cache.set(key, stored)

    answer = chat(api, "is the second one open?", headers={"X-Session-ID": issued("older-release1")}).json()

    assert answer["places"] == [first["places"][1]]


def test_it_no_longer_means_the_old_place_once_new_cards_are_shown(api, catalog):
    session = {"X-Session-ID": issued("focus-reset-01")}
    chat(api, SLICE, headers=session)
    chat(api, "is the first one open late?", headers=session)
    more = chat(api, "more options", headers=session).json()

    answer = chat(api, "how far is it?", headers=session).json()

    assert answer["places"] == more["places"]
