"""A follow-up about the place in view, or a kind asked for beside it: a question put to the place
("can we bring our own wine there") is about it, not a search for what it names; "a cafe close to
bobst" asks for cafes around Bobst, not how far Bobst is (the catalog, no provider keys)."""

import pytest

from tests.chat.helpers import chat, issued, names

WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}
TANDON = {"latitude": 40.6942, "longitude": -73.9866}


@pytest.mark.parametrize(
    ("first", "question", "place"),
    [
        ("whats the deal w julianas", "can u get a single slice there or is it pies only", "Juliana's Pizza"),
        ("lucali — gotta reserve or is it walk in", "can we bring our own wine there", "Lucali"),
    ],
)
def test_a_question_put_to_the_place_in_view_is_answered_of_it(api, catalog, first, question, place):
    session = {"X-Session-ID": issued("put-to-it-01")}
    chat(api, first, headers=session, **TANDON)

    body = chat(api, question, headers=session, **TANDON).json()

    assert names(body) == [place], (names(body), body["reply"])
    assert place in body["reply"], body["reply"]


def test_the_place_stays_in_view_after_a_question_put_to_it(api, catalog):
    session = {"X-Session-ID": issued("put-to-it-02")}
    chat(api, "whats the deal w julianas", headers=session, **TANDON)
    chat(api, "can u get a single slice there or is it pies only", headers=session, **TANDON)

    body = chat(api, "r they open at this hour", headers=session, **TANDON).json()

    assert names(body) == ["Juliana's Pizza"] and "Juliana's Pizza" in body["reply"], body["reply"]


def test_the_walk_from_an_area_is_measured_to_the_place_in_view(api, catalog):
    session = {"X-Session-ID": issued("walk-from-01")}
    chat(api, "yemen cafe — halal or no?", headers=session, **TANDON)

    body = chat(api, "what's the walk from metrotech", headers=session, **TANDON).json()

    assert names(body) == ["Yemen Cafe & Restaurant"], (names(body), body["reply"])
    assert "min" in body["reply"], body["reply"]


def test_a_kind_close_to_the_place_in_view_by_name_is_a_search_around_it(api, catalog):
    session = {"X-Session-ID": issued("kind-near-01")}
    chat(api, "where can i lock in and study around wash sq", headers=session, **WASHINGTON_SQUARE)
    chat(api, "gotta have plugs, laptop at 3%", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "then a cafe close to bobst for after", headers=session, **WASHINGTON_SQUARE).json()

    assert body["places"] and "Elmer Holmes Bobst Library" not in names(body), (names(body), body["reply"])
    assert all({"cafe", "coffee_shop"} & set(card["types"]) for card in body["places"]), body["places"]


def test_food_close_to_the_landmark_in_view_is_a_search_around_it(api, catalog):
    session = {"X-Session-ID": issued("kind-near-02")}
    chat(api, "walking route from tandon onto the brooklyn bridge?", headers=session, **TANDON)

    body = chat(api, "gotta eat first, food close to the bridge?", headers=session, **TANDON).json()

    assert len(body["places"]) > 1 and "Brooklyn Bridge (Brooklyn entrance)" not in names(body), (names(body), body["reply"])


def test_where_do_you_suggest_after_asking_about_a_place_looks_for_what_was_asked(api, catalog):
    session = {"X-Session-ID": issued("suggest-01")}
    chat(api, "is the tandon makerspace an ok place to do homework", headers=session, **TANDON)

    body = chat(api, "ok then where do u suggest", headers=session, **TANDON).json()

    assert body["places"] and "NYU Tandon MakerSpace" not in names(body), (names(body), body["reply"])
    assert all({"library", "cafe", "coffee_shop"} & set(card["types"]) for card in body["places"]), body["places"]


@pytest.mark.parametrize("question", ["any bars near it?", "a bar close to it?", "any good bars around there"])
def test_a_kind_asked_near_the_place_in_view_is_looked_for_around_it(api, catalog, question):
    session = {"X-Session-ID": issued("near-it-01")}
    chat(api, "whats the deal w julianas", headers=session, **TANDON)

    body = chat(api, question, headers=session, **TANDON).json()

    assert body["places"] and "Juliana's Pizza" in body["reply"], (names(body), body["reply"])
    assert all({"bar", "pub", "cocktail_bar", "wine_bar"} & set(card["types"]) for card in body["places"]), body["places"]
