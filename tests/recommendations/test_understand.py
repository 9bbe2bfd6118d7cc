"""The one understanding step: a message read with what the conversation remembers (pure: no
database, no clock)."""

from dataclasses import replace

import pytest

from recommendations.request import from_memory
from recommendations.request import understand as request_in
from recommendations.turn import tokenize, topic_of
from recommendations.understand import CLEAR, FOLLOW_UP, MORE_OPTIONS, NEW_REQUEST, Context, card_words, understand

NAMES = ("Joe's Pizza", "Think Coffee", "Juliana's", "Yemen Cafe & Restaurant", "Elmer Holmes Bobst Library", "Caffe Reggio")
COFFEE_LIST = Context(shown=("Think Coffee", "Caffe Reggio", "Joe's Pizza"), before=request_in("coffee"), vibe="study")


def test_a_new_request_carries_what_was_asked_and_its_vibe():
    understood = understand("where can i get sushi near union square", names=NAMES)

    assert understood.intent == NEW_REQUEST and understood.new_list
    assert [want.key for want in understood.request.whats] == ["sushi"]
    assert understood.request.area.key == "union_square"
    assert understood.vibe == understood.request.vibe


def test_somewhere_else_instead_is_the_same_request_there():
    understood = understand("somewhere near Washington Square instead", context=COFFEE_LIST, names=NAMES)

    assert understood.intent == NEW_REQUEST
    assert [want.key for want in understood.request.whats] == ["coffee"]
    assert understood.request.area.key == "washington_square"


@pytest.mark.parametrize("message", ["anything cheaper?", "closer one?", "more options"])
def test_refinements_and_more_keep_the_remembered_request(message):
    understood = understand(message, context=COFFEE_LIST, names=NAMES)

    assert understood.intent in (FOLLOW_UP, MORE_OPTIONS) and understood.new_list
    assert understood.request == COFFEE_LIST.before


def test_a_place_asked_about_by_name_is_the_answer_not_a_refinement():
    understood = understand("is Joe's Pizza open right now?", context=COFFEE_LIST, names=NAMES)

    assert (understood.intent, understood.named, understood.refinement) == (FOLLOW_UP, "Joe's Pizza", None)
    assert understood.topic == "hours" and not understood.new_list


def test_a_place_named_as_where_is_not_what_is_asked_about():
    understood = understand("cheap eats near Bobst", names=NAMES)

    assert understood.named is None and understood.request.area.key == "bobst"


@pytest.mark.parametrize(
    ("message", "target", "topic"),
    [("is it open now?", 0, "hours"), ("how far is it", 0, "distance"), ("what's the address", 0, "address")],
)
def test_a_question_after_one_card_is_about_that_card(message, target, topic):
    context = Context(shown=("Think Coffee",), before=request_in("coffee"))
    understood = understand(message, context=context, names=NAMES)

    assert (understood.intent, understood.target, understood.topic, understood.refinement) == (FOLLOW_UP, target, topic, None)


def test_the_second_one_points_at_the_second_card():
    understood = understand("how do i get to the second one", context=COFFEE_LIST, names=NAMES)

    assert (understood.intent, understood.target, understood.topic) == (FOLLOW_UP, 1, "directions")


def test_a_diet_question_keeps_the_diet_asked():
    understood = understand("is the first one halal?", context=COFFEE_LIST, names=NAMES)

    assert understood.target == 0 and understood.asked.diet == ("halal",)


def test_start_over_clears():
    assert understand("start over", context=COFFEE_LIST, names=NAMES).intent == CLEAR


def test_small_talk_is_not_a_request():
    understood = understand("thanks!", context=COFFEE_LIST, names=NAMES)

    assert understood.request is None and understood.thanks and not understood.new_list


@pytest.mark.parametrize(
    ("message", "kind"),
    [("¿dónde hay café cerca?", "coffee"), ("附近有图书馆吗", "library"), ("quiero sushi barato", "sushi")],
)
def test_spanish_and_chinese_requests_are_requests(message, kind):
    understood = understand(message, names=NAMES)

    assert understood.intent == NEW_REQUEST
    assert kind in [want.key for want in understood.request.whats]


def test_the_app_sent_vibe_is_kept_when_nothing_names_one():
    assert understand("hey violet", vibe_hint="party").vibe == "party"
    assert understand("how far is the first one?", context=COFFEE_LIST).vibe == "study"


