"""Cards as of the request's instant (`at`): open now from the hours, closed places out of the
lists, late-night places first at night, honest ratings, and the facts an answer needs."""

import json
from datetime import datetime

import pytest
from django.core.management import call_command

from places.models import Place
from tests.clock import NEW_YORK
from tests.contract import assert_contract

WASHINGTON_SQUARE = {"latitude": "40.7308", "longitude": "-73.9973"}
NEW_FIELDS = ("types", "tags", "cuisine", "opens_at", "closes_at", "hours_text")


@pytest.fixture
def catalog(db):
    call_command("load_place_catalog", verbosity=0)


def with_hours(key: str, expression: str, source: str = "venue") -> Place:
    place = Place.objects.get(source="catalog", provider_id=key)
    place.hours, place.hours_source = expression, source
    place.hours_checked = datetime(2026, 12, 1).date()
    place.save()
    return place


def quick(api, category: str, at: str, **query) -> list[dict]:
    response = api.get("/api/quick_recs", {"category": category, "limit": "50", "at": at, **WASHINGTON_SQUARE, **query})
    assert response.status_code == 200, response.content
    assert_contract("GET", "/api/quick_recs", response)
    return response.json()["places"]


def card_for(cards: list[dict], place: Place) -> dict | None:
    return next((card for card in cards if card["place_id"] == place.card_id), None)


def test_offline_cards_claim_no_rating_and_no_hours(api, catalog):
    cards = quick(api, "quick_bites", "2026-12-09T14:00:00-05:00")

    assert cards
    for card in cards:
        assert card["rating"] is None  # never 0.0: the iOS app would show "⭐ 0.0"
        assert card["open_now"] is None and card["hours_text"] is None
        assert set(NEW_FIELDS) <= set(card)
        assert isinstance(card["types"], list) and card["types"] and isinstance(card["cuisine"], list)


def test_a_place_with_hours_says_it_is_open_and_until_when(api, catalog):
    think = with_hours("mh-think-coffee-mercer", "Mo-Fr 07:00-21:00; Sa-Su 08:00-20:00")

    card = card_for(quick(api, "cozy_cafes", "2026-12-09T14:00:00-05:00"), think)

    assert card["open_now"] is True
    assert card["hours_text"] == "usually open until 21:00"  # the catalog's usual hours, worded so
    assert (card["opens_at"], card["closes_at"]) == ("2026-12-09T07:00:00-05:00", "2026-12-09T21:00:00-05:00")
    assert card["cuisine"] == ["coffee"] and card["types"][0] == "coffee_shop"


def test_a_place_known_to_be_closed_drops_out_of_the_lists(api, catalog):
    think = with_hours("mh-think-coffee-mercer", "Mo-Fr 07:00-21:00; Sa-Su 08:00-20:00")

    assert card_for(quick(api, "cozy_cafes", "2026-12-09T22:30:00-05:00"), think) is None
    assert card_for(quick(api, "cozy_cafes", "2026-12-10T07:30:00-05:00"), think) is not None


def test_late_night_places_rise_at_night(api, catalog):
    mamouns = with_hours("mh-mamouns-falafel", "Mo-Su 11:00-05:00")
    day = quick(api, "quick_bites", "2026-12-09T13:00:00-05:00")
    night = quick(api, "quick_bites", "2026-12-13T01:30:00-05:00")

    assert night[0]["place_id"] == mamouns.card_id
    assert night[0]["hours_text"] == "usually open until 05:00"
    assert [card["place_id"] for card in night] != [card["place_id"] for card in day]
    # Places known for staying open late come before places whose hours are unknown.
    late = {p.card_id for p in Place.objects.all() if "late_night" in p.tags}
    unknown = [card for card in night[1:] if card["open_now"] is None]
    ranks = [i for i, card in enumerate(unknown) if card["place_id"] in late]
    others = [i for i, card in enumerate(unknown) if card["place_id"] not in late]
    assert ranks and others and max(ranks) < min(others)


def test_at_moves_the_answer_to_the_instant_asked_about(api, catalog):
    think = with_hours("mh-think-coffee-mercer", "Mo-Fr 07:00-21:00; Sa-Su 08:00-20:00")

    saturday_night = card_for(quick(api, "cozy_cafes", "2026-12-12T19:00:00-05:00"), think)

    assert saturday_night["hours_text"] == "usually open until 20:00"


def test_at_without_an_offset_is_new_york_time(api, catalog):
    think = with_hours("mh-think-coffee-mercer", "Mo-Su 07:00-21:00")

    card = card_for(quick(api, "cozy_cafes", "2026-12-09T20:30"), think)

    assert card["closes_at"] == "2026-12-09T21:00:00-05:00"


