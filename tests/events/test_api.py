"""The events endpoints, served from the database: the two old shapes, the v1 cards, the events
quick-recs category and the dashboard list, validation and the rate limit."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
from django.utils import timezone

from events.models import Event
from events.sources import SOURCES
from places import geo
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import assert_contract, assert_error

pytestmark = pytest.mark.django_db

ENGAGE_PATH = "/api/nyu_engage_events"
PERMITTED_PATH = "/api/events"
LIST_PATH = "/api/v1/events/"
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")
CARD_KEYS = {
    "type", "source", "place_id", "name", "description", "address", "location", "walk_time", "walk_minutes",
    "distance", "distance_meters", "maps_link", "photo_url", "rating", "price_level", "open_now", "score", "start", "end",
    "types", "tags", "cuisine", "opens_at", "closes_at", "hours_text",
}  # fmt: skip
TANDON = (40.69443, -73.98656)  # 6 MetroTech Center
WASHINGTON_SQUARE = (40.73082, -73.99733)  # about 4 km from Tandon


@pytest.fixture(autouse=True)
def no_source_is_fetched(settings, monkeypatch):
    """Every outbound HTTP call goes to `responses`, which has nothing registered, and every
    source's fetch is recorded: the events endpoints must answer from the database alone."""
    settings.ENGAGE_BASE_URL = "https://engage.api.test"
    settings.BROOKLYN_BRIDGE_PARK_BASE_URL = "https://bbp.api.test"
    settings.DOWNTOWN_BROOKLYN_BASE_URL = "https://dtbk.api.test"
    settings.NYC_PARKS_BASE_URL = "https://parks.api.test"
    settings.GOOGLE_API_KEY = None
    settings.OPENWEATHER_KEY = None
    fetched: list[str] = []
    for name, source in SOURCES.items():
        monkeypatch.setattr(source, "fetch", lambda *, start, end, _name=name: fetched.append(_name) or [])
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield
        assert len(rsps.calls) == 0, [call.request.url for call in rsps.calls]
    assert fetched == []


@pytest.fixture(autouse=True)
def now(clock) -> datetime:
    """Events are made relative to a pinned weekday afternoon; autouse, so the clock is there before
    any token or session is made (a token signed later than "now" is not valid yet)."""
    return clock(WEEKDAY_AFTERNOON)


def assert_iso_with_offset(value: str, expected: datetime) -> None:
    assert ISO_WITH_OFFSET.match(value), value
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None and parsed == expected
    assert parsed.utcoffset() == timezone.localtime(expected).utcoffset()  # New York time


def assert_event_card(card: dict, event: Event) -> None:
    assert set(card) == CARD_KEYS
    assert card["type"] == "event"
    assert card["source"] == event.source
    assert card["place_id"] == f"event:{event.pk}"
    assert card["name"] == event.name
    assert card["description"] is None or isinstance(card["description"], str)
    assert isinstance(card["address"], str)
    assert isinstance(card["maps_link"], str) and card["maps_link"].startswith("https://")
    assert card["photo_url"] is None or isinstance(card["photo_url"], str)
    assert card["rating"] is None  # an event has no rating; never a 0.0 the iOS app would show as a star
    assert (card["types"], card["tags"], card["cuisine"], card["opens_at"], card["closes_at"], card["hours_text"]) == ([], [], [], None, None, None)
    assert card["price_level"] is None or type(card["price_level"]) is int
    assert card["open_now"] is None
    assert isinstance(card["score"], (int, float)) and not isinstance(card["score"], bool)
    if event.lat is None:
        assert card["location"] is None
        assert card["walk_time"] is card["walk_minutes"] is card["distance"] is card["distance_meters"] is None
    else:
        assert card["location"] == {"lat": event.lat, "lng": event.lng}
        assert type(card["walk_minutes"]) is int and type(card["distance_meters"]) is int
        assert isinstance(card["walk_time"], str) and isinstance(card["distance"], str)
    assert_iso_with_offset(card["start"], event.start)
    if event.end is None:
        assert card["end"] is None
    else:
        assert_iso_with_offset(card["end"], event.end)


def place_ids(cards: list[dict]) -> list[str]:
    return [card["place_id"] for card in cards]