def test_asking_again_asks_for_other_places():
    understood = understand("coffee", context=COFFEE_LIST, names=NAMES)

    assert understood.intent == MORE_OPTIONS and understood.request == COFFEE_LIST.before


@pytest.mark.parametrize("message", ["这个周末有活动吗", "anything fun happening this wknd?", "whats happenin saturday"])
def test_asking_whats_on_is_a_request_however_it_is_put(message):
    understood = understand(message, names=NAMES)

    assert understood.events and understood.intent == NEW_REQUEST and understood.new_list


@pytest.mark.parametrize(("message", "topic"), [("how much is lunch there?", "price"), ("how far is the food there", "distance")])
def test_a_question_about_the_place_shown_that_names_a_meal_is_about_it(message, topic):
    context = Context(shown=("Think Coffee", "Caffe Reggio", "Joe's Pizza"), before=request_in("noodles"), focus=0)
    understood = understand(message, context=context, names=NAMES)

    assert (understood.intent, understood.topic, understood.request, understood.target) == (FOLLOW_UP, topic, None, 0)


def test_another_kind_instead_is_a_new_request_and_anything_else_is_more():
    bars = Context(shown=("Think Coffee", "Caffe Reggio"), before=request_in("cheap bar"), vibe="chill_drinks")
    bagels = Context(shown=("Think Coffee",), before=request_in("bagels"), vibe="fast_bite")

    instead = understand("ok what about a movie instead", context=bars, names=NAMES)
    more = understand("anything else around for breakfast", context=bagels, names=NAMES)

    assert instead.intent == NEW_REQUEST and [want.key for want in instead.request.whats] == ["movies"]
    assert more.intent == MORE_OPTIONS  # other places than those shown


def test_do_they_card_asks_the_age_rules_of_the_place_pointed_at():
    context = Context(shown=("Think Coffee", "Caffe Reggio", "Joe's Pizza"), before=request_in("bar"))

    understood = understand("will they card me at the 2nd one", context=context, names=NAMES)

    assert (understood.intent, understood.target, understood.topic) == (FOLLOW_UP, 1, "age")


def test_a_place_called_a_tourist_trap_is_asked_about_not_a_sight():
    understood = understand("is katz's a tourist trap? how much is a sandwich", names=(*NAMES, "Katz's Delicatessen"))

    assert (understood.named, understood.topic) == ("Katz's Delicatessen", "price")


def test_when_a_named_place_closes_is_about_that_place_not_places_close_to_it():
    names = (*NAMES, "Joe's Pub")

    closing = understand("what time does joe's pizza close", names=names)
    near = understand("pizza close to bobst", names=names)

    assert (closing.named, closing.topic) == ("Joe's Pizza", "hours")
    assert near.named is None and near.request.area.key == "bobst"


@pytest.mark.parametrize(
    ("message", "target", "topic"),
    [
        ("how long is the walk to the second one", 1, "distance"),
        ("how many mins to the 3rd", 2, "distance"),
        ("is the first one ok for my 19 yo friend", 0, "age"),
    ],
)
def test_how_long_a_walk_and_how_old_are_questions_about_a_shown_place(message, target, topic):
    understood = understand(message, context=COFFEE_LIST, names=NAMES)

    assert (understood.intent, understood.target, understood.topic) == (FOLLOW_UP, target, topic)


@pytest.mark.parametrize("message", ["how far from tandon", "directions from bobst pls", "how many mins from union sq"])
def test_how_far_from_an_area_is_about_the_place_in_view_not_places_there(message):
    context = Context(shown=("Juliana's",), before=request_in("pizza"))

    understood = understand(message, context=context, names=NAMES)

    assert (understood.intent, understood.target, understood.named, understood.request) == (FOLLOW_UP, 0, None, None)
    assert understood.topic in ("distance", "directions") and understood.asked.area is not None


def test_the_cover_charge_is_a_price_question_not_food():
    understood = understand("whats the cover charge", context=Context(shown=("Joe's Pizza",)), names=NAMES)

    assert (understood.intent, understood.topic, understood.request) == (FOLLOW_UP, "price", None)


def test_what_about_a_named_place_instead_asks_about_it():
    pizza = Context(shown=("Joe's Pizza",), before=request_in("pizza"), focus=0)

    understood = understand("what about juliana's instead, is it pricey", context=pizza, names=NAMES)

    assert (understood.intent, understood.named, understood.topic) == (FOLLOW_UP, "Juliana's", "price")


