"""Words students use that the vocabulary must know (issue 13, the dev4 round): streets and landmarks
around both campuses, meal times beside a dish, a student ID, "veg", "book" as a verb before a name
(pure: no database, no clock)."""

import pytest

from recommendations.request import understand as request_in
from recommendations.understand import FOLLOW_UP, Context, understand

NAMES = ("Grimaldi's Pizzeria", "Juliana's Pizza", "Sahadi's", "Strand Book Store", "Mile End Delicatessen", "Veselka")


@pytest.mark.parametrize(
    ("message", "area"),
    [
        ("early coffee near christopher st", "christopher_street"),
        ("pizza by sheridan sq", "christopher_street"),
        ("bars on bleecker st", "bleecker_street"),
        ("food near macdougal", "macdougal_street"),
        ("coffee around w 4th", "west_4th"),
        ("lunch on court st", "court_street"),
        ("bagels near fulton st", "downtown_brooklyn"),
        ("where can i get poutine around downtown bk", "downtown_brooklyn"),
        ("coffee near jay st metrotech", "tandon"),
        ("ramen on lafayette st", "noho"),
        ("bagels near waverly pl", "washington_square"),
        ("lunch near joralemon st", "borough_hall"),
        ("pizza on myrtle ave", "downtown_brooklyn"),
    ],
)
def test_streets_and_landmarks_around_both_campuses_are_areas(message, area):
    assert request_in(message).area.key == area


def test_a_meal_time_beside_a_dish_is_when_not_what():
    """"dim sum brunch": dim sum (Chinese dumplings) at brunch time, not bagels."""
    assert [want.key for want in request_in("dim sum brunch w my roommates").whats] == ["dumplings"]
    assert [want.key for want in request_in("brunch near tandon").whats] == ["brunch"]
    assert request_in("pancakes near tandon").whats[0].kinds == request_in("breakfast").whats[0].kinds


def test_a_student_id_asks_for_a_student_discount_and_a_free_afternoon_is_no_price():
    asked = request_in("museum thats cheap w a student id? got a free afternoon")

    assert asked.needs == ("student_discount",) and asked.price_max is None  # the discount is what makes it cheap


def test_veg_is_vegetarian():
    assert request_in("my sister is veg").diet == ("vegetarian",)


def test_a_diet_question_at_a_named_place_is_about_that_place():
    understood = understand("my sister is veg — is there stuff for her at sahadi's?", names=NAMES)

    assert (understood.intent, understood.named, understood.topic) == (FOLLOW_UP, "Sahadi's", "diet")


@pytest.mark.parametrize("message", ["can u book grimaldis or is it line only", "can i book a table at grimaldi's?"])
def test_book_before_a_place_name_asks_about_reservations_not_for_a_bookstore(message):
    understood = understand(message, names=NAMES)

    assert (understood.named, understood.topic) == ("Grimaldi's Pizzeria", "reservations")


def test_a_bookstore_by_name_is_still_that_bookstore():
    assert understand("is strand book store open?", names=NAMES).named == "Strand Book Store"


@pytest.mark.parametrize(
    ("message", "thing", "area"),
    [
        ("hot pot near wash sq? it's freezing out", "hot pot", "washington_square"),
        ("where can i get poutine around downtown bk", "poutine", "downtown_brooklyn"),
        ("学校附近有麻辣烫吗\uff1f", "麻辣烫", None),
        ("any churros near tandon", "churros", "tandon"),
    ],
)
def test_a_thing_the_vocabulary_does_not_know_is_asked_for_by_its_own_words(message, thing, area):
    """Looked for in the catalog's names and descriptions, never dropped for a list of anything nearby."""
    request = understand(message, names=NAMES).request

    assert [want.described for want in request.whats] == [frozenset({thing})]
    assert request.whats[0].label == f"{thing} place"
    assert (request.area.key if request.area else None) == area


@pytest.mark.parametrize(
    "message",
    [
        "anything near wash sq",
        "somewhere near tandon",
        "whats good near union sq",
        "stuff to do near dumbo tonight",
        "where can i go tonight",
        "附近有什么好吃的吗",
        "where can i get some work done near bobst",
        "something chill near campus",
        "living in brooklyn is hard",
        "waiting near the arch?",
        "meeting friends near wsp?",
        "friends near wsp?",
        "lost near the bridge?",
        "stuck in class rn",
    ],
)
def test_words_that_name_no_thing_ask_for_nothing_unknown(message):
    request = understand(message, names=NAMES).request

    assert request is None or not any(want.key.startswith("asked:") for want in request.whats)


def test_a_street_area_leaves_the_places_named_after_it_nameable():
    names = ("DeKalb Market Hall", "Fulton Ferry Landing", "Bleecker Street Pizza")

    assert understand("dekalb market — how far from tandon", names=names).named == "DeKalb Market Hall"
    assert understand("tell me about fulton ferry landing", names=names).named == "Fulton Ferry Landing"
    assert understand("is bleecker street pizza open", names=names).named == "Bleecker Street Pizza"


@pytest.mark.parametrize(
    "message",
    [
        "whole pie for 5 ppl by the bridge tonight — juliana's or grimaldi's, which one's the move",
        "grimaldis vs julianas?",
        "juliana's or grimaldi's",
    ],
)
def test_two_places_named_as_a_choice_are_compared(message):
    understood = understand(message, names=NAMES)

    assert understood.intent == FOLLOW_UP and not understood.new_list
    assert set(understood.compared) == {"Juliana's Pizza", "Grimaldi's Pizzeria"}