# --- /api/nyu_engage_events -----------------------------------------------------------------------------
def test_engage_events_lists_only_upcoming_nyu_engage_events_in_the_window(api, make_event, now):
    soon = make_event(
        name="Study Jam", start=now + timedelta(days=2), end=now + timedelta(days=2, hours=2),
        image_url="https://se-images.campuslabs.com/clink/images/jam.png", organization="Tandon Student Council",
    )  # fmt: skip
    ongoing = make_event(name="Ongoing Expo", start=now - timedelta(hours=1), end=now + timedelta(hours=1))
    make_event(name="Next Month", start=now + timedelta(days=10))
    make_event(name="Last Week", start=now - timedelta(days=7), end=now - timedelta(days=7) + timedelta(hours=2))
    make_event(name="Cancelled", start=now + timedelta(days=1), is_active=False)
    make_event(name="Park Picnic", source=Event.Source.BROOKLYN_BRIDGE_PARK, start=now + timedelta(days=1))
    make_event(name="Staff Pick", source=Event.Source.STAFF, external_id="", start=now + timedelta(days=1))

    response = api.get(ENGAGE_PATH)

    assert response.status_code == 200
    assert_contract("GET", ENGAGE_PATH, response)
    items = response.json()["engage_events"]
    assert [item["name"] for item in items] == ["Ongoing Expo", "Study Jam"]
    jam = items[1]
    assert set(jam) == {"name", "start", "end", "description", "location", "organization", "image", "url"}
    assert_iso_with_offset(jam["start"], soon.start)
    assert_iso_with_offset(jam["end"], soon.end)
    assert jam["location"] == soon.venue
    assert jam["organization"] == "Tandon Student Council"
    assert jam["image"] == soon.image_url
    assert jam["url"] == soon.url
    assert items[0]["image"] is None and ongoing.image_url == ""


def test_engage_events_days_widens_the_window(api, make_event, now):
    make_event(name="Tomorrow", start=now + timedelta(days=1, hours=2))
    make_event(name="In Ten Days", start=now + timedelta(days=10))

    assert [i["name"] for i in api.get(ENGAGE_PATH, {"days": 14}).json()["engage_events"]] == ["Tomorrow", "In Ten Days"]
    assert [i["name"] for i in api.get(ENGAGE_PATH, {"days": 1}).json()["engage_events"]] == []
    assert [i["name"] for i in api.get(ENGAGE_PATH, {"days": 2}).json()["engage_events"]] == ["Tomorrow"]


def test_engage_events_empty_is_an_empty_list(api, db):
    response = api.get(ENGAGE_PATH)

    assert response.status_code == 200
    # Not a bare empty list: why it is empty (here no sync has run; tests/events/test_listing_status.py).
    assert response.json() == {"engage_events": [], "status": "not_synced", "message": "Events haven't been loaded yet. Check back soon."}
    assert_contract("GET", ENGAGE_PATH, response)


@pytest.mark.parametrize("path", [ENGAGE_PATH, PERMITTED_PATH])
@pytest.mark.parametrize("days", ["0", "31", "x", "-3", "1.5"])
def test_days_out_of_range_or_not_a_number_is_400_with_fields(api, db, path, days):
    response = api.get(path, {"days": days})

    body = assert_error(response, 400, "validation_error")
    assert list(body["fields"]) == ["days"]


@pytest.mark.parametrize(("path", "key"), [(ENGAGE_PATH, "engage_events"), (PERMITTED_PATH, "nyu_permitted")])
def test_an_empty_days_is_the_default_week(api, make_event, now, path, key):
    """As the schema says (allowEmptyValue): an optional parameter sent empty is the same as absent."""
    make_event(name="Tomorrow", start=now + timedelta(days=1))
    make_event(name="In Ten Days", start=now + timedelta(days=10))

    response = api.get(f"{path}?days=")

    assert response.status_code == 200
    assert response.json() == api.get(path).json()
    assert len(response.json()[key]) == 1


@pytest.mark.parametrize("days", ["1", "30"])
def test_days_bounds_are_accepted(api, db, days):
    assert api.get(ENGAGE_PATH, {"days": days}).status_code == 200
    assert api.get(PERMITTED_PATH, {"days": days}).status_code == 200