@pytest.mark.parametrize("message", ["somewhere besides bobst, its packed", "not joe's pizza, another one", "something other than caffe reggio"])
def test_a_place_named_to_leave_out_asks_for_other_places(message):
    listed = Context(shown=("Elmer Holmes Bobst Library", "Joe's Pizza", "Caffe Reggio"), before=request_in("study"))

    understood = understand(message, context=listed, names=NAMES)

    assert understood.intent == MORE_OPTIONS and understood.named is None


@pytest.mark.parametrize(
    ("message", "topic", "target"),
    [
        ("do i need to be 21 for the second one", "age", 1),
        ("whats the addy of the 3rd one", "address", 2),
        ("¿Hay que tener 21 para entrar al primero?", "age", 0),  # "al primero": the first one
    ],
)
def test_age_and_address_in_other_words_are_questions_about_a_shown_place(message, topic, target):
    understood = understand(message, context=COFFEE_LIST, names=NAMES)

    assert (understood.intent, understood.topic, understood.target) == (FOLLOW_UP, topic, target)


@pytest.mark.parametrize(("shown", "message", "target", "past_end"), [
    (("Think Coffee",), "第二家怎么走", 0, 1),  # one place shown: about it, saying there was one
    (("Think Coffee", "Caffe Reggio"), "the third one how far", None, 2),
    (("Think Coffee", "Caffe Reggio"), "the second one how far", 1, 0),
])  # fmt: skip
def test_a_position_past_the_list_is_said_to_be_past_it(shown, message, target, past_end):
    understood = understand(message, context=Context(shown=shown, before=request_in("coffee")), names=NAMES)

    assert (understood.intent, understood.target, understood.past_end) == (FOLLOW_UP, target, past_end)


FALAFEL_LIST = Context(shown=("Mamoun's Falafel", "The Halal Guys"), before=request_in("falafel"))


def test_a_diet_word_in_a_place_name_does_not_point_at_that_place():
    understood = understand("is it halal", context=FALAFEL_LIST, names=("Mamoun's Falafel", "The Halal Guys"))

    assert understood.intent == FOLLOW_UP and understood.topic == "diet"
    assert understood.named is None and understood.target is None  # not The Halal Guys for the word "halal"


def test_how_late_they_are_open_asks_their_hours_and_open_late_asks_for_places():
    hours = understand("how late r they open", context=FALAFEL_LIST)
    late = understand("ok whats open late then", context=FALAFEL_LIST)

    assert (hours.intent, hours.topic, hours.request) == (FOLLOW_UP, "hours", None)
    assert late.intent == NEW_REQUEST and "late_night" in late.request.needs


ONE_NAMED_PLACE = Context(shown=("Veselka",))  # "veselka open 24 hrs?" was asked; no list


@pytest.mark.parametrize(("message", "about_it"), [
    ("vegetarian friendly?", True),
    ("vegan options?", True),
    ("any vegetarian places near here?", False),  # places asked for
    ("vegan spots?", False),
    ("halal food?", False),
])  # fmt: skip
def test_a_bare_diet_question_after_one_named_place_is_about_it(message, about_it):
    understood = understand(message, context=ONE_NAMED_PLACE)

    assert (understood.intent == FOLLOW_UP and understood.target == 0) is about_it
    assert understood.topic == "diet"


@pytest.mark.parametrize(("message", "topic"), [
    ("what about the brooklyn heights library", "hours"),
    ("and walt whitman library?", "hours"),
    ("tell me about the brooklyn heights library", None),  # not the same question again
])  # fmt: skip
def test_what_about_another_named_place_asks_the_same_question(message, topic):
    names = ("Bern Dibner Library (NYU Tandon)", "Brooklyn Public Library \N{EN DASH} Brooklyn Heights",
             "Brooklyn Public Library \N{EN DASH} Walt Whitman")  # fmt: skip
    context = Context(shown=(names[0],), topic_before="hours")

    understood = understand(message, context=context, names=names)

    assert understood.named in names[1:] and understood.topic == topic


def test_this_cold_points_at_no_place_but_that_hot_chocolate_does():
    from recommendations.turn import not_a_pointer, tokenize

    cold = tokenize("anything closer? dont wanna walk far in this cold")
    chocolate = tokenize("is that hot chocolate any good")
    assert not_a_pointer(cold, cold.index("this"))
    assert not not_a_pointer(chocolate, chocolate.index("that"))


