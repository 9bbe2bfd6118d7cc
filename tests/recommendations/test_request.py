"""One understanding step: a message becomes a typed request (what, diet, needs, price, where)."""

import pytest

from recommendations.request import Request, from_memory, understand, vocabulary


def asked(message: str) -> tuple:
    request = understand(message)
    return (
        [want.key for want in request.whats],
        list(request.diet),
        list(request.needs),
        request.price_max,
        request.area.key if request.area else None,
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("where can i get good coffee near tandon", (["coffee"], [], [], None, "tandon")),
        ("need cofee before my 9am class", (["coffee"], [], [], None, None)),  # a typo
        ("museum near tandon", (["museum"], [], [], None, "tandon")),
        ("halal", ([], ["halal"], [], None, None)),
        ("sushi", (["sushi"], [], [], None, None)),
        ("karaoke tonight?", (["karaoke"], [], [], None, None)),
        ("somewhere near Washington Square instead", ([], [], [], None, "washington_square")),
        ("yo where the best chopped cheese at", (["deli"], [], [], None, None)),
        ("quiet cafe with wifi to study", (["coffee"], [], ["quiet", "wifi"], None, None)),  # "study" gives way to the cafe
        ("vegan food in the east village", (["food"], ["vegan"], [], None, "east_village")),
        ("cheap eats under $12 near dumbo", (["food"], [], [], 1, "dumbo")),
        ("drink a coffee", (["coffee"], [], [], None, None)),
        ("any bars open late in dumbo", (["bar"], [], ["late_night"], None, "dumbo")),
        ("a quick slice", (["pizza"], [], [], None, None)),
        ("¿Dónde puedo comer comida china barata?", (["chinese"], [], [], 1, None)),
        ("附近有咖啡馆吗", (["coffee"], [], [], None, None)),
        ("有清真的餐厅吗", (["food"], ["halal"], [], None, None)),
        ("hi violet!", ([], [], [], None, None)),
        ("ok any good bbq then", (["barbecue"], [], [], None, None)),
        ("food hall near metrotech", (["food_hall"], [], [], None, "tandon")),
        ("what japanese is there at all", (["japanese"], [], [], None, None)),  # "there" is not "theater"
        ("bagle place", (["bagels"], [], [], None, None)),
        ("a real juicy burger", (["burgers"], [], [], None, None)),  # "juicy" is no juice bar
        ("grocery store near campus", (["grocery"], [], [], None, None)),  # "store" is not Astor Place
        ("jazz tonight?", (["jazz"], [], [], None, None)),
        ("not a library, like a cafe", (["coffee"], [], [], None, None)),
        ("somewhere besides a bar", ([], [], [], None, None)),
        ("not too pricey dinner", (["food"], [], [], 1, None)),
        ("budget is tight, lunch?", (["food"], [], [], 1, None)),
        ("desayuno barato esta tarde", (["breakfast"], [], [], 1, None)),  # "tarde" is the afternoon, not late
        ("pizza near uhall", (["pizza"], [], [], None, "university_hall")),  # residence halls are places too
        ("coffee by othmer", (["coffee"], [], [], None, "othmer")),
        ("rainy day stuff to do, indoors", (["something_to_do"], [], ["indoors"], None, None)),
        ("is it raining", ([], [], [], None, None)),  # the weather, not a list of indoor places
        ("drunk food near wash sq rn", (["food"], [], [], None, "washington_square")),  # food, not a bar
        ("need food after the bar", (["food"], [], [], None, None)),  # where they were is not what they ask
        # The narrower of two kinds asked together: a speakeasy is a cocktail bar, not any bar.
        ("a speakeasy w good cocktails", (["cocktail_bar"], [], [], None, None)),
        ("cocktails in east village rn, somewhere less loud", (["cocktail_bar"], [], [], None, "east_village")),  # a cocktail bar
        ("movie theatre near fort greene", (["movies"], [], [], None, "fort_greene")),  # not a stage theater too
        ("asian spots near tandon", (["asian"], [], [], None, "tandon")),
        ("mocha near tompkins square park", (["coffee"], [], [], None, "east_village")),  # the park names where
        ("reading spot by ft greene park", (["study"], [], [], None, "fort_greene")),
        ("dive bar off smith street", (["bar"], [], [], None, "boerum_hill")),
        ("hot choc in dumbo", (["coffee"], [], [], None, "dumbo")),
        ("pastrami at a delicatessen", (["deli"], [], [], None, None)),
        # What is looked at is a view, not where: "from bk" is where.
        ("sunset over the city from bk", (["something_to_do"], [], ["view"], None, "tandon")),
        ("rooftop overlooking manhattan in brooklyn", ([], [], ["rooftop", "view"], None, "tandon")),
        ("tipsy n starving, pizza near wash sq park", (["pizza"], [], [], None, "washington_square")),
        ("coffee by union square park", (["coffee"], [], [], None, "union_square")),
        ("coffee before my 8am near the park pls", (["coffee"], [], [], None, None)),
        ("need espresso asap, somewhere by the library?", (["coffee"], [], [], None, None)),
        ("vegetarian place for lunch in east village, my gf doesnt eat meat", (["food"], ["vegetarian"], [], None, "east_village")),
        ("will veselka work for a friend who skips meat", ([], ["vegetarian"], [], None, None)),
        ("pizza after walking over the brooklyn bridge", (["pizza"], [], [], None, "tandon")),  # a bridge is no view
        # A typo is mended before phrases are read: "cofee shop" is a coffee shop, not a shop too.
        ("cofee shop near dumbo", (["coffee"], [], [], None, "dumbo")),
        ("libary w wifi", (["library"], [], ["wifi"], None, None)),
        ("找一个有wifi的咖啡馆", (["coffee"], [], ["wifi"], None, None)),  # a Latin word inside Chinese is a word
        ("quiero tomar algo con amigos", (["drinks"], [], [], None, None)),
        ("¿qué hay para hacer este finde?", (["something_to_do"], [], [], None, None)),
        ("any open mics tonight", (["poetry"], [], [], None, None)),
        ("comedy open mic", (["comedy"], [], [], None, None)),
        ("bfast near tandon", (["breakfast"], [], [], None, "tandon")),
        # Kinds the catalog may not hold are still known, so "none near X" can be said plainly.
        ("poke bowl near nyu?", (["poke"], [], [], None, None)),
        ("ethiopian food nearby?", (["ethiopian"], [], [], None, None)),
        ("bowling alley near union square", (["bowling"], [], [], None, "union_square")),
        ("ice skating rink in dumbo?", (["skating"], [], [], None, "dumbo")),
        ("tapas bar near nyu for a date", (["tapas"], [], [], None, None)),
        ("any trampoline park around soho", (["trampoline"], [], [], None, "soho")),
        # What to see is a sight; no money is free
        ("first year here, what should i see near campus on a free saturday, no money", (["sights"], [], [], 0, None)),
        # "bk heights" is Brooklyn Heights, not "bk" (Tandon); a sunset asks for a view too.
        ("best spot for sunset pics near bk heights", (["sights"], [], ["view"], None, "brooklyn_heights")),
        ("watch the sunset near dumbo", (["something_to_do"], [], ["view"], None, "dumbo")),
        ("a few more lookout spots in dumbo", (["sights"], [], ["view"], None, "dumbo")),  # a lookout is a view
        ("scenic overlook near dumbo", (["sights"], [], ["view"], None, "dumbo")),
        ("need a beer near campus, nothing fancy", (["bar"], [], [], 1, None)),
        ("brunch in the EV?", (["brunch"], [], [], None, "east_village")),
        # Chinese names for the East Village (东村), noodles (面条) and bagels (贝果)
        ("东村附近有便宜的面条吗?", (["chinese"], [], [], 1, "east_village")),
        ("东村有没有能坐一下午的咖啡馆?", (["coffee"], [], [], None, "east_village")),
        ("学校附近哪里有便宜的早餐?贝果什么的", (["bagels"], [], [], 1, None)),
        ("¿Y algo mediterráneo?", (["mediterranean"], [], [], None, None)),
        ("mediterranean food near wsq", (["mediterranean"], [], [], None, "washington_square")),
        # The park names where, as Tompkins Square Park does
        ("bookstores near washington square park", (["bookstore"], [], [], None, "washington_square")),
        ("hmm ok and around wash sq park?", ([], [], [], None, "washington_square")),
        ("coffee spot by atlantic terminal where i can camp w my laptop a while", (["coffee"], [], [], None, "atlantic_terminal")),
        # Atlantic Ave is its restaurant row by Court St, not the middle of Boerum Hill
        ("vegetarian dinner on atlantic ave", (["food"], ["vegetarian"], [], None, "atlantic_ave")),
        # "where u can see manhattan": what is seen is a view, not where
        ("nice dinner in dumbo where u can see manhattan", (["sit_down"], [], ["view"], None, "dumbo")),
        # 现场音乐 is live music; a kind known by a tag beside another kind is that kind with the tag
        ("想找个有现场音乐的酒吧", (["bar"], [], ["live_music"], None, None)),
        ("bar with live music", (["bar"], [], ["live_music"], None, None)),
        ("live music tonight", (["live_music"], [], [], None, None)),
        # 不花钱 (spending no money) is free, as 免费 is
        ("华盛顿广场附近不花钱的有哪些", ([], [], [], 0, "washington_square")),
        ("好想吃一碗面,华盛顿广场附近哪里有?", (["chinese"], [], [], None, "washington_square")),  # a bowl of noodles
        ("¿Dónde puedo almorzar barato cerca de Union Square?", (["food"], [], [], 1, "union_square")),
        ("greek place w gyros near metrotech?", (["greek"], [], [], None, "tandon")),  # a gyro is Greek
        # a deal for NYU ID holders is a student discount
        ("art museum that gives nyu id holders a deal", (["museum", "gallery"], [], ["student_discount"], None, None)),
        # Somewhere outdoors to walk is a park: a park is outdoors, no outdoor seating asked
        ("ok then somewhere outdoors to walk it off", (["park"], [], [], None, None)),
    ],
)
def test_a_message_becomes_what_was_asked(message, expected):
    assert asked(message) == expected


