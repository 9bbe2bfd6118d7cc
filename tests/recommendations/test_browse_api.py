"""GET /api/v1/places/ filters (recommendations/views.py PlaceViewSet, places/selectors.py
place_browse): `open_now` by the hours at `at`, `min_rating` on the provider's rating, `category`
by the category's kinds or vibes. Ordering, radius, `q` and paging: tests/places/test_api.py."""

import pytest

from tests.clock import WEEKDAY_AFTERNOON
from tests.factories import PlaceFactory

BROWSE = "/api/v1/places/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weekday_afternoon(clock) -> None:
    clock(WEEKDAY_AFTERNOON)  # Wednesday 14:00 in New York


def _names(api, **query) -> set[str]:
    response = api.get(BROWSE, query)
    assert response.status_code == 200, response.content
    return {card["name"] for card in response.json()["results"]}


# --- open_now ----------------------------------------------------------------------------------------
@pytest.fixture
def hours_known_and_not() -> None:
    PlaceFactory(name="Open All Day", hours="Mo-Su 08:00-22:00")
    PlaceFactory(name="Evenings Only", hours="Mo-Su 18:00-23:00")
    PlaceFactory(name="Hours Unknown", hours="")


@pytest.mark.usefixtures("hours_known_and_not")
def test_open_now_true_lists_only_the_places_open_at_that_instant(api):
    response = api.get(BROWSE, {"open_now": "true"})

    assert {card["name"] for card in response.json()["results"]} == {"Open All Day"}
    assert all(card["open_now"] is True for card in response.json()["results"])


@pytest.mark.usefixtures("hours_known_and_not")
def test_open_now_false_lists_only_the_places_known_to_be_closed(api):
    assert _names(api, open_now="false") == {"Evenings Only"}


@pytest.mark.usefixtures("hours_known_and_not")
def test_a_place_whose_hours_are_unknown_is_neither_open_nor_closed(api):
    assert _names(api) == {"Open All Day", "Evenings Only", "Hours Unknown"}
    assert "Hours Unknown" not in _names(api, open_now="true") | _names(api, open_now="false")


@pytest.mark.usefixtures("hours_known_and_not")
def test_open_now_is_judged_at_the_instant_asked_for(api):
    evening = WEEKDAY_AFTERNOON.replace(hour=19).isoformat()

    assert _names(api, open_now="true", at=evening) == {"Open All Day", "Evenings Only"}


# --- min_rating --------------------------------------------------------------------------------------
@pytest.fixture
def rated_and_not() -> None:
    PlaceFactory(name="Loved", rating=4.6, rating_count=320)
    PlaceFactory(name="Liked", rating=4.0, rating_count=80)
    PlaceFactory(name="Unrated", rating=None)


@pytest.mark.usefixtures("rated_and_not")
@pytest.mark.parametrize(("min_rating", "expected"), [("4.5", {"Loved"}), ("4", {"Loved", "Liked"}), ("4.7", set())])
def test_min_rating_keeps_places_rated_at_least_that(api, min_rating, expected):
    assert _names(api, min_rating=min_rating) == expected


@pytest.mark.usefixtures("rated_and_not")
def test_a_place_without_a_rating_never_meets_a_minimum(api):
    assert _names(api, min_rating="0") == {"Loved", "Liked"}
    assert "Unrated" in _names(api)


@pytest.mark.parametrize("bad", ["5.5", "-1", "nan", "high"])
def test_a_minimum_rating_outside_0_to_5_is_a_400(api, bad):
    response = api.get(BROWSE, {"min_rating": bad})

    assert response.status_code == 400
    assert "min_rating" in response.json()["fields"]


# --- category ----------------------------------------------------------------------------------------
@pytest.fixture
def one_of_each_category() -> None:
    PlaceFactory(name="Corner Cafe", categories=["cozy_cafes"], vibes=[])
    PlaceFactory(name="Study Nook", categories=[], vibes=["study"])  # fits cozy_cafes by its vibe
    PlaceFactory(name="Pizza Slice", categories=["quick_bites"], vibes=["fast_bite"], primary_type="pizza_restaurant")
    PlaceFactory(name="Pier Park", categories=["explore"], vibes=["explore"], primary_type="park")


@pytest.mark.usefixtures("one_of_each_category")
@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("cozy_cafes", {"Corner Cafe", "Study Nook"}),
        ("quick_bites", {"Pizza Slice"}),
        ("explore", {"Pier Park"}),
        ("Explore", {"Pier Park"}),  # any case
        ("chill_cafes", {"Corner Cafe", "Study Nook"}),  # the old name of cozy_cafes
    ],
)
def test_category_lists_the_places_of_that_category_or_its_vibes(api, category, expected):
    assert _names(api, category=category) == expected


@pytest.mark.parametrize("bad", ["events", "nightlife"])
def test_a_category_that_places_do_not_have_is_a_400(api, bad):
    response = api.get(BROWSE, {"category": bad})

    assert response.status_code == 400
    assert "category" in response.json()["fields"]


def test_the_filters_combine(api):
    PlaceFactory(name="Open Rated Cafe", categories=["cozy_cafes"], rating=4.8, hours="Mo-Su 08:00-22:00")
    PlaceFactory(name="Closed Rated Cafe", categories=["cozy_cafes"], rating=4.8, hours="Mo-Su 18:00-23:00")
    PlaceFactory(name="Open Unrated Cafe", categories=["cozy_cafes"], rating=None, hours="Mo-Su 08:00-22:00")
    PlaceFactory(name="Open Rated Park", categories=["explore"], rating=4.8, hours="Mo-Su 06:00-23:00")

    assert _names(api, category="cozy_cafes", open_now="true", min_rating="4.5") == {"Open Rated Cafe"}
