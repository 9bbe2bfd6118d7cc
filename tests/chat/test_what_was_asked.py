"""Violet answers what was asked (issue 13): a time budget limits the walk, a name two places
share is answered by what is asked, what's on at a venue is answered with its events or that
none are known, and a kind the catalog does not know is said to be unknown first."""

from datetime import datetime, timedelta

import pytest

from tests.chat.helpers import chat, names
from tests.clock import NEW_YORK
from tests.factories import EventFactory

TANDON = {"latitude": 40.6942, "longitude": -73.9866}
WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}
WEDNESDAY_NOON = datetime(2026, 12, 9, 12, 0, tzinfo=NEW_YORK)


def test_minutes_before_lab_limit_the_walk_to_a_third_of_them(api, catalog, clock):
    clock(WEDNESDAY_NOON)

    body = chat(api, "need a sandwich to go, 20 min before lab", **TANDON).json()

    assert body["places"]
    within = [card for card in body["places"] if card["walk_minutes"] <= 6]
    if within:
        assert within == body["places"]
        assert "6-min walk" in body["reply"]
    else:  # none that near: said so before the nearest
        assert body["reply"].startswith("I don't know a deli within a 6-min walk of you")


def test_a_time_budget_alone_is_a_request_for_somewhere_that_near(api, catalog, clock):
    clock(WEDNESDAY_NOON)

    body = chat(api, "quick, got class in 10", **WASHINGTON_SQUARE).json()

    assert body["intent"] == "new_request"
    assert body["places"] and all(card["walk_minutes"] <= 3 for card in body["places"])
    assert "within a 3-min walk" in body["reply"]
    assert "I'm best at finding places" not in body["reply"]


def test_a_name_two_places_share_is_the_one_what_is_asked_fits(api, catalog, clock):
    """"Stonewall" is The Stonewall Inn (a bar) and Stonewall National Monument (a park): 21+ is asked of a bar."""
    clock(WEDNESDAY_NOON)

    body = chat(api, "stonewall — 21 and over only?", **WASHINGTON_SQUARE).json()

    assert names(body) == ["The Stonewall Inn"]
    assert "I don't know the age or ID rules at The Stonewall Inn" in body["reply"]


def test_a_kind_asked_with_a_shared_name_picks_the_place_of_that_kind(api, catalog, clock):
    clock(WEDNESDAY_NOON)

    assert names(chat(api, "is the stonewall park worth a visit?", **WASHINGTON_SQUARE).json()) == ["Stonewall National Monument"]
    assert names(chat(api, "stonewall bar, any good?", **WASHINGTON_SQUARE).json()) == ["The Stonewall Inn"]


def test_a_shared_name_nothing_decides_is_answered_about_both(api, catalog, clock):
    clock(WEDNESDAY_NOON)

    body = chat(api, "where is stonewall", **WASHINGTON_SQUARE).json()

    assert set(names(body)) == {"The Stonewall Inn", "Stonewall National Monument"}
    assert body["reply"].startswith("Two places go by that name.")
    assert "The Stonewall Inn" in body["reply"] and "Stonewall National Monument" in body["reply"]
    assert "I'm best at finding places" not in body["reply"]


def test_a_chain_named_is_its_nearest_shop(api, catalog, clock):
    clock(WEDNESDAY_NOON)

    body = chat(api, "where is shake shack", **TANDON).json()

    assert names(body) == ["Shake Shack"]  # by the Brooklyn Bridge, not the one in Madison Square Park


def test_the_place_a_shared_name_picked_is_what_it_means_next(api, catalog, clock):
    clock(WEDNESDAY_NOON)
    first = chat(api, "stonewall — 21 and over only?", **WASHINGTON_SQUARE).json()

    body = chat(api, "how far is it?", session_id=first["session_id"], **WASHINGTON_SQUARE).json()

    assert names(body) == ["The Stonewall Inn"]
    assert "The Stonewall Inn is about" in body["reply"]


FRIDAY_SIX_PM = datetime(2026, 12, 11, 18, 0, tzinfo=NEW_YORK)
IFC = {"lat": 40.7321, "lng": -74.0005}


@pytest.mark.parametrize(
    ("message", "venue"),
    [("whats playing at IFC tonight", "IFC Center"), ("concerts at barclays this week?", "Barclays Center")],
)
def test_whats_on_at_a_venue_with_no_event_known_says_so_and_offers_the_venue_as_such(api, catalog, clock, events_synced, message, venue):
    clock(FRIDAY_SIX_PM)

    body = chat(api, message, **WASHINGTON_SQUARE).json()

    assert names(body) == [venue]
    assert body["reply"].startswith(f"I don't know of any events at {venue}")
    assert "their own calendar" in body["reply"] or "its own calendar" in body["reply"]


def test_whats_on_at_a_venue_before_the_listings_were_loaded_says_they_are_missing(api, catalog, clock):
    clock(FRIDAY_SIX_PM)

    body = chat(api, "whats playing at IFC tonight", **WASHINGTON_SQUARE).json()

    assert names(body) == ["IFC Center"]
    assert body["reply"].startswith("I don't have the event listings yet")
    assert "IFC Center" in body["reply"]


