"""Event sources: parsing of recorded payloads, paging, and source-level failures.

Every base URL points at a fake host and `responses` answers for it; nothing leaves the machine
and no database is needed.
"""

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
import responses
from responses import matchers

from events.sources import SOURCES, SourceEvent, brooklyn_bridge_park, downtown_brooklyn, engage, nyc_parks
from events.sources.text import clean_text, parse_datetime
from violetvibes.providers.errors import ProviderError, ProviderTimeout

RSQUO, NDASH = "\u2019", "\u2013"  # the right single quote and en dash the feeds send
PAYLOADS = Path(__file__).resolve().parent.parent / "payloads"
NY = ZoneInfo("America/New_York")
START = datetime(2026, 11, 27, tzinfo=NY)
END = datetime(2026, 12, 4, tzinfo=NY)

ENGAGE = "https://engage.test"
BBP = "https://bbp.test"
DTBK = "https://dtbk.test"
PARKS = "https://parks.test"
# The token in tests/payloads/engage_events_page.html (a real capture of engage.nyu.edu/events).
CAPTURED_TOKEN = (
    "CfDJ8Az9GcAD4TpIm2NmyW6ywWFChTOzLa51FDH7IHrYaCUDUoBKvKhrAaItS-9JeD8Lm7dwZ3FP4KywuyLAt-J6NwM-"
    "Gu4ygsbY077he2UK8ts6-3NnAZZ_fWfG3Vmh7g7rgGn4059xszW9XFRRYihGY34"
)
SEARCH_URL = f"{ENGAGE}/api/discovery/event/search"
BBP_URL = f"{BBP}/wp-json/wp/v2/tribe_events"
DTBK_URL = f"{DTBK}/wp-json/tribe/events/v1/events"


def payload_text(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


def payload_json(name: str):
    return json.loads(payload_text(name))


def query(call) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(call.request.url).query).items()}


def by_id(events: list[SourceEvent]) -> dict[str, SourceEvent]:
    return {event.external_id: event for event in events}


@pytest.fixture(autouse=True)
def _fake_hosts(settings) -> None:
    settings.ENGAGE_BASE_URL = ENGAGE
    settings.BROOKLYN_BRIDGE_PARK_BASE_URL = BBP
    settings.DOWNTOWN_BROOKLYN_BASE_URL = DTBK
    settings.NYC_PARKS_BASE_URL = PARKS


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


# --- Interface ---------------------------------------------------------------------------------------
def test_registry_holds_the_four_sources_under_their_names():
    assert set(SOURCES) == {"nyu_engage", "brooklyn_bridge_park", "downtown_brooklyn", "nyc_parks"}
    for key, source in SOURCES.items():
        assert source.name == key
        assert callable(source.fetch)


def test_source_event_refuses_naive_datetimes():
    with pytest.raises(ValueError):
        SourceEvent(
            source="x",
            external_id="1",
            name="n",
            description="",
            start=datetime(2026, 11, 28, 10),
            end=None,
            venue="",
            address="",
            lat=None,
            lng=None,
            url="",
            image_url="",
            organization="",
            is_free=None,
        )


# --- Text helpers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Rock &amp; Roll", "Rock & Roll"),
        ("Kids&#8217; Day", f"Kids{RSQUO} Day"),
        ("Stern&amp;#8217;s alumnae", f"Stern{RSQUO}s alumnae"),  # double-escaped, as WordPress sends it
        ("<p>One</p><p>Two <b>bold</b>, done</p>", "One Two bold, done"),
        ("<script>alert(1)</script><style>p{}</style>Hi<br>there", "Hi there"),
        ("  lots \n\t of\u00a0 space&nbsp;here ", "lots of space here"),
        ("5 < 10 &amp; 10 > 5", "5 < 10 & 10 > 5"),
        ("&lt;p&gt;Escaped &lt;em&gt;markup&lt;/em&gt;&lt;/p&gt;", "Escaped markup"),
        (None, ""),
        ("", ""),
    ],
)
def test_clean_text_strips_markup_and_decodes_entities(raw, expected):
    assert clean_text(raw) == expected