def test_a_coffee_shop_is_not_also_a_shop():
    assert asked("any good coffee shop") == (["coffee"], [], [], None, None)


@pytest.mark.parametrize(
    ("message", "label"),
    [
        ("halal food", "halal place to eat"),
        ("quiet cafe with wifi", "quiet coffee shop with wifi"),
        ("late night food", "place to eat known for late nights"),  # a tag, never "open late"
        ("cheap pizza", "cheap pizza place"),
    ],
)
def test_the_request_in_words(message, label):
    assert understand(message).label() == label


def test_the_vibe_the_apps_read_follows_what_was_asked():
    assert understand("where can I go dancing").vibe == "party"
    assert understand("coffee").vibe == "study"
    assert understand("hello").vibe is None and not understand("hello").specific


def test_a_request_survives_memory():
    request = understand("cheap halal food near union square with outdoor seating")

    assert from_memory(request.to_memory()) == request
    assert from_memory(None) == Request() and from_memory({"whats": ["nonsense"], "area": "mars"}) == Request()


NAMES = ["Juliana's Pizza", "Grimaldi's Pizzeria", "Strand Book Store", "NYU Tandon MakerSpace", "The Halal Guys",
         "Katz's Delicatessen", "Bern Dibner Library (NYU Tandon)", "Washington Square Park", "Barclays Center",
         "The Stonewall Inn", "Stonewall National Monument", "Brooklyn Public Library \N{EN DASH} Clinton Hill",
         "Brooklyn Public Library \N{EN DASH} Carroll Gardens", "The High Line (Gansevoort St entrance)"]  # fmt: skip


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("tell me about Juliana's", "Juliana's Pizza"),
        ("how long's the line at grimaldis on a sunday", "Grimaldi's Pizzeria"),
        ("is the strand open late", "Strand Book Store"),
        ("can i study at the makerspace", "NYU Tandon MakerSpace"),
        ("the halal guys open?", "The Halal Guys"),
        ("wheres katz", "Katz's Delicatessen"),
        ("is dibner open", "Bern Dibner Library (NYU Tandon)"),
        ("concerts at barclays this week?", "Barclays Center"),
        ("halal food near washington square", None),  # a kind, a diet and an area: not one place
        ("any coffee near tandon", None),
        ("hi violet", None),
        ("any dinner spots", None),  # one letter from "Dibner", but a word the vocabulary knows
        ("closer one?", None),  # one letter from "Clover" (Club)
        ("where is the stonewall monument", "Stonewall National Monument"),  # not "the stonewall" (Inn)
        ("where's the stonewall inn", "The Stonewall Inn"),
        ("is the clinton hill library open sundays", "Brooklyn Public Library \N{EN DASH} Clinton Hill"),  # a branch, area first
        ("quiet library carroll gardens", None),  # in the name's order, and nothing distinctive: a request
        ("any brooklyn library with wifi", None),  # two branches fit
        ("how do i get to the highline", "The High Line (Gansevoort St entrance)"),  # two words of a name, written as one
        ("halalguys open?", "The Halal Guys"),
    ],
)
def test_a_place_named_in_a_message_is_found(message, name):
    from recommendations.request import named_place

    assert named_place(message, NAMES) == name


