"""Saved conversations: written by signed-in chat, read back by their owner only, gone with the
account, and readable (never changeable) by staff in the admin."""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.tokens import token_pair_for
from chat import memory as memories
from chat.models import Conversation, Message
from tests.chat.helpers import chat
from tests.contract import assert_error
from tests.factories import ConversationFactory, MessageFactory, UserFactory

SLICE = "where can I get a quick slice?"
LIST = "/api/v1/chat/conversations/"


def _detail(pk: int) -> str:
    return f"{LIST}{pk}/"


@pytest.fixture
def talked(auth_api, user, catalog) -> dict:
    """`user` asked for a slice then about the first card: one conversation of four messages."""
    first = chat(auth_api, SLICE).json()
    second = chat(auth_api, "is the first one open late?").json()
    return {"first": first, "second": second, "conversation": user.conversations.get()}


# --- Written by chat --------------------------------------------------------------------------------------
def test_signed_in_chat_saves_user_and_assistant_messages_with_the_cards(talked):
    conversation = talked["conversation"]
    messages = list(conversation.messages.all())

    assert conversation.title == SLICE
    assert [(m.role, m.text) for m in messages] == [
        ("user", SLICE),
        ("assistant", talked["first"]["reply"]),
        ("user", "is the first one open late?"),
        ("assistant", talked["second"]["reply"]),
    ]
    assert messages[0].cards == [] and messages[2].cards == []
    assert messages[1].cards == talked["first"]["places"]
    assert messages[3].cards == talked["second"]["places"]
    assert [m.intent for m in messages] == ["new_request", "new_request", "follow_up", "follow_up"]
    assert messages[1].vibe == "fast_bite"


def test_anonymous_chat_saves_no_conversation(api, catalog):
    chat(api, SLICE)

    assert not Conversation.objects.exists()
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("clear_body", "clear_headers"),
    [({"message": "start over"}, {}), ({"clear_session": True}, {}), ({}, {"X-Clear-Session": "true"})],
    ids=["start-over-message", "clear-flag", "clear-header"],
)
def test_after_clearing_the_next_message_starts_a_new_conversation(auth_api, user, catalog, clear_body, clear_headers):
    chat(auth_api, SLICE)
    chat(auth_api, headers=clear_headers, **clear_body)

    chat(auth_api, "I need coffee")

    old, new = user.conversations.order_by("id")
    assert old.title == SLICE
    assert new.title == "I need coffee"
    assert [m.text for m in new.messages.filter(role="user")] == ["I need coffee"]
    assert old.messages.filter(role="user").first().text == SLICE


def test_start_over_is_the_last_turn_of_the_conversation_it_ends(auth_api, user, catalog):
    chat(auth_api, SLICE)
    chat(auth_api, "start over")

    conversation = user.conversations.get()

    assert [m.text for m in conversation.messages.filter(role="user")] == [SLICE, "start over"]


def test_start_over_as_the_first_message_saves_no_empty_conversation(auth_api, user, db):
    chat(auth_api, "start over")

    assert not user.conversations.exists()


# --- Read back --------------------------------------------------------------------------------------------
def test_list_shows_only_own_conversations_with_message_count(auth_api, talked):
    other = ConversationFactory(title="someone else's")
    MessageFactory(conversation=other, role="user", text="secret")

    response = auth_api.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == talked["conversation"].pk
    assert row["title"] == SLICE
    assert row["message_count"] == 4
    assert set(row) == {"id", "title", "created_at", "updated_at", "message_count"}


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_list_puts_the_most_recent_conversation_first(auth_api, user, catalog):
    chat(auth_api, SLICE)
    chat(auth_api, clear_session=True)
    chat(auth_api, "I need coffee")
    chat(auth_api, clear_session=True)
    chat(auth_api, "somewhere to study")

    titles = [row["title"] for row in auth_api.get(LIST).json()["results"]]

    assert titles == ["somewhere to study", "I need coffee", SLICE]


def test_detail_includes_the_messages_in_order_with_cards(auth_api, talked):
    response = auth_api.get(_detail(talked["conversation"].pk))

    assert response.status_code == 200
    body = response.json()
    assert body["message_count"] == 4
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user", "assistant"]
    assert body["messages"][1]["text"] == talked["first"]["reply"]
    assert [card["place_id"] for card in body["messages"][1]["cards"]] == [c["place_id"] for c in talked["first"]["places"]]
    assert body["messages"][0]["cards"] == []