def test_clean_text_trims_at_a_word_boundary_with_an_ellipsis():
    assert clean_text("alpha beta gamma delta", max_chars=12) == "alpha beta…"
    assert clean_text("alpha beta, gamma", max_chars=13) == "alpha beta…"  # no dangling comma
    assert clean_text("exactly twelve", max_chars=14) == "exactly twelve"  # not longer: untouched
    assert clean_text("Supercalifragilistic", max_chars=6) == "Super…"  # one long word: hard cut
    long = " ".join(["word"] * 200)
    trimmed = clean_text(f"<p>{long}</p>")
    assert len(trimmed) <= 500 and trimmed.endswith("word…")


def test_parse_datetime_gives_aware_datetimes():
    naive = parse_datetime("2026-11-28 10:00:00")
    assert naive == datetime(2026, 11, 28, 10, tzinfo=NY)
    assert naive.tzinfo is not None and naive.utcoffset() == timedelta(hours=-5)
    assert parse_datetime("2026-07-04T20:00:00").utcoffset() == timedelta(hours=-4)  # DST via zoneinfo
    zulu = parse_datetime("2026-11-28T15:00:00Z")
    assert zulu.utcoffset() == timedelta(0) and zulu == datetime(2026, 11, 28, 10, tzinfo=NY)
    assert parse_datetime("2026-11-28T18:00:00-05:00") == datetime(2026, 11, 28, 23, tzinfo=UTC)
    assert parse_datetime("2026-11-28 10:00:00", default_tz="UTC") == datetime(2026, 11, 28, 10, tzinfo=UTC)
    assert parse_datetime(datetime(2026, 11, 28, 10)) == datetime(2026, 11, 28, 10, tzinfo=NY)


@pytest.mark.parametrize("garbage", ["TBA", "", "   ", "2026-13-45", "28/11/2026", None, 12345, ["2026-11-28"]])
def test_parse_datetime_returns_none_for_garbage(garbage):
    assert parse_datetime(garbage) is None


# --- NYU Engage --------------------------------------------------------------------------------------
def _engage_page(mocked, body: str | None = None, **kwargs) -> None:
    mocked.get(
        f"{ENGAGE}/events",
        body=payload_text("engage_events_page.html") if body is None else body,
        content_type="text/html; charset=utf-8",
        headers={"Set-Cookie": ".AspNetCore.Antiforgery.nyu=antiforgery-cookie; path=/; samesite=strict; httponly"},
        **kwargs,
    )


def _engage_search(mocked, name: str, skip: int) -> None:
    mocked.get(
        SEARCH_URL,
        json=payload_json(name),
        match=[matchers.query_param_matcher({"skip": str(skip)}, strict_match=False)],
    )


def test_engage_token_is_extracted_from_the_real_capture():
    assert engage.extract_xsrf_token(payload_text("engage_events_page.html")) == CAPTURED_TOKEN


def test_engage_token_falls_back_to_a_regex_when_the_state_is_not_json():
    page = '<script>window.initialAppState = {institution: undefined, "xsrfToken":"abc-123_XYZ"};</script>'
    assert engage.extract_xsrf_token(page) == "abc-123_XYZ"
    assert engage.extract_xsrf_token("<html><script>window.initialAppState = {};</script></html>") is None


def test_engage_search_carries_the_token_cookie_and_parameters(mocked):
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)

    events = engage.EngageSource().fetch(start=START, end=END)

    assert len(mocked.calls) == 2  # a short page (5 < take=50) is the last one
    search = mocked.calls[1].request
    assert search.headers["X-XSRF-TOKEN"] == CAPTURED_TOKEN
    assert "antiforgery-cookie" in search.headers["Cookie"]  # same session as the page request
    assert query(mocked.calls[1]) == {
        "endsAfter": "2026-11-27T05:00:00Z",
        "orderByField": "endsOn",
        "orderByDirection": "ascending",
        "status": "Approved",
        "take": "50",
        "skip": "0",
    }
    assert [e.external_id for e in events] == ["11840211", "11840412", "11840502"]


