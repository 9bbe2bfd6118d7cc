"""Follow-ups read against the conversation: a follow-up that changes one facet keeps the others,
"more like that" looks farther before offering something else, a question about the places shown
is answered about them, and a shown place can be pointed at by what it is."""

import pytest

from tests.chat.helpers import chat, issued, names
from tests.clock import WEEKDAY_AFTERNOON

TANDON = {"latitude": 40.6942, "longitude": -73.9866}
WASHINGTON_SQUARE = {"latitude": 40.7295, "longitude": -73.9965}


def conversation(api, where: dict, *messages: str, name: str) -> dict:
    session = {"X-Session-ID": issued(f"{name:0<12}")}
    body = {}
    for message in messages:
        body = chat(api, message, headers=session, **where).json()
    return body


# --- A follow-up that changes one facet keeps the others ---------------------------------------------


def test_a_cuisine_after_a_date_night_dinner_keeps_the_occasion(api, catalog):
    body = conversation(api, WASHINGTON_SQUARE, "date night dinner near wash sq", "italian?", name="date-italian")

    assert body["places"] and all("restaurant" in card["types"] for card in body["places"]), names(body)
    assert "Faicco's Italian Specialties" not in names(body)


def test_a_cuisine_after_a_diet_keeps_the_diet(api, catalog):
    body = conversation(api, WASHINGTON_SQUARE, "halal food near washington square", "what about middle eastern?", name="halal-me")

    assert body["places"] and all("halal" in card["tags"] for card in body["places"]), names(body)


# --- More of a kind: the nearest farther ones before anything else -----------------------------------


@pytest.mark.parametrize("question", ["any other halal spots?", "any other halal spot around if its closed"])
def test_more_halal_with_none_left_nearby_names_the_nearest_farther_halal_places(api, catalog, question):
    body = conversation(api, TANDON, "halal food", question, name=f"more-halal-{len(question)}")

    assert body["places"] and all("halal" in card["tags"] for card in body["places"]), names(body)
    assert "Yemen Cafe & Restaurant" not in names(body)
    assert "farther" in body["reply"] and "min walk" in body["reply"]
    assert "Gage & Tollner" not in body["reply"]


def test_more_of_a_kind_asked_nearby_stays_near(api, catalog):
    """"any other halal spots nearby?": nearby was said, so not an hour's walk; said plainly instead."""
    body = conversation(api, TANDON, "halal food", "any other halal spots nearby?", name="more-halal-near")

    assert all((card["walk_minutes"] or 0) <= 30 for card in body["places"]), body["reply"]
    assert body["reply"].startswith("I don't know another halal"), body["reply"]


@pytest.mark.parametrize("where", [TANDON, WASHINGTON_SQUARE], ids=["tandon", "washington-square"])
def test_anything_else_like_that_is_more_of_the_same_kind_farther_if_need_be(api, catalog, where):
    session = {"X-Session-ID": issued(f"like-that-{len(str(where))}")}
    first = chat(api, "need a sandwich to go", headers=session, **where).json()

    body = chat(api, "anything else like that", headers=session, **where).json()

    assert body["places"], body["reply"]
    assert all({"deli", "sandwich_shop"} & set(card["types"]) for card in body["places"]), names(body)
    assert not set(names(first)) & set(names(body))
    assert "farther" in body["reply"]


# --- A question about the places shown ---------------------------------------------------------------


@pytest.mark.parametrize("question", ["¿es vegetariano?", "are they halal?", "是素食吗", "is it vegan?", "es caro?"])
def test_a_yes_no_question_after_a_list_asks_about_the_places_shown(api, catalog, question):
    session = {"X-Session-ID": issued(f"is-it-{sum(map(ord, question)):07d}")}
    first = chat(api, "cheap eats near washington square", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, question, headers=session, **WASHINGTON_SQUARE).json()

    assert body["intent"] == "follow_up", body["reply"]
    assert names(body) == names(first)
    assert all(name in body["reply"] for name in names(first)), body["reply"]