FOOD_LIST = Context(shown=("Joe's Pizza", "Yemen Cafe & Restaurant", "Juliana's"), before=request_in("cheap eats"), vibe="fast_bite")


@pytest.mark.parametrize(
    ("message", "target"),
    [("¿es vegetariano?", 1), ("is it vegan?", 1), ("是素食吗", 1), ("es caro?", 1), ("are they halal?", None), ("¿son caros?", None)],
)
def test_a_yes_no_question_of_diet_or_price_is_about_the_places_shown(message, target):
    understood = understand(message, context=replace(FOOD_LIST, focus=1), names=NAMES)

    assert understood.intent == FOLLOW_UP and not understood.new_list
    assert understood.request is None and understood.target == target


@pytest.mark.parametrize("message", ["is there a vegan place near here?", "are there any halal spots?"])
def test_asking_whether_there_is_a_place_of_a_diet_is_still_a_search(message):
    understood = understand(message, context=FOOD_LIST, names=NAMES)

    assert understood.new_list and understood.request.diet


def _card(name: str, types: list[str], cuisine: list[str], description: str, price: int | None) -> dict:
    return {"name": name, "types": types, "cuisine": cuisine, "tags": [], "description": description, "price_level": price}


BRUNCH_CARDS = [
    _card("Junior's Restaurant", ["restaurant", "diner", "bakery"], ["american", "dessert"], "Classic diner famous for its cheesecake.", 2),
    _card("Montague Street Bagels", ["bagel_shop", "bakery", "cafe"], ["bagels", "coffee"], "Neighborhood bagel counter.", 1),
    _card("Café Luluc", ["french_restaurant", "cafe", "restaurant"], ["french", "breakfast"], "French bistro famous for its fluffy pancakes.", 3),
]
BRUNCH = Context(shown=tuple(card["name"] for card in BRUNCH_CARDS), before=request_in("brunch"), about=card_words(BRUNCH_CARDS))


@pytest.mark.parametrize(
    ("message", "target", "topic"),
    [
        ("is the pancake place open now", 2, "hours"),
        ("how far is the one with the pancakes", 2, "distance"),
        ("is the bagel one open?", 1, "hours"),
        ("is the cheap one open", 1, "hours"),
        ("how far is the pricey one", 2, "distance"),
        ("is the diner open", 0, "hours"),
    ],
)
def test_a_shown_place_is_pointed_at_by_what_it_is_or_serves(message, target, topic):
    understood = understand(message, context=BRUNCH, names=NAMES)

    assert (understood.intent, understood.target, understood.topic) == (FOLLOW_UP, target, topic)
    assert understood.request is None


@pytest.mark.parametrize("message", ["is the bakery open", "any bars near the pancake place", "more like the pancake place"])
def test_a_kind_two_shown_places_share_or_a_search_around_one_points_at_none(message):
    understood = understand(message, context=BRUNCH, names=NAMES)

    assert understood.target is None


@pytest.mark.parametrize(
    ("first", "then", "kept"),
    [
        ("date night dinner near wash sq", "italian?", {"setting": ["date_night+food"], "area": "washington_square"}),
        ("bday dinner for 6, like a real sit-down place", "italian?", {"setting": ["sit_down"], "party": 6}),
        ("halal food under $15", "what about thai?", {"diet": ["halal"], "price_max": 1}),
        ("vegan food for 6 ppl", "any mexican?", {"diet": ["vegan"], "party": 6}),
        ("halal food near tandon", "what about a library", {"diet": [], "setting": [], "area": "tandon"}),
        ("date night dinner", "what about a bar?", {"setting": []}),
    ],
)
def test_a_follow_up_that_changes_the_kind_keeps_the_other_facets(first, then, kept):
    before = request_in(first)
    context = Context(shown=("Joe's Pizza", "Think Coffee"), before=before)

    understood = understand(then, context=context, names=NAMES)

    memory = understood.request.to_memory()
    assert memory["whats"] == [want.key for want in request_in(then).whats]
    assert {key: memory[key] for key in kept} == kept


