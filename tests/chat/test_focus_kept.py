"""The place in focus and the list on screen are kept by the questions that name no other place: a
fact question about an item, tickets, the way there, stays on the place asked about; "anything
closer?", "somewhere quieter?", "any that stay open late?" and "which of these do ppl rate highest"
are about the list, and keep its promise or say plainly that they cannot (issue 13)."""

import pytest

from tests.chat.helpers import chat, issued, names

WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}
UNION_SQUARE = {"latitude": 40.7359, "longitude": -73.9906}
WEST_VILLAGE = {"latitude": 40.7336, "longitude": -74.0027}
TANDON = {"latitude": 40.6942, "longitude": -73.9866}


def conversation(api, name: str, where: dict, *messages: str) -> list[dict]:
    session = {"X-Session-ID": issued(name)}
    return [chat(api, message, headers=session, **where).json() for message in messages]


# --- a fact question that names no other place stays on the place in focus ---------------------------------
def test_the_price_of_an_item_the_place_serves_is_asked_of_that_place(api, catalog):
    _, body = conversation(api, "pastrami-0001", WASHINGTON_SQUARE, "katz's — do i need a reservation", "roughly how much is the pastrami")

    assert names(body) == ["Katz's Delicatessen"] and body["intent"] == "follow_up"
    assert "$$" in body["reply"] and "Katz's Delicatessen" in body["reply"]
    assert "don't know what items cost" in body["reply"]  # only the place's price level is known


@pytest.mark.parametrize("message", ["where can i get pastrami near union square", "any other pastrami spots?"])
def test_a_search_for_that_kind_is_still_a_search(api, catalog, message):
    _, body = conversation(api, "pastrami-0002", WASHINGTON_SQUARE, "katz's — do i need a reservation", message)

    assert body["intent"] != "follow_up" and body["places"]


def test_tickets_in_advance_or_showing_up_asks_about_booking(api, catalog):
    _, body = conversation(
        api, "tickets-00001", WASHINGTON_SQUARE, "comedy cellar tonight, can i get in at 19 or is it 21+",
        "should i grab tickets in advance or just show up",
    )

    assert names(body) == ["Comedy Cellar"]
    assert body["reply"].startswith("I don't know whether you can reserve at Comedy Cellar")


@pytest.mark.parametrize("question", ["¿y cómo camino hasta allá?", "¿cómo llego?"])
def test_the_way_there_in_spanish_is_asked_of_the_place_in_focus(api, catalog, question):
    *_, body = conversation(api, "camino-000001", TANDON, "busco comida halal cerca de metrotech, algo barato", "¿es caro?", question)

    assert names(body) == ["Yemen Cafe & Restaurant"]
    assert "Directions:" in body["reply"]


def test_directions_from_a_kind_of_place_are_to_the_place_in_focus_from_there(api, catalog):
    first, body = conversation(
        api, "from-park-0001", WASHINGTON_SQUARE, "museum thats cheap w a student id? got a free afternoon", "directions from the park pls"
    )

    assert names(first) == ["Whitney Museum of American Art"]
    assert names(body) == ["Whitney Museum of American Art"]
    assert "Directions:" in body["reply"] and "from Washington Square Park" in body["reply"]  # the nearest park


# --- refinements of the list on screen -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("session", "where", "asked", "closer", "kept"),
    [
        # "anything closer in this cold" keeps the list's wants
        ("closer-cold-01", UNION_SQUARE, "coffee spot near union sq where i can camp w my laptop, need wifi fr",
         "anything closer? dont wanna walk far in this cold", {"wifi"}),
        # the kind named again with a shorter walk asks for closer ones of it
        ("closer-kind-01", WEST_VILLAGE, "where can i get a real juicy burger around the west village",
         "any burger spot a shorter walk from here", set()),
    ],
)
def test_closer_in_other_words_keeps_the_lists_wants_or_says_none_is(api, catalog, session, where, asked, closer, kept):
    first, body = conversation(api, session, where, asked, closer)

    nearest = min(card["walk_minutes"] for card in first["places"])
    if body["places"]:
        assert all(card["walk_minutes"] < nearest and kept <= set(card["tags"]) for card in body["places"])
    else:
        assert body["reply"].startswith("I don't know ") and "is the nearest I showed you" in body["reply"]