def test_engage_maps_fields_and_cleans_text(mocked):
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)

    events = by_id(engage.EngageSource().fetch(start=START, end=END))

    karaoke = events["11840211"]
    assert karaoke.source == "nyu_engage"
    assert karaoke.name == "Rock & Roll Karaoke Night"
    assert (
        karaoke.description
        == "Sing your heart out with the NYU Music Club… no talent required! Snacks & drinks provided."
    )
    assert karaoke.start == datetime(2026, 11, 27, 18, tzinfo=NY) and karaoke.start.tzinfo is not None
    assert karaoke.end == datetime(2026, 11, 27, 20, tzinfo=NY)
    assert karaoke.venue == karaoke.address == "Kimmel Center for University Life, Room 802"
    assert karaoke.url == f"{ENGAGE}/event/11840211"
    assert karaoke.image_url.startswith("https://se-images.campuslabs.com/clink/images/3f1c2a7e-")
    assert karaoke.organization == "NYU Music Club"
    assert karaoke.is_free is None  # "Free Food" is a perk, not free admission
    hack = events["11840412"]
    assert (hack.lat, hack.lng) == (40.6927, -73.9872)
    assert hack.image_url == ""
    assert len(hack.description) <= 500 and hack.description.endswith("…")
    mixer = events["11840502"]
    assert mixer.name == f"Stern Women{RSQUO}s Network Mixer"
    assert mixer.description == f"Meet Stern{RSQUO}s alumnae over coffee & pastries."
    assert mixer.start == datetime(2026, 12, 2, 23, 30, tzinfo=UTC)  # "Z" → UTC
    assert mixer.image_url == "https://se-images.campuslabs.com/clink/images/a7c4e2b9-1f3d-4a6e-8c0b-2d9f5e1a7c3b.png"


def test_engage_pages_with_skip_until_the_count_is_reached(mocked, monkeypatch):
    monkeypatch.setattr(engage, "PAGE_SIZE", 5)
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)
    _engage_search(mocked, "engage_search_page2.json", skip=5)

    events = engage.EngageSource().fetch(start=START, end=END)

    assert [query(call)["skip"] for call in mocked.calls[1:]] == ["0", "5"]
    assert all(query(call)["take"] == "5" for call in mocked.calls[1:])
    # Page 2's events after the window (Dec 5, Dec 8) are dropped.
    assert [e.external_id for e in events] == ["11840211", "11840412", "11840502", "11840533"]
    assert by_id(events)["11840533"].description == "Pick up your ticket at the Kimmel info desk. Bring your NYU ID."


def test_engage_stops_paging_once_a_page_reaches_past_the_window(mocked, monkeypatch):
    monkeypatch.setattr(engage, "PAGE_SIZE", 5)
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)
    _engage_search(mocked, "engage_search_page2.json", skip=5)

    end = datetime(2026, 12, 2, tzinfo=NY)  # page 1 ends with an event on Dec 2, 6:30 p.m.
    events = engage.EngageSource().fetch(start=START, end=end)

    assert len(mocked.calls) == 2  # the events page and one search page; @odata.count (8) is not reached
    assert [e.external_id for e in events] == ["11840211", "11840412"]


def test_engage_skips_bad_items_with_a_warning(mocked, caplog):
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)

    with caplog.at_level(logging.WARNING, logger="events.sources"):
        events = engage.EngageSource().fetch(start=START, end=END)

    assert len(events) == 3
    skipped = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("nyu_engage" in m and "11840377" in m and "no name" in m for m in skipped)
    assert any("nyu_engage" in m and "11840450" in m and "startsOn" in m for m in skipped)


