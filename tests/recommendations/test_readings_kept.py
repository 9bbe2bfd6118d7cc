"""The readings of a message that depend on its words alone (and the names it is read with) are
remembered per process: the same words are read once, and the reading is the same object, frozen,
whichever way the names are passed."""

import pytest

from recommendations import request, turn
from recommendations.request import named_place
from recommendations.request import understand as request_in
from recommendations.turn import understand_turn

SHOWN = ("Joe's Pizza", "Vineapple Cafe", "Archway Cafe")


@pytest.fixture(autouse=True)
def _nothing_remembered():
    for kept in (request.understand, request._named_place, turn._understand_turn):
        kept.cache_clear()


def test_a_turn_read_twice_is_read_once_whatever_the_sequence_of_names():
    first = understand_turn("is the second one open now?", remembered=list(SHOWN))
    again = understand_turn("is the second one open now?", remembered=SHOWN)
    assert again is first
    assert turn._understand_turn.cache_info().hits == 1
    assert first.target_index == 1 and first.topic == "hours"


def test_the_names_shown_are_part_of_the_reading():
    with_cards = understand_turn("how far is joes?", remembered=SHOWN)
    without = understand_turn("how far is joes?")
    assert with_cards.target_index == 0 and without.target_index is None


def test_a_request_and_a_named_place_are_read_once():
    asked = request_in("cheap halal food near washington square")
    assert request_in("cheap halal food near washington square") is asked
    assert asked.diet == ("halal",) and asked.price_max == 1

    names = ["Joe's Pizza", "Katz's Delicatessen"]
    assert named_place("where's katz", names) == named_place("where's katz", tuple(names)) == "Katz's Delicatessen"
    assert request._named_place.cache_info().hits == 1


def test_the_reading_is_frozen_so_one_reading_can_serve_every_turn():
    reading = understand_turn("any vegan places?")
    with pytest.raises(AttributeError):
        reading.intent = "clear"
    with pytest.raises(AttributeError):
        request_in("any vegan places?").diet = ()