def test_somewhere_quieter_is_other_places_and_says_plainly_none_is_known_quieter(api, catalog):
    first, _, body = conversation(
        api, "quieter-00001", WEST_VILLAGE, "early coffee near christopher st?? need caffeine before my 8am",
        "the 2nd — how many min walk", "somewhere quieter? that block is always packed",
    )

    shown = {card["place_id"] for card in first["places"]}
    assert body["places"] and not shown & {card["place_id"] for card in body["places"]}
    # no coffee shop is known to be quiet: said so, and what follows is other coffee shops, as alternatives
    assert body["reply"].startswith("I don't know another quiet ") and "Other places nearby instead: " in body["reply"]


def test_somewhere_quieter_to_study_brings_quiet_places_of_another_kind_first(api, catalog):
    _, body = conversation(api, "quieter-00002", WASHINGTON_SQUARE, "a coffee shop to study in", "somewhere quieter?")

    assert body["places"] and all("quiet" in card["tags"] for card in body["places"])
    assert body["reply"].startswith("I don't know another quiet coffee shop near you. Other places nearby instead: ")


@pytest.mark.parametrize("question", ["any that stay open late?", "anything thats open late?", "any that are good for late nights"])
def test_any_that_stay_open_late_narrows_the_list_to_places_known_for_late_nights(api, catalog, question):
    *_, body = conversation(
        api, "late-bars-0001", TANDON, "bars w cheap drinks near tandon for like 8 of us", "gimme the address of the third", question
    )

    assert body["places"] and all("late_night" in card["tags"] and "bar" in card["types"] for card in body["places"])
    assert body["reply"].startswith("I don't have opening hours for these")


def test_which_of_these_people_rate_highest_says_ratings_are_unknown_and_keeps_the_list(api, catalog):
    first, body = conversation(api, "rated-000001", UNION_SQUARE, "used bookstores around union sq?", "which of these do ppl rate highest")

    assert names(body) == names(first)
    assert body["reply"] == "I don't have ratings for these places, so I can't say which is rated best."


@pytest.mark.parametrize(
    ("question", "intent"), [("quieter spot pls, this one is so loud", "more_options"), ("a cheaper one? that place is a ripoff", "follow_up")]
)
def test_a_comparative_with_a_word_for_another_place_asks_for_other_places(api, catalog, question, intent):
    first, second, body = conversation(
        api, "others-000001", WASHINGTON_SQUARE, "coffee shop to study near washington square", "the 2nd — how far", question
    )

    assert body["intent"] == intent and names(body) != names(second)  # not a question about the one in focus
    assert not {card["place_id"] for card in first["places"]} & {card["place_id"] for card in body["places"]}


def test_a_drink_minimum_is_asked_of_the_club_in_focus(api, catalog):
    _, body = conversation(api, "minimum-00001", WASHINGTON_SQUARE, "tell me about comedy cellar", "whats the drink minimum")

    assert names(body) == ["Comedy Cellar"]
    assert body["reply"] == "I don't know what items cost at Comedy Cellar; overall it is $$ on a scale of $ to $$$$."


def test_is_this_one_quieter_answers_from_the_quiet_tag(api, catalog):
    *_, body = conversation(
        api, "quiet-one-0001", WASHINGTON_SQUARE, "coffee shop to study near washington square", "the 2nd — how far", "is this one quieter?"
    )

    assert len(body["places"]) == 1
    name = body["places"][0]["name"]
    assert body["reply"] == f"I don't know whether {name} is quiet; it isn't marked so in what I have."
