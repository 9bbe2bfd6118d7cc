"""A conversation's admin page reads as a transcript: who said what, in order, when, and the cards
shown as linked names (the place's admin page when the place is in the database, else its map
link, else the name); escaped; the raw JSON only in a collapsed section."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

from chat.models import Message
from places.models import Place
from tests.clock import WEEKDAY_AFTERNOON
from tests.factories import ConversationFactory, EventFactory, MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(clock) -> Client:
    clock(WEEKDAY_AFTERNOON, tick=False)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def card(name: str, place_id: str, **fields) -> dict:
    return {"type": "place", "source": "catalog", "place_id": place_id, "name": name, "maps_link": "", **fields}


@pytest.fixture
def conversation(staff_client, clock):
    """Two turns a minute apart; the reply's cards: a catalog place in the database, a Google place
    that is not, an event, and a card with neither a row nor a map link."""
    call_command("load_place_catalog", verbosity=0)
    student = UserFactory(email="violet.student@nyu.edu")
    talk = ConversationFactory(user=student, title="coffee near tandon")
    place = Place.objects.get(provider_id="mh-think-coffee-mercer")
    event = EventFactory(source="nyu_engage", external_id="1", name="Open Mic <Night>", start=WEEKDAY_AFTERNOON + timedelta(days=1))
    MessageFactory(conversation=talk, role=Message.Role.USER, text="coffee near tandon?\n<script>alert(1)</script>")
    clock(WEEKDAY_AFTERNOON + timedelta(seconds=5), tick=False)
    MessageFactory(
        conversation=talk,
        role=Message.Role.ASSISTANT,
        text="Try Think Coffee & friends.",
        intent="new_request",
        vibe="study",
        cards=[
            card(place.name, place.card_id),
            card("Devoción", "ChIJgoogle123", source="google_places", maps_link="https://www.google.com/maps/search/?api=1&query=Devoci%C3%B3n&query_place_id=ChIJgoogle123"),
            {**card(event.name, f"event:{event.pk}"), "type": "event", "source": "nyu_engage"},
            card("Gone Café", "catalog:no-such-key", maps_link="javascript:alert(1)"),
        ],
    )
    clock(WEEKDAY_AFTERNOON + timedelta(minutes=1), tick=False)
    MessageFactory(conversation=talk, role=Message.Role.USER, text="thanks!")
    return {"talk": talk, "place": place, "event": event}


def page(staff_client, talk) -> BeautifulSoup:
    response = staff_client.get(f"/admin/chat/conversation/{talk.pk}/change/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "lxml")


def test_the_transcript_says_who_said_what_in_order_with_the_time(staff_client, conversation):
    soup = page(staff_client, conversation["talk"])

    turns = soup.select(".field-transcript ol.transcript > li")
    assert [turn.select_one(".speaker").get_text(strip=True) for turn in turns] == ["violet.student@nyu.edu", "Violet", "violet.student@nyu.edu"]
    assert [turn.select_one("time")["datetime"] for turn in turns] == [
        "2026-12-09T14:00:00-05:00", "2026-12-09T14:00:05-05:00", "2026-12-09T14:01:00-05:00"
    ]  # fmt: skip
    assert [turn.select_one("time").get_text(strip=True) for turn in turns] == ["2026-12-09 14:00:00", "2026-12-09 14:00:05", "2026-12-09 14:01:00"]
    assert turns[1].select_one(".text").get_text() == "Try Think Coffee & friends."
    assert "new_request" in turns[1].get_text() and "study" in turns[1].get_text()


def test_cards_are_linked_names(staff_client, conversation):
    soup = page(staff_client, conversation["talk"])

    cards = soup.select(".field-transcript ul.cards > li")
    assert [item.get_text(" ", strip=True) for item in cards] == [
        f"{conversation['place'].name} (place)", "Devoción (place)", "Open Mic <Night> (event)", "Gone Café (place)"
    ]  # fmt: skip
    place_link, maps_link, event_link = (item.a for item in cards[:3])
    assert place_link["href"] == f"/admin/places/place/{conversation['place'].pk}/change/"
    assert maps_link["href"].startswith("https://www.google.com/maps/search/") and maps_link["rel"] == ["noopener", "noreferrer"]
    assert event_link["href"] == f"/admin/events/event/{conversation['event'].pk}/change/"
    assert cards[3].a is None  # no row, and a link that is not http(s) is no link


def test_everything_said_is_escaped(staff_client, conversation):
    response = staff_client.get(f"/admin/chat/conversation/{conversation['talk'].pk}/change/")
    html = response.content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Open Mic &lt;Night&gt;" in html
    assert 'href="javascript:' not in html


def test_the_raw_json_is_only_in_a_collapsed_section(staff_client, conversation):
    soup = page(staff_client, conversation["talk"])

    raw = soup.select_one(".field-raw_messages")
    assert raw is not None
    details = raw.find_parent("details")
    assert details is not None and not details.has_attr("open")  # collapsed
    assert '"place_id"' in raw.get_text()
    outside = [row for row in soup.select(".form-row") if row is not raw]
    assert all('"place_id"' not in row.get_text() for row in outside)
    assert soup.select(".inline-group") == []  # no table of raw message rows


def test_a_conversation_without_messages_says_so(staff_client):
    talk = ConversationFactory(title="empty")

    soup = page(staff_client, talk)

    assert soup.select_one(".field-transcript").get_text(" ", strip=True).endswith("No messages.")


def test_the_page_stays_read_only(staff_client, conversation):
    html = str(page(staff_client, conversation["talk"]))

    assert 'name="_save"' not in html and "<textarea" not in html
