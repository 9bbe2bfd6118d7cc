"""OWASP API1, broken object-level authorization.

Only the conversation endpoints take an object id; every /api/user/* endpoint acts on the signed-in
user and has no id in its path, so the question there is whether anything in the body can point it
at somebody else. Chat memory is keyed by user id when signed in and by the session id otherwise.
"""

import pytest
from django.core.cache import cache

from accounts.tokens import token_pair_for
from chat import memory
from chat.models import Conversation, Message
from chat.sessions import session_id_is_issued
from tests.contract import assert_error
from tests.factories import ConversationFactory, MessageFactory
from tests.security.conftest import client, fresh_token, snapshot

CONVERSATIONS = "/api/v1/chat/conversations/"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_providers", "no_ratelimits")]


def _conversation(user, title: str) -> Conversation:
    conversation = ConversationFactory(user=user, title=title)
    MessageFactory(conversation=conversation, role=Message.Role.USER, text=f"{title} (private text)")
    return conversation


# --- Conversations -------------------------------------------------------------------------------
def test_another_users_conversation_is_404_exactly_like_a_missing_one(alice, bob):
    bobs = _conversation(bob, "Bob's date ideas")
    missing_id = bobs.pk + 1000
    api = client(fresh_token(alice))

    theirs = api.get(f"{CONVERSATIONS}{bobs.pk}/")
    missing = api.get(f"{CONVERSATIONS}{missing_id}/")

    body = assert_error(theirs, 404, "not_found")
    assert body["error"] == assert_error(missing, 404, "not_found")["error"]  # no oracle for "exists"
    assert "Bob" not in theirs.content.decode()


