"""Violet answers "what's on?" with events from the database, and mixes one into going-out vibes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from tests.chat.helpers import chat


@pytest.fixture
def tonight(db):
    now = timezone.now()
    return [
        Event.objects.create(
            source="nyu_engage",
            external_id=f"e{i}",
            name=name,
            start=now + timedelta(hours=2 + i),
            end=now + timedelta(hours=4 + i),
            venue="Dibner Library",
            lat=40.6945,
            lng=-73.9860,
        )
        for i, name in enumerate(["Tandon Game Night", "Open Mic at Dibner", "Robotics Club Demo"])
    ]


def test_whats_on_tonight_answers_with_events(api, catalog, tonight):
    body = chat(api, "what's on tonight?").json()
    assert body["places"] and all(card["type"] == "event" for card in body["places"])
    assert body["places"][0]["start"]
    assert any(event.name in body["reply"] for event in tonight)


def test_a_party_request_mixes_in_one_event(api, catalog, tonight):
    body = chat(api, "where can I go dancing").json()
    assert body["vibe"] == "party"
    assert [card["type"] for card in body["places"]] == ["place", "place", "event"]


def test_without_events_whats_on_falls_back_to_places(api, catalog):
    body = chat(api, "any events happening today?").json()
    assert body["places"] and all(card["type"] == "place" for card in body["places"])