def test_falafel_asks_for_falafel_not_any_middle_eastern_place():
    falafel, shawarma = understand("cheap falafel near the arch"), understand("shawarma near tandon")

    assert [want.key for want in falafel.whats] == ["falafel"] and set(falafel.whats[0].cuisine) == {"falafel"}
    assert [want.key for want in shawarma.whats] == ["middle_eastern"]


@pytest.mark.parametrize(("message", "area"), [
    ("free quiet spot w wifi near borough hall", "borough_hall"),
    ("a museum near the highline", "high_line"),
    ("bars by the high line", "high_line"),
])  # fmt: skip
def test_a_landmark_is_an_area(message, area):
    assert understand(message).area.key == area


def test_a_walking_limit_is_read_and_is_no_price():
    request = understand("cheapest dinner within a 10 min walk of tandon")

    assert request.walk_max == 10
    assert request.price_max == 1  # "cheapest", not "under $10"
    assert understand("coffee under 5 minutes away").walk_max == 5
    assert understand("lunch under $15").walk_max is None


@pytest.mark.parametrize(
    ("message", "walk_max"),
    [
        ("need a sandwich to go, 20 min before lab", 6),  # there, a few minutes in line, and back
        ("only have 15 min, coffee near tandon?", 5),
        ("quick bite, got class in 10", 3),
        ("coffee, my lecture starts in 30 minutes", 10),
        ("bagel between classes, 12 min break", 4),
        ("i have like 20 mins before my meeting, boba?", 6),
    ],
)
def test_a_time_budget_limits_the_walk_to_a_third_of_it_each_way(message, walk_max):
    assert understand(message).walk_max == walk_max


