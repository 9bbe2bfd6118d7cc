"""Turns read in their conversation, as students write them: what an independent judge found
answered wrongly, each answered now from the facts (the catalog, no provider keys)."""

from datetime import datetime

import pytest

from tests.chat.helpers import chat, issued
from tests.clock import NEW_YORK, SUNDAY_NIGHT

TANDON = {"latitude": 40.6942, "longitude": -73.9866}
WASHINGTON_SQUARE = {"latitude": 40.7295, "longitude": -73.9965}


def names(body: dict) -> list[str]:
    return [card["name"] for card in body["places"]]


def test_thanks_after_a_list_brings_no_cards(api, catalog):
    session = {"X-Session-ID": issued("thanks-000001")}
    chat(api, "coffee near tandon", headers=session, **TANDON)

    body = chat(api, "ty!!", headers=session, **TANDON).json()

    assert body["intent"] == "small_talk" and body["places"] == []


def test_a_kind_a_description_names_is_that_kind(api, catalog):
    body = chat(api, "karaoke near tandon?", **TANDON).json()

    assert "Montero Bar & Grill" in names(body)
    assert not body["reply"].startswith("I don't know")


def test_with_none_within_the_walk_the_nearest_is_offered_and_said_to_be_farther(api, catalog):
    body = chat(api, "a place with a view near washington square", **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't know a place with view right near Washington Square. If you'd go farther instead, the nearest I know: ")
    assert body["places"] and all("view" in card["tags"] for card in body["places"])


def test_open_right_now_at_night_is_a_request_not_an_empty_refinement(api, catalog, clock):
    clock(SUNDAY_NIGHT)

    body = chat(api, "im starving whats open rn near tandon", **TANDON).json()

    assert body["places"], body["reply"]
    assert all(card["open_now"] is not False for card in body["places"])
    assert "Open right now" not in body["reply"]


def test_near_somewhere_instead_moves_the_request_rather_than_asking_for_closer(api, catalog):
    session = {"X-Session-ID": issued("move-0000001")}
    chat(api, "dumplings near washington square", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "any near tandon instead", headers=session, **WASHINGTON_SQUARE).json()

    assert "closer than" not in body["reply"]
    assert "near Tandon" in body["reply"]


@pytest.mark.parametrize("question", ["does it have wifi?", "¿tiene wifi?"])
def test_a_wifi_question_is_answered_from_the_places_tags(api, catalog, question):
    session = {"X-Session-ID": issued("wifi-0000001")}
    chat(api, "tell me about think coffee", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, question, headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"] == "Yes: Think Coffee is known for wifi."


def test_kinda_is_not_a_typo_of_indian(api, catalog):
    body = chat(api, "date night spot kinda fancy", **WASHINGTON_SQUARE).json()

    assert "Indian" not in body["reply"]


def test_do_they_sell_asks_about_the_place_shown(api, catalog):
    session = {"X-Session-ID": issued("slices-00001")}
    chat(api, "tell me about juliana's", headers=session, **TANDON)

    body = chat(api, "do they sell slices or only whole pies", headers=session, **TANDON).json()

    assert names(body) == ["Juliana's Pizza"]
    assert body["intent"] == "follow_up"


def test_whats_on_there_looks_for_events_around_the_place_shown(api, catalog, events_synced):
    session = {"X-Session-ID": issued("there-000001")}
    chat(api, "tell me about washington square park", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "anything going on there today", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't know of any events today near ")


def test_a_question_in_chinese_about_the_second_place_is_about_its_hours(api, catalog):
    session = {"X-Session-ID": issued("zh-hours-0001")}
    first = chat(api, "coffee near washington square", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "第二个现在营业吗", headers=session, **WASHINGTON_SQUARE).json()

    second = first["places"][1]["name"]
    assert names(body) == [second] and second in body["reply"]
    assert "hours" in body["reply"] or "open" in body["reply"]


# --- the second judging ---------------------------------------------------------------------------------
def test_no_vegan_place_brings_vegetarian_ones_as_alternatives_and_cheaper_stays_honest(api, catalog):
    session = {"X-Session-ID": issued("vegan-000001")}
    first = chat(api, "vegan food pls", headers=session, **WASHINGTON_SQUARE).json()

    assert first["reply"].startswith("I don't know a vegan place to eat near you. Other places nearby instead: ")
    assert first["places"] and all({"vegan", "vegetarian"} & set(card["tags"]) for card in first["places"])

    cheaper = chat(api, "cheaper one?", headers=session, **WASHINGTON_SQUARE).json()
    assert "of that kind" not in cheaper["reply"]
    shown = min(card["price_level"] for card in first["places"])
    assert all(card["price_level"] is not None and card["price_level"] < shown for card in cheaper["places"])


def test_a_date_night_not_too_pricey_is_a_restaurant_or_bar(api, catalog):
    body = chat(api, "date night spot not too pricey", **WASHINGTON_SQUARE).json()

    kinds = {"restaurant", "italian_restaurant", "french_restaurant", "wine_bar", "cocktail_bar", "bar"}
    assert body["places"] and all(kinds & set(card["types"]) for card in body["places"])


def test_another_kind_after_a_list_is_a_new_request_even_with_open(api, catalog, clock):
    clock(SUNDAY_NIGHT)
    session = {"X-Session-ID": issued("pizza-night-01")}
    chat(api, "bagels near washington square", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "ok what about pizza thats open", headers=session, **WASHINGTON_SQUARE).json()

    assert body["places"] and all("pizza_restaurant" in card["types"] or "pizza" in card["cuisine"] for card in body["places"])


def test_at_night_the_places_known_for_late_nights_come_first(api, catalog, clock):
    clock(SUNDAY_NIGHT)

    body = chat(api, "im starving whats open rn", **WASHINGTON_SQUARE).json()

    assert "late_night" in body["places"][0]["tags"]


def test_with_no_boba_the_alternatives_are_what_stands_in_for_it(api, catalog):
    body = chat(api, "boba near tandon?", **TANDON).json()

    assert body["reply"].startswith("I don't know a boba place near Tandon. Other places nearby instead: ")
    stand_ins = {"cafe", "coffee_shop", "tea_house", "dessert_shop", "bakery", "ice_cream_shop"}
    assert body["places"] and all(stand_ins & set(card["types"]) for card in body["places"])


# --- the third judging ----------------------------------------------------------------------------------
def test_is_it_open_after_a_list_names_the_places_whose_hours_are_unknown(api, catalog, clock):
    clock(SUNDAY_NIGHT)
    session = {"X-Session-ID": issued("open-list-001")}
    first = chat(api, "anything halal?", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "is it open now?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't have the hours of ")
    assert all(card["name"] in body["reply"] for card in first["places"])


def test_something_fun_tonight_is_a_night_out_not_a_library(api, catalog, clock):
    clock(SUNDAY_NIGHT)

    body = chat(api, "ok recommend smth fun tonight", **TANDON).json()

    night = {"night_club", "bar", "movie_theater", "comedy_club", "live_music_venue", "concert_hall", "event_venue"}
    assert body["places"] and all(night & set(card["types"]) or card["type"] == "event" for card in body["places"])


def test_a_late_food_question_is_not_answered_with_events(api, catalog, clock):
    clock(SUNDAY_NIGHT)

    body = chat(api, "im starving its 1am whats still open", **WASHINGTON_SQUARE).json()

    assert "events" not in body["reply"]


def test_a_place_marked_vegetarian_has_vegetarian_options(api, catalog):
    session = {"X-Session-ID": issued("veg-options-01")}
    chat(api, "tell me about mamoun's", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "is it vegetarian?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"] == "Yes: Mamoun's Falafel has vegetarian options as far as I know."


def test_a_name_question_gets_a_name(api, catalog):
    assert chat(api, "whats ur name lol").json()["reply"].startswith("I'm Violet")


def test_coffee_to_work_is_no_question_about_housing_works(api, catalog):
    body = chat(api, "coffee spot to work", **WASHINGTON_SQUARE).json()

    assert len(body["places"]) > 1


# --- the fourth judging ---------------------------------------------------------------------------------
def test_which_one_is_closest_picks_among_the_places_shown(api, catalog):
    session = {"X-Session-ID": issued("which-close-01")}
    first = chat(api, "bagels near washington square", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "which one is closest?", headers=session, **WASHINGTON_SQUARE).json()

    walks = sorted(card["walk_minutes"] for card in first["places"])
    assert walks[0] < walks[1], "the catalog's bagel shops near Washington Square are at different walks"
    nearest = min(first["places"], key=lambda card: card["walk_minutes"])
    assert body["reply"].startswith(f"Of these, {nearest['name']} is the closest.")
    assert names(body) == [nearest["name"]]


def test_which_is_cheapest_also_names_a_place_of_the_kind_cheaper_than_all_those_shown(api, catalog):
    session = {"X-Session-ID": issued("which-cheap-02")}
    first = chat(api, "bars near washington square", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "which is cheapest", headers=session, **WASHINGTON_SQUARE).json()

    cheapest = min(first["places"], key=lambda card: card["price_level"])
    assert body["reply"].startswith(f"Of these, {cheapest['name']} is the cheapest.")
    picked, beyond = body["places"]
    assert picked["name"] == cheapest["name"] and beyond["name"] not in names(first)
    assert beyond["price_level"] < cheapest["price_level"] and "bar" in beyond["types"]
    assert f"For less, and not in that list: {beyond['name']} (" in body["reply"]


def test_which_is_closest_says_when_no_place_of_the_kind_is_nearer(api, catalog):
    session = {"X-Session-ID": issued("which-close-02")}
    first = chat(api, "pizza near wash sq", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "closest one pls my feet hurt", headers=session, **WASHINGTON_SQUARE).json()

    nearest = min(first["places"], key=lambda card: card["walk_minutes"])
    assert body["reply"].endswith("I don't know one nearer than that.")
    assert names(body) == [nearest["name"]]


def test_a_diet_question_about_one_place_names_the_others_shown_that_have_it(api, catalog):
    session = {"X-Session-ID": issued("diet-others-01")}
    first = chat(api, "cheap eats near washington square", headers=session, **WASHINGTON_SQUARE).json()
    halal = [card["name"] for card in first["places"] if "halal" in card["tags"]]
    second = first["places"][1]

    body = chat(api, "is the 2nd one halal?", headers=session, **WASHINGTON_SQUARE).json()

    others = [name for name in halal if name != second["name"]]
    assert "halal" not in second["tags"] and others, "the list shown has a halal place, not second"
    assert body["reply"].startswith(f"I don't know whether {second['name']} is halal")
    assert body["reply"].endswith(f"Of the others, {' and '.join(others)} {'is' if len(others) == 1 else 'are'} marked halal.")


def test_a_student_discount_question_is_answered_with_the_price(api, catalog):
    body = chat(api, "does the whitney have a student discount?", **WASHINGTON_SQUARE).json()

    assert body["reply"] == "Yes: Whitney Museum of American Art is known for student discount. Otherwise it is $$ on a scale of $ to $$$$."


def test_asian_food_near_tandon_is_said_to_be_none_and_the_nearest_offered_instead(api, catalog):
    body = chat(api, "any asian food near tandon?", **TANDON).json()

    assert body["reply"].startswith("I don't know an Asian restaurant right near Tandon. If you'd go farther instead, ")
    assert all({"chinese", "japanese", "thai", "dumplings", "ramen"} & set(card["cuisine"]) for card in body["places"])


def test_how_far_from_an_area_is_measured_from_there_and_says_so(api, catalog):
    session = {"X-Session-ID": issued("from-area-001")}
    chat(api, "tell me about lucali", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "how far from tandon?", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == ["Lucali"] and body["places"][0]["walk_minutes"] < 40  # from Tandon, not from Manhattan
    assert body["reply"].startswith("Lucali is about ") and " away on foot from Tandon " in body["reply"]


def test_a_question_about_two_diets_answers_each_from_the_tags(api, catalog):
    session = {"X-Session-ID": issued("two-diets-01")}
    chat(api, "tell me about mamoun's", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "is it vegan or just vegetarian?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"] == (
        "Mamoun's Falafel has vegetarian options as far as I know. "
        "I don't know whether it is vegan; it isn't marked so in what I have. Worth asking them."
    )


def test_the_topic_before_is_what_the_previous_student_message_asked():
    from chat.memory import Memory
    from chat.services import _topic_before

    asked = Memory(history=[{"role": "user", "text": "dibner open on sunday night?"}, {"role": "assistant", "text": "..."}])

    assert _topic_before(asked) == "hours" and _topic_before(Memory()) is None


@pytest.mark.parametrize(
    ("message", "where", "left_out"),
    [
        ("dibner full af, anywhere else quiet to study in walking distance", TANDON, "Bern Dibner Library (NYU Tandon)"),
        ("bobst is packed, somewhere else to study nearby", WASHINGTON_SQUARE, "Elmer Holmes Bobst Library"),
        ("anywhere else to study besides bobst", WASHINGTON_SQUARE, "Elmer Holmes Bobst Library"),
    ],
)
def test_a_place_named_to_go_elsewhere_is_left_out_of_places_like_it(api, catalog, message, where, left_out):
    body = chat(api, message, **where).json()

    assert body["places"] and left_out not in names(body), body["reply"]
    assert all({"library", "cafe", "coffee_shop"} & set(card["types"]) for card in body["places"]), names(body)


def test_more_besides_a_place_not_shown_leaves_it_out_as_well_as_those_shown(api, catalog):
    session = {"X-Session-ID": issued("besides-more-01")}
    first = chat(api, "coffee shop to study near washington square", headers=session, **WASHINGTON_SQUARE).json()
    assert "Elmer Holmes Bobst Library" not in names(first)

    body = chat(api, "anything else besides bobst?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["places"] and not {"Elmer Holmes Bobst Library", *names(first)} & set(names(body)), names(body)


# --- questions about a place, asked in other words ----------------------------------------------------
@pytest.mark.parametrize(
    "question", ["will the first place ID me", "can my 19yo friend get into the top one", "the top one gonna card me at the door?"]
)
def test_an_id_question_about_a_place_shown_says_its_age_rules_are_unknown(api, catalog, clock, question):
    clock(datetime(2026, 12, 11, 22, 10, tzinfo=NEW_YORK))
    session = {"X-Session-ID": issued("id-rules-0001")}
    first = chat(api, "bars near washington square", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, question, headers=session, **WASHINGTON_SQUARE).json()

    top = first["places"][0]["name"]
    assert names(body) == [top]
    assert body["reply"].startswith(f"I don't know the age or ID rules at {top}")


def test_letting_under_21s_in_is_asked_of_the_place_named_before(api, catalog):
    session = {"X-Session-ID": issued("under-21s-001")}
    chat(api, "whats the address for mcsorleys", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "do they let under 21s in", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't know the age or ID rules at McSorley's Old Ale House")


@pytest.mark.parametrize("question", ["need a rez for the first one?", "do i need a rez there"])
def test_a_rez_is_a_reservation(api, catalog, question):
    session = {"X-Session-ID": issued("rez-00000001")}
    first = chat(api, "sit down dinner near washington square", headers=session, **WASHINGTON_SQUARE).json()
    chat(api, "tell me about the first one", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, question, headers=session, **WASHINGTON_SQUARE).json()

    top = first["places"][0]["name"]
    assert names(body) == [top]
    assert body["reply"].startswith((f"I don't know whether you can reserve at {top}", f"What I have of {top} says to book ahead"))


def test_is_a_named_place_a_kind_asks_about_that_place(api, catalog):
    session = {"X-Session-ID": issued("sit-down-0001")}
    chat(api, "craving dumplings, whats closest to wsq", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "is nom wah more of a sit down place", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == ["Nom Wah Tea Parlor"]
    assert "Nom Wah Tea Parlor" in body["reply"]


def test_mas_o_menos_is_roughly_not_more(api, catalog):
    session = {"X-Session-ID": issued("mas-o-menos-01")}
    chat(api, "how do i get to katz from soho", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "¿y cuánto cuesta más o menos?", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == ["Katz's Delicatessen"]
    assert "Katz's Delicatessen" in body["reply"] and "$" in body["reply"]


@pytest.mark.parametrize("question", ["veselka still does the all night thing?", "is veselka open 24/7"])
def test_all_night_asks_a_named_places_hours(api, catalog, question):
    body = chat(api, question, **WASHINGTON_SQUARE).json()

    assert names(body) == ["Veselka"]
    assert body["reply"] == "I don't have Veselka's hours; the map link will show them."


def test_how_long_a_walk_from_here_is_the_distance_to_the_place_in_view(api, catalog):
    session = {"X-Session-ID": issued("walk-here-0001")}
    chat(api, "addy for mcsorleys?", headers=session, **WASHINGTON_SQUARE)
    chat(api, "do they card, is it 21 and up", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "how long a walk from here", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == ["McSorley's Old Ale House"]
    assert body["reply"].startswith("McSorley's Old Ale House is about ") and " min " in body["reply"]


BROOKLYN_HEIGHTS = {"latitude": 40.696, "longitude": -73.995}


@pytest.mark.parametrize(
    ("question", "start"), [("walking route from 2 metrotech?", "from Tandon"), ("we r at the promenade, which way do we head", "from Brooklyn Heights")]
)
def test_a_route_or_which_way_asks_the_way_to_the_place_in_view_from_where_said(api, catalog, question, start):
    session = {"X-Session-ID": issued("which-way-0001")}
    chat(api, "tell me about juliana's", headers=session, **BROOKLYN_HEIGHTS)

    body = chat(api, question, headers=session, **BROOKLYN_HEIGHTS).json()

    assert names(body) == ["Juliana's Pizza"]
    assert body["reply"].startswith("Juliana's Pizza is at 19 Old Fulton St") and f"on foot {start}" in body["reply"]


@pytest.mark.parametrize("message", ["perfect, saving that 🙌", "noted, bookmarked"])
def test_saving_a_place_is_thanks_with_no_cards(api, catalog, message):
    session = {"X-Session-ID": issued("saving-000001")}
    chat(api, "cocktail bar near washington square", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, message, headers=session, **WASHINGTON_SQUARE).json()

    assert body["intent"] == "small_talk" and body["places"] == []


def test_anything_at_a_venue_after_whats_on_asks_what_is_on_there_then(api, catalog, clock):
    clock(datetime(2026, 12, 10, 17, 30, tzinfo=NEW_YORK))
    session = {"X-Session-ID": issued("at-venue-0001")}
    chat(api, "what's going on this weekend in brooklyn", headers=session, **TANDON)

    body = chat(api, "anything at barclays?", headers=session, **TANDON).json()

    assert names(body) == ["Barclays Center"]
    assert body["reply"].startswith("I don't have the event listings yet, so I can't tell you about what's on at Barclays Center this weekend")


def test_a_venue_got_anything_sat_or_sun_asks_what_is_on_there_this_weekend(api, catalog, clock):
    clock(datetime(2026, 12, 19, 11, 0, tzinfo=NEW_YORK))

    body = chat(api, "bam got anything sat or sun?", **TANDON).json()

    assert body["reply"].startswith("I don't have the event listings yet, so I can't tell you about what's on at Brooklyn Academy of Music (BAM) this weekend")


@pytest.mark.parametrize("message", ["bam got anything sat or sun?", "anything on saturday or sunday"])
def test_saturday_or_sunday_is_the_weekend(message):
    from recommendations.turn import understand_turn

    assert understand_turn(message).when.key == "weekend"


def test_is_a_named_place_a_kind_is_answered_from_its_kinds(api, catalog):
    yes = chat(api, "is nom wah more of a sit down place", **WASHINGTON_SQUARE).json()
    no = chat(api, "is mcsorleys a coffee shop", **WASHINGTON_SQUARE).json()

    assert yes["reply"].startswith("Yes: Nom Wah Tea Parlor is a sit-down restaurant, as far as I know. Nom Wah Tea Parlor: 13 Doyers St")
    assert no["reply"].startswith("In what I have, McSorley's Old Ale House is not a coffee shop. McSorley's Old Ale House: 15 E 7th St")


def test_another_kind_instead_of_the_one_shown_asks_for_the_new_kind_only(api, catalog):
    session = {"X-Session-ID": issued("instead-kind-01")}
    chat(api, "ramen near washington square", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "hmm ramen feels heavy, thai food instead?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["places"] and all("thai" in card["cuisine"] for card in body["places"]), names(body)


@pytest.mark.parametrize("question", ["walking from dibner library how long", "walking from dibner how long", "how long does it take from dibner"])
def test_how_long_on_foot_from_a_known_place_measures_the_walk_from_it(api, catalog, question):
    session = {"X-Session-ID": issued("walk-from-01")}
    chat(api, "tell me about juniors", headers=session, **TANDON)

    body = chat(api, question, headers=session, **TANDON).json()

    assert names(body) == ["Junior's Restaurant"]
    assert body["reply"].startswith("Junior's Restaurant is about ") and " on foot from Bern Dibner Library (NYU Tandon) (" in body["reply"]


def test_a_place_worth_it_over_another_compares_the_two(api, catalog):
    body = chat(api, "is julianas worth the wait over grimaldis", **TANDON).json()

    assert names(body) == ["Juliana's Pizza", "Grimaldi's Pizzeria"]
    assert body["reply"].startswith("I don't know how long the wait is at Juliana's Pizza or Grimaldi's Pizzeria")


def test_the_lowest_cover_of_those_shown_is_the_cheapest_of_them(api, catalog):
    session = {"X-Session-ID": issued("lowest-cover-01")}
    first = chat(api, "jazz near wsq", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "lowest cover out of those?", headers=session, **WASHINGTON_SQUARE).json()

    cheapest = min(first["places"], key=lambda card: card["price_level"])
    assert body["reply"].startswith(f"I don't know their cover charges; by price level: Of these, {cheapest['name']} is the cheapest.")


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [("sweet, thank u", "no cards"), ("send me the exact spot pls", "addresses"), ("keep em coming", "more")],
)
def test_follow_ups_in_other_words(api, catalog, follow_up, expected):
    session = {"X-Session-ID": issued("other-words-01")}
    first = chat(api, "jazz near wsq", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, follow_up, headers=session, **WASHINGTON_SQUARE).json()

    if expected == "no cards":
        assert body["places"] == [] and body["intent"] == "small_talk"
    elif expected == "addresses":
        assert all(f"{card['name']} is at {card['address']}" in body["reply"] for card in first["places"])
    else:
        assert body["places"] and not set(names(body)) & set(names(first))


def test_a_pub_after_cocktail_bars_is_pubs_around_the_same_area(api, catalog):
    boerum_hill = {"latitude": 40.686, "longitude": -73.985}
    session = {"X-Session-ID": issued("pub-00000001")}
    chat(api, "cocktail bar on smith st or around there", headers=session, **boerum_hill)

    body = chat(api, "ok actually a pub might be better", headers=session, **boerum_hill).json()

    assert body["places"] and all("pub" in card["types"] for card in body["places"]), body["reply"]


@pytest.mark.parametrize(
    "message",
    [
        "where can i watch the sunset near tandon", "best spot to watch the sunset over manhattan from bk",
        "best spot for skyline pics near the brooklyn campus",
    ],
)
def test_a_sunset_is_watched_where_the_catalog_says_skyline_or_sunset(api, catalog, message):
    """A sunset over the skyline is seen from the waterfront: the places whose description says so
    come first, not a monument's steps in Fort Greene Park."""
    body = chat(api, message, **TANDON).json()

    said = ("sunset", "skyline", "lower manhattan")
    assert body["places"] and all(any(word in card["description"].lower() for word in said) for card in body["places"])


def test_a_walk_from_me_after_a_list_for_another_area_is_measured_from_the_student(api, catalog):
    """The list was for Atlantic Terminal; "walk time from me" is from where the student is, as said."""
    boerum_hill = {"latitude": 40.686, "longitude": -73.985}
    session = {"X-Session-ID": issued("walkme-00001")}
    listed = chat(api, "coffee spot by atlantic terminal where i can camp w my laptop a while", headers=session, **boerum_hill).json()
    second = listed["places"][1]["name"]

    body = chat(api, "ok and the 2nd? walk time from me", headers=session, **boerum_hill).json()
    direct = chat(api, f"how far is {second}", **boerum_hill).json()

    assert "Atlantic Terminal" in listed["reply"]
    assert body["places"][0]["name"] == second and "from where you are" in body["reply"]
    assert body["places"][0]["walk_minutes"] == direct["places"][0]["walk_minutes"]


@pytest.mark.parametrize("question", ["how long would it take me to walk there", "how far is the first one", "how long is the walk"])
def test_how_far_after_a_list_for_another_area_is_measured_from_the_student(api, catalog, question):
    """"pizza in dumbo" sent from Washington Square lists walks from DUMBO; a distance asked after it
    is the student's own walk, and said to be from where they are: never DUMBO's 7 minutes as theirs."""
    session = {"X-Session-ID": issued("walkthere-01")}
    listed = chat(api, "pizza in dumbo", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, question, headers=session, **WASHINGTON_SQUARE).json()
    direct = {name: chat(api, f"how far is {name}", **WASHINGTON_SQUARE).json()["places"][0] for name in names(body)}

    assert "DUMBO" in listed["reply"] and listed["places"][0]["walk_minutes"] < 15
    assert body["places"] and set(names(body)) <= set(names(listed))
    assert "from where you are" in body["reply"]
    for card in body["places"]:
        assert card["walk_minutes"] == direct[card["name"]]["walk_minutes"] > 30
        assert card["walk_time"] in body["reply"]


def test_which_is_closest_after_a_list_for_another_area_is_the_closest_to_the_student(api, catalog):
    """The list of East Village bars is measured from the East Village; "closest to me" is by the
    student's own walk, and no place "nearer still" is looked for around the East Village."""
    session = {"X-Session-ID": issued("closestme-01")}
    listed = chat(api, "bars in the east village", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "which one is closest to me", headers=session, **WASHINGTON_SQUARE).json()
    own = {name: chat(api, f"how far is {name}", **WASHINGTON_SQUARE).json()["places"][0]["walk_minutes"] for name in names(listed)}

    closest = min(own, key=own.get)
    assert body["reply"].startswith(f"Of these, {closest} is the closest.") and "from where you are" in body["reply"]
    assert names(body) == [closest] and body["places"][0]["walk_minutes"] == own[closest]


def test_a_place_asked_about_after_a_list_for_another_area_shows_the_students_own_walk(api, catalog):
    session = {"X-Session-ID": issued("summaryme-01")}
    listed = chat(api, "pizza in dumbo", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "is the first one cheap?", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == names(listed)[:1] and body["places"][0]["walk_minutes"] > 30


@pytest.mark.parametrize(
    "message", ["whats open past 2am near tandon", "what's still open after 2am around tandon", "anything open at 2am?", "where can i go at 1am near tandon"]
)
def test_whats_open_at_an_hour_of_the_night_asks_for_places_known_for_late_nights(api, catalog, clock, message):
    """Not what's on (no event was asked about), and not a library offered as open past 2am."""
    clock(SUNDAY_NIGHT)

    body = chat(api, message, **TANDON).json()

    assert "event" not in body["reply"].lower()
    assert body["places"] and all("late_night" in card["tags"] for card in body["places"]), body["reply"]


def test_the_age_rules_of_a_list_of_bars_are_not_known_but_the_law_is_said(api, catalog):
    session = {"X-Session-ID": issued("barsage-0001")}
    listed = chat(api, "bars in the east village", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "do they card? im 20", headers=session, **WASHINGTON_SQUARE).json()

    assert all("bar" in card["types"] for card in listed["places"])
    assert body["reply"].endswith("; they serve alcohol, and in New York you must be 21 to drink.")


@pytest.mark.parametrize("message", ["date night dinner in dumbo, somewhere cute", "date night near campus but like max 20 a person"])
def test_a_date_puts_places_to_sit_down_before_counters(api, catalog, message):
    """A food hall or a fast-food counter comes after the restaurants to sit down in, not first."""
    body = chat(api, message, **TANDON).json()

    counters = [bool({"fast_food_restaurant", "food_court", "meal_takeaway"} & set(card["types"])) for card in body["places"]]
    assert len(counters) == 3 and counters == sorted(counters), body["places"]


@pytest.mark.parametrize("message, near", [("coffee near bar tabac", "Bar Tabac"), ("any coffee near juliana's?", "Juliana's Pizza")])
def test_a_kind_asked_near_a_place_named_is_looked_for_around_that_place(api, catalog, message, near):
    """Not the place itself (nor bars, for the "bar" of its name), and not around the student."""
    body = chat(api, message, **TANDON).json()

    assert f"near {near}" in body["reply"], body["reply"]
    assert body["places"] and near not in names(body)
    assert all({"cafe", "coffee_shop"} & set(card["types"]) or card["cuisine"] == "coffee" for card in body["places"]), body["places"]


def test_a_list_around_a_place_named_is_remembered_around_it(api, catalog):
    """Its follow-ups: more of it around that place, and each place's walk from the student."""
    session = {"X-Session-ID": issued("nearname-001")}
    listed = chat(api, "any coffee near juliana's?", headers=session, **TANDON).json()

    far = chat(api, "how far is the first one", headers=session, **TANDON).json()
    more = chat(api, "more", headers=session, **TANDON).json()

    direct = chat(api, f"how far is {names(listed)[0]}", **TANDON).json()
    assert names(far) == names(listed)[:1] and "from where you are" in far["reply"]
    assert far["places"][0]["walk_minutes"] == direct["places"][0]["walk_minutes"] > listed["places"][0]["walk_minutes"]
    assert "near Juliana's Pizza" in more["reply"] and not set(names(more)) & set(names(listed))


def test_cheaper_after_an_italian_date_dinner_is_none_rather_than_a_deli(api, catalog):
    """No Italian restaurant near Washington Square is cheaper than the one shown: said so, not a
    pork store and a pastry shop offered as the cheaper dinner."""
    session = {"X-Session-ID": issued("datecheap-01")}
    chat(api, "date night dinner near wsp", headers=session, **WASHINGTON_SQUARE)
    italian = chat(api, "italian?", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "cheaper?", headers=session, **WASHINGTON_SQUARE).json()

    assert all("restaurant" in card["types"] for card in italian["places"])
    assert body["places"] == [] and body["reply"].startswith("I don't know anything of that kind cheaper than")


@pytest.mark.parametrize("follow_up", ["any w pool table", "any with a pool table?"])
def test_a_game_asked_after_a_list_is_of_the_lists_kind(api, catalog, follow_up):
    """After bars, "any w pool table" asks for a bar with one (Brooklyn Inn's description names it), not an arcade."""
    session = {"X-Session-ID": issued("poolbars-001")}
    chat(api, "bars near tandon for after my midterm", headers=session, **TANDON)

    body = chat(api, follow_up, headers=session, **TANDON).json()

    assert names(body) == ["Brooklyn Inn"] and "arcade" not in body["reply"], body["reply"]


@pytest.mark.parametrize("message", ["is joe's pizza open late", "how late is joe's pizza open"])
def test_open_late_asked_of_a_place_without_hours_says_it_is_known_for_late_nights(api, catalog, clock, message):
    """Its hours are not known, but the catalog knows it for late nights: that answers "late", and
    claims no hour."""
    clock(SUNDAY_NIGHT)

    body = chat(api, message, **WASHINGTON_SQUARE).json()

    assert body["reply"] == "I don't have Joe's Pizza's hours, but it's known for late nights; the map link will show them."


def test_the_age_rules_of_a_bar_are_not_known_but_the_law_is_said(api, catalog):
    """Its door policy is not in the catalog; that a bar serves alcohol, and the drinking age, are known."""
    body = chat(api, "is pdt 21+", **WASHINGTON_SQUARE).json()

    assert names(body) == ["PDT (Please Don't Tell)"]
    assert body["reply"].startswith(
        "I don't know the age or ID rules at PDT (Please Don't Tell); it serves alcohol, and in New York you must be 21 to drink."
    )


def test_which_one_has_what_none_shown_is_marked_with_names_one_of_the_kind_that_is(api, catalog):
    session = {"X-Session-ID": issued("discount-001")}
    listed = chat(api, "rainy sunday, museum near campus thats not the met", headers=session, **WASHINGTON_SQUARE).json()
    assert not any("student_discount" in card["tags"] for card in listed["places"])

    body = chat(api, "which one does a student discount", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("I don't know that any of these has student discount")
    assert "not in that list" in body["reply"]
    assert body["places"] and all("student_discount" in card["tags"] and "museum" in card["types"] for card in body["places"])


def test_a_bar_where_people_sing_along_is_the_one_whose_description_says_they_sing(api, catalog):
    west_village = {"latitude": 40.7336, "longitude": -74.0027}
    body = chat(api, "bar w live music in the village where ppl sing along", **west_village).json()

    assert names(body)[0] == "Marie's Crisis Cafe"


def test_which_is_cheapest_when_those_shown_tie_also_says_whether_any_is_cheaper(api, catalog):
    session = {"X-Session-ID": issued("which-cheap-03")}
    first = chat(api, "pizza near wash sq", headers=session, **WASHINGTON_SQUARE).json()
    assert len({card["price_level"] for card in first["places"]}) == 1, "the pizza places shown are all $"

    body = chat(api, "cheapest of those?", headers=session, **WASHINGTON_SQUARE).json()

    assert body["reply"].startswith("As far as I know these are the same price level:")
    assert body["reply"].endswith("I don't know one for less than that.")
    assert names(body) == names(first)


def test_which_is_nearest_after_a_kind_asked_near_the_park_names_no_park(api, catalog):
    session = {"X-Session-ID": issued("which-close-03")}
    first = chat(api, "slice rn near the park, starving", headers=session, **WASHINGTON_SQUARE).json()
    assert first["places"] and all("pizza_restaurant" in card["types"] for card in first["places"])

    body = chat(api, "ok which is literally nearest, i'm by the fountain", headers=session, **WASHINGTON_SQUARE).json()

    assert body["places"] and all("pizza_restaurant" in card["types"] for card in body["places"]), names(body)


@pytest.mark.parametrize("question", ["do they have live music", "which one has live music"])
def test_live_music_asked_of_the_places_shown_is_answered_from_their_tags(api, catalog, question):
    east_village = {"latitude": 40.7265, "longitude": -73.9815}
    session = {"X-Session-ID": issued("live-tags-01")}
    first = chat(api, "dive bar in the east village cheap beer", headers=session, **east_village).json()
    tagged = [card["name"] for card in first["places"] if "live_music" in card["tags"]]
    assert tagged, "a cheap East Village bar shown is tagged live music"

    body = chat(api, question, headers=session, **east_village).json()

    assert "event" not in body["reply"]
    assert all(name in body["reply"] for name in tagged), body["reply"]


def test_which_is_closer_of_two_places_named_compares_them(api, catalog):
    the_arch = {"latitude": 40.7308, "longitude": -73.9973}
    session = {"X-Session-ID": issued("two-named-01")}
    chat(api, "vegetarian burger?", headers=session, **the_arch)

    body = chat(api, "which is closer to me, corner bistro or superiority burger", headers=session, **the_arch).json()

    assert names(body) == ["Corner Bistro", "Superiority Burger"]
    bistro, burger = body["places"]
    assert bistro["walk_minutes"] < burger["walk_minutes"]
    assert f"Corner Bistro is about {bistro['walk_time']} away on foot" in body["reply"]
    assert f"Superiority Burger is about {burger['walk_time']} away on foot" in body["reply"]


def test_a_kind_that_names_a_place_shown_is_about_that_place_not_places_near_it(api, catalog, clock):
    clock(datetime(2026, 12, 6, 18, 30, tzinfo=NEW_YORK))
    the_arch = {"latitude": 40.7308, "longitude": -73.9973}
    session = {"X-Session-ID": issued("comedy-then-01")}
    first = chat(api, "karaoke near campus?", headers=session, **the_arch).json()
    assert "Comedy Cellar" in names(first)

    body = chat(api, "ok comedy then", headers=session, **the_arch).json()

    assert names(body) == ["Comedy Cellar"]
    assert "near Comedy Cellar" not in body["reply"]
    assert body["places"][0]["walk_minutes"] == next(card for card in first["places"] if card["name"] == "Comedy Cellar")["walk_minutes"]


def test_used_books_are_the_bookstores_described_as_used(api, catalog):
    union_square = {"latitude": 40.7359, "longitude": -73.9911}

    body = chat(api, "used books near union sq", **union_square).json()

    assert "a used bookstore near union square" in body["reply"].lower(), body["reply"]
    assert body["places"] and all("used" in card["description"].lower() for card in body["places"]), names(body)


def test_which_is_cheaper_of_two_places_named_answers_about_those_two(api, catalog):
    dumbo = {"latitude": 40.7033, "longitude": -73.9881}
    session = {"X-Session-ID": issued("two-named-02")}
    chat(api, "pizza in dumbo", headers=session, **dumbo)

    body = chat(api, "which one is cheaper juliana's or grimaldi's", headers=session, **dumbo).json()

    assert names(body) == ["Juliana's Pizza", "Grimaldi's Pizzeria"]
    assert "Fascati" not in body["reply"] and "$$" in body["reply"]


def test_under_21_is_an_age_not_a_budget(api, catalog):
    session = {"X-Session-ID": issued("under-21-01")}
    chat(api, "rooftop bar w a view in manhattan", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "under 21 friendly?", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == ["Le Bain"]
    assert "Le Bain" in body["reply"] and ("21" in body["reply"] or "age" in body["reply"]), body["reply"]


def test_fun_stuff_on_a_saturday_night_is_a_night_out(api, catalog, clock):
    clock(datetime(2026, 12, 10, 15, 0, tzinfo=NEW_YORK))

    body = chat(api, "ok what about just fun stuff to do saturday night in brooklyn", **TANDON).json()

    assert body["places"], body["reply"]
    assert not {"Brooklyn Borough Hall", "Center for Brooklyn History"} & set(names(body)), names(body)


def test_a_student_discount_after_free_things_is_not_asked_free(api, catalog, clock):
    clock(datetime(2026, 12, 6, 15, 0, tzinfo=NEW_YORK))
    the_arch = {"latitude": 40.7308, "longitude": -73.9973}
    session = {"X-Session-ID": issued("free-then-discount-01")}
    chat(api, "free stuff to do around the village today", headers=session, **the_arch)

    body = chat(api, "museum with student discount?", headers=session, **the_arch).json()

    assert "free museum" not in body["reply"]
    assert "Whitney Museum of American Art" in names(body), body["reply"]


@pytest.mark.parametrize("question", ["any cafe inside?", "which one has a cafe inside", "which one has coffee too"])
def test_a_kind_asked_inside_the_places_shown_names_those_that_are_of_it(api, catalog, question):
    soho = {"latitude": 40.7233, "longitude": -73.9985}
    session = {"X-Session-ID": issued("cafe-inside-01")}
    first = chat(api, "bookstores in soho", headers=session, **soho).json()
    assert "Housing Works Bookstore Cafe" in names(first)

    body = chat(api, question, headers=session, **soho).json()

    assert body["reply"].startswith("Of these, Housing Works Bookstore Cafe"), body["reply"]
    assert "Housing Works Bookstore Cafe" in names(body)


@pytest.mark.parametrize("message", ["¿lucali acepta reservas?", "¿Lucali acepta reservaciones?"])
def test_reservations_asked_in_spanish_are_about_the_place_named(api, catalog, message):
    body = chat(api, message, **BROOKLYN_HEIGHTS).json()

    assert names(body)[:1] == ["Lucali"]
    assert "Lucali" in body["reply"] and "reserv" in body["reply"].lower()


def test_booking_ahead_after_a_place_asks_about_it_not_for_a_bookstore(api, catalog):
    session = {"X-Session-ID": issued("book-ahead-01")}
    chat(api, "how much does a night at blue note run", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "should i book seats ahead or just show up", headers=session, **WASHINGTON_SQUARE).json()

    assert names(body) == ["Blue Note Jazz Club"]
    assert "reserv" in body["reply"].lower()


def test_what_violet_can_help_find_is_about_violet_not_a_list(api, catalog):
    body = chat(api, "what kinda stuff can u help me find", **TANDON).json()

    assert body["places"] == []
    assert body["intent"] == "general_question"


def test_a_friend_under_21_asks_the_age_rule_of_the_place_pointed_at(api, catalog, clock):
    clock(datetime(2026, 12, 19, 22, 0, tzinfo=NEW_YORK))
    session = {"X-Session-ID": issued("roommate-20-1")}
    first = names(chat(api, "cocktails near downtown brooklyn sat night", headers=session, **TANDON).json())[0]

    body = chat(api, "my roommate is 20, will the top one let her in", headers=session, **TANDON).json()

    assert body["reply"].startswith(f"I don't know the age or ID rules at {first}")


def test_a_place_named_with_what_it_is_known_for_is_asked_about(api, catalog, clock):
    clock(datetime(2026, 12, 10, 17, 40, tzinfo=NEW_YORK))

    body = chat(api, "juniors cheesecake hours today?", **TANDON).json()

    assert names(body) == ["Junior's Restaurant"]
    assert "Junior's Restaurant's hours" in body["reply"]



def test_the_way_from_an_area_to_a_place_named_is_about_that_place(api, catalog):
    session = {"X-Session-ID": issued("river-cafe-01")}

    body = chat(api, "best way to walk from 2 metrotech to the river café?", headers=session, **TANDON).json()

    assert names(body) == ["The River Café"]
    assert "The River Café" in body["reply"]

    body = chat(api, "can we just walk in or should i call ahead", headers=session, **TANDON).json()

    assert names(body) == ["The River Café"]
    assert "reserv" in body["reply"].lower() and "The River Café" in body["reply"]


CHINATOWN = {"latitude": 40.7158, "longitude": -73.997}
DUMBO = {"latitude": 40.7031, "longitude": -73.9886}


def _prices(body: dict) -> list[int]:
    return [card["price_level"] for card in body["places"] if card["price_level"] is not None]


def test_the_least_expensive_of_these_is_one_of_those_shown(api, catalog):
    session = {"X-Session-ID": issued("least-expen-1")}
    shown = chat(api, "dumplings in chinatown that wont cost more than like $8", headers=session, **CHINATOWN).json()

    body = chat(api, "i want the least expensive of these", headers=session, **CHINATOWN).json()

    assert body["places"] and set(names(body)) <= set(names(shown))
    assert "I don't know one for less than that" in body["reply"]


def test_which_of_those_wont_wreck_my_budget_picks_the_cheapest_shown(api, catalog):
    session = {"X-Session-ID": issued("wreck-budget1")}
    shown = chat(api, "dinner in dumbo w a view of the bridge", headers=session, **DUMBO).json()

    body = chat(api, "which of those won't wreck my budget", headers=session, **DUMBO).json()

    assert body["places"] and set(names(body)) <= set(names(shown))
    assert min(_prices(body)) == min(_prices(shown))


def test_a_price_said_of_the_kind_shown_asks_for_cheaper_ones(api, catalog):
    session = {"X-Session-ID": issued("cocktail-18-1")}
    shown = chat(api, "cocktails near downtown brooklyn sat night", headers=session, **TANDON).json()

    body = chat(api, "anything where cocktails are less than $18", headers=session, **TANDON).json()

    # cheaper ones of the kind shown, or plainly none (no cocktail bar near Tandon is under $$)
    if not body["places"]:
        assert body["reply"].startswith(f"I don't know anything of that kind cheaper than {min(shown['places'], key=lambda c: c['price_level'])['name']}")
        return
    assert not set(names(body)) & set(names(shown))
    assert max(_prices(body)) < min(_prices(shown))


def test_one_where_tickets_cost_less_asks_for_cheaper_ones(api, catalog):
    session = {"X-Session-ID": issued("tickets-less1")}
    shown = chat(api, "museum in manhattan thats not too expensive", headers=session, **WASHINGTON_SQUARE).json()

    body = chat(api, "one where tickets cost less?", headers=session, **WASHINGTON_SQUARE).json()

    assert not set(names(body)) & set(names(shown))
    assert not body["places"] or max(_prices(body)) < min(_prices(shown))


def test_which_of_these_people_rave_about_is_about_the_ratings_of_those_shown(api, catalog, clock):
    clock(datetime(2026, 12, 17, 21, 0, tzinfo=NEW_YORK))
    session = {"X-Session-ID": issued("rave-about-01")}
    shown = chat(api, "live music tonight in brooklyn?", headers=session, **TANDON).json()

    body = chat(api, "out of these which one do people rave about", headers=session, **TANDON).json()

    assert set(names(body)) <= set(names(shown))
    assert "dancing" not in body["reply"]
    assert "rat" in body["reply"]


def test_at_least_a_price_picks_no_cheapest(api, catalog):
    session = {"X-Session-ID": issued("at-least-0001")}
    chat(api, "dinner in dumbo w a view of the bridge", headers=session, **DUMBO)

    body = chat(api, "is the cost at least $30 a person there?", headers=session, **DUMBO).json()

    assert "the cheapest" not in body["reply"]


def test_a_quieter_one_with_none_known_quiet_offers_others_of_the_kind_around_the_area(api, catalog):
    """"one where we can actually hear each other?" after the cocktail bars of the East Village: none is
    known to be quiet, so the other cocktail bars around it, said to be alternatives, not a live-music room."""
    session = {"X-Session-ID": issued("quiet-cocktail1")}
    east_village = {"latitude": 40.7265, "longitude": -73.984}
    first = chat(api, "cocktails in east village", headers=session, **east_village).json()

    body = chat(api, "too packed, one where we can actually hear each other?", headers=session, **east_village).json()

    assert body["places"] and not set(names(body)) & set(names(first))
    assert all("cocktail_bar" in card["types"] for card in body["places"])
    assert body["reply"].startswith("I don't know another quiet cocktail bar")


def test_a_calmer_one_is_never_a_place_known_for_live_music(api, catalog):
    """"somewhere calmer?" after the cafés by Atlantic Terminal: not a hi-fi club that is a café by day."""
    session = {"X-Session-ID": issued("calmer-cafe01")}
    fort_greene = {"latitude": 40.6889, "longitude": -73.9767}
    chat(api, "coffee spot by atlantic terminal where i can camp w my laptop a while", headers=session, **fort_greene)

    body = chat(api, "prob packed on a sat tho, somewhere calmer?", headers=session, **fort_greene).json()

    assert not [card["name"] for card in body["places"] if "live_music" in card["tags"]]


@pytest.mark.parametrize("leaving", ["sweet, heading there now", "perfect, gonna head there", "ok going there now"])
def test_saying_you_are_on_your_way_is_thanks_not_a_list(api, catalog, leaving):
    session = {"X-Session-ID": issued("leaving-00001")}
    chat(api, "coffee near tandon", headers=session, **TANDON)

    body = chat(api, leaving, headers=session, **TANDON).json()

    assert body["intent"] == "small_talk" and body["places"] == []
    assert body["reply"] in ("Anytime! Enjoy.", "You're welcome, have fun!", "Glad I could help!")


def test_how_to_head_there_still_asks_the_way(api, catalog):
    session = {"X-Session-ID": issued("leaving-00002")}
    chat(api, "tell me about juliana's", headers=session, **TANDON)

    body = chat(api, "how do i head there?", headers=session, **TANDON).json()

    assert "Directions:" in body["reply"]


def test_whats_good_with_a_greeting_is_a_greeting(api, catalog):
    body = chat(api, "yo violet whats good", **TANDON).json()

    assert body["intent"] == "small_talk" and body["places"] == []


def test_which_boroughs_violet_knows_is_answered_without_cards(api, catalog):
    body = chat(api, "do u only know manhattan or brooklyn too", **TANDON).json()

    assert body["places"] == []
    assert "Manhattan" in body["reply"] and "Brooklyn" in body["reply"]


def test_a_bar_carding_at_the_door_asks_its_age_rule(api, catalog):
    session = {"X-Session-ID": issued("carding-00001")}
    chat(api, "cocktail bar near wsq", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "does the first one card at the door", headers=session, **WASHINGTON_SQUARE).json()

    assert "21" in body["reply"] or "ID" in body["reply"] or "don't know" in body["reply"]


def test_any_of_it_free_after_whats_on_narrows_whats_on(api, catalog):
    session = {"X-Session-ID": issued("anyofit-00001")}
    chat(api, "this weekend, anything cool happening near nyu", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "any of it free", headers=session, **WASHINGTON_SQUARE).json()

    assert "event" in body["reply"].lower(), body["reply"]


def test_the_way_to_a_place_shown_from_a_park_gives_directions_to_it(api, catalog):
    session = {"X-Session-ID": issued("waytobam-0001")}
    fort_greene = {"latitude": 40.6892, "longitude": -73.9742}
    chat(api, "anything playing at bam this evening", headers=session, **fort_greene)

    body = chat(api, "walking over from the park, whats the way to BAM", headers=session, **fort_greene).json()

    assert "Brooklyn Academy of Music" in body["reply"] and "Directions:" in body["reply"], body["reply"]


def test_the_nearest_view_spot_is_not_the_place_named_view(api, catalog):
    """"nearest view spot?" after views: the nearest of them (and whether one is nearer still), not
    the place whose name has "View" in it read as named."""
    session = {"X-Session-ID": issued("nearview-0001")}
    dumbo = {"latitude": 40.703, "longitude": -73.9885}
    chat(api, "free spot in dumbo to see the skyline at sunset", headers=session, **dumbo)
    chat(api, "show me a few more lookout spots", headers=session, **dumbo)

    body = chat(api, "ok but i'm lazy, nearest view spot?", headers=session, **dumbo).json()

    assert body["reply"].startswith("Of these, "), body["reply"]


def test_closer_to_an_avenue_of_an_area_asks_there_not_nearer(api, catalog):
    session = {"X-Session-ID": issued("secondave-001")}
    east_village = {"latitude": 40.7268, "longitude": -73.9838}
    chat(api, "meatless dinner spot east village-ish", headers=session, **east_village)

    body = chat(api, "what about somewhere closer to 2nd ave", headers=session, **east_village).json()

    assert "East Village" in body["reply"] and "min away" not in body["reply"], body["reply"]  # there, not nearer the student


def test_is_it_a_long_walk_asks_the_distance(api, catalog):
    session = {"X-Session-ID": issued("longwalk-0001")}
    chat(api, "tell me about juliana's", headers=session, **TANDON)

    body = chat(api, "ok is that a long walk from me", headers=session, **TANDON).json()

    assert "min" in body["reply"] and "Juliana" in body["reply"], body["reply"]


@pytest.mark.parametrize(
    ("message", "kind"),
    [("is there anywhere near bobst with a quiet room", None), ("is there anything near joe's pizza with a patio?", None), ("is katz's close to a park", "park")],
)
def test_is_there_something_near_a_place_asks_for_places_not_about_it(api, catalog, message, kind):
    body = chat(api, message, **WASHINGTON_SQUARE).json()

    assert body["intent"] == "new_request", body["reply"]
    assert len(body["places"]) > 1 or body["reply"].startswith("I don't know"), body["reply"]
    if kind:
        assert all(kind in card["types"] for card in body["places"])


def test_which_one_is_vegan_names_no_place_an_hour_away(api, catalog):
    session = {"X-Session-ID": issued("vegan-beyond-01")}
    chat(api, "cafes near washington square", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "which one is vegan", headers=session, **WASHINGTON_SQUARE).json()

    assert "Public Records" not in body["reply"]
    assert all((card["walk_minutes"] or 0) <= 30 for card in body["places"])


def test_a_general_kind_inside_after_parks_is_no_question_about_the_parks(api, catalog):
    session = {"X-Session-ID": issued("food-inside-01")}
    chat(api, "parks near washington square", headers=session, **WASHINGTON_SQUARE)

    body = chat(api, "any food inside? its raining", headers=session, **WASHINGTON_SQUARE).json()

    assert not body["reply"].startswith("I don't know that any of these is also")
    assert body["places"] and not any("park" in card["types"] for card in body["places"]), names(body)


def test_telling_violet_she_is_up_late_at_night_brings_no_late_night_places(api, catalog, clock):
    clock(SUNDAY_NIGHT)

    body = chat(api, "lol ur up late too huh", **WASHINGTON_SQUARE).json()

    assert body["intent"] == "small_talk" and body["places"] == [], body["reply"]