# --- /api/events ----------------------------------------------------------------------------------------
def test_events_lists_every_source_with_where_it_is(api, make_event, now):
    located = make_event(name="Hack Night", start=now + timedelta(hours=5), lat=40.6927, lng=-73.9872, venue="370 Jay St", address="")
    unlocated = make_event(
        name="Shop & Sip", source=Event.Source.DOWNTOWN_BROOKLYN, start=now + timedelta(days=3), venue="Downtown Brooklyn", address=""
    )
    make_event(name="Past", start=now - timedelta(days=2), end=now - timedelta(days=2) + timedelta(hours=1))
    make_event(name="Inactive", start=now + timedelta(days=1), is_active=False)

    response = api.get(PERMITTED_PATH)

    assert response.status_code == 200
    assert_contract("GET", PERMITTED_PATH, response)
    items = response.json()["nyu_permitted"]
    assert [item["event_name"] for item in items] == ["Hack Night", "Shop & Sip"]
    assert all(set(item) == {"event_name", "event_start", "address", "latitude", "longitude"} for item in items)
    hack, shop = items
    assert_iso_with_offset(hack["event_start"], located.start)
    assert (hack["address"], hack["latitude"], hack["longitude"]) == ("370 Jay St", 40.6927, -73.9872)
    assert_iso_with_offset(shop["event_start"], unlocated.start)
    assert (shop["address"], shop["latitude"], shop["longitude"]) == ("Downtown Brooklyn", None, None)


def test_events_days_limits_the_window(api, make_event, now):
    make_event(name="Tomorrow", start=now + timedelta(days=1))
    make_event(name="In Twenty Days", start=now + timedelta(days=20))

    assert [i["event_name"] for i in api.get(PERMITTED_PATH).json()["nyu_permitted"]] == ["Tomorrow"]
    assert [i["event_name"] for i in api.get(PERMITTED_PATH, {"days": 30}).json()["nyu_permitted"]] == ["Tomorrow", "In Twenty Days"]


# --- /api/v1/events/ ------------------------------------------------------------------------------------
def test_list_is_paginated_cards_sorted_by_start(api, make_event, now):
    offsets = [17, 3, 22, 8, 1, 12, 5, 19, 14, 2, 21, 7, 10, 16, 4, 23, 11, 6, 20, 9, 15, 13, 18]
    events = {hours: make_event(name=f"At +{hours}h", start=now + timedelta(hours=hours)) for hours in offsets}

    first = api.get(LIST_PATH)

    assert first.status_code == 200
    page = first.json()
    assert set(page) == {"count", "next", "previous", "results", "status", "message"}
    assert (page["status"], page["message"]) == ("ok", None)
    assert page["count"] == 23 and page["previous"] is None and page["next"]
    assert place_ids(page["results"]) == [f"event:{events[h].pk}" for h in range(1, 21)]
    second = api.get(LIST_PATH, {"page": 2}).json()
    assert place_ids(second["results"]) == [f"event:{events[h].pk}" for h in range(21, 24)]
    assert second["next"] is None and second["previous"]
    assert api.get(LIST_PATH, {"page": 3}).status_code == 404


def _next_fall_back(after: datetime) -> datetime:
    """The next end of daylight saving time in New York (01:00-02:00 happens twice) after `after`."""
    year = timezone.localtime(after).year
    while True:
        first_sunday = next(day for day in range(1, 8) if datetime(year, 11, day).weekday() == 6)
        change = datetime(year, 11, first_sunday, 6, tzinfo=UTC)  # 02:00 EDT = 01:00 EST
        if change - timedelta(hours=2) > after:
            return change
        year += 1


def test_list_order_follows_the_instant_not_the_local_clock_across_the_dst_change(api, make_event, now):
    change = _next_fall_back(now)
    first = make_event(name="01:30 EDT", start=change - timedelta(minutes=30))  # shown as 01:30-04:00
    second = make_event(name="01:10 EST", start=change + timedelta(minutes=10))  # shown as 01:10-05:00, 40 minutes later

    cards = api.get(LIST_PATH).json()["results"]

    assert [card["name"] for card in cards] == ["01:30 EDT", "01:10 EST"]
    assert cards[0]["start"].endswith("-04:00") and cards[1]["start"].endswith("-05:00")
    assert_event_card(cards[0], first)
    assert_event_card(cards[1], second)