@pytest.mark.parametrize("path", ["/api/quick_recs", "/api/top_recommendations", "/api/dashboard"])
@pytest.mark.parametrize("at", ["tomorrow", "2031-01-01T00:00:00-05:00", "2026-13-01T00:00"])
def test_a_bad_at_is_a_400_naming_it(auth_api, catalog, path, at):
    response = auth_api.get(path, {"category": "quick_bites", "at": at})

    assert response.status_code == 400
    assert "at" in response.json()["fields"]


def test_top_recommendations_dashboard_and_chat_take_at(auth_api, catalog):
    with_hours("mh-mamouns-falafel", "Mo-Su 11:00-05:00")
    at = "2026-12-13T01:30:00-05:00"

    top = auth_api.get("/api/top_recommendations", {"at": at, **WASHINGTON_SQUARE}).json()["places"]
    dashboard = auth_api.get("/api/dashboard", {"at": at, **WASHINGTON_SQUARE}).json()["quick_recommendations"]
    chat = auth_api.post("/api/chat", {"message": "hungry, where can I eat", "at": at, **WASHINGTON_SQUARE}, format="json")

    assert any(card["hours_text"] == "usually open until 05:00" for card in top)
    assert dashboard["quick_bites"][0]["hours_text"] == "usually open until 05:00"
    assert chat.status_code == 200
    assert all(card["open_now"] is not False for card in chat.json()["places"])


def test_browse_open_now_filters_by_the_hours_at_that_instant(api, catalog):
    think = with_hours("mh-think-coffee-mercer", "Mo-Su 07:00-21:00")
    reggio = with_hours("mh-caffe-reggio", "Mo-Su 08:00-03:00")

    def browse(open_now: str, at: str) -> set[str]:
        results = api.get("/api/v1/places/", {"open_now": open_now, "at": at, "page_size": 100}).json()["results"]
        return {card["place_id"] for card in results}

    assert browse("true", "2026-12-09T14:00:00-05:00") == {think.card_id, reggio.card_id}
    assert browse("true", "2026-12-09T23:00:00-05:00") == {reggio.card_id}
    assert browse("false", "2026-12-09T23:00:00-05:00") == {think.card_id}


def test_the_place_detail_gives_the_hours_their_source_and_check_date(api, catalog):
    think = with_hours("mh-think-coffee-mercer", "Mo-Su 07:00-21:00")

    detail = api.get(f"/api/v1/places/{think.pk}/").json()

    assert (detail["hours"], detail["hours_source"], detail["hours_checked"]) == ("Mo-Su 07:00-21:00", "venue", "2026-12-01")
    assert detail["rating"] is None and detail["rating_count"] is None


# --- With Google -----------------------------------------------------------------------------------
NEARBY = "/v1/places:searchNearby"
PAYLOADS = __import__("pathlib").Path(__file__).resolve().parent.parent / "payloads"


@pytest.fixture
def google(settings, fake_http, catalog):
    settings.GOOGLE_API_KEY = "test-google-key"
    settings.GOOGLE_PLACES_BASE_URL = fake_http.url
    settings.GOOGLE_ROUTES_BASE_URL = fake_http.url
    fake_http.script(NEARBY, (200, json.loads((PAYLOADS / "google_places_nearby.json").read_text())))
    fake_http.script("/distanceMatrix/v2:computeRouteMatrix", (500, {"error": "down"}))
    return fake_http


def test_googles_hours_are_stated_as_fact_with_its_rating(api, google, clock):
    clock(datetime(2026, 12, 9, 14, 0, tzinfo=NEW_YORK))

    cards = api.get("/api/quick_recs", {"category": "quick_bites"}).json()["places"]

    juniors = next(card for card in cards if card["name"] == "Junior's Restaurant")
    assert juniors["hours_text"] == "open until midnight"  # current hours from Google: no "usually"
    assert juniors["open_now"] is True and isinstance(juniors["rating"], float) and juniors["rating"] > 0
    place = Place.objects.get(source="google_places", name="Junior's Restaurant")
    assert (place.hours_source, place.hours_checked.isoformat()) == ("google_places", "2026-12-09")


def test_googles_open_now_wins_over_its_weekly_hours_while_fresh(api, google, clock):
    clock(datetime(2026, 12, 9, 14, 0, tzinfo=NEW_YORK))
    api.get("/api/quick_recs", {"category": "quick_bites"})
    place = Place.objects.get(source="google_places", name="Junior's Restaurant")
    place.open_now = False  # closed today for a private event, says Google
    place.save()

    detail = api.get(f"/api/v1/places/{place.pk}/").json()

    assert detail["open_now"] is False and detail["hours_text"] == "closed"