@pytest.mark.parametrize(
    "failure",
    [
        "page_500",
        "page_timeout",
        "page_without_token",
        "search_500",
        "search_timeout",
        "search_not_json",
        "search_wrong_shape",
    ],
)
def test_engage_source_failures_raise_provider_error(mocked, failure):
    if failure == "page_500":
        mocked.get(f"{ENGAGE}/events", status=500)
    elif failure == "page_timeout":
        mocked.get(f"{ENGAGE}/events", body=requests.exceptions.ReadTimeout("read timed out"))
    elif failure == "page_without_token":
        _engage_page(mocked, body="<html><body><div id='react-app'></div></body></html>")
    else:
        _engage_page(mocked)
        if failure == "search_500":
            mocked.get(SEARCH_URL, status=500)
        elif failure == "search_timeout":
            mocked.get(SEARCH_URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
        elif failure == "search_not_json":
            mocked.get(SEARCH_URL, body="<html>Sign in</html>", content_type="text/html")
        else:
            mocked.get(SEARCH_URL, json={"error": {"code": "BadRequest"}})

    with pytest.raises(ProviderError) as caught:
        engage.EngageSource().fetch(start=START, end=END)
    assert caught.value.provider == "nyu_engage"
    if failure == "page_without_token":
        assert "token" in str(caught.value)
        assert not any(call.request.url.startswith(SEARCH_URL) for call in mocked.calls)


def test_engage_circuit_opens_after_repeated_failures(mocked):
    mocked.get(f"{ENGAGE}/events", status=503)
    for _ in range(3):
        with pytest.raises(ProviderError):
            engage.EngageSource().fetch(start=START, end=END)
    calls = len(mocked.calls)  # with the session's own retry on 5xx
    with pytest.raises(ProviderError, match="circuit is open") as caught:
        engage.EngageSource().fetch(start=START, end=END)
    assert caught.value.retryable
    assert len(mocked.calls) == calls  # skipped without a request


def test_an_engage_page_or_search_that_timed_out_is_asked_again(mocked, settings, retry_waits):
    settings.OUTBOUND_RETRIES = 1
    mocked.get(f"{ENGAGE}/events", body=requests.exceptions.ReadTimeout("read timed out"))
    _engage_page(mocked)
    mocked.get(SEARCH_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    _engage_search(mocked, "engage_search_page1.json", skip=0)

    events = engage.EngageSource().fetch(start=START, end=END)

    assert [e.external_id for e in events] == ["11840211", "11840412", "11840502"]
    assert len(mocked.calls) == 4  # the sync is background work: a read timeout is tried again
    assert retry_waits == [0.0, 0.0]


def test_an_event_page_that_keeps_timing_out_fails_the_source_after_the_retries(mocked, settings):
    settings.OUTBOUND_RETRIES = 1
    mocked.get(f"{PARKS}/events", body=requests.exceptions.ReadTimeout("read timed out"))

    with pytest.raises(ProviderTimeout):
        nyc_parks.NycParksSource().fetch(start=START, end=END)
    assert len(mocked.calls) == 2


def test_an_event_page_answering_an_error_is_not_retried_above_the_transport(mocked, settings):
    settings.OUTBOUND_RETRIES = 1
    mocked.get(DTBK_URL, status=502, body="Bad gateway")

    with pytest.raises(ProviderError) as caught:
        downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END)
    assert caught.value.status == 502
    assert len(mocked.calls) == 2  # urllib3's call and its one retry, none on top


# --- Brooklyn Bridge Park ----------------------------------------------------------------------------
def _bbp_page(mocked, posts, *, total_pages: int = 1, page: int | None = None) -> None:
    match = [matchers.query_param_matcher({"per_page": "50", **({"page": str(page)} if page else {})})]
    mocked.get(
        BBP_URL, json=posts, headers={"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(total_pages)}, match=match
    )


def test_bbp_parses_posts_with_entities_meta_and_park_defaults(mocked):
    _bbp_page(mocked, payload_json("bbp_tribe_events.json"))

    events = by_id(brooklyn_bridge_park.BrooklynBridgeParkSource().fetch(start=START, end=END))

    assert query(mocked.calls[0]) == {"per_page": "50"}
    assert list(events) == ["52114", "52130", "52163", "52180"]  # 52170 (October) is outside the window
    market = events["52114"]
    assert market.name == "Holiday Makers Market & Cider Tasting"
    assert market.description.startswith(f"Shop gifts from more than 40 Brooklyn makers on Pier 1 {NDASH} ceramics")
    assert "<" not in market.description
    assert market.start == datetime(2026, 11, 28, 11, tzinfo=NY)  # _EventStartDateUTC
    assert market.end == datetime(2026, 11, 28, 17, tzinfo=NY)
    assert (market.venue, market.address) == ("Brooklyn Bridge Park", "334 Furman St, Brooklyn, NY 11201")
    assert (market.lat, market.lng) == (40.7003, -73.9967)
    assert market.url == "https://www.brooklynbridgepark.org/events/holiday-makers-market/"
    assert market.image_url.endswith("/makers-market-pier1.jpg")
    assert market.is_free is True
    kids = events["52130"]
    assert kids.name == f"Kids{RSQUO} Nature Explorers at Pier 6"
    assert kids.start == datetime(2026, 11, 29, 10, tzinfo=NY)  # naive site time, meta values as lists
    assert (
        kids.description == f"Hands-on science for ages 5{NDASH}10 with our environmental educators."
    )  # excerpt fallback
    assert kids.image_url.endswith("/nature-explorers.jpg")
    assert kids.is_free is None
    walk = events["52163"]  # no event meta: the post date stands in
    assert walk.start == datetime(2026, 11, 30, 9, tzinfo=NY) and walk.end is None
    rink = events["52180"]
    assert rink.name == f"Pier 2 Roller Rink Closing Party {NDASH} DJ Night"
    assert (rink.lat, rink.lng) == (40.6989, -73.9993)
    assert rink.is_free is False


def test_bbp_follows_the_total_pages_header(mocked):
    _bbp_page(mocked, payload_json("bbp_tribe_events.json"), total_pages=2)
    extra = {
        "id": 52190,
        "link": "https://www.brooklynbridgepark.org/events/ice-skating-social/",
        "title": {"rendered": "Ice Skating Social"},
        "content": {"rendered": "<p>Bring gloves.</p>"},
        "date": "2026-11-10T10:00:00",
        "meta": {"_EventStartDate": "2026-12-02 18:00:00", "_EventEndDate": "2026-12-02 20:00:00", "_EventCost": "0"},
    }
    _bbp_page(mocked, [extra], total_pages=2, page=2)

    events = by_id(brooklyn_bridge_park.BrooklynBridgeParkSource().fetch(start=START, end=END))

    assert len(mocked.calls) == 2
    assert query(mocked.calls[1]) == {"per_page": "50", "page": "2"}
    assert events["52190"].is_free is True and events["52190"].start == datetime(2026, 12, 2, 18, tzinfo=NY)


def test_bbp_skips_bad_posts_with_a_warning(mocked, caplog):
    _bbp_page(mocked, [*payload_json("bbp_tribe_events.json"), "not-a-post"])

    with caplog.at_level(logging.WARNING, logger="events.sources"):
        events = brooklyn_bridge_park.BrooklynBridgeParkSource().fetch(start=START, end=END)

    assert len(events) == 4
    skipped = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("brooklyn_bridge_park" in m and "52141" in m and "no title" in m for m in skipped)
    assert any("brooklyn_bridge_park" in m and "52150" in m and "start" in m for m in skipped)
    assert any("brooklyn_bridge_park" in m and "not an object" in m for m in skipped)


@pytest.mark.parametrize(
    "response",
    [
        {"status": 503},
        {"status": 404, "json": {"code": "rest_no_route", "message": "No route was found", "data": {"status": 404}}},
        {"body": requests.exceptions.ReadTimeout("read timed out")},
        {"body": "<html>Maintenance</html>", "content_type": "text/html"},
        {"json": {"code": "rest_forbidden"}},
    ],
)
def test_bbp_source_failures_raise_provider_error(mocked, response):
    mocked.get(BBP_URL, **response)
    with pytest.raises(ProviderError) as caught:
        brooklyn_bridge_park.BrooklynBridgeParkSource().fetch(start=START, end=END)
    assert caught.value.provider == "brooklyn_bridge_park"


# --- Downtown Brooklyn -------------------------------------------------------------------------------
def _dtbk_pages(mocked, *, same_host: bool) -> None:
    """Page 1 (whose next_rest_url points at our host or at the real one), and page 2 both as
    the next_rest_url (trailing slash, as the API writes it) and as our own URL with page=2."""
    host = DTBK if same_host else "https://www.downtownbrooklyn.com"
    first = payload_text("downtown_brooklyn_events_p1.json").replace(
        "https://www.downtownbrooklyn.com/wp-json", f"{host}/wp-json"
    )
    window = {"start_date": "2026-11-27", "end_date": "2026-12-04", "per_page": "3"}
    second = payload_json("downtown_brooklyn_events_p2.json")
    mocked.get(DTBK_URL, body=first, content_type="application/json", match=[matchers.query_param_matcher(window)])
    mocked.get(f"{DTBK_URL}/", json=second, match=[matchers.query_param_matcher({**window, "page": "2"})])
    mocked.get(DTBK_URL, json=second, match=[matchers.query_param_matcher({**window, "page": "2"})])


def test_downtown_brooklyn_follows_next_rest_url_and_maps_venues(mocked, monkeypatch):
    monkeypatch.setattr(downtown_brooklyn, "PAGE_SIZE", 3)
    _dtbk_pages(mocked, same_host=True)

    events = by_id(downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END))

    assert len(mocked.calls) == 2
    assert query(mocked.calls[0]) == {"start_date": "2026-11-27", "end_date": "2026-12-04", "per_page": "3"}
    assert (
        mocked.calls[1].request.url
        == f"{DTBK}/wp-json/tribe/events/v1/events/?page=2&per_page=3&start_date=2026-11-27&end_date=2026-12-04"
    )
    assert list(events) == ["10234", "10240", "10263"]
    tree = events["10234"]
    assert tree.name == "Downtown Brooklyn Holiday Tree Lighting"
    assert f"Stern{RSQUO}s a cappella" in tree.description and "<" not in tree.description
    assert tree.start == datetime(2026, 11, 28, 17, tzinfo=NY)  # from utc_start_date
    assert tree.end == datetime(2026, 11, 28, 19, tzinfo=NY)
    assert (tree.venue, tree.address) == ("Albee Square", "1 Albee Square, Brooklyn")
    assert (tree.lat, tree.lng) == (40.6908, -73.9834)
    assert tree.image_url.endswith("/tree-lighting.jpg")
    assert tree.is_free is True
    assert tree.organization == "Downtown Brooklyn Partnership"
    jazz = events["10240"]
    assert jazz.name == f"Jazz at the Plaza {NDASH} Winter Edition"
    assert jazz.start == datetime(2026, 11, 30, 18, 30, tzinfo=NY)  # start_date + timezone, no UTC field
    assert (jazz.lat, jazz.lng) == (40.6925, -73.9857)  # strings → floats
    assert jazz.image_url == ""  # "image": false
    assert jazz.is_free is False
    shop = events["10263"]
    assert shop.name == "Fulton Mall Shop & Sip"
    assert (shop.venue, shop.address, shop.lat, shop.lng) == ("", "", None, None)  # "venue": []: no location, none invented
    assert shop.is_free is True  # cost_details.values == ["0"]
    assert shop.organization == "Fulton Area Business Alliance"


def test_downtown_brooklyn_does_not_follow_a_next_url_on_another_host(mocked, monkeypatch):
    monkeypatch.setattr(downtown_brooklyn, "PAGE_SIZE", 3)
    _dtbk_pages(mocked, same_host=False)

    events = downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END)

    assert [urlsplit(call.request.url).netloc for call in mocked.calls] == ["dtbk.test", "dtbk.test"]
    assert query(mocked.calls[1]) == {
        "start_date": "2026-11-27",
        "end_date": "2026-12-04",
        "per_page": "3",
        "page": "2",
    }
    assert [e.external_id for e in events] == ["10234", "10240", "10263"]