@pytest.mark.parametrize("then", ["coffee?", "what about dessert"])
def test_an_occasion_is_kept_for_a_meal_not_for_coffee_or_dessert_a_diet_for_both(then):
    vegan = Context(shown=("Joe's Pizza", "Think Coffee"), before=request_in("vegan food near washington square"))
    date = Context(shown=("Joe's Pizza", "Think Coffee"), before=request_in("date night dinner near washington square"))

    assert understand(then, context=vegan, names=NAMES).request.diet == ("vegan",)
    assert understand(then, context=date, names=NAMES).request.setting == ()


def test_more_of_a_kind_keeps_the_rest_of_the_last_ask():
    context = Context(shown=("Dante",), before=understand("italian?", context=Context(shown=("A", "B"), before=request_in("date night dinner under $30"))).request)

    request = understand("any other italian?", context=context, names=NAMES).request

    assert [want.key for want in request.setting] == ["date_night+food"] and request.price_max == 2


@pytest.mark.parametrize("message", ["how's the menu?", "what's the address"])
def test_what_is_asked_about_a_place_does_not_point_at_the_one_whose_description_says_it(message):
    cards = [*BRUNCH_CARDS[:2], {**BRUNCH_CARDS[2], "description": "French bistro; the menu is on the address plate."}]
    context = replace(BRUNCH, about=card_words(cards))

    assert understand(message, context=context, names=NAMES).target is None


def test_at_all_in_a_question_about_a_shown_place_asks_for_no_farther_places():
    context = Context(shown=("Joe's Pizza", "Think Coffee"), before=request_in("pizza"), focus=0)

    understood = understand("is it open at all on sunday", context=context, names=NAMES)

    assert understood.intent == FOLLOW_UP and not understood.farther_if_none


def test_an_area_said_is_where_not_the_place_named_after_it():
    """"dinner in fort greene" asks for dinner in the neighbourhood, not about Fort Greene Park; the
    park's whole name still names it."""
    names = ("Fort Greene Park", "Miss Ada", *NAMES)
    understood = understand("nice-ish dinner in fort greene, my parents are visiting", names=names)

    assert understood.named is None and understood.request.area.key == "fort_greene"
    assert understand("tell me about fort greene park", names=names).named == "Fort Greene Park"


def test_an_unknown_thing_beside_a_kind_is_that_kind_said_by_it_and_survives_memory():
    request = understand("ping pong bar near union sq?", names=NAMES).request

    assert [want.label for want in request.whats] == ["ping pong bar"] and request.area.key == "union_square"
    assert from_memory(request.to_memory()) == request
    assert [want.key for want in understand("jazz bar near union sq?", names=NAMES).request.whats] != [request.whats[0].key]


def test_and_around_a_park_that_names_an_area_is_the_same_kind_there():
    context = Context(shown=("Strand Book Store", "Alabaster Bookshop"), before=request_in("bookshops near union sq"))

    understood = understand("hmm ok and around wash sq park?", context=context, names=NAMES)

    assert [want.key for want in understood.request.whats] == ["bookstore"]
    assert understood.request.area.key == "washington_square"


@pytest.mark.parametrize(
    "message", ["ok real q, any food still going near metrotech at 2am", "its 1am and i need a burger, west village"]
)
def test_a_place_asked_for_past_midnight_is_one_known_for_late_nights(message):
    assert "late_night" in understand(message, names=NAMES).request.needs


def test_a_place_asked_for_at_an_evening_hour_needs_no_late_nights():
    assert "late_night" not in understand("dinner near metrotech at 8pm", names=NAMES).request.needs


def test_cheaper_after_an_upscale_list_drops_the_top_prices_and_keeps_the_rest():
    """"those look pricey, lower budget?" after a nice dinner with a view: cheaper places with the view."""
    context = Context(shown=("Think Coffee", "Caffe Reggio"), before=request_in("nice dinner in dumbo where u can see manhattan"))
    understood = understand("those look pricey, lower budget?", context=context, names=NAMES)

    assert understood.refinement == "cheaper" and understood.new_list
    assert understood.request.price_min is None and understood.request.price_max is None
    assert understood.request.needs == ("view",) and understood.request.area.key == "dumbo"


@pytest.mark.parametrize("message", ["something more budget, same area?", "those look pricey, lower budget?"])
def test_a_budget_compared_is_a_cheaper_list_of_the_same_kind(message):
    understood = understand(message, context=COFFEE_LIST, names=NAMES)

    assert understood.refinement == "cheaper" and understood.new_list
    assert understood.request.whats == COFFEE_LIST.before.whats


