"""What the four sources share (events.sources.FeedSource, Feed): the window, the base URL from
settings, one session per fetch, every failure as the source's ProviderError, the breaker."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
import responses
from django.core.cache import cache

from events import sources
from events.sources import SOURCES, Feed, FeedSource, FetchedEvents, SourceEvent
from violetvibes.providers import ProviderError

NY = ZoneInfo("America/New_York")
BASE = "https://feed.test"
START = datetime(2026, 11, 27, tzinfo=NY)
END = datetime(2026, 12, 4, tzinfo=NY)


def _event(external_id: str, start: datetime) -> SourceEvent:
    return SourceEvent(
        source="test_feed",
        external_id=external_id,
        name=f"Event {external_id}",
        description="",
        start=start,
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


class PagedJsonSource(FeedSource):
    """A feed of JSON pages, {"events": [[id, ISO start], ...], "next": path or null}."""

    name = "test_feed"
    base_url_setting = "TEST_FEED_BASE_URL"

    def __init__(self) -> None:
        self.windows: list[tuple[datetime, datetime]] = []

    def read(self, feed: Feed, *, start: datetime, end: datetime) -> FetchedEvents:
        self.windows.append((start, end))
        events = FetchedEvents()
        path: str | None = "/events"
        while path:
            data = feed.get_json(f"{feed.base}{path}")
            if not isinstance(data, dict) or not isinstance(data.get("events"), list):
                raise feed.unreadable("no 'events' list")
            events.extend(_event(item[0], datetime.fromisoformat(item[1])) for item in data["events"])
            path = data.get("next")
            if data.get("cut_off"):
                events.covered_until = START + timedelta(days=2)
                break
        return events


@pytest.fixture
def feed_settings(settings):
    settings.TEST_FEED_BASE_URL = f"{BASE}/"  # a trailing slash is dropped
    return settings


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def _failures() -> int:
    return cache.get("circuit:test_feed:failures") or 0


def test_every_source_is_a_feed_source_with_its_own_base_url_setting(settings):
    assert all(isinstance(source, FeedSource) for source in SOURCES.values())
    names = [source.base_url_setting for source in SOURCES.values()]
    assert sorted(names) == sorted(set(names))
    assert all(getattr(settings, name).startswith("https://") for name in names)


def test_fetch_reads_the_window_as_new_york_time_and_keeps_each_event_of_it_once(feed_settings, mocked):
    mocked.get(
        f"{BASE}/events",
        json={
            "events": [
                ["a", "2026-11-28T10:00:00-05:00"],
                ["a", "2026-11-29T10:00:00-05:00"],  # the same id again: the first one wins
                ["old", "2026-11-01T10:00:00-05:00"],  # before the window
            ],
            "next": "/events/2",
        },
    )
    mocked.get(f"{BASE}/events/2", json={"events": [["b", "2026-12-01T18:00:00-05:00"]], "next": None})
    source = PagedJsonSource()

    events = source.fetch(start=START.replace(tzinfo=None), end=END.replace(tzinfo=None))

    assert source.windows == [(START, END)]
    assert [(event.external_id, event.start.day) for event in events] == [("a", 28), ("b", 1)]
    assert events.covered_until is None


def test_a_cut_off_listing_keeps_how_far_it_covers(feed_settings, mocked):
    mocked.get(f"{BASE}/events", json={"events": [], "next": "/events/2", "cut_off": True})

    assert PagedJsonSource().fetch(start=START, end=END).covered_until == START + timedelta(days=2)


def test_the_base_url_is_read_from_settings_at_each_fetch(feed_settings, mocked):
    feed_settings.TEST_FEED_BASE_URL = "https://elsewhere.test"
    mocked.get("https://elsewhere.test/events", json={"events": [], "next": None})

    assert PagedJsonSource().fetch(start=START, end=END) == []
    assert [call.request.url for call in mocked.calls] == ["https://elsewhere.test/events"]


def test_a_window_that_is_not_datetimes_is_a_value_error(feed_settings):
    with pytest.raises(ValueError, match="datetimes"):
        PagedJsonSource().fetch(start="soon", end=END)


@pytest.mark.parametrize(
    ("answer", "message", "retryable", "counted"),
    [
        pytest.param({"status": 500}, "HTTP 500", True, True, id="http-500"),
        pytest.param({"status": 404}, "HTTP 404", False, False, id="http-404"),
        pytest.param({"body": requests.ConnectionError("refused")}, "ConnectionError", True, True, id="network"),
        pytest.param({"body": "<html>", "content_type": "text/html"}, "response is not JSON", False, True, id="not-json"),
        pytest.param({"json": ["a list"]}, "no 'events' list", False, True, id="wrong-shape"),
    ],
)
def test_every_failure_is_a_provider_error_naming_the_source(feed_settings, mocked, answer, message, retryable, counted):
    mocked.get(f"{BASE}/events", **answer)

    with pytest.raises(ProviderError, match=message) as caught:
        PagedJsonSource().fetch(start=START, end=END)

    assert caught.value.provider == "test_feed"
    assert caught.value.retryable is retryable
    assert _failures() == (1 if counted else 0)


def test_a_later_page_failing_fails_the_whole_feed(feed_settings, mocked):
    mocked.get(f"{BASE}/events", json={"events": [["a", "2026-11-28T10:00:00-05:00"]], "next": "/events/2"})
    mocked.get(f"{BASE}/events/2", status=502)

    with pytest.raises(ProviderError, match="HTTP 502"):
        PagedJsonSource().fetch(start=START, end=END)
    assert _failures() == 1


def test_a_feed_read_whole_clears_the_failures_on_record(feed_settings, mocked):
    mocked.get(f"{BASE}/events", status=500)
    with pytest.raises(ProviderError):
        PagedJsonSource().fetch(start=START, end=END)
    assert _failures() == 1
    mocked.replace(responses.GET, f"{BASE}/events", json={"events": [], "next": None})

    PagedJsonSource().fetch(start=START, end=END)

    assert _failures() == 0


@pytest.mark.parametrize("fails", [False, True], ids=["read", "failed"])
def test_each_fetch_has_its_own_session_closed_after_it(feed_settings, mocked, monkeypatch, fails):
    opened: list[requests.Session] = []
    closed: list[requests.Session] = []
    real = sources.outbound_session

    def spy() -> requests.Session:
        session = real()
        session.close = lambda: closed.append(session)  # type: ignore[method-assign]
        opened.append(session)
        return session

    monkeypatch.setattr(sources, "outbound_session", spy)
    mocked.get(f"{BASE}/events", **({"status": 500} if fails else {"json": {"events": [], "next": None}}))

    for _ in range(2):
        try:
            PagedJsonSource().fetch(start=START, end=END)
        except ProviderError:
            assert fails

    assert len(opened) == 2 and opened[0] is not opened[1]
    assert closed == opened
