"""Violet answers what was asked (issue 13): a time budget limits the walk, a name two places
share is answered by what is asked, what's on at a venue is answered with its events or that
none are known, and a kind the catalog does not know is said to be unknown first."""

from datetime import datetime

from tests.chat.helpers import chat, names
from tests.clock import NEW_YORK

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