def test_detail_returns_stored_cards_as_saved_even_when_a_key_is_missing(auth_api, user, db):
    """Cards are stored JSON from an older release: read back as they are, never re-validated (a 500)."""
    conversation = ConversationFactory(user=user, title="old")
    old_card = {"type": "place", "place_id": "p1", "name": "Old Cafe", "address": "1 Old St"}  # no score, rating...
    MessageFactory(conversation=conversation, role="assistant", text="Try Old Cafe.", cards=[old_card])

    response = auth_api.get(_detail(conversation.pk))

    assert response.status_code == 200, response.content[:500]
    assert response.json()["messages"][0]["cards"] == [old_card]


def test_another_users_conversation_is_404_json(auth_api, db):
    other = ConversationFactory(title="someone else's")

    response = auth_api.get(_detail(other.pk))

    body = assert_error(response, 404)
    assert "someone else" not in response.content.decode()
    assert body["code"] == "not_found"


def test_an_unknown_conversation_id_is_404_json(auth_api, db):
    assert_error(auth_api.get(_detail(999999)), 404)


@pytest.mark.parametrize("path", [LIST, _detail(1)])
def test_conversations_need_sign_in(api, db, path):
    assert_error(api.get(path), 401)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_conversations_are_read_only_over_the_api(auth_api, talked, method):
    path = LIST if method == "post" else _detail(talked["conversation"].pk)

    response = getattr(auth_api, method)(path, {"title": "changed"}, format="json")

    assert_error(response, 405)
    assert Conversation.objects.get().title == SLICE


# --- Account deletion -------------------------------------------------------------------------------------
def test_deleting_the_account_deletes_conversations_and_cached_memory(auth_api, user, password, talked):
    key = memories.memory_key(user_id=user.pk, session_id="")
    other = UserFactory()
    other_client = auth_api.__class__(REMOTE_ADDR="10.3.3.3")
    other_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(other)['token']}")
    chat(other_client, SLICE)
    assert cache.get(key) is not None

    response = auth_api.delete("/api/user/me", {"password": password}, format="json")

    assert response.status_code == 204
    assert cache.get(key) is None
    assert not Conversation.objects.filter(pk=talked["conversation"].pk).exists()
    assert not Message.objects.filter(conversation_id=talked["conversation"].pk).exists()
    # Nobody else's conversation or memory goes with it.
    assert other.conversations.count() == 1
    assert cache.get(memories.memory_key(user_id=other.pk, session_id="")) is not None


def test_a_wrong_password_deletes_nothing(auth_api, user, talked):
    response = auth_api.delete("/api/user/me", {"password": "not-my-password"}, format="json")

    body = assert_error(response, 400)
    assert "password" in body["fields"]
    assert user.conversations.count() == 1
    assert cache.get(memories.memory_key(user_id=user.pk, session_id="")) is not None


# --- Admin ------------------------------------------------------------------------------------------------
@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_can_list_conversations_in_the_admin(staff_client, talked):
    response = staff_client.get("/admin/chat/conversation/")

    assert response.status_code == 200
    assert SLICE in response.content.decode()


def test_staff_can_read_a_conversation_but_not_change_it(staff_client, talked):
    conversation = talked["conversation"]
    url = f"/admin/chat/conversation/{conversation.pk}/change/"

    page = staff_client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert talked["first"]["places"][0]["name"] in html  # the assistant's reply and cards are shown
    assert 'name="_save"' not in html
    assert 'name="_continue"' not in html
    assert '<input type="text" name="title"' not in html

    posted = staff_client.post(url, {"title": "rewritten", "user": conversation.user_id})

    assert posted.status_code == 403
    conversation.refresh_from_db()
    assert conversation.title == SLICE


def test_staff_cannot_add_conversations_in_the_admin(staff_client, db):
    assert staff_client.get("/admin/chat/conversation/add/").status_code == 403
    assert staff_client.post("/admin/chat/conversation/add/", {"title": "forged"}).status_code == 403
    assert not Conversation.objects.exists()


def test_the_admin_is_closed_to_non_staff(talked):
    client = Client()
    client.force_login(UserFactory())

    response = client.get("/admin/chat/conversation/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