@pytest.mark.parametrize(
    "message",
    ["pizza for 20 min from now", "coffee, open in 10 min?", "ramen 15 min away is fine", "study for 45 minutes near bobst"],
)
def test_minutes_that_are_no_time_budget_set_no_walk(message):
    assert understand(message).walk_max is None


def test_a_walking_limit_is_remembered():
    assert from_memory(understand("pizza within 8 minutes").to_memory()).walk_max == 8


def test_date_night_dinner_is_restaurants_for_a_date_not_its_bars():
    request = understand("date night dinner in the west village, not too pricey")

    (want,) = request.whats
    assert "restaurant" in want.kinds and not want.kinds & {"bar", "cocktail_bar", "wine_bar"}
    assert from_memory(request.to_memory()).whats == request.whats
    assert understand("date night ideas").whats[0].kinds & {"bar"}  # an occasion alone keeps its kinds


@pytest.mark.parametrize("message", ["nice dinner for a date near wsp", "date, nice dinner somewhere"])
def test_a_nice_dinner_for_a_date_is_upscale_restaurants_not_bars(message):
    """"Nice dinner" says both a price and a kind: a sit-down restaurant, upscale."""
    request = understand(message)

    (want,) = request.whats
    assert want.kinds == {"restaurant"} and request.price_min == 3
    assert from_memory(request.to_memory()).whats == request.whats


def test_an_occasion_with_a_kind_asks_for_the_kind_in_the_occasions_setting():
    request = understand("date night, want a cozy burger spot in the west village")

    assert [want.key for want in request.whats] == ["burgers"]
    assert [want.key for want in request.setting] == ["date_night"]
    assert from_memory(request.to_memory()).setting == request.setting


def test_how_many_are_going_is_read_and_is_no_time_or_price():
    assert understand("brunch near union sq for 6 ppl").party == 6
    assert understand("table for eight tonight").party == 8
    assert understand("dinner for 6pm").party is None
    assert understand("coffee for 5 bucks").party is None
    assert from_memory(understand("pizza for 7 of us").to_memory()).party == 7


