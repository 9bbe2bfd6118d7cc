"""Fixtures shared by the events tests: the four sources faked at the HTTP boundary, a frozen
"now", and an event factory.

The recorded payloads (tests/payloads/) are dated Friday 27 November to early December 2026; the
fake sources serve them moved by whole weeks next to the test's "now" (tests/fakes/dates.py), so
they never go stale. With "now" frozen at 2026-11-27 00:00 New York (as recorded) and a 7-day
window (to 4 December), the sources yield:

* nyu_engage: 11840211, 11840412, 11840502 (page 1 is short, so there is no page 2 call)
* brooklyn_bridge_park: 52114, 52130, 52163, 52180 (52170 is in October)
* downtown_brooklyn: 10234, 10240, 10263 (two pages)
* nyc_parks: four events on 28-29 November (6 December is past the window's end)
"""

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
import responses
from django.utils import timezone

from events.models import Event
from tests.factories import EventFactory
from tests.fakes.dates import shift_recorded_dates, weeks_until

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads"
NY = ZoneInfo("America/New_York")
FROZEN_NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 2026-11-27 00:00 in New York
WINDOW_DAYS = 7

ENGAGE = "https://engage.sync.test"
BBP = "https://bbp.sync.test"
DTBK = "https://dtbk.sync.test"
PARKS = "https://parks.sync.test"
HOSTS = {
    "nyu_engage": "engage.sync.test",
    "brooklyn_bridge_park": "bbp.sync.test",
    "downtown_brooklyn": "dtbk.sync.test",
    "nyc_parks": "parks.sync.test",
}
ENGAGE_PAGE_URL = f"{ENGAGE}/events"
ENGAGE_SEARCH_URL = f"{ENGAGE}/api/discovery/event/search"
BBP_URL = f"{BBP}/wp-json/wp/v2/tribe_events"
DTBK_URL = f"{DTBK}/wp-json/tribe/events/v1/events"
PARKS_URL = f"{PARKS}/events"

EXPECTED_IDS = {
    "nyu_engage": {"11840211", "11840412", "11840502"},
    "brooklyn_bridge_park": {"52114", "52130", "52163", "52180"},
    "downtown_brooklyn": {"10234", "10240", "10263"},
    "nyc_parks": {
        "2026/11/28/turkey-trot-family-fun-run",
        "2026/11/28/urban-park-rangers-winter-birding",
        "2026/11/29/washington-square-holiday-lighting",
        "2026/11/29/late-night-stargazing",
    },
}
FAILURES = ("timeout", "http_500", "garbage")
EMPTY_PARKS_PAGE = '<html><body><div id="events_leftcol"></div></body></html>'


def payload_text(name: str) -> str:
    return (PAYLOADS / name).read_text(encoding="utf-8")


def payload_json(name: str) -> Any:
    return json.loads(payload_text(name))


def _query_has_page(wanted: str | None) -> Callable[[Any], tuple[bool, str]]:
    """A `responses` matcher: the request's `page` parameter is `wanted` (None: no page parameter)."""

    def match(request: Any) -> tuple[bool, str]:
        page = parse_qs(urlsplit(request.url).query).get("page", [None])[0]
        return page == wanted, f"page={page!r}, wanted {wanted!r}"

    return match