def test_whats_on_at_a_venue_answers_with_its_events_in_the_window(api, catalog, clock):
    now = clock(FRIDAY_SIX_PM)
    EventFactory(source="nyu_engage", external_id="ifc1", name="Midnight Cult Screening", venue="IFC Center",
                 start=now + timedelta(hours=5), end=now + timedelta(hours=7), lat=IFC["lat"], lng=IFC["lng"])
    EventFactory(source="nyu_engage", external_id="far1", name="Tandon Game Night", venue="Dibner Library",
                 start=now + timedelta(hours=2), end=now + timedelta(hours=4), lat=40.6945, lng=-73.9860)
    EventFactory(source="nyu_engage", external_id="ifc2", name="Next Week Premiere", venue="IFC Center",
                 start=now + timedelta(days=4), end=now + timedelta(days=4, hours=2), lat=IFC["lat"], lng=IFC["lng"])

    body = chat(api, "whats playing at IFC tonight", **WASHINGTON_SQUARE).json()

    assert names(body)[0] == "Midnight Cult Screening"
    assert "Tandon Game Night" not in names(body) and "Next Week Premiere" not in names(body)
    assert "Midnight Cult Screening" in body["reply"]


def test_a_follow_up_refining_an_events_question_answers_about_events(api, catalog, clock, events_synced):
    clock(FRIDAY_SIX_PM)
    first = chat(api, "any events this weekend?", **WASHINGTON_SQUARE).json()

    body = chat(api, "anything free?", session_id=first["session_id"], **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't know of any free events this weekend")
    assert "instead" in body["reply"]


@pytest.mark.parametrize("question", ["any of that free? im broke", "is any of that free"])
def test_any_of_that_after_an_events_question_is_about_the_events(api, catalog, clock, events_synced, question):
    clock(FRIDAY_SIX_PM)
    first = chat(api, "anything fun going on this weekend around campus?", **WASHINGTON_SQUARE).json()

    body = chat(api, question, session_id=first["session_id"], **WASHINGTON_SQUARE).json()

    # not the places shown, one by one: free things to do, and what is known of the weekend's events
    assert body["places"] and all(card["price_level"] == 0 for card in body["places"])
    assert "I don't know of any events this weekend" in body["reply"]


FORT_GREENE = {"latitude": 40.6895, "longitude": -73.9745}
SATURDAY_MORNING = datetime(2026, 12, 12, 9, 0, tzinfo=NEW_YORK)


def test_a_kind_not_known_nearby_is_said_unknown_first_and_the_rest_are_alternatives(api, catalog, clock):
    clock(SATURDAY_MORNING)

    body = chat(api, "is there a farmers market this morning near fort greene", **TANDON).json()

    assert body["reply"].startswith("I don't know a farmers market near Fort Greene")
    assert "nearest I know" not in body["reply"]
    assert "In what I have, Fort Greene Park's description mentions a greenmarket." in body["reply"]
    assert not any("grocery_store" in card["types"] and card["walk_minutes"] > 20 for card in body["places"])


def test_a_farmers_market_is_known_where_there_is_one(api, catalog, clock):
    clock(SATURDAY_MORNING)

    body = chat(api, "farmers market near union square?", **WASHINGTON_SQUARE).json()

    assert names(body)[0] == "Union Square Greenmarket"
    assert not body["reply"].startswith("I don't know")


def test_a_word_of_the_message_or_a_close_synonym_in_a_description_puts_that_place_first(api, catalog, clock):
    clock(SATURDAY_MORNING)

    body = chat(api, "is there a train museum around here", **TANDON).json()

    assert names(body)[0] == "New York Transit Museum"  # "vintage subway cars"


def test_a_word_of_a_name_said_in_an_events_question_is_no_venue(api, catalog, clock, events_synced):
    clock(FRIDAY_SIX_PM)

    body = chat(api, "any live music tonight?", **WASHINGTON_SQUARE).json()

    assert "Three Lives & Company" not in names(body)


def test_with_none_within_the_walk_only_the_nearest_a_bit_farther_come(api, catalog, clock):
    clock(WEDNESDAY_NOON)

    body = chat(api, "need a sandwich to go, 20 min before lab", **WASHINGTON_SQUARE).json()

    assert body["places"] and all(card["walk_minutes"] <= 9 for card in body["places"])  # 6 min, and half again at most
    assert body["reply"].startswith("I don't know a deli within a 6-min walk of you. The nearest I know, a bit farther: ")


def test_an_events_question_narrowed_twice_keeps_what_it_was_narrowed_by(api, catalog, clock, events_synced):
    clock(FRIDAY_SIX_PM)
    first = chat(api, "any events this weekend?", **WASHINGTON_SQUARE).json()
    chat(api, "anything free?", session_id=first["session_id"], **WASHINGTON_SQUARE)

    body = chat(api, "what about tomorrow?", session_id=first["session_id"], **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't know of any free events tomorrow")