def test_words_no_vocabulary_knows_are_kept_with_their_close_synonyms():
    assert {"train", "subway", "transit"} <= set(understand("is there a train museum around here").mentions)
    assert understand("cheap pizza near tandon").mentions == ()
    assert understand("train schedule?").mentions == ()  # nothing asked for: nothing to rank


@pytest.mark.parametrize("message", ["brunch in brooklyn heights or cobble hill", "brunch en cobble hill o brooklyn heights"])
def test_either_of_two_areas_is_around_both(message):
    area = understand(message).area

    assert set(area.label.split(" or ")) == {"Brooklyn Heights", "Cobble Hill"}
    heights, cobble = vocabulary().areas["brooklyn_heights"], vocabulary().areas["cobble_hill"]
    assert (area.lat, area.lng) == pytest.approx(((heights.lat + cobble.lat) / 2, (heights.lng + cobble.lng) / 2))
    assert from_memory(understand(message).to_memory()).area == area


@pytest.mark.parametrize("message", ["good pie around soho / nolita?", "pizza in soho/nolita", "slice near nolita or soho"])
def test_either_of_two_areas_may_be_said_with_a_slash(message):
    request = understand(message)

    assert [want.key for want in request.whats] == ["pizza"]
    assert set(request.area.label.split(" or ")) == {"SoHo", "Nolita"}


@pytest.mark.parametrize(
    ("message", "area"),
    [
        ("tacos in nolita", "nolita"),
        ("cannoli in little italy", "little_italy"),
        ("dim sum in chinatown", "chinatown"),
        ("bars on the LES", "lower_east_side"),
        ("brunch in park slope", "park_slope"),
        ("coffee in prospect heights", "prospect_heights"),
        ("pizza near clinton hill", "clinton_hill"),
        ("thrifting in williamsburg", "williamsburg"),
        ("bagels in carroll gardens", "carroll_gardens"),
    ],
)
def test_neighbourhoods_students_name_are_areas(message, area):
    assert understand(message).area.key == area


def test_pie_alone_is_pizza_and_a_dessert_pie_is_dessert():
    assert [want.key for want in understand("good pie near wsp").whats] == ["pizza"]
    assert [want.key for want in understand("apple pie near wsp").whats] == ["dessert"]


@pytest.mark.parametrize(
    ("message", "diet"),
    [
        ("something meatless near union sq", "vegetarian"),
        ("trying to eat less meat this month, lunch?", "vegetarian"),
        ("my bf doesnt eat meat", "vegetarian"),
        ("dinner with no meat", "vegetarian"),
        ("i dont eat meat", "vegetarian"),
        ("plant based lunch", "vegan"),
        ("i don't eat pork, any lunch spots", "halal"),
        ("没有肉的", "vegetarian"),
        ("不吃肉 附近吃饭", "vegetarian"),
    ],
)
def test_a_diet_said_as_a_habit_is_the_diet(message, diet):
    assert understand(message).diet == (diet,)


@pytest.mark.parametrize(
    "message",
    ["showing my cousin around dumbo, where's the spot for the manhattan bridge pic", "manhattan bridge view in dumbo"],
)
def test_a_bridge_named_for_manhattan_is_not_the_manhattan_area(message):
    request = understand(message)

    assert request.area.key == "dumbo" and "view" in request.needs


@pytest.mark.parametrize("message", ["best insta spot near wsp", "where should i take photos in dumbo", "cute pic spot"])
def test_a_photo_spot_asks_for_a_view(message):
    assert "view" in understand(message).needs


@pytest.mark.parametrize(
    "message", ["somewhere fancy, any cuisine", "upscale dinner near wsp", "wanna splurge tonight", "treat myself to a nice dinner"]
)
def test_a_price_asked_up_is_a_restaurant_at_the_top_price_levels(message):
    request = understand(message)

    assert request.price_min == 3 and request.price_max is None
    assert all("restaurant" in want.kinds for want in request.whats) and request.whats
    assert from_memory(request.to_memory()) == request


def test_nothing_fancy_is_still_cheap_and_a_fancy_bar_is_a_bar():
    assert understand("nothing fancy, just lunch").price_min is None
    request = understand("fancy bar in the village")
    assert [want.key for want in request.whats] == ["bar"] and request.price_min == 3


