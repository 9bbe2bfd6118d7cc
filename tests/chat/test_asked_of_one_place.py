"""Questions about one place, named or pointed at ("the first one", "there"), as students type them:
each answered from the place's facts, or said unknown, never answered with its summary alone or a
new list (the catalog, no provider keys)."""

import pytest

from tests.chat.helpers import chat, issued, names

EAST_VILLAGE = {"latitude": 40.7265, "longitude": -73.984}
UNION_SQUARE = {"latitude": 40.7359, "longitude": -73.9906}
WASHINGTON_SQUARE = {"latitude": 40.7308, "longitude": -73.9973}
TANDON = {"latitude": 40.6942, "longitude": -73.9866}


@pytest.mark.parametrize(
    "message",
    ["is death and co 21 plus", "is death & co 21 and over", "death and co, do u need to be 21", "is death and co 21 and up", "death & co 18 plus?"],
)
def test_an_age_question_about_a_place_named_says_the_rules_are_not_known(api, catalog, message):
    body = chat(api, message, **EAST_VILLAGE).json()

    assert body["reply"].startswith("I don't know the age or ID rules at Death & Co"), body["reply"]


@pytest.mark.parametrize(
    "question",
    ["y en el primero piden identificacion?", "en el primero piden id?", "第一家查证件吗", "第一家要满21岁吗", "is the first one 21 plus"],
)
def test_an_id_question_about_the_first_one_says_the_rules_are_not_known(api, catalog, question):
    session = {"X-Session-ID": issued("id-first-0001")}
    first = names(chat(api, "hay algun club pa bailar cerca de union square?", headers=session, **UNION_SQUARE).json())[0]

    body = chat(api, question, headers=session, **UNION_SQUARE).json()

    assert body["reply"].startswith(f"I don't know the age or ID rules at {first}"), body["reply"]


@pytest.mark.parametrize(
    "question",
    ["is bobst 24h during finals", "is bobst open 24/7", "bobst open all night?", "is bobst 24hrs", "bobst abre 24 horas?", "bobst 24小时开吗"],
)
def test_round_the_clock_asks_the_hours_of_the_place_named(api, catalog, question):
    body = chat(api, question, **WASHINGTON_SQUARE).json()

    assert body["reply"] == "I don't have Elmer Holmes Bobst Library's hours; the map link will show them.", body["reply"]


@pytest.mark.parametrize(
    ("question", "index"),
    [
        ("does the first one have a cover", 0),
        ("la primera cobra cover?", 0),
        ("cuanto cuesta la entrada del segundo", 1),
        ("is there a cover charge at the second one", 1),
        ("第一家要门票吗", 0),
        ("does the 1st one hav a covr", 0),
    ],
)
def test_a_cover_charge_is_not_known_and_the_price_level_is_said(api, catalog, question, index):
    session = {"X-Session-ID": issued("cover-000001")}
    shown = chat(api, "hay algun club pa bailar cerca de union square?", headers=session, **UNION_SQUARE).json()["places"]
    card = shown[index]

    body = chat(api, question, headers=session, **UNION_SQUARE).json()

    level = "$" * card["price_level"]
    assert body["reply"] == f"I don't know the cover or entry fee at {card['name']}; its prices are {level} on a scale of $ to $$$$.", body["reply"]


@pytest.mark.parametrize(
    "question",
    ["ok which is like the fewest blocks away", "which one's nearest to me", "which is least far", "which one is the shortest walk", "cual queda mas cerca?"],
)
def test_which_is_closest_in_other_words_names_the_nearest_shown(api, catalog, question):
    session = {"X-Session-ID": issued("fewest-00001")}
    shown = chat(api, "pizza near washington square", headers=session, **WASHINGTON_SQUARE).json()["places"]
    nearest = min(shown, key=lambda card: card["walk_minutes"])

    body = chat(api, question, headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith(f"Of these, {nearest['name']} is the closest."), body["reply"]


@pytest.mark.parametrize(
    "question",
    ["my roommates veg, would she find something there", "my friend is vegetarian, can she find something to eat there?", "could a vegan eat there"],
)
def test_a_diet_question_about_the_place_shown_is_answered_of_it(api, catalog, question):
    session = {"X-Session-ID": issued("veg-there-001")}
    (shown,) = names(chat(api, "halal lunch close to tandon?", headers=session, **TANDON).json())

    body = chat(api, question, headers=session, **TANDON).json()

    assert body["places"] and names(body)[0] == shown
    assert shown in body["reply"] and ("vegetarian" in body["reply"] or "vegan" in body["reply"]), body["reply"]


def test_an_entry_fee_of_a_free_place_is_said_free(api, catalog):
    session = {"X-Session-ID": issued("free-entry-01")}
    chat(api, "tell me about washington square park", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "is there an entry fee", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"] == "As far as I know, Washington Square Park is free.", body["reply"]


def test_a_cover_asked_of_the_places_shown_is_said_unknown_once_with_their_price_levels(api, catalog):
    session = {"X-Session-ID": issued("cover-all-001")}
    shown = chat(api, "hay algun club pa bailar cerca de union square?", headers=session, **UNION_SQUARE).json()["places"]

    body = chat(api, "do any of them have a cover?", headers=session, **UNION_SQUARE).json()

    listed = [card["name"] for card in shown]
    levels = "; ".join(f"{card['name']} {'$' * card['price_level']}" for card in shown)
    names_said = f"{', '.join(listed[:-1])} or {listed[-1]}"
    assert body["reply"] == f"I don't know the cover or entry fee at {names_said}. By price level, on a scale of $ to $$$$: {levels}.", body["reply"]


@pytest.mark.parametrize("question", ["whats the cover at webster hall", "how much to get into webster hall", "cuanto cobran de cover en webster hall"])
def test_a_cover_asked_of_a_place_named_is_said_unknown(api, catalog, question):
    body = chat(api, question, **UNION_SQUARE).json()

    assert body["reply"] == "I don't know the cover or entry fee at Webster Hall; its prices are $$ on a scale of $ to $$$$.", body["reply"]
