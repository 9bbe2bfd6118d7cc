"""Follow-ups that change the list keep their promise against the list before them: "closer" is
strictly closer than its nearest card, "cheaper" cheaper than its cheapest, "open now" known open,
"better rated" rated higher, and "more" new places within the walking limit. When no place keeps
it, the answer says so and shows nothing."""

import pytest

from chat import replies
from places import geo
from recommendations.lists import REFINEMENT_KEEPS, chat_places
from tests.chat.helpers import chat, issued
from tests.clock import WEEKDAY_AFTERNOON

TANDON = geo.Point(40.6942, -73.9866)


def shown(*, walk_minutes=None, price_level=None, rating=None, open_now=None) -> dict:
    return {"place_id": "earlier", "walk_minutes": walk_minutes, "price_level": price_level, "rating": rating, "open_now": open_now}


def places(refinement: str, before: dict, vibe: str = "fast_bite") -> list[dict]:
    return chat_places(
        vibe=vibe, origin=TANDON, user=None, limit=3, exclude_ids=frozenset({"earlier"}),
        refinement=refinement, at=WEEKDAY_AFTERNOON, shown=[before],
    )  # fmt: skip


def test_closer_is_strictly_closer_than_the_nearest_shown(catalog):
    cards = places("closer", shown(walk_minutes=10))

    assert cards and all(card["walk_minutes"] < 10 for card in cards)
    assert [card["walk_minutes"] for card in cards] == sorted(card["walk_minutes"] for card in cards)


def test_cheaper_is_cheaper_than_the_cheapest_shown(catalog):
    cards = places("cheaper", shown(price_level=2))

    assert cards and all(card["price_level"] is not None and card["price_level"] < 2 for card in cards)


def test_open_now_and_better_rated_need_the_facts(catalog):
    assert places("open_now", shown()) == []  # no hours offline: nothing is known to be open
    assert places("better_rated", shown()) == []  # no ratings offline


def test_more_options_stay_within_the_walking_limit(catalog):
    cards = chat_places(
        vibe="fast_bite", origin=TANDON, user=None, limit=30, exclude_ids=frozenset({"earlier"}), at=WEEKDAY_AFTERNOON
    )

    assert cards and all(card["walk_minutes"] <= 20 for card in cards)


@pytest.mark.parametrize(
    ("follow_up", "reply"),
    [
        ("closer one?", "I don't know anything of that kind less than 4 min away; Sunken Harbor Club is the nearest I showed you."),
        ("anything open right now?", "I don't have the hours of {names}, so I can't say which is open right now; the map links show them."),
    ],
)
def test_a_refinement_no_place_keeps_is_said_plainly(api, catalog, follow_up, reply):
    session = {"X-Session-ID": issued("refine-none-01")}
    first = chat(api, "where can I get a drink", headers=session).json()
    assert min(card["walk_minutes"] for card in first["places"]) <= 4  # the nearest bar was shown

    answer = chat(api, follow_up, headers=session).json()

    shown = [card["name"] for card in first["places"]]
    names = f"{', '.join(shown[:-1])} or {shown[-1]}"
    late = [card["name"] for card in first["places"] if "late_night" in card["tags"]]
    if "hours" in reply and late:
        reply += f" {' and '.join(late)} {'is' if len(late) == 1 else 'are'} known for late nights."
    assert (answer["reply"], answer["places"]) == (reply.format(names=names), [])


def test_closer_is_fewer_minutes_as_the_cards_show_them_not_a_few_metres():
    near = {"place_id": "near", "walk_minutes": 4, "distance_meters": 323, "price_level": 1, "rating": None, "open_now": None}

    assert not REFINEMENT_KEEPS["closer"]({**near, "distance_meters": 300}, [near])
    assert REFINEMENT_KEEPS["closer"]({**near, "walk_minutes": 3, "distance_meters": 250}, [near])


def test_nothing_closer_names_the_nearest_shown_even_when_the_minutes_tie():
    shown = [
        {"name": "Ben's Pizzeria", "walk_minutes": 4, "walk_time": "4 min", "distance_meters": 334},
        {"name": "Pommes Frites", "walk_minutes": 4, "walk_time": "4 min", "distance_meters": 323},
    ]

    assert replies._none_keeps("closer", shown) == "I don't know anything of that kind less than 4 min away; Pommes Frites is the nearest I showed you."


def test_cheaper_with_none_of_the_kind_nearby_offers_the_nearest_farther_ones(api, catalog):
    """"budget version?" after the only brunch place in SoHo: no cheaper one is near, so the nearest
    cheaper ones of the same kind, said to be farther, not pizza as alternatives."""
    soho = {"latitude": 40.7233, "longitude": -73.999}
    session = {"X-Session-ID": issued("brunch-cheap")}
    chat(api, "good sunday brunch in soho?", headers=session, **soho)

    body = chat(api, "ehh thats a lot, budget version?", headers=session, **soho).json()

    assert body["places"] and all(card["price_level"] is not None and card["price_level"] < 3 for card in body["places"])
    assert all({"bagel_shop", "diner", "brunch_restaurant", "breakfast_restaurant", "cafe"} & set(card["types"]) for card in body["places"])
    assert "farther" in body["reply"]


def test_closer_after_the_nearest_farther_of_a_kind_says_none_is_nearer_not_other_kinds(api, catalog):
    session, east_village = {"X-Session-ID": issued("refine-none-02")}, {"latitude": 40.7265, "longitude": -73.984}
    first = chat(api, "dumplings from the east village", headers=session, **east_village).json()
    assert first["places"] and "farther" in first["reply"]

    answer = chat(api, "any of them closer to me", headers=session, **east_village).json()

    nearest = min(first["places"], key=lambda card: card["walk_minutes"])
    assert answer["places"] == [], answer["reply"]
    assert answer["reply"].startswith("I don't know") and nearest["name"] in answer["reply"], answer["reply"]


def test_cheaper_after_alternatives_refines_the_alternatives_shown(api, catalog):
    """"something more affordable?" after places with a view (none with group tables and a view): a
    cheaper one with a view, or none said plainly; never a cheap one without the view that was the point."""
    session, dumbo = {"X-Session-ID": issued("view-cheaper")}, {"latitude": 40.7031, "longitude": -73.9886}
    first = chat(api, "grabbing lunch w the group in dumbo, want a nice view", headers=session, **dumbo).json()
    assert first["places"] and all("view" in card["tags"] for card in first["places"]), first["reply"]

    answer = chat(api, "something more affordable?", headers=session, **dumbo).json()

    assert all("view" in card["tags"] for card in answer["places"]), answer["reply"]
    assert answer["places"] or answer["reply"].startswith("I don't know"), answer["reply"]