@pytest.mark.parametrize(
    ("message", "area"),
    [
        ("manhattan skyline pics around dumbo", "dumbo"),
        ("brooklyn views, im around union sq", "union_square"),
        ("the best bagels in manhattan near tandon", "tandon"),
        ("pizza in les", "lower_east_side"),
        ("bars near the les", "lower_east_side"),
    ],
)
def test_the_area_said_as_where_wins_over_one_named_in_passing(message, area):
    assert understand(message).area.key == area


@pytest.mark.parametrize(
    ("message", "price_max"),
    [
        ("date night near fort greene, budget ~$30 each", 2),
        ("cocktail bar near wsq not super pricey", 2),
        ("bars that arent too expensive", 2),
        ("drinks under 18 dollars near washington square", 2),
        ("anything under 20$?", 2),
        ("dinner, budget 30 each", 2),
        ("anything for like $20 or less", 2),
        ("lunch under $15", 1),
        ("cheap eats, on a budget", 1),
        ("table for 6 at 8pm", None),
    ],
)
def test_a_budget_with_an_amount_is_that_amount_not_just_cheap(message, price_max):
    assert understand(message).price_max == price_max


@pytest.mark.parametrize("message", ["dinner for 6 near tandon, mid price, something nice", "reasonably priced thai", "precio medio"])
def test_a_mid_price_is_up_to_two_dollar_signs(message):
    assert understand(message).price_max == 2


@pytest.mark.parametrize("message", ["is the $18 pastrami worth it", "$5 cover?", "how much is a $12 cocktail there"])
def test_a_dollar_amount_alone_is_no_budget(message):
    assert understand(message).price_max is None


@pytest.mark.parametrize(("message", "price_max"), [("pizza for 5 bucks", 1), ("lunch for like $12", 1), ("dinner around $25 each", 2)])
def test_a_dollar_amount_said_as_what_one_spends_is_a_budget(message, price_max):
    assert understand(message).price_max == price_max


@pytest.mark.parametrize("message", ["brunch in cobble hill, nothing bougie", "dinner thats not too bougie"])
def test_a_fancy_word_said_not_is_no_upscale_ask(message):
    assert understand(message).price_min is None


@pytest.mark.parametrize(
    "message",
    ["cocktail bar near wsq thats not super bougie", "bar, nothing crazy fancy", "dinner not overly pricy", "wine bar not all that swanky"],
)
def test_a_fancy_word_said_not_with_a_word_between_asks_a_middle_price(message):
    """ "not super bougie": a word between the negation and the fancy word keeps it negated."""
    request = understand(message)
    assert (request.price_min, request.price_max) == (None, 2)


@pytest.mark.parametrize(
    ("message", "what"),
    [("not fancy cocktails near wsq", "cocktail_bar"), ("no fancy coffee, just a cafe", "coffee"), ("nothing upscale, just pizza", "pizza")],
)
def test_a_negated_price_word_leaves_the_kind_after_it_asked(message, what):
    """ "not fancy cocktails": the negation is of "fancy"; the cocktails are still asked for."""
    request = understand(message)
    assert what in {want.key for want in request.whats}
    assert request.price_min is None


@pytest.mark.parametrize(
    "message",
    [
        "hmm that looks $$$, anything less spendy",  # "looks" is no "books"
        "is it quite far",  # "quite" is no "quiet"
        "we were talking about it",  # "talking" is no "walking"
        "i guess so, it means a lot",
    ],
)
def test_an_everyday_word_is_never_read_as_a_typo_of_a_kind(message):
    assert asked(message) == ([], [], [], None, None)


def test_every_word_kept_from_typos_is_folded_and_long_enough_to_be_one():
    from recommendations.request import FUZZY_MIN_LENGTH, fold, not_typos, typo_of

    assert all(word == fold(word) and len(word) >= FUZZY_MIN_LENGTH - 2 for word in not_typos())
    assert typo_of("looks", ["books"]) is None and typo_of("bookz", ["books"]) == "books"


def test_a_sunset_said_in_chinese_asks_for_a_view_as_in_english():
    assert asked("哈德逊河边哪里看日落比较好，有公园吗") == (["park"], [], ["view"], None, None)  # noqa: RUF001
    assert asked("where to watch the sunset, any parks") == (["park"], [], ["view"], None, None)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("ugh ok, then a solid sandwich shop close by", "deli"),
        ("a dumpling shop near campus", "dumplings"),
        ("any bubble tea shops", "boba"),
        ("a bike shop", "shopping"),  # a shop of nothing the vocabulary knows is a shop
    ],
)
def test_a_shop_said_after_a_kind_is_a_place_of_that_kind(message, kind):
    assert [want.key for want in understand(message).whats] == [kind]