def test_conversation_list_shows_only_the_callers_own(alice, bob):
    mine = _conversation(alice, "Alice's study spots")
    for n in range(3):
        _conversation(bob, f"Bob's secret {n}")

    response = client(fresh_token(alice)).get(CONVERSATIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert "Bob" not in response.content.decode()


@pytest.mark.parametrize("query", ["?user=BOB", "?user_id=BOB", "?owner=BOB", "?search=Bob"])
def test_conversation_list_filters_in_the_query_cannot_widen_it(alice, bob, query):
    _conversation(bob, "Bob's secret")

    response = client(fresh_token(alice)).get(CONVERSATIONS + query.replace("BOB", str(bob.pk)))

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_another_users_conversation_cannot_be_changed_or_deleted(alice, bob, method):
    bobs = _conversation(bob, "Bob's date ideas")

    response = getattr(client(fresh_token(alice)), method)(f"{CONVERSATIONS}{bobs.pk}/", {"title": "pwned"}, format="json")

    # Saved conversations are read-only: the same 405 as for one's own, which says nothing of bob's.
    assert_error(response, 405)
    assert getattr(client(fresh_token(bob)), method)(f"{CONVERSATIONS}{bobs.pk}/", {"title": "x"}, format="json").status_code == 405
    assert Conversation.objects.get(pk=bobs.pk).title == "Bob's date ideas"


# --- /api/user/*: nothing in a body can reach another account ------------------------------------
BOB_IDS = "BOB"  # replaced by bob's id / email in the payloads below

WRITES = [
    ("post", "/api/user/profile", {"first_name": "Mallory", "home_address": "1 Evil St", "id": BOB_IDS, "user_id": BOB_IDS, "email": BOB_IDS, "user": BOB_IDS}),
    ("post", "/api/user/preferences", {"interests": "hacking", "budget": {"min": 1, "max": 2}, "user_id": BOB_IDS, "id": BOB_IDS}),
    ("post", "/api/user/settings", {"notifications_enabled": False, "user_id": BOB_IDS, "id": BOB_IDS}),
    ("post", "/api/user/activity", {"type": "dismissed", "place_id": "catalog:bob-place", "user_id": BOB_IDS, "user": BOB_IDS, "id": BOB_IDS}),
    ("post", "/api/user/notification_token", {"token": "mallory-device", "user_id": BOB_IDS, "id": BOB_IDS}),
    ("post", "/api/auth/logout", {"all": True, "user_id": BOB_IDS}),
    ("post", "/api/auth/password", {"current_password": "PASSWORD", "new_password": "a-new-violet-pass-99", "user_id": BOB_IDS, "email": BOB_IDS}),
    ("delete", "/api/user/me", {"password": "PASSWORD", "user_id": BOB_IDS, "id": BOB_IDS, "email": BOB_IDS}),
]


# API.md: logging out and deleting the account answer 204; the other writes 200 with a body.
NO_CONTENT = {"/api/auth/logout": 204, "/api/user/me": 204}


def _aimed_at(payload: dict, bob, password: str) -> dict:
    def swap(key: str, value: object) -> object:
        if value == BOB_IDS:
            return bob.email if key == "email" else bob.pk
        return password if value == "PASSWORD" else value

    return {key: swap(key, value) for key, value in payload.items()}


@pytest.mark.parametrize(("method", "path", "payload"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_writes_of_one_user_never_change_another_users_data(alice, bob, password, method, path, payload):
    before = snapshot(bob)
    bobs_token = token_pair_for(bob)["token"]

    response = getattr(client(fresh_token(alice)), method)(path, _aimed_at(payload, bob, password), format="json")

    assert response.status_code == NO_CONTENT.get(path, 200), response.content
    assert snapshot(bob) == before
    # And bob is still signed in: nothing alice did revoked his tokens.
    assert client(bobs_token).get("/api/user/me").json()["email"] == bob.email


def test_reads_of_user_endpoints_are_always_the_callers_own_whatever_the_query(alice, bob):
    api = client(fresh_token(alice))
    for path in ("/api/user/me", "/api/user/profile", "/api/user/preferences", "/api/user/settings"):
        response = api.get(path, {"user_id": bob.pk, "id": bob.pk, "email": bob.email})

        assert response.status_code == 200
        text = response.content.decode()
        assert bob.email not in text and "Bobby" not in text and "370 Jay St" not in text and "bob's private" not in text
    assert api.get("/api/user/me").json()["id"] == alice.pk


# --- Chat memory ---------------------------------------------------------------------------------
FOLLOW_UP = "tell me more about the first one"


def _chat(api, message: str, headers: dict | None = None, refused_ok: bool = False, **body):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()}
    response = api.post("/api/chat", {"message": message, **body}, format="json", **extra)
    if refused_ok and response.status_code == 400:  # a malformed body session_id is refused outright
        assert_error(response, 400, "validation_error")
        return {"intent": "refused", "places": []}
    assert response.status_code == 200, response.content
    return response.json()


def _remembers(answer: dict, first_card: dict) -> bool:
    return answer["intent"] == "follow_up" and [place["name"] for place in answer["places"]] == [first_card["name"]]


@pytest.mark.usefixtures("catalog")
def test_anonymous_memory_is_reachable_only_with_its_session_id(db):
    """Documented behaviour: an anonymous conversation's X-Session-ID (or session_id, or the
    HttpOnly cookie) is a bearer secret. Whoever holds it continues the conversation; nothing else
    does. Only the server picks it, unguessable (a uuid4 nonce, 128 random bits, and its HMAC):
    an id a client made up is a new conversation (tests/chat/test_chat_api.py)."""
    owner = client(ip="10.0.0.1")
    first = _chat(owner, "find me a quiet cafe to study")
    session_id = first["session_id"]
    assert len(session_id) == 64 and int(session_id, 16) >= 0 and session_id_is_issued(session_id)
    cookie = owner.cookies["vv_chat_session"]
    assert cookie.value == session_id and cookie["httponly"] and cookie["samesite"] == "Lax"

    # Anybody else (no id, or a guessed one) starts from nothing.
    assert not _remembers(_chat(client(ip="10.0.0.2"), FOLLOW_UP), first["places"][0])
    assert not _remembers(_chat(client(ip="10.0.0.2"), FOLLOW_UP, headers={"X-Session-ID": session_id[:-1] + ("1" if session_id[-1] == "0" else "0")}), first["places"][0])
    # Knowing the id is the one way in: header or body.
    assert _remembers(_chat(client(ip="10.0.0.3"), FOLLOW_UP, headers={"X-Session-ID": session_id}), first["places"][0])
    assert _remembers(_chat(client(ip="10.0.0.4"), FOLLOW_UP, session_id=session_id), first["places"][0])


@pytest.mark.usefixtures("catalog")
def test_a_signed_in_users_memory_is_not_reachable_through_a_session_id(alice):
    api = client(fresh_token(alice))
    first = _chat(api, "find me a quiet cafe to study")
    key = memory.memory_key(user_id=alice.pk, session_id="")
    remembered = cache.get(key)
    assert remembered and remembered["history"]

    guesses = [str(alice.pk), f"{alice.pk:08d}", f"user:{alice.pk}", f"user-{alice.pk:08d}", key, "chat:memory:user:1", first["session_id"]]
    for guess in guesses:
        for how in ("header", "body"):
            # Each probe starts from nothing under that id: the header probe starts an anonymous
            # conversation of its own there, and the body probe continuing *that* is no leak (it
            # once looked like one at night, when both conversations ranked the same library first).
            cache.delete(memory.memory_key(user_id=None, session_id=guess))
            anonymous = client(ip="10.0.0.9")
            where = {"headers": {"X-Session-ID": guess}} if how == "header" else {"session_id": guess}
            answer = _chat(anonymous, FOLLOW_UP, refused_ok=True, **where)
            assert not _remembers(answer, first["places"][0]), (guess, how)

    assert cache.get(key) == remembered  # untouched by all of that
    assert _remembers(_chat(api, FOLLOW_UP), first["places"][0])  # while alice herself still has it


@pytest.mark.usefixtures("catalog")
def test_another_signed_in_user_cannot_reach_a_memory_with_a_session_id(alice, bob):
    owner = client(ip="10.0.0.1")
    first = _chat(owner, "find me a quiet cafe to study")

    answer = _chat(client(fresh_token(bob)), FOLLOW_UP, headers={"X-Session-ID": first["session_id"]})

    # Signed in, bob's memory is his own (keyed by his id): an anonymous session id does not switch it.
    assert not _remembers(answer, first["places"][0])
    assert not _remembers(_chat(client(fresh_token(alice)), FOLLOW_UP, session_id=first["session_id"]), first["places"][0])
