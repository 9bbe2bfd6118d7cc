"""Violet answers what was asked: the kind of place, the diet, the area; says plainly when it knows
none; and keeps the request for "more", "closer" and "near Washington Square instead"."""

import pytest

from places import geo
from tests.chat.helpers import chat, issued

WASHINGTON_SQUARE = geo.Point(40.7308, -73.9973)


def kinds(body: dict) -> list[set[str]]:
    return [set(card["types"]) for card in body["places"]]


def test_coffee_near_tandon_answers_with_coffee_shops(api, catalog):
    body = chat(api, "where can i get good coffee near tandon").json()

    assert body["places"] and all(types & {"coffee_shop", "cafe"} for types in kinds(body))
    assert "coffee shop near Tandon" in body["reply"]
    assert all(card["name"] in body["reply"] for card in body["places"])


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("filipino food near campus? craving sisig", "I don't know a Filipino restaurant"),
        ("学校附近有日式咖喱饭吗\uff1f", "I don't know a Japanese curry place"),
    ],
)
def test_a_cuisine_the_catalog_lacks_is_said_unknown_with_labelled_alternatives(api, catalog, message, said):
    body = chat(api, message, latitude=WASHINGTON_SQUARE.lat, longitude=WASHINGTON_SQUARE.lng).json()

    assert said in body["reply"]
    assert not any({"filipino", "japanese_curry"} & set(card["cuisine"]) for card in body["places"])


def test_sushi_near_tandon_says_it_knows_none_and_labels_the_alternatives(api, catalog):
    body = chat(api, "any sushi near tandon?").json()

    assert body["reply"].startswith("I don't know a sushi place near Tandon. Other places nearby instead: ")
    assert body["places"] and not any("sushi" in card["cuisine"] for card in body["places"])


def test_somewhere_near_washington_square_instead_moves_the_same_request(api, catalog):
    session = {"X-Session-ID": issued("instead-000001")}
    chat(api, "quiet cafe to study", headers=session)

    body = chat(api, "somewhere near Washington Square instead", headers=session).json()

    assert body["places"] and "near Washington Square" in body["reply"]
    for card in body["places"]:
        assert geo.haversine_m(WASHINGTON_SQUARE, geo.Point(**card["location"])) < 1600
        assert card["types"][0] in ("coffee_shop", "cafe", "book_store")


def test_more_options_keep_what_was_asked(api, catalog):
    session = {"X-Session-ID": issued("more-halal-001")}
    first = chat(api, "halal food near washington square", headers=session).json()
    assert len(first["places"]) == 2 and all("halal" in card["tags"] for card in first["places"])

    more = chat(api, "more options", headers=session).json()

    # Those were the only two: said plainly, and what follows is labelled as other places.
    assert more["reply"].startswith("I don't know another halal place to eat near Washington Square. Other places nearby instead: ")
    assert not {c["place_id"] for c in more["places"]} & {c["place_id"] for c in first["places"]}


@pytest.mark.parametrize(("message", "kind"), [("¿dónde hay un café cerca?", "coffee_shop"), ("附近有图书馆吗", "library")])
def test_spanish_and_chinese_requests_are_understood(api, catalog, message, kind):
    body = chat(api, message).json()

    assert body["places"] and all(kind in types or "cafe" in types for types in kinds(body))


def test_a_place_asked_about_by_name_is_answered_from_its_facts_and_stays_in_focus(api, catalog):
    session = {"X-Session-ID": issued("juliana-00001")}

    about = chat(api, "tell me about Juliana's", headers=session).json()
    assert [card["name"] for card in about["places"]] == ["Juliana's Pizza"]
    assert about["reply"].startswith("Juliana's Pizza: 19 Old Fulton St, Brooklyn, NY 11201 (")

    hours = chat(api, "is it open now?", headers=session).json()
    assert hours["reply"] == "I don't have Juliana's Pizza's hours; the map link will show them."


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("does Yemen Cafe do halal?", "Yes: Yemen Cafe & Restaurant is halal as far as I know."),
        ("do we need reservations at lucali", "I don't know whether you can reserve at Lucali: "),
        ("is bobst open to non-students?", "I don't know who can get into Elmer Holmes Bobst Library: "),
        # what the catalog says of booking is said, not "I don't know" over it
        ("do we need reservations at minetta tavern", "What I have of Minetta Tavern says to book ahead"),
        ("can you book pdt", "What I have of PDT (Please Don't Tell) says reservations are recommended"),
        ("is there a long wait at death and co", 'What I have of Death & Co says "expect a wait"; I don\'t know how long it is.'),
        ("where's Katz's", "Katz's Delicatessen is at 205 E Houston St, New York, NY 10002."),
    ],
)
def test_questions_about_a_named_place_get_its_facts_or_i_dont_know(api, catalog, message, reply):
    body = chat(api, message).json()

    assert body["reply"].startswith(reply)
    assert len(body["places"]) == 1 and body["places"][0]["name"] in reply


def test_a_place_request_said_with_tonight_is_still_about_places(api, catalog):
    body = chat(api, "need wifi AND outlets to finish my paper tonight").json()

    assert body["places"] and all({"wifi", "outlets"} <= set(card["tags"]) for card in body["places"])


def test_a_place_named_as_where_is_not_what_is_asked_about(api, catalog):
    body = chat(api, "quick cheap eats near bobst, got 30 min between classes").json()

    assert body["places"] and all(card["name"] != "Elmer Holmes Bobst Library" for card in body["places"])
    assert all(card["price_level"] is not None and card["price_level"] <= 1 for card in body["places"])


def test_a_named_area_keeps_the_answer_within_a_short_walk_of_it(api, catalog):
    east_village = geo.Point(40.7265, -73.9815)

    body = chat(api, "pizza in the east village").json()

    assert body["places"] and all(geo.haversine_m(east_village, geo.Point(**card["location"])) <= 1200 for card in body["places"])


@pytest.mark.parametrize("follow_up", ["the first one, still open?", "is the first one open right now?"])
def test_asking_whether_one_listed_place_is_open_is_about_that_place(api, catalog, follow_up):
    session = {"X-Session-ID": issued("first-open-01")}
    first = chat(api, "where can I get a drink", headers=session).json()

    body = chat(api, follow_up, headers=session).json()

    name = first["places"][0]["name"]
    assert body["reply"] == f"I don't have {name}'s hours; the map link will show them."


def test_asking_whether_a_named_place_is_open_is_about_that_place(api, catalog):
    body = chat(api, "is Joe's Pizza on Carmine open right now?").json()

    assert body["reply"] == "I don't have Joe's Pizza's hours; the map link will show them."


def test_a_first_message_naming_only_an_area_looks_there(api, catalog):
    heights = geo.Point(40.6960, -73.9950)

    body = chat(api, "what's good around brooklyn heights").json()

    assert body["places"] and all(geo.haversine_m(heights, geo.Point(**card["location"])) <= 1200 for card in body["places"])


def test_a_list_asked_with_no_wait_says_waits_are_unknown_and_puts_one_said_busy_last(api, catalog):
    """ "Cocktail bar with no wait": waits are not known; Death & Co's description says to expect one."""
    east_village = {"latitude": 40.7265, "longitude": -73.9815}

    body = chat(api, "cocktail bar with no wait", **east_village).json()

    assert body["reply"].startswith("I don't know wait times, so I can't promise that")
    assert 'what I have of Death & Co says "expect a wait"' in body["reply"]
    said_busy = [card["name"] for card in body["places"] if "wait" in card["description"] or "reservations" in card["description"]]
    assert [card["name"] for card in body["places"]][-len(said_busy) :] == said_busy
