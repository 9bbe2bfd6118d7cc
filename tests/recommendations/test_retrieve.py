"""Retrieval by what was asked: only places of that kind, diet, need and area, not known closed;
when none matches, the closest alternatives, marked as such."""

import pytest
from django.core.management import call_command

from places import geo
from places.models import Place
from recommendations.request import understand
from recommendations.retrieve import AREA_CORE_RADIUS_M, NEIGHBOURHOOD_RADIUS_M, SEARCH_RADIUS_M, places_for
from tests.clock import SUNDAY_NIGHT, WEEKDAY_AFTERNOON, WEEKDAY_EVENING

TANDON = geo.Point(40.6942, -73.9866)
WASHINGTON_SQUARE = geo.Point(40.7308, -73.9973)
UNION_SQUARE = geo.Point(40.7359, -73.9906)


@pytest.fixture
def catalog(db):
    call_command("load_place_catalog", verbosity=0)


def found(message: str, origin: geo.Point = TANDON, at=WEEKDAY_AFTERNOON, **kwargs):
    return places_for(request=understand(message), origin=origin, user=None, at=at, limit=3, **kwargs)


def test_coffee_near_tandon_is_coffee(catalog):
    result = found("where can i get good coffee near tandon")

    assert result.exact and len(result.cards) == 3
    assert all({"coffee_shop", "cafe"} & set(card["types"]) for card in result.cards)
    assert (result.label, result.where) == ("coffee shop", "Tandon")


def test_halal_brings_the_halal_places(catalog):
    result = found("halal food")

    assert result.exact and all("halal" in card["tags"] for card in result.cards)
    assert "Yemen Cafe & Restaurant" in [card["name"] for card in result.cards]


def test_a_museum_near_tandon_is_a_museum(catalog):
    result = found("museum near tandon")

    assert result.exact and all("museum" in card["types"] for card in result.cards)
    assert "New York Transit Museum" in [card["name"] for card in result.cards]


def test_a_named_area_moves_the_search_there(catalog):
    result = found("coffee near washington square", origin=TANDON)

    assert result.exact and result.where == "Washington Square"
    for card in result.cards:
        assert geo.haversine_m(WASHINGTON_SQUARE, geo.Point(**card["location"])) <= SEARCH_RADIUS_M


def test_when_nothing_matches_the_cards_are_alternatives(catalog):
    result = found("sushi near tandon")

    assert not result.exact and result.cards
    assert not any("sushi" in card["cuisine"] for card in result.cards)
    assert result.label == "sushi place"


def test_a_place_known_closed_at_the_instant_is_not_offered(catalog):
    Place.objects.filter(provider_id="bk-yemen-cafe").update(hours="Mo-Su 11:00-22:00", hours_source="venue")

    assert "Yemen Cafe & Restaurant" in [c["name"] for c in found("halal", at=WEEKDAY_AFTERNOON).cards]
    assert "Yemen Cafe & Restaurant" not in [c["name"] for c in found("halal", at=SUNDAY_NIGHT).cards]


def test_more_options_leave_out_what_was_shown(catalog):
    first = found("coffee")

    more = found("coffee", exclude_ids=frozenset(card["place_id"] for card in first.cards))

    assert more.cards and not {card["place_id"] for card in more.cards} & {card["place_id"] for card in first.cards}


def test_a_kind_of_place_known_by_a_tag_is_found_by_it(catalog):
    result = found("jazz tonight?", origin=WASHINGTON_SQUARE)

    assert result.exact and all("live_music" in card["tags"] for card in result.cards)


def test_indoors_is_answered_by_the_places_setting(catalog):
    result = found("rainy day stuff to do near tandon, indoors")

    assert result.exact and result.label == "indoor thing to do"
    indoor = set(Place.objects.filter(indoor_outdoor__in=["indoor", "both"]).values_list("name", flat=True))
    assert {card["name"] for card in result.cards} <= indoor


def test_indoors_puts_places_wholly_indoors_before_those_half_outdoors(catalog):
    """A rainy day indoors: a museum or a library before a landmark whose plaza is outdoors."""
    result = found("rainy day stuff to do near tandon, indoors")

    settings = dict(Place.objects.values_list("name", "indoor_outdoor"))
    assert [settings[card["name"]] for card in result.cards] == ["indoor"] * len(result.cards)
    assert "Brooklyn Borough Hall" not in [card["name"] for card in result.cards]


def test_two_needs_no_place_meets_together_keep_one_of_them_in_the_alternatives(catalog):
    result = found("quiet bar w a view", origin=WASHINGTON_SQUARE, at=SUNDAY_NIGHT)

    assert not result.exact and result.cards
    assert all({"quiet", "view"} & set(card["tags"]) for card in result.cards)