def test_downtown_brooklyn_skips_bad_items_with_a_warning(mocked, monkeypatch, caplog):
    monkeypatch.setattr(downtown_brooklyn, "PAGE_SIZE", 3)
    _dtbk_pages(mocked, same_host=True)

    with caplog.at_level(logging.WARNING, logger="events.sources"):
        events = downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END)

    assert len(events) == 3
    skipped = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("downtown_brooklyn" in m and "10251" in m and "no title" in m for m in skipped)
    assert any("downtown_brooklyn" in m and "10270" in m and "TBD" in m for m in skipped)


@pytest.mark.parametrize(
    "response",
    [
        {"status": 500},
        {"status": 403},
        {"body": requests.exceptions.ConnectionError("refused")},
        {"body": "{not json", "content_type": "application/json"},
        {"json": {"events": "none"}},
    ],
)
def test_downtown_brooklyn_source_failures_raise_provider_error(mocked, response):
    mocked.get(DTBK_URL, **response)
    with pytest.raises(ProviderError) as caught:
        downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END)
    assert caught.value.provider == "downtown_brooklyn"


def test_downtown_brooklyn_fails_as_a_whole_when_a_later_page_fails(mocked, monkeypatch):
    monkeypatch.setattr(downtown_brooklyn, "PAGE_SIZE", 3)
    first = payload_text("downtown_brooklyn_events_p1.json").replace(
        "https://www.downtownbrooklyn.com/wp-json", f"{DTBK}/wp-json"
    )
    mocked.get(DTBK_URL, body=first, content_type="application/json")
    mocked.get(f"{DTBK_URL}/", status=502)
    with pytest.raises(ProviderError):
        downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END)