class FakeSources:
    """The four sources' recorded payloads served by `responses`; edit `.engage`, `.bbp`,
    `.dtbk_pages` or `.parks_html`, or call `fail()`, then `install()` again."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.rsps = rsps
        self.weeks = weeks_until(timezone.localdate())  # the recording moved next to "now"
        self.engage: dict = self.payload_json("engage_search_page1.json")
        self.bbp: list = self.payload_json("bbp_tribe_events.json")
        self.dtbk_pages: list[dict] = [
            self.payload_json("downtown_brooklyn_events_p1.json"),
            self.payload_json("downtown_brooklyn_events_p2.json"),
        ]
        self.parks_html: str = self.payload_text("nyc_parks_events.html")
        self.failures: dict[str, str] = {}

    def payload_text(self, name: str) -> str:
        return shift_recorded_dates(payload_text(name), weeks=self.weeks)

    def payload_json(self, name: str) -> Any:
        return json.loads(self.payload_text(name))

    def fail(self, source: str, how: str) -> "FakeSources":
        assert source in HOSTS and how in FAILURES
        self.failures[source] = how
        return self.install()

    def heal(self, source: str) -> "FakeSources":
        self.failures.pop(source, None)
        return self.install()

    def install(self) -> "FakeSources":
        self.rsps.reset()
        self._engage()
        self._bbp()
        self._dtbk()
        self._parks()
        return self

    def calls_to(self, source: str) -> list:
        return [call for call in self.rsps.calls if urlsplit(call.request.url).netloc == HOSTS[source]]

    # --- one source each --------------------------------------------------------------------------
    def _failure(self, source: str, url: str, garbage: dict[str, Any]) -> bool:
        how = self.failures.get(source)
        if how == "timeout":
            self.rsps.get(url, body=requests.exceptions.ReadTimeout("read timed out"))
        elif how == "http_500":
            self.rsps.get(url, status=500, body="Internal Server Error")
        elif how == "garbage":
            self.rsps.get(url, **garbage)
        return how is not None

    def _engage(self) -> None:
        self.rsps.get(ENGAGE_PAGE_URL, body=self.payload_text("engage_events_page.html"), content_type="text/html")
        garbage = {"body": "{not json", "content_type": "application/json"}
        if not self._failure("nyu_engage", ENGAGE_SEARCH_URL, garbage):
            self.rsps.get(ENGAGE_SEARCH_URL, json=copy.deepcopy(self.engage))

    def _bbp(self) -> None:
        garbage = {"body": "{not json", "content_type": "application/json"}
        if not self._failure("brooklyn_bridge_park", BBP_URL, garbage):
            self.rsps.get(BBP_URL, json=copy.deepcopy(self.bbp), headers={"X-WP-TotalPages": "1"})

    def _dtbk(self) -> None:
        garbage = {"body": "{not json", "content_type": "application/json"}
        if self._failure("downtown_brooklyn", DTBK_URL, garbage):
            return
        # Page 1's next_rest_url names the real host, so page 2 is asked for on ours with page=2.
        first, second = self.dtbk_pages
        self.rsps.get(DTBK_URL, json=copy.deepcopy(first), match=[_query_has_page(None)])
        self.rsps.get(DTBK_URL, json=copy.deepcopy(second), match=[_query_has_page("2")])

    def _parks(self) -> None:
        garbage = {"body": "<html><body><h1>Access denied</h1></body></html>", "content_type": "text/html"}
        if not self._failure("nyc_parks", PARKS_URL, garbage):
            self.rsps.get(PARKS_URL, body=self.parks_html, content_type="text/html; charset=utf-8")
        # Only asked for when the window reaches past page 1 (e.g. the 14-day default).
        self.rsps.get(f"{PARKS_URL}/p2", body=EMPTY_PARKS_PAGE, content_type="text/html; charset=utf-8")


@pytest.fixture
def source_hosts(settings) -> None:
    """Every event source pointed at a fake host; no Google key, so nothing is geocoded online."""
    settings.ENGAGE_BASE_URL = ENGAGE
    settings.BROOKLYN_BRIDGE_PARK_BASE_URL = BBP
    settings.DOWNTOWN_BROOKLYN_BASE_URL = DTBK
    settings.NYC_PARKS_BASE_URL = PARKS
    settings.GOOGLE_API_KEY = None


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    """`responses` answering every outbound call: an unregistered URL raises ConnectionError."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def fake_sources(source_hosts, mocked, frozen_now) -> FakeSources:
    """The four sources at FROZEN_NOW (the clock stands still there for the test)."""
    return FakeSources(mocked).install()


@pytest.fixture
def frozen_now(clock) -> datetime:
    """The wall clock stands still at FROZEN_NOW, the recording's own first day (request after
    request, so a sync's start and its rows' times are one instant)."""
    return clock(FROZEN_NOW, tick=False)


@pytest.fixture
def make_event(db) -> Callable[..., Event]:
    """make_event(**fields): an Event with sensible defaults (NYU Engage, starting in a day; EventFactory)."""
    return EventFactory