def test_a_rooftop_is_a_place_described_as_on_a_rooftop(catalog):
    result = found("rooftop bar w a view", origin=WASHINGTON_SQUARE, at=SUNDAY_NIGHT)

    assert result.exact and [card["name"] for card in result.cards] == ["Le Bain"]
    assert result.label == "rooftop bar with view"


def test_more_options_stay_within_the_students_walk(catalog):
    first = found("bookstore", origin=UNION_SQUARE)
    shown = frozenset(card["place_id"] for card in first.cards)

    more = found("bookstore", origin=UNION_SQUARE, exclude_ids=shown)
    again = found("bookstore", origin=UNION_SQUARE, exclude_ids=shown | {card["place_id"] for card in more.cards})

    for result in (more, again):
        assert all(card["walk_minutes"] <= 20 for card in result.cards)


def test_the_places_in_the_area_named_come_before_those_around_it(catalog):
    dumbo = geo.Point(40.7033, -73.9881)

    result = found("a cafe in dumbo", origin=TANDON)

    assert result.exact and len(result.cards) == 3
    assert all(geo.haversine_m(dumbo, geo.Point(**card["location"])) <= NEIGHBOURHOOD_RADIUS_M for card in result.cards)


def test_asian_food_where_there_is_none_is_the_nearest_said_to_be_farther(catalog):
    result = found("any asian food around here", origin=TANDON)

    assert result.exact and result.farther and result.label == "Asian restaurant"


def test_to_study_a_library_with_the_wifi_asked_comes_before_a_cafe_without_it(catalog):
    think = Place.objects.get(name="Think Coffee").card_id

    result = found("cafe with wifi to study", origin=WASHINGTON_SQUARE, exclude_ids=frozenset({think}))

    assert result.cards and all("wifi" in card["tags"] for card in result.cards)


def test_poetry_is_found_by_the_description_that_names_it(catalog):
    result = found("slam poetry", origin=WASHINGTON_SQUARE)

    assert result.exact and [card["name"] for card in result.cards] == ["Nuyorican Poets Cafe"]


FORT_GREENE = geo.Point(40.6900, -73.9750)


def test_a_named_neighbourhood_is_not_padded_with_the_next_one(catalog):
    result = found("dive bar near fort greene", origin=FORT_GREENE, at=WEEKDAY_EVENING)

    assert result.exact and result.cards
    park = geo.Point(40.6892, -73.9742)  # the area's centre in words.json
    assert all(geo.haversine_m(park, geo.Point(**card["location"])) <= AREA_CORE_RADIUS_M for card in result.cards)


def test_near_campus_keeps_the_usual_walk(catalog):
    result = found("movie theater near tandon")

    assert len(result.cards) >= 2  # a cinema just past the neighbourhood radius still counts near campus


def test_around_here_is_not_filled_with_a_walk_at_the_limit_beside_nearer_places(catalog):
    east_village = geo.Point(40.7265, -73.9840)

    result = found("bagel w lox around here?", origin=east_village)

    assert result.exact and len(result.cards) >= 2
    assert all(card["walk_minutes"] <= 15 for card in result.cards)
    assert "Murray's Bagels" not in [card["name"] for card in result.cards]  # 20 minutes, beside two nearer


def test_with_no_cheap_place_known_for_late_nights_the_late_ones_come_before_the_cheap_ones(catalog):
    result = found("hungry and broke, whats open late near campus", at=SUNDAY_NIGHT)

    assert not result.exact and result.cards
    assert all("late_night" in card["tags"] for card in result.cards), [card["name"] for card in result.cards]


def test_a_kind_every_place_of_which_is_described_keeps_to_the_nearer_ones(catalog):
    union_square = geo.Point(40.7359, -73.9911)

    result = found("secondhand books, got an hour between classes", origin=union_square)

    assert result.exact and {card["name"] for card in result.cards} == {"Alabaster Bookshop", "Strand Book Store"}


def test_the_nearest_farther_instead_stay_within_half_an_hour_of_the_area(catalog):
    from recommendations.retrieve import FARTHER_MINUTES

    result = found("bar w live music around fort greene", origin=TANDON, at=WEEKDAY_EVENING)

    assert result.exact and result.farther and result.cards
    assert all(card["walk_minutes"] <= FARTHER_MINUTES for card in result.cards), [card["walk_minutes"] for card in result.cards]


def test_a_kind_with_only_places_past_the_walk_names_the_next_nearest_too(catalog):
    """Dumplings from Washington Square: none within the walk; the nearest two said farther (within
    half an hour), not the nearest alone because the search reached only it."""
    from recommendations.retrieve import FARTHER_MINUTES

    result = found("cheap dumpling spot not far from nyu", origin=WASHINGTON_SQUARE, at=WEEKDAY_AFTERNOON)

    assert result.farther and [card["name"] for card in result.cards] == ["Vanessa's Dumpling House", "Prosperity Dumpling"]
    assert all(card["walk_minutes"] <= FARTHER_MINUTES for card in result.cards)