# --- NYC Parks ---------------------------------------------------------------------------------------
PARKS_PAGE_2 = """<html><body><div id="events_leftcol">
  <h2 class="clearleft">Saturday, December 12, 2026</h2>
  <div class="row event-row" itemscope itemtype="http://schema.org/Event">
    <h3 class="event-title" itemprop="name"><a href="/events/2026/12/12/winter-jam">Winter Jam</a></h3>
    <h4 class="location" itemprop="location"><span itemprop="name">Central Park</span></h4>
    <p><strong>noon</strong>&ndash;<strong>4:00 p.m.</strong></p>
  </div>
</div></body></html>"""


def _parks_page(mocked, path: str = "/events", body: str | None = None, **kwargs) -> None:
    mocked.get(
        f"{PARKS}{path}",
        body=payload_text("nyc_parks_events.html") if body is None else body,
        content_type="text/html; charset=utf-8",
        **kwargs,
    )


def test_nyc_parks_makes_relative_links_absolute_and_keeps_absolute_ones(mocked):
    _parks_page(mocked)

    events = by_id(nyc_parks.NycParksSource().fetch(start=START, end=END))

    trot = events["2026/11/28/turkey-trot-family-fun-run"]
    assert trot.url == f"{PARKS}/events/2026/11/28/turkey-trot-family-fun-run"
    assert trot.image_url == f"{PARKS}/photo_gallery/thumbnails/events/turkey_trot.jpg"
    birding = events["2026/11/28/urban-park-rangers-winter-birding"]  # same id shape for an absolute link
    assert birding.url == "https://www.nycgovparks.org/events/2026/11/28/urban-park-rangers-winter-birding"
    assert birding.image_url == "https://www.nycgovparks.org/photo_gallery/thumbnails/events/rangers_birding.jpg"
    assert all("https://" not in e.url[8:] for e in events.values())  # never double-prefixed