def test_two_places_named_for_a_dish_only_one_is_named_for_are_compared():
    """"katz or russ & daughters for pastrami?": Russ & Daughters' name says no deli, but it is a choice."""
    names = ("Katz's Delicatessen", "Russ & Daughters")

    assert understand("katz or russ & daughters for pastrami?", names=names).compared == names


def test_one_place_named_is_no_comparison():
    assert understand("is juliana's open or closed today", names=NAMES).compared == ()


@pytest.mark.parametrize("message", ["any pizza besides juliana's or grimaldi's?", "not juliana's or grimaldi's, somewhere else"])
def test_places_named_to_leave_out_are_no_comparison(message):
    assert understand(message, names=NAMES).compared == ()


def test_everyday_spanish_is_no_typo_and_how_do_i_walk_there_asks_the_way():
    """"¿y cómo camino hasta allá?": "hasta" is not "pasta"; the way to the place in view."""
    from recommendations.turn import understand_turn

    assert request_in("¿y cómo camino hasta allá?").whats == ()
    assert understand_turn("¿y cómo camino hasta allá?").topic == "directions"


def test_tickets_in_advance_asks_whether_to_book():
    from recommendations.turn import understand_turn

    assert understand_turn("should i grab tickets in advance or just show up").topic == "reservations"


SHOWN_THREE = Context(shown=("Juliana's Pizza", "Grimaldi's Pizzeria", "Veselka"), before=request_in("pizza"))


def test_how_far_a_shown_place_is_from_a_named_place_is_measured_from_there():
    understood = understand("how far is the second one from mile end", context=SHOWN_THREE, names=NAMES)

    assert (understood.intent, understood.target, understood.topic, understood.from_place) == (
        FOLLOW_UP, 1, "distance", "Mile End Delicatessen"
    )


def test_how_far_a_shown_place_is_from_an_area_is_measured_from_there():
    understood = understand("how far is the second one from tandon", context=SHOWN_THREE, names=NAMES)

    assert (understood.intent, understood.target, understood.topic, understood.asked.area.key) == (FOLLOW_UP, 1, "distance", "tandon")
    assert not understood.new_list


@pytest.mark.parametrize(
    ("message", "thing", "label"),
    [
        ("any hookah lounge near wash sq", "hookah", "hookah lounge"),
        ("is there axe throwing anywhere near tandon lol", "axe throwing", "axe throwing place"),
        ("any falconry place around union sq", "falconry", "falconry place"),
        ("is there a hookah spot near tandon?", "hookah", "hookah spot"),
    ],
)
def test_a_thing_asked_for_with_its_place_word_is_looked_for_by_the_thing(message, thing, label):
    """"is there X anywhere near Y", "any X place/spot/lounge near Y": X is the thing asked, and the
    place word stays in what is said ("I don't know a hookah lounge")."""
    request = understand(message, names=NAMES).request

    assert [want.described for want in request.whats] == [frozenset({thing})]
    assert request.whats[0].label == label


@pytest.mark.parametrize(
    ("message", "thing", "kind", "label"),
    [
        ("is there a cat cafe anywhere near metrotech", "cat", "coffee", "cat cafe"),
        ("turkish doner kebab near downtown bk?", "turkish doner", "middle_eastern", "turkish doner kebab"),
        ("ping pong bar near union sq?", "ping pong", "bar", "ping pong bar"),
    ],
)
def test_a_word_no_vocabulary_knows_before_a_kind_asks_for_that_kind_known_for_it(message, thing, kind, label):
    """"cat cafe": a coffee shop whose description says cat; the coffee shop alone is an alternative."""
    request = understand(message, names=NAMES).request

    assert [(want.described, want.label) for want in request.whats] == [(frozenset({thing}), label)]
    assert request.whats[0].key.endswith(f"@{kind}")


@pytest.mark.parametrize(
    "message",
    [
        "ok fine just a regular cafe close by",
        "any cozy cafe near tandon?",
        "a cute cafe near wash sq?",
        "any spacious cafe near tandon?",
        "any lively bar near union sq?",
        "any good pizza place near union sq",
        "is there a decent bar near tandon",
        "any cheap pizza spot near wash sq",
        "is there a quiet cafe anywhere near bobst",
        "any late night food near tandon?",
        "is there a coffe shop near metrotech",
        "hay algun cafe cerca de union square?",
        "any sports bar near union sq?",
        "is there anything fun near dumbo",
        "anything cheaper",
    ],
)
def test_ordinary_requests_ask_for_nothing_unknown(message):
    request = understand(message, context=SHOWN_THREE, names=NAMES).request

    assert request is None or not any(want.key.startswith("asked:") for want in request.whats)


def test_ice_cream_is_its_own_kind_with_dessert_instead():
    """No ice cream shop is in the catalog: "ice cream" asks for one, and dessert stands in for it."""
    whats = request_in("ice cream in dumbo rn??").whats

    assert [want.key for want in whats] == ["ice_cream"]
    assert [want.key for want in request_in("crepes near union sq").whats] == ["crepes"]