@pytest.mark.parametrize(
    ("message", "unknowable", "what"),
    [
        ("cocktail bar with no wait", ("wait",), "cocktail_bar"),
        ("brunch spot without a wait", ("wait",), "brunch"),
        ("bars with no cover 21+ near wsq", ("cover",), "bar"),
        ("a walk in the park", (), "park"),
    ],
)
def test_a_condition_no_fact_tells_is_read_beside_the_kind(message, unknowable, what):
    request = understand(message)
    assert request.unknowable == unknowable and what in {want.key for want in request.whats}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("museums near washington sq that dont cost anything?", (["museum"], [], [], 0, "washington_square")),
        ("any parks that cost nothing", (["park"], [], [], 0, None)),
        ("museos que no cuestan nada", (["museum"], [], [], 0, None)),
        ("不花钱的有哪些", ([], [], [], 0, None)),
        ("不要钱的博物馆", (["museum"], [], [], 0, None)),
        ("which museums give students a discount, close to nyu pref", (["museum"], [], ["student_discount"], None, None)),
        ("museos con descuento para estudiantes", (["museum"], [], ["student_discount"], None, None)),
        ("craving za somewhere round the village", (["pizza"], [], [], None, "washington_square")),
    ],
)
def test_free_a_student_discount_and_slang_for_a_kind_are_read(message, expected):
    """"dont cost anything", "不花钱" are free; "give students a discount" a student discount; "za" pizza."""
    assert asked(message) == expected


@pytest.mark.parametrize(
    ("message", "beside", "said"),
    [
        ("somewhere to drink that has billiards or board games, by tandon", "drinks", {"pool table", "board games"}),
        ("bar with a pool table near metrotech", "bar", {"pool table"}),
        ("un bar con billar cerca de tandon", "bar", {"billiards"}),
    ],
)
def test_a_game_a_place_has_beside_a_kind_is_that_kind_described_by_it(message, beside, said):
    """"a bar with billiards": a bar whose description says billiards (or a pool table), not an arcade."""
    request = understand(message)

    assert len(request.whats) == 1 and request.whats[0].key.endswith(f"@{beside}")
    assert said <= request.whats[0].described and request.whats[0].described_required
    assert from_memory(request.to_memory()).whats == request.whats


def test_a_game_said_alone_is_still_an_arcade():
    assert [want.key for want in understand("billiards near tandon").whats] == ["arcade"]


@pytest.mark.parametrize(
    "message", ["dont want anything too fancy, just dinner", "i dont need anything too fancy", "not looking for anything too pricey"]
)
def test_a_fancy_word_after_dont_want_is_no_upscale_ask(message):
    request = understand(message)
    assert (request.price_min, request.price_max) == (None, 2)


def test_quite_before_a_place_is_the_typo_of_quiet_students_make():
    """"quite" alone is a word ("is it quite far"); before a place it is the quiet students mean."""
    assert understand("quite place to study").needs == ("quiet",)


@pytest.mark.parametrize(("message", "kind"), [("a wine shop near nyu", "shopping"), ("an art shop", "shopping")])
def test_a_shop_of_what_a_bar_or_gallery_serves_is_a_shop(message, kind):
    assert [want.key for want in understand(message).whats] == [kind]


def test_a_description_saying_no_cover_does_not_contradict_a_request_for_none():
    from recommendations.request import said_against

    assert said_against("Dive bar with pool and no cover most nights.", "cover") is None
    assert said_against("Jazz club; tickets sell out on weekends.", "cover") == "tickets"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Joe's Pizza, NOW?!", "joes pizza now"),  # all ASCII: the fast path
        ("soho/nolita 24/7", "soho / nolita 24/7"),
        ("Café Reggio\N{RIGHT SINGLE QUOTATION MARK}s", "cafe reggios"),
        ("有wifi的咖啡馆", "有 wifi 的咖啡馆"),
        ("¿Dónde hay tacos?", "donde hay tacos"),
        ("", ""),
    ],
)
def test_fold_of_ascii_and_other_text(text, folded):
    from recommendations.request import fold

    assert fold(text) == folded