def test_nyc_parks_maps_fields_and_cleans_text(mocked):
    _parks_page(mocked)

    events = by_id(nyc_parks.NycParksSource().fetch(start=START, end=END))

    assert list(events) == [
        "2026/11/28/turkey-trot-family-fun-run",
        "2026/11/28/urban-park-rangers-winter-birding",
        "2026/11/29/washington-square-holiday-lighting",
        "2026/11/29/late-night-stargazing",
    ]
    trot = events["2026/11/28/turkey-trot-family-fun-run"]
    assert trot.source == "nyc_parks"
    assert trot.name == "Prospect Park Turkey Trot & Family Fun Run"
    assert trot.description.startswith(f"Lace up for a free 5K loop around the park{RSQUO}s drives.")
    assert (trot.venue, trot.address) == (
        "Picnic House (in Prospect Park)",
        "Picnic House (in Prospect Park), Brooklyn",
    )
    assert (trot.lat, trot.lng) == (40.666, -73.9727)
    assert trot.is_free is True
    assert events["2026/11/28/urban-park-rangers-winter-birding"].name == f"Urban Park Rangers{RSQUO} Winter Birding"
    lighting = events["2026/11/29/washington-square-holiday-lighting"]
    assert lighting.description.startswith("Carols, cocoa & the tree under the arch.")
    assert lighting.is_free is None  # no "Free!" category


def test_nyc_parks_times_are_new_york(mocked):
    _parks_page(mocked)

    events = by_id(nyc_parks.NycParksSource().fetch(start=START, end=END))

    trot = events["2026/11/28/turkey-trot-family-fun-run"]  # schema.org startDate/endDate, no offset
    assert (trot.start, trot.end) == (datetime(2026, 11, 28, 9, tzinfo=NY), datetime(2026, 11, 28, 11, 30, tzinfo=NY))
    assert trot.start.utcoffset() == timedelta(hours=-5)
    birding = events["2026/11/28/urban-park-rangers-winter-birding"]  # day heading + "10:00 a.m.-12:00 p.m."
    assert (birding.start, birding.end) == (
        datetime(2026, 11, 28, 10, tzinfo=NY),
        datetime(2026, 11, 28, 12, tzinfo=NY),
    )
    stars = events["2026/11/29/late-night-stargazing"]  # "11:00 p.m.-1:00 a.m." runs past midnight
    assert (stars.start, stars.end) == (datetime(2026, 11, 29, 23, tzinfo=NY), datetime(2026, 11, 30, 1, tzinfo=NY))


def test_nyc_parks_stops_paging_when_the_page_passes_the_window(mocked):
    _parks_page(mocked)
    _parks_page(mocked, "/events/p2", body=PARKS_PAGE_2)

    events = nyc_parks.NycParksSource().fetch(start=START, end=END)

    assert len(mocked.calls) == 1  # page 1 already reaches Dec 6, past the window's end
    assert "2026/12/06/menorah-lighting" not in by_id(events)