def test_list_cards_have_the_card_shape(api, make_event, now):
    located = make_event(
        name="Robotics Demo", start=now + timedelta(hours=2), end=now + timedelta(hours=4), lat=TANDON[0], lng=TANDON[1],
        image_url="https://example.org/robot.jpg", is_free=True,
    )  # fmt: skip
    unlocated = make_event(
        name="Mystery Meetup", description="", start=now + timedelta(hours=3), venue="TBA", address="", url="", is_free=None
    )

    cards = api.get(LIST_PATH).json()["results"]

    by_id = {card["place_id"]: card for card in cards}
    demo, mystery = by_id[f"event:{located.pk}"], by_id[f"event:{unlocated.pk}"]
    assert_event_card(demo, located)
    assert_event_card(mystery, unlocated)
    assert demo["photo_url"] == "https://example.org/robot.jpg" and demo["price_level"] == 0
    assert demo["maps_link"].startswith("https://www.google.com/maps/dir/")
    assert mystery["location"] is None and mystery["photo_url"] is None and mystery["price_level"] is None
    assert mystery["description"] is None and mystery["address"] == "TBA"
    assert mystery["maps_link"].startswith("https://www.google.com/maps/search/")


def test_list_excludes_inactive_and_past_events_but_keeps_ongoing_ones(api, make_event, now):
    ongoing = make_event(name="Ongoing", start=now - timedelta(hours=2), end=now + timedelta(hours=1))
    upcoming = make_event(name="Upcoming", start=now + timedelta(days=20))
    make_event(name="Over", start=now - timedelta(hours=3), end=now - timedelta(minutes=1))
    make_event(name="Long Gone", start=now - timedelta(days=3))
    make_event(name="Inactive", start=now + timedelta(days=1), is_active=False)

    cards = api.get(LIST_PATH).json()["results"]

    assert place_ids(cards) == [f"event:{ongoing.pk}", f"event:{upcoming.pk}"]


def test_list_filters_by_source(api, make_event, now):
    park = make_event(name="Pier Picnic", source=Event.Source.BROOKLYN_BRIDGE_PARK, start=now + timedelta(days=1))
    make_event(name="Club Fair", start=now + timedelta(days=1))

    assert place_ids(api.get(LIST_PATH, {"source": "brooklyn_bridge_park"}).json()["results"]) == [f"event:{park.pk}"]
    assert_error(api.get(LIST_PATH, {"source": "eventbrite"}), 400, "validation_error")


def test_list_filters_by_text_in_name_description_or_venue(api, make_event, now):
    by_name = make_event(name="Jazz Night", start=now + timedelta(hours=1))
    by_description = make_event(name="Open Stage", description="Live JAZZ and poetry", start=now + timedelta(hours=2))
    by_venue = make_event(name="Quiz", venue="Jazz Room, Kimmel", start=now + timedelta(hours=3))
    make_event(name="Chess Club", start=now + timedelta(hours=4))

    cards = api.get(LIST_PATH, {"q": "jazz"}).json()["results"]

    assert place_ids(cards) == [f"event:{e.pk}" for e in (by_name, by_description, by_venue)]


def test_list_empty_start_bounds_are_no_bounds(api, make_event, now):
    soon = make_event(name="Soon", start=now + timedelta(hours=2))
    later = make_event(name="Later", start=now + timedelta(days=20))

    response = api.get(f"{LIST_PATH}?starts_before=&starts_after=&source=&q=&radius_m=")

    assert response.status_code == 200
    assert place_ids(response.json()["results"]) == [f"event:{soon.pk}", f"event:{later.pk}"]


def test_list_filters_by_start_window(api, make_event, now):
    early = make_event(name="Early", start=now + timedelta(hours=2))
    middle = make_event(name="Middle", start=now + timedelta(days=2))
    late = make_event(name="Late", start=now + timedelta(days=5))

    after = api.get(LIST_PATH, {"starts_after": (now + timedelta(days=1)).isoformat()}).json()["results"]
    before = api.get(LIST_PATH, {"starts_before": (now + timedelta(days=1)).isoformat()}).json()["results"]
    between = api.get(
        LIST_PATH, {"starts_after": (now + timedelta(days=1)).isoformat(), "starts_before": (now + timedelta(days=3)).isoformat()}
    ).json()["results"]

    assert place_ids(after) == [f"event:{middle.pk}", f"event:{late.pk}"]
    assert place_ids(before) == [f"event:{early.pk}"]
    assert place_ids(between) == [f"event:{middle.pk}"]
    body = assert_error(api.get(LIST_PATH, {"starts_after": "next tuesday"}), 400, "validation_error")
    assert "starts_after" in body["fields"]


