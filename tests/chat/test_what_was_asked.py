"""Violet answers what was asked (issue 13): a time budget limits the walk, a name two places
share is answered by what is asked, what's on at a venue is answered with its events or that
none are known, and a kind the catalog does not know is said to be unknown first."""

from datetime import datetime

from tests.chat.helpers import chat
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