def test_a_yes_no_question_asks_about_the_place_in_focus(api, catalog):
    session = {"X-Session-ID": issued("focus-veg-01")}
    first = chat(api, "cheap eats near washington square", headers=session, **WASHINGTON_SQUARE).json()
    chat(api, "how far is the second one", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "¿es vegetariano?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["intent"] == "follow_up"
    assert names(body) == [names(first)[1]], body["reply"]


# --- A shown place pointed at by what it is -----------------------------------------------------------


def test_the_pancake_place_is_the_place_described_with_pancakes(api, catalog, clock):
    clock(WEEKDAY_AFTERNOON)
    body = conversation(api, TANDON, "french food near tandon", "is the pancake place open now", name="pancakes")

    assert body["intent"] == "follow_up"
    assert names(body) == ["Café Luluc"], body["reply"]
    assert "Bar Tabac" not in body["reply"]


@pytest.mark.parametrize(
    ("first", "said", "meant"),
    [
        ("brunch near tandon", "how far is the pancake place", "Café Luluc"),
        ("french food near tandon", "how far is the bar", "Bar Tabac"),
        ("dumplings near washington square", "how far is the pancake place", "Vanessa's Dumpling House"),
    ],
)
def test_a_shown_place_is_pointed_at_by_what_it_is_or_serves(api, catalog, first, said, meant):
    body = conversation(api, TANDON if "tandon" in first else WASHINGTON_SQUARE, first, said, name=f"kind-{len(first)}{len(said)}")

    assert body["intent"] == "follow_up"
    assert names(body) == [meant], body["reply"]


def test_brunch_in_either_of_two_areas_lists_places_in_both(api, catalog):
    heights = {"latitude": 40.6955, "longitude": -73.9935}
    body = conversation(api, heights, "brunch in brooklyn heights or cobble hill", "how far is the pancake place", name="two-areas")

    assert names(body) == ["Café Luluc"], body["reply"]


def test_a_kind_asked_for_at_all_after_none_nearby_names_the_nearest_however_far(api, catalog):
    body = conversation(api, TANDON, "sushi near tandon?", "what japanese is there at all", name="japanese-all")

    assert body["places"] and all("japanese_restaurant" in card["types"] or "ramen_restaurant" in card["types"] for card in body["places"])
    assert "farther" in body["reply"] and "min walk" in body["reply"]


@pytest.mark.parametrize("question", ["最便宜的是哪家?", "which one is cheapest?"])
def test_which_is_cheapest_when_the_shown_places_tie_says_none_is(api, catalog, question):
    first = {"latitude": 40.7308, "longitude": -73.9973}
    session = {"X-Session-ID": issued(f"tie-{len(question):08d}")}
    shown = chat(api, "附近有好吃的披萨吗?", headers=session, **first).json()  # three $ pizza places
    assert len({card["price_level"] for card in shown["places"]}) == 1, "a list whose prices tie"

    body = chat(api, question, headers=session, **first).json()

    assert body["reply"].startswith("As far as I know these are the same price level:"), body["reply"]


def test_a_place_of_the_list_before_is_pointed_at_by_what_it_serves(api, catalog):
    body = conversation(
        api, TANDON, "brunch near tandon", "tell me about junior's", "how far is the pancake place", name="earlier-pancake"
    )

    assert names(body) == ["Café Luluc"], body["reply"]


DUMBO = {"latitude": 40.7033, "longitude": -73.989}


@pytest.mark.parametrize("question", ["that one by the park — address?", "is that one by the park open?"])
def test_the_one_pointed_at_by_what_is_around_it_is_the_place_shown(api, catalog, question):
    session = {"X-Session-ID": issued(f"by-park-{len(question):04d}")}
    first = chat(api, "burger w a view of the bridge? showing my cousin around dumbo", headers=session, **DUMBO).json()

    body = chat(api, question, headers=session, **DUMBO).json()

    assert names(first) == ["Shake Shack"]
    assert body["intent"] == "follow_up" and names(body) == ["Shake Shack"], body["reply"]


THE_ARCH = {"latitude": 40.7308, "longitude": -73.9973}


@pytest.mark.parametrize("question", ["can i reserve at the first one?", "how far is the 1st one"])
def test_the_first_one_after_an_answer_of_one_place_is_the_first_of_the_list_before(api, catalog, question):
    """ "Italian?" narrowed three restaurants to Dante; "the first one" counts in a list, and one
    place is none: it is the first of the three, said so."""
    session = {"X-Session-ID": issued(f"first-{len(question):07d}")}
    shown = chat(api, "sit-down dinner for 6 near campus", headers=session, **THE_ARCH).json()
    narrowed = chat(api, "italian?", headers=session, **THE_ARCH).json()
    assert len(shown["places"]) == 3 and len(narrowed["places"]) == 1

    body = chat(api, question, headers=session, **THE_ARCH).json()

    assert names(body) == names(shown)[:1], body["reply"]


def test_the_first_one_with_no_list_before_is_the_one_place_shown(api, catalog):
    body = conversation(api, TANDON, "karaoke near tandon?", "how far is the first one", name="first-only")

    assert names(body) == ["Montero Bar & Grill"] and "I only showed you" not in body["reply"]


def test_somewhere_closer_to_a_street_of_the_area_asked_is_the_same_ask_there_shown_places_kept(api, catalog):
    east_village = {"latitude": 40.7268, "longitude": -73.9838}
    session = {"X-Session-ID": issued("closer-to-2nd-av")}
    first = chat(api, "meatless dinner spot east village-ish", headers=session, **east_village).json()

    body = chat(api, "what about somewhere closer to 2nd ave", headers=session, **east_village).json()

    assert first["places"] and body["places"], body["reply"]
    assert all("vegetarian" in card["tags"] for card in body["places"]), (body["reply"], names(body))


FORT_GREENE = {"latitude": 40.6892, "longitude": -73.9742}


@pytest.mark.parametrize("more", ["más", "more", "any others?"])
def test_more_of_a_kind_with_none_left_within_the_walk_says_so_without_denying_farther_ones(api, catalog, more):
    """Two bookstores by Fort Greene, then "more": more options stay within the student's walk, and
    none is left there; Barnes & Noble and Books Are Magic are half an hour away, so "nothing close to
    it either" would be false (a judge's finding): the reply says what was searched."""
    session = {"X-Session-ID": issued(f"more-fg-{len(more):05d}")}
    chat(api, "bookstores near fort greene", headers=session, **FORT_GREENE)

    body = chat(api, more, headers=session, **FORT_GREENE).json()

    assert body["places"] == []
    assert body["reply"] == "I don't know another bookstore near Fort Greene within your walking limit, nor anything like it."


def test_other_options_of_the_same_kind_keep_the_needs_of_the_list(api, catalog):
    # "think coffee never has seats tho, other options?": cafes with wifi still, not any cafe
    first = conversation(api, WASHINGTON_SQUARE, "cafe w wifi near campus?", name="wifi-other")
    body = conversation(api, WASHINGTON_SQUARE, f"{names(first)[0]} never has seats tho, other options?", name="wifi-other")

    assert names(first)[0] not in names(body)
    assert all("wifi" in card["tags"] for card in body["places"]), names(body)
    # the "coffee" of Think Coffee's name asks for no kind at all costs: none an hour's walk away
    assert all(card["walk_minutes"] <= 30 for card in body["places"]), names(body)


def test_other_places_with_a_need_said_again_keep_only_that_need(api, catalog):
    # "somewhere besides bobst w wifi" after wifi and outlets: wifi is what is asked now
    conversation(api, WASHINGTON_SQUARE, "need wifi AND outlets to finish my paper", name="wifi-only")
    body = conversation(api, WASHINGTON_SQUARE, "somewhere besides bobst w wifi, its packed", name="wifi-only")

    assert body["places"] and all("wifi" in card["tags"] and card["walk_minutes"] <= 30 for card in body["places"]), names(body)


@pytest.mark.parametrize("wish", ["even better if it has wifi", "y si además tiene wifi mejor", "bonus if they have wifi"])
def test_a_need_wished_for_after_a_list_narrows_the_list(api, catalog, wish):
    # "better if it also has wifi" is no question about each place shown: the list asked, with wifi
    conversation(api, TANDON, "need a quiet study spot by metrotech", name=f"wish-{len(wish)}")
    body = conversation(api, TANDON, wish, name=f"wish-{len(wish)}")

    assert body["places"] and all({"quiet", "wifi"} <= set(card["tags"]) for card in body["places"]), names(body)


def test_which_ones_are_free_in_chinese_asks_for_free_places(api, catalog):
    # "不花钱的有哪些": which ones cost nothing; 哪些 (which ones) is no thing to look for
    conversation(api, WASHINGTON_SQUARE, "学校这边华盛顿广场周末有啥好逛的", name="zh-free")
    body = conversation(api, WASHINGTON_SQUARE, "不花钱的有哪些", name="zh-free")

    assert body["places"] and all(card["price_level"] == 0 for card in body["places"]), body["reply"]
    assert "哪些" not in body["reply"]
