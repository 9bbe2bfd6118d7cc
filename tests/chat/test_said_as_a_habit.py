"""Turns of the dev5 round, through POST /api/chat: a diet said as a habit, neighbourhoods said
either way, a photo spot, a price asked without a kind, and venting without asking (issue 13)."""

import pytest

from tests.chat.helpers import chat, within

WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}
UNION_SQUARE = {"latitude": 40.7359, "longitude": -73.9906}
TANDON = {"latitude": 40.6942, "longitude": -73.9866}
DUMBO = {"latitude": 40.7033, "longitude": -73.989}
SOHO = {"latitude": 40.7233, "longitude": -74.003}


def test_pie_around_two_areas_is_pizza_around_them(api, catalog):
    body = chat(api, "good pie around soho / nolita? me and 3 friends", **SOHO).json()

    assert body["places"] and all("pizza" in card["cuisine"] or "pizza_restaurant" in card["types"] for card in body["places"])


def test_a_meatless_ask_is_vegetarian(api, catalog):
    body = chat(api, "something meatless near union sq, trying to eat less meat this month", **UNION_SQUARE).json()

    assert body["places"] and all("vegetarian" in card["tags"] or "vegan" in card["tags"] for card in body["places"])


def test_the_bridge_photo_spot_is_a_view_in_the_area_said(api, catalog):
    body = chat(api, "showing my cousin around dumbo, where's the spot for the manhattan bridge pic 📸", **DUMBO).json()

    assert body["places"] and all("view" in card["tags"] for card in body["places"])
    assert all(within(card, 40.7033, -73.9881, 900) for card in body["places"])


@pytest.mark.parametrize(
    "message", ["i have 3 exams in 2 days someone save me 😩", "finals r killing me ngl", "so tired of studying"]
)
def test_venting_without_asking_offers_help_without_places(api, catalog, message):
    body = chat(api, message, **TANDON).json()

    assert body["places"] == []
    assert "?" in body["reply"] and "study" in body["reply"]


def test_asking_while_venting_still_gets_places(api, catalog):
    body = chat(api, "need a place to study, finals r killing me", **TANDON).json()

    assert body["places"]


def test_somewhere_fancy_after_none_is_known_is_a_pricey_restaurant_not_landmarks(api, catalog):
    first = chat(api, "omakase near wash sq for my bday, money's not an issue 🍣", **WASHINGTON_SQUARE).json()

    body = chat(api, "ok then somewhere fancy, any cuisine", session_id=first["session_id"], **WASHINGTON_SQUARE).json()

    assert body["places"] and all("restaurant" in card["types"] for card in body["places"])
    assert all((card["price_level"] or 0) >= 3 for card in body["places"])


def test_a_general_ask_near_campus_keeps_no_place_past_the_walk_beside_one_within_it(api, catalog):
    body = chat(api, "spicy noodles near campus pls, like cumin lamb type beat 🌶️", **WASHINGTON_SQUARE).json()

    assert body["places"] and all(card["walk_minutes"] <= 20 for card in body["places"])


def test_a_general_ask_with_only_places_past_the_walk_says_they_are_farther(api, catalog):
    body = chat(api, "any dumplings near campus?", **WASHINGTON_SQUARE).json()

    assert body["places"] and all(card["walk_minutes"] > 20 for card in body["places"])
    assert "farther" in body["reply"]