def test_nyc_parks_follows_the_next_page_link(mocked):
    _parks_page(mocked)
    _parks_page(mocked, "/events/p2", body=PARKS_PAGE_2)

    events = by_id(nyc_parks.NycParksSource().fetch(start=START, end=datetime(2026, 12, 31, tzinfo=NY)))

    assert [urlsplit(call.request.url).path for call in mocked.calls] == [
        "/events",
        "/events/p2",
    ]  # p2 has no next link
    jam = events["2026/12/12/winter-jam"]
    assert (jam.start, jam.end) == (datetime(2026, 12, 12, 12, tzinfo=NY), datetime(2026, 12, 12, 16, tzinfo=NY))
    assert "2026/12/06/menorah-lighting" in events


def test_nyc_parks_skips_bad_blocks_with_a_warning(mocked, caplog):
    _parks_page(mocked)

    with caplog.at_level(logging.WARNING, logger="events.sources"):
        events = nyc_parks.NycParksSource().fetch(start=START, end=END)

    assert len(events) == 4
    skipped = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("nyc_parks" in m and "2026/11/28/untitled" in m and "no title" in m for m in skipped)
    assert any("nyc_parks" in m and "2026/11/28/drop-in-chess" in m and "date" in m for m in skipped)


@pytest.mark.parametrize(
    "response",
    [
        {"status": 403, "body": "Forbidden"},
        {"status": 500, "body": "Server error"},
        {"body": requests.exceptions.ReadTimeout("read timed out")},
        {"body": "<html><body><h1>Access denied</h1></body></html>"},
    ],
)
def test_nyc_parks_source_failures_raise_provider_error(mocked, response):
    mocked.get(f"{PARKS}/events", **response)
    with pytest.raises(ProviderError) as caught:
        nyc_parks.NycParksSource().fetch(start=START, end=END)
    assert caught.value.provider == "nyc_parks"


# --- A feed cut off at MAX_PAGES says how far it was read ----------------------------------------------------
def test_a_whole_feed_reports_no_cut_off(mocked):
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)

    events = engage.EngageSource().fetch(start=START, end=END)

    assert events.covered_until is None


def test_engage_cut_off_at_max_pages_covers_up_to_the_last_end_read(mocked, monkeypatch):
    monkeypatch.setattr(engage, "PAGE_SIZE", 5)
    monkeypatch.setattr(engage, "MAX_PAGES", 1)
    _engage_page(mocked)
    _engage_search(mocked, "engage_search_page1.json", skip=0)

    events = engage.EngageSource().fetch(start=START, end=END)

    assert len(mocked.calls) == 2
    assert events.covered_until == datetime(2026, 12, 3, 1, 30, tzinfo=UTC)  # 11840502's end, ordered by endsOn


def test_bbp_cut_off_at_max_pages_covers_nothing(mocked, monkeypatch):
    monkeypatch.setattr(brooklyn_bridge_park, "MAX_PAGES", 1)
    _bbp_page(mocked, payload_json("bbp_tribe_events.json"), total_pages=3)

    events = brooklyn_bridge_park.BrooklynBridgeParkSource().fetch(start=START, end=END)

    assert len(mocked.calls) == 1 and len(events) == 4
    assert events.covered_until == START  # posts come in publish order: no date is known to be complete


def test_downtown_brooklyn_cut_off_at_max_pages_covers_up_to_the_last_start_read(mocked, monkeypatch):
    monkeypatch.setattr(downtown_brooklyn, "PAGE_SIZE", 3)
    monkeypatch.setattr(downtown_brooklyn, "MAX_PAGES", 1)
    _dtbk_pages(mocked, same_host=True)

    events = downtown_brooklyn.DowntownBrooklynSource().fetch(start=START, end=END)

    assert len(mocked.calls) == 1
    assert events.covered_until == max(event.start for event in events)


def test_nyc_parks_cut_off_at_max_pages_covers_up_to_the_last_start_read(mocked, monkeypatch):
    monkeypatch.setattr(nyc_parks, "MAX_PAGES", 1)
    _parks_page(mocked)

    events = nyc_parks.NycParksSource().fetch(start=START, end=datetime(2026, 12, 31, tzinfo=NY))

    assert len(mocked.calls) == 1
    assert events.covered_until == max(event.start for event in events)