def test_a_budget_said_with_a_new_request_is_kept():
    """"not too pricey" with nothing shown sets a budget: there is no list to be cheaper than."""
    understood = understand("brunch spot near wsq for 4, not too pricey", names=NAMES)

    assert understood.request.price_max == 1


@pytest.mark.parametrize(
    ("message", "intent", "target"),
    [
        ("can we bring our own wine there", FOLLOW_UP, 0),  # put to the place: whether one can
        ("do they do slices there", FOLLOW_UP, 0),
        ("can u find a bar near there", NEW_REQUEST, None),  # a search around it
        ("any bars near it?", NEW_REQUEST, None),
    ],
)
def test_a_question_put_to_the_one_place_shown_is_about_it_and_a_search_around_it_is_not(message, intent, target):
    context = Context(shown=("Joe's Pizza",), points=((40.7306, -74.0021),), about=card_words([{"name": "Joe's Pizza", "types": ["pizza_restaurant"]}]))

    understood = understand(message, context=context, names=NAMES)

    assert (understood.intent, understood.target) == (intent, target), understood


def test_a_kind_close_to_a_place_is_where_it_is_asked_for_not_how_far_the_place_is():
    context = Context(shown=("Elmer Holmes Bobst Library",), points=((40.7295, -73.9972),), focus=0)

    understood = understand("then a cafe close to bobst for after", context=context, names=NAMES)

    assert understood.intent == NEW_REQUEST and understood.topic is None, understood
    assert [want.key for want in understood.request.whats] == ["coffee"] and understood.request.area.key == "bobst"
    assert topic_of(tokenize("is the cafe close to bobst")) == "distance"  # how far the cafe is


@pytest.mark.parametrize("message", ["不花钱的有哪些", "便宜的有哪些", "还有啥", "有什么呢", "algunos cerca de wsq?", "cuales cerca de wsq?"])
def test_a_function_word_is_never_a_thing_asked_for(message):
    """"不花钱的有哪些" (which ones cost nothing) asks for no "哪些"; "cuales cerca de wsq?" for no "cuales"."""
    context = Context(shown=("Washington Square Park",), before=request_in("学校这边周末有啥好逛的"))
    understood = understand(message, context=context, names=NAMES)

    assert understood.request is None or not any(want.key.startswith("asked:") for want in understood.request.whats)


@pytest.mark.parametrize(
    ("message", "shown", "kind"),
    [
        ("then a cafe close to bobst for after", ("Elmer Holmes Bobst Library",), "coffee"),
        ("gotta eat first, food close to the bridge?", ("Brooklyn Bridge (Brooklyn entrance)",), "food"),
        ("algun cafe cerca de bobst?", ("Elmer Holmes Bobst Library",), "coffee"),
    ],
)
def test_a_kind_close_to_a_place_shown_is_asked_for_there_not_how_far_it_is(message, shown, kind):
    """"a cafe close to bobst" with Bobst shown asks for cafes by Bobst, not how far Bobst is."""
    context = Context(shown=shown, points=((40.7295, -73.9972),), focus=0, before=request_in("study around wash sq"))
    understood = understand(message, context=context, names=(*NAMES, "Brooklyn Bridge (Brooklyn entrance)"))

    assert understood.intent == NEW_REQUEST and understood.topic is None
    assert [want.key for want in understood.request.whats] == [kind] and understood.request.area is not None


def test_is_it_close_to_a_place_still_asks_how_far():
    context = Context(shown=("Think Coffee",), points=((40.73, -73.99),), focus=0, before=request_in("coffee"))

    assert understand("is it close to bobst?", context=context, names=NAMES).topic == "distance"


@pytest.mark.parametrize("message", ["y si además tiene wifi mejor", "mejor si tiene enchufes", "最好有wifi"])
def test_a_wish_for_what_the_places_have_narrows_the_list(message):
    """"y si además tiene wifi mejor" (even better if it has wifi): the places to study with wifi, not whether each has it."""
    context = Context(
        shown=("Think Coffee", "Caffe Reggio", "Elmer Holmes Bobst Library"), before=request_in("un sitio silencioso para estudiar por metrotech")
    )
    understood = understand(message, context=context, names=NAMES)

    assert understood.request is not None and {"wifi", "outlets"} & set(understood.request.needs)
    assert understood.request.whats == context.before.whats and understood.request.area == context.before.area
