"""Violet answers "what's on?" with events from the database, and mixes one into going-out vibes."""

from datetime import timedelta

import pytest

from events.models import Event, SourceSync
from tests.chat.helpers import chat, issued
from tests.clock import WEEKDAY_EVENING
from tests.factories import EventFactory


@pytest.fixture
def tonight(db, clock):
    """Three events from 21:00 on a weekday evening (the clock stands at 19:00)."""
    now = clock(WEEKDAY_EVENING)
    return [
        EventFactory(
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


def test_a_going_out_vibe_mixes_in_one_event(api, catalog, tonight):
    body = chat(api, "anything good around?", vibe="party").json()
    assert body["vibe"] == "party"
    assert [card["type"] for card in body["places"]] == ["place", "place", "event"]


def test_going_out_asks_for_places_to_go_out(api, catalog, tonight):
    # "go out" is a want (words.json: going_out): places where students go out, with its vibe.
    body = chat(api, "where should we go out").json()
    assert body["vibe"] == "party"
    assert len(body["places"]) == 3 and all(card["type"] == "place" for card in body["places"])


def test_without_events_whats_on_falls_back_to_places(api, catalog):
    body = chat(api, "any events happening today?").json()
    assert body["places"] and all(card["type"] == "place" for card in body["places"])


def test_show_me_asks_for_places_not_events(api, catalog, tonight):
    body = chat(api, "show me a quiet cafe to study").json()

    assert body["vibe"] == "study"
    assert len(body["places"]) == 3
    assert all(card["type"] == "place" for card in body["places"])


def test_shows_as_a_noun_still_asks_for_events(api, catalog, tonight):
    body = chat(api, "any comedy shows nearby?").json()

    assert body["places"] and all(card["type"] == "event" for card in body["places"])


def test_whats_on_with_a_typographic_apostrophe_answers_with_events(api, catalog, tonight):
    body = chat(api, "what\u2019s on near campus?").json()

    assert body["places"] and all(card["type"] == "event" for card in body["places"])


def test_fewer_events_than_cards_are_topped_up_with_places(api, catalog, tonight):
    Event.objects.exclude(pk=tonight[0].pk).delete()

    body = chat(api, "what's on tonight?").json()

    assert [card["type"] for card in body["places"]] == ["event", "place", "place"]
    assert body["places"][0]["name"] == tonight[0].name


def test_asking_for_a_kind_of_place_brings_that_kind_not_an_event(api, catalog, tonight):
    body = chat(api, "where can I go dancing").json()

    assert body["vibe"] == "party"
    assert body["places"] and all(card["type"] == "place" and "night_club" in card["types"] for card in body["places"])


def test_with_no_events_it_says_so_before_offering_places(api, catalog, clock, events_synced):
    clock(WEEKDAY_EVENING)

    body = chat(api, "anything on this weekend?").json()

    assert body["reply"].startswith("I don't know of any events this weekend near you. Other places nearby instead: ")
    assert all(card["type"] == "place" for card in body["places"])


def test_before_the_events_were_ever_synced_it_does_not_claim_there_are_none(api, catalog, clock):
    """A new deployment: no sync has run, so "I don't know of any events" would pass an empty table
    off as a quiet weekend."""
    clock(WEEKDAY_EVENING)

    body = chat(api, "anything on this weekend?").json()

    assert body["reply"].startswith(
        "I don't have the event listings yet, so I can't tell you about events this weekend. Other places nearby instead: "
    )
    assert all(card["type"] == "place" for card in body["places"])


def test_when_every_event_source_failed_it_says_the_listings_could_not_be_reached(api, catalog, clock):
    now = clock(WEEKDAY_EVENING)
    for source in ("nyu_engage", "brooklyn_bridge_park", "downtown_brooklyn", "nyc_parks"):
        SourceSync.objects.create(source=source, last_attempt=now, succeeded=False, last_error=f"{source}: HTTP 500")

    body = chat(api, "what's on tonight?").json()

    assert body["reply"].startswith("I couldn't reach the event listings, so I can't tell you about events tonight. ")
    assert "I don't know of any events" not in body["reply"]


def test_events_known_are_shown_whatever_the_last_sync_said(api, catalog, tonight):
    SourceSync.objects.create(source="nyu_engage", last_attempt=tonight[0].start, succeeded=False, last_error="timeout")

    body = chat(api, "what's on tonight?").json()

    assert body["places"] and all(card["type"] == "event" for card in body["places"])


def test_this_weekend_means_friday_evening_to_sunday_night(api, catalog, clock):
    now = clock(WEEKDAY_EVENING)  # Wednesday 19:00
    for name, start in [("Tuesday Talk", now + timedelta(days=6)), ("Saturday Swing", now + timedelta(days=3)), ("Thursday Trivia", now + timedelta(days=1))]:
        EventFactory(source="nyu_engage", external_id=name, name=name, start=start, venue="Kimmel", lat=40.7295, lng=-73.9973)

    body = chat(api, "what's on this weekend?").json()

    assert [card["name"] for card in body["places"] if card["type"] == "event"] == ["Saturday Swing"]


def test_whats_going_down_tonight_then_tomorrow_asks_for_events_each_day(api, catalog, clock, events_synced):
    clock(WEEKDAY_EVENING)
    session = {"X-Session-ID": issued("events-then-tomorrow")}

    first = chat(api, "im done w class, whats going down tonight by campus", headers=session).json()
    then = chat(api, "ok and tomorrow?", headers=session).json()

    assert first["reply"].startswith("I don't know of any events tonight"), first["reply"]
    assert then["reply"].startswith("I don't know of any events tomorrow"), then["reply"]