def test_list_filters_by_radius_around_a_point(api, make_event, now):
    near = make_event(name="Near", start=now + timedelta(hours=1), lat=TANDON[0], lng=TANDON[1])
    far = make_event(name="Far", start=now + timedelta(hours=2), lat=WASHINGTON_SQUARE[0], lng=WASHINGTON_SQUARE[1])
    make_event(name="Nowhere", start=now + timedelta(hours=3), lat=None, lng=None)
    origin = {"lat": TANDON[0], "lng": TANDON[1]}

    close = api.get(LIST_PATH, {**origin, "radius_m": 1000}).json()["results"]
    wide = api.get(LIST_PATH, {**origin, "radius_m": 10000}).json()["results"]

    assert place_ids(close) == [f"event:{near.pk}"]
    assert close[0]["walk_minutes"] <= 2
    assert place_ids(wide) == [f"event:{near.pk}", f"event:{far.pk}"]
    assert wide[1]["distance_meters"] > 3000


def test_list_radius_is_a_circle_not_a_box(api, make_event, now):
    origin = geo.Point(*TANDON)
    _, max_lat, _, max_lng = geo.bounding_box(origin, 1000)
    # Near the box's corner: inside the 1 km box, about 1.3 km away.
    corner = geo.Point(origin.lat + 0.9 * (max_lat - origin.lat), origin.lng + 0.9 * (max_lng - origin.lng))
    assert geo.haversine_m(origin, corner) > 1000
    edge = geo.Point(origin.lat + 0.9 * (max_lat - origin.lat), origin.lng)  # 900 m north
    make_event(name="Corner", start=now + timedelta(hours=1), lat=corner.lat, lng=corner.lng)
    inside = make_event(name="Edge", start=now + timedelta(hours=2), lat=edge.lat, lng=edge.lng)

    page = api.get(LIST_PATH, {"lat": origin.lat, "lng": origin.lng, "radius_m": 1000}).json()

    assert place_ids(page["results"]) == [f"event:{inside.pk}"]
    assert page["count"] == 1


