"""More of a list asked for an area stays in that area (or says plainly that nothing more is known
there, and labels the farther ones as farther); a question about the list shown as a whole is
answered from the cards shown (issue 13)."""

import pytest

from places import geo
from tests.chat.helpers import chat, issued, names

UNION_SQUARE = {"latitude": 40.7359, "longitude": -73.9906}
EAST_VILLAGE = {"latitude": 40.7265, "longitude": -73.984}
TANDON = {"latitude": 40.6942, "longitude": -73.9866}
CORE_M = 1000  # a named neighbourhood: its places are within about this of its middle


def conversation(api, name: str, where: dict, *messages: str) -> list[dict]:
    session = {"X-Session-ID": issued(name)}
    return [chat(api, message, headers=session, **where).json() for message in messages]


@pytest.mark.parametrize(
    ("where", "middle", "first", "more"),
    [
        (UNION_SQUARE, geo.Point(40.7359, -73.9911), "bookstore crawl near union sq, where do i start", "gimme more"),
        (EAST_VILLAGE, geo.Point(40.7265, -73.9815), "oat latte somewhere in the east village, not a chain", "hmm gimme a few other options"),
    ],
)
def test_more_of_an_area_list_stays_in_the_area_or_says_the_others_are_farther(api, catalog, where, middle, first, more):
    shown, body = conversation(api, f"more-area-{len(first)}", where, first, more)

    assert shown["places"] and body["places"]
    assert not set(names(shown)) & set(names(body))
    outside = [card for card in body["places"] if geo.haversine_m(middle, geo.Point(**card["location"])) > CORE_M]
    if outside:  # only as farther ones, said so
        assert "farther" in body["reply"] and body["reply"].startswith("I don't know another")


WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}


@pytest.mark.parametrize(
    ("where", "first", "question", "marked"),
    [
        (UNION_SQUARE, "need a library near union sq w wifi for a sunday cram sesh", "which ones the quietest tho", "quiet"),
        (UNION_SQUARE, "coffee near union sq", "which one has wifi", "wifi"),
        (WASHINGTON_SQUARE, "cheap lunch near campus", "which one is vegan", "vegan"),
        (WASHINGTON_SQUARE, "study spot near campus", "which one is the quietest?", "quiet"),
        (TANDON, "halal food near tandon", "which ones are good for vegetarians", "vegetarian"),
    ],
)
def test_which_of_the_list_is_something_is_answered_from_the_cards_shown(api, catalog, where, first, question, marked):
    shown, body = conversation(api, f"which-{len(question)}-{len(first)}", where, first, question)

    assert body["intent"] == "follow_up"  # no new search
    tagged = [card["name"] for card in shown["places"] if marked in card["tags"]]
    if tagged:  # those of the cards shown marked so
        assert names(body) == tagged and all(name in body["reply"] for name in tagged) and "Of these" in body["reply"]
    elif "not in that list" in body["reply"]:  # none is known to be, and one of their kind that is
        assert body["reply"].startswith("I don't know that any of these")
        assert body["places"] and all(marked in card["tags"] for card in body["places"]) and not set(names(body)) & set(names(shown))
    else:  # all of them, and that none is known to be
        assert names(body) == names(shown) and body["reply"].startswith("I don't know that any of these")


def test_a_price_limit_for_anything_asks_for_other_places_strictly_cheaper(api, catalog):
    shown, body = conversation(
        api, "jazz-cover-0001", WASHINGTON_SQUARE, "jazz tonight somewhere in the village, not tryna spend $$$ on cover",
        "those covers r steep, anything for like $20 or less",
    )

    cheapest = min(card["price_level"] for card in shown["places"] if card["price_level"] is not None)
    assert not set(names(shown)) & set(names(body))
    if body["places"]:
        assert all(card["price_level"] is not None and card["price_level"] < cheapest for card in body["places"])
    else:
        assert body["reply"].startswith("I don't know ")


def test_whether_any_shown_place_is_open_at_a_time_says_the_hours_are_not_known(api, catalog):
    shown, body = conversation(
        api, "serving-at-0001", TANDON, "anywhere doing a breakfast sandwich this early near metrotech, final at 8",
        "ok but are any of them def serving at 7:15",
    )

    assert names(body) == names(shown)
    assert body["reply"].startswith("I don't have opening hours for these") and "open now" not in body["reply"]


SOHO = {"latitude": 40.7233, "longitude": -74.003}


def test_a_word_of_a_named_place_is_not_read_as_another_word(api, catalog):
    (body,) = conversation(api, "prince-st-0001", SOHO, "does prince st have anything vegan on the menu")

    assert names(body) == ["Prince Street Pizza"]
    assert "vegan" in body["reply"] and "$ to $$$$" not in body["reply"]  # the diet asked, not the price ("prince" is no "price")


# --- a place asked about by a short name, or the place in focus ------------------------------------------------
def test_a_short_name_in_brackets_names_the_place(api, catalog):
    (body,) = conversation(api, "where-bam-0001", TANDON, "where is bam exactly")

    assert names(body) == ["Brooklyn Academy of Music (BAM)"]
    assert body["places"][0]["address"] in body["reply"]


def test_whats_on_at_a_place_named_by_its_short_name_asks_about_that_venue(api, catalog):
    (body,) = conversation(api, "bam-playing-01", TANDON, "bam got anything playing tonight?")

    assert names(body) == ["Brooklyn Academy of Music (BAM)"]
    assert "Brooklyn Academy of Music (BAM)" in body["reply"] and "tonight" in body["reply"]


BROOKLYN_HEIGHTS = {"latitude": 40.696, "longitude": -73.995}


def test_a_name_with_a_question_and_the_kind_it_is_asks_about_that_place(api, catalog):
    (body,) = conversation(api, "sahadis-addr-01", BROOKLYN_HEIGHTS, "sahadi's address? the grocery on atlantic")

    assert names(body) == ["Sahadi's"] and body["places"][0]["address"] in body["reply"]


@pytest.mark.parametrize("question", ["best way to walk there from 2 metrotech?", "how do i walk there from metrotech"])
def test_the_way_to_walk_to_the_place_in_focus_from_a_landmark(api, catalog, question):
    first, body = conversation(api, f"walk-there-{len(question)}", TANDON, "halal lunch near tandon thats not a cart? jummah just ended", question)

    assert names(first) == ["Yemen Cafe & Restaurant"]
    assert names(body) == ["Yemen Cafe & Restaurant"] and "Directions:" in body["reply"]


def test_a_diet_question_with_there_is_about_the_place_in_focus(api, catalog):
    _, body = conversation(
        api, "sahadis-diet-01", BROOKLYN_HEIGHTS, "sahadi's address? the grocery on atlantic", "my bf is vegetarian, is there stuff for him there"
    )

    assert names(body) == ["Sahadi's"] and "vegetarian" in body["reply"]


def test_a_price_limit_asked_of_the_places_shown_is_about_them(api, catalog):
    shown, body = conversation(
        api, "jazz-cover-0002", WASHINGTON_SQUARE, "jazz tonight somewhere in the village", "are any of them $20 or less?"
    )

    # those within the price, the shown ones among them; not only places cheaper than every one shown
    assert shown["places"] and body["places"]
    assert all(card["price_level"] is not None and card["price_level"] <= 2 for card in body["places"])
    assert set(names(body)) & set(names(shown))