def test_list_with_a_point_measures_walks_from_it(api, make_event, now):
    event = make_event(name="Arch Lighting", start=now + timedelta(hours=1), lat=WASHINGTON_SQUARE[0], lng=WASHINGTON_SQUARE[1])

    from_tandon = api.get(LIST_PATH).json()["results"][0]  # the default origin is Tandon
    from_the_arch = api.get(LIST_PATH, {"lat": WASHINGTON_SQUARE[0], "lng": WASHINGTON_SQUARE[1]}).json()["results"][0]

    assert from_tandon["place_id"] == from_the_arch["place_id"] == f"event:{event.pk}"
    assert from_the_arch["distance_meters"] < 50 < from_tandon["distance_meters"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"radius_m": 500}, "radius_m"),
        ({"lat": 40.69, "radius_m": 500}, "lng"),
        ({"lng": -73.98}, "lat"),
        ({"lat": 91, "lng": 0}, "lat"),
        ({"lat": 40.69, "lng": -73.98, "radius_m": 10}, "radius_m"),
        ({"page": 0}, "page"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_list_invalid_query_is_400_with_fields(api, db, query, field):
    body = assert_error(api.get(LIST_PATH, query), 400, "validation_error")
    assert field in body["fields"], body


def test_detail_is_the_card(api, make_event, now):
    event = make_event(name="Robotics Demo", start=now + timedelta(hours=2), end=now + timedelta(hours=3), lat=TANDON[0], lng=TANDON[1])

    response = api.get(f"{LIST_PATH}{event.pk}/")

    assert response.status_code == 200
    card = response.json()
    assert_event_card(card, event)
    listed = api.get(LIST_PATH).json()["results"][0]
    assert card == listed


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_detail_of_an_unknown_event_is_404_json(api, db, pk):
    assert_error(api.get(f"{LIST_PATH}{pk}/"), 404, "not_found")


def test_detail_of_an_inactive_event_is_404(api, make_event, now):
    event = make_event(start=now + timedelta(days=1), is_active=False)

    assert_error(api.get(f"{LIST_PATH}{event.pk}/"), 404, "not_found")


def test_write_methods_are_not_allowed(api, make_event, now):
    event = make_event(start=now + timedelta(days=1))

    assert_error(api.post(LIST_PATH, {"name": "x"}, format="json"), 405)
    assert_error(api.delete(f"{LIST_PATH}{event.pk}/"), 405)
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_hidden_event_is_in_no_list_and_has_no_detail(api, make_event, now):
    shown = make_event(name="Shown", start=now + timedelta(hours=2), lat=TANDON[0], lng=TANDON[1])
    hidden = make_event(name="Hidden By Staff", start=now + timedelta(hours=1), lat=TANDON[0], lng=TANDON[1], hidden=True)

    assert place_ids(api.get(LIST_PATH).json()["results"]) == [f"event:{shown.pk}"]
    assert_error(api.get(f"{LIST_PATH}{hidden.pk}/"), 404, "not_found")
    assert [item["name"] for item in api.get(ENGAGE_PATH).json()["engage_events"]] == ["Shown"]
    assert [item["event_name"] for item in api.get(PERMITTED_PATH).json()["nyu_permitted"]] == ["Shown"]
    assert place_ids(api.get("/api/quick_recs", {"category": "events"}).json()["places"]) == [f"event:{shown.pk}"]


# --- Events in the recommendation lists -------------------------------------------------------------------
def test_quick_recs_events_category_without_location_answers_event_cards(api, make_event, now):
    soon = make_event(name="Coffee Chat", start=now + timedelta(minutes=30), lat=TANDON[0], lng=TANDON[1], venue="Dibner Library")
    later = make_event(name="Gallery Walk", start=now + timedelta(days=3), lat=None, lng=None)
    make_event(name="Too Far Ahead", start=now + timedelta(days=12))
    make_event(name="Inactive", start=now + timedelta(hours=1), is_active=False)

    response = api.get("/api/quick_recs", {"category": "events"})

    assert response.status_code == 200
    assert_contract("GET", "/api/quick_recs", response)
    body = response.json()
    assert body["category"] == "events"
    assert place_ids(body["places"]) == [f"event:{soon.pk}", f"event:{later.pk}"]  # soonest and nearest first
    assert all(card["type"] == "event" for card in body["places"])
    assert_event_card(body["places"][0], soon)
    assert_event_card(body["places"][1], later)


def test_quick_recs_events_with_no_events_is_an_empty_list(api, db):
    response = api.get("/api/quick_recs", {"category": "events"})

    assert response.status_code == 200
    assert response.json()["places"] == []
    assert_contract("GET", "/api/quick_recs", response)


def test_dashboard_lists_upcoming_events(auth_api, make_event, now):
    event = make_event(name="Career Fair", start=now + timedelta(hours=6), lat=TANDON[0], lng=TANDON[1])
    make_event(name="Inactive", start=now + timedelta(hours=1), is_active=False)

    response = auth_api.get("/api/dashboard")

    assert response.status_code == 200
    assert_contract("GET", "/api/dashboard", response)
    events = response.json()["quick_recommendations"]["events"]
    assert place_ids(events) == [f"event:{event.pk}"]
    assert_event_card(events[0], event)


# --- Rate limit -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [ENGAGE_PATH, PERMITTED_PATH, LIST_PATH])
def test_the_21st_request_in_a_minute_is_429_with_retry_after(api, make_client, db, one_ratelimit_window, path):
    for _ in range(20):
        assert api.get(path).status_code == 200

    response = api.get(path)

    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"].isdigit() and 1 <= int(response["Retry-After"]) <= 60
    assert make_client(ip="10.9.8.99").get(path).status_code == 200  # another client has its own budget


def test_the_detail_endpoint_is_rate_limited_too(api, make_event, now, one_ratelimit_window):
    event = make_event(start=now + timedelta(days=1))
    for _ in range(20):
        assert api.get(f"{LIST_PATH}{event.pk}/").status_code == 200

    assert_error(api.get(f"{LIST_PATH}{event.pk}/"), 429, "rate_limited")
