"""Event sources: one module per feed, each turning its payload into `SourceEvent`s.

The contract every source keeps:

* `fetch(start=, end=)` returns the events that overlap the window [start, end), in the feed's
  order, deduplicated by `external_id` (first one wins). Naive window bounds are New York time.
* The list it returns (`FetchedEvents`) says how much of the window it covers: `covered_until` is
  None when the feed was read to the window's end, otherwise (the feed was cut off at its
  `MAX_PAGES`) an instant such that every event of the window *ending* before it was listed. The
  sync job only treats events it did not get as gone when they end before that instant.
* The source as a whole failing (network error, timeout, HTTP error, a page or payload we cannot
  read, a missing token) raises `ProviderError` — also when a later page fails, so that a sync job
  never mistakes half a feed for the whole one.
* One bad item (no name, a date we cannot read, not an object) is skipped with a WARNING naming
  the source, the item and the reason; it never aborts the source.
* Titles and descriptions are plain text (`text.clean_text`), datetimes are aware
  (`text.parse_datetime`, naive values are America/New_York), URLs are absolute.

Every source is a `FeedSource`: its `fetch()` normalises the window, opens a `Feed` on the base URL
in settings (one session, one circuit breaker, GETs whose failures are ProviderErrors) and keeps
the window's events once each; the source only says how to `read` its feed and parse its items.

No ORM code lives here: storing events is the sync job's business.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import requests
from django.conf import settings

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import provider_response
from violetvibes.providers.retry import retried, timed_out
from violetvibes.providers.session import outbound_session

from .text import clean_text, parse_datetime

FREE_COSTS = frozenset({"free", "0", "$0", "0.00", "$0.00"})


@dataclass(frozen=True)
class SourceEvent:
    source: str
    external_id: str
    name: str
    description: str
    start: datetime  # aware
    end: datetime | None  # aware
    venue: str
    address: str
    lat: float | None
    lng: float | None
    url: str
    image_url: str
    organization: str
    is_free: bool | None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise ValueError("SourceEvent datetimes must be timezone-aware")


class FetchedEvents(list[SourceEvent]):
    """A source's events, plus how far the window was covered (see the module docstring)."""

    def __init__(self, events: Iterable[SourceEvent] = (), *, covered_until: datetime | None = None) -> None:
        super().__init__(events)
        self.covered_until = covered_until


class EventSource(Protocol):
    name: str

    def fetch(self, *, start: datetime, end: datetime) -> FetchedEvents:
        """Events overlapping [start, end); ProviderError when the source as a whole fails."""
        ...


# --- What every source's fetch() shares ---------------------------------------------------------------
class Feed:
    """One fetch's connection to a source: its base URL, one outbound session, its circuit breaker,
    and the calls on them. Every failure is a ProviderError naming the source: the circuit open, a
    network error or timeout, an HTTP error status (`provider_response`), a body that does not parse,
    a payload of the wrong shape (`unreadable`); all but an HTTP 4xx count against the breaker."""

    def __init__(self, source: str, base_url: str) -> None:
        self.source = source
        self.base = base_url.rstrip("/")
        self.breaker = CircuitBreaker(source)
        self.session = outbound_session()

    def __enter__(self) -> "Feed":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.session.close()

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        """A GET whose status is checked; the caller reads the body (HTML, or JSON with its headers).
        A page that timed out is asked again (the sync is background work: violetvibes/providers/retry.py)."""
        return retried(
            lambda: provider_response(self.session, self.source, "GET", url, breaker=self.breaker, **kwargs), when=timed_out
        )

    def json(self, response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise self.unreadable("response is not JSON") from exc

    def get_json(self, url: str, **kwargs: Any) -> Any:
        return self.json(self.get(url, **kwargs))

    def unreadable(self, message: str) -> ProviderError:
        """The error for a payload that arrived but cannot be read (counts as a failure)."""
        self.breaker.record_failure()
        return ProviderError(self.source, message)


class FeedSource:
    """The base of every source: `fetch()` reads the window as aware datetimes, opens a `Feed` on the
    base URL in settings (`base_url_setting`, read at each fetch so tests and staging can move it),
    lets the source `read` it, and keeps the events of the window once each. The feed read whole is
    a success for the breaker."""

    name: str
    base_url_setting: str

    def fetch(self, *, start: datetime, end: datetime) -> FetchedEvents:
        start, end = parse_datetime(start), parse_datetime(end)
        if start is None or end is None:
            raise ValueError("start and end must be datetimes")
        with Feed(self.name, getattr(settings, self.base_url_setting)) as feed:
            events = self.read(feed, start=start, end=end)
            feed.breaker.record_success()
        return unique_in_window(events, start, end, covered_until=events.covered_until)

    def read(self, feed: Feed, *, start: datetime, end: datetime) -> FetchedEvents:
        """The events the feed lists for the window (any order, duplicates and events outside it
        allowed), with `covered_until` set when the listing was cut off."""
        raise NotImplementedError


# --- Helpers the source modules share ------------------------------------------------------------------
def log_skip(logger: logging.Logger, source: str, item_id: object, reason: str) -> None:
    logger.warning("%s: skipped event %s: %s", source, item_id if item_id not in (None, "") else "?", reason)


def to_float(value: object) -> float | None:
    """A coordinate from a number or numeric string; None for empty, garbage, NaN or bools."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def cost_is_free(cost: object) -> bool | None:
    """True for an explicit "Free"/"0" cost, False for another amount, None when nothing is said."""
    if cost is None or isinstance(cost, bool):
        return None
    text = clean_text(str(cost), max_chars=100).lower()
    if not text:
        return None
    if text in FREE_COSTS or text.startswith("free"):
        return True
    return False if any(ch.isdigit() for ch in text) else None


def overlaps(event: SourceEvent, start: datetime, end: datetime) -> bool:
    """Whether the event touches [start, end): it starts before `end` and has not ended by `start`."""
    return event.start < end and (event.end or event.start) >= start


def unique_in_window(
    events: Iterable[SourceEvent], start: datetime, end: datetime, *, covered_until: datetime | None = None
) -> FetchedEvents:
    seen: set[str] = set()
    kept = FetchedEvents(covered_until=covered_until)
    for event in events:
        if event.external_id in seen or not overlaps(event, start, end):
            continue
        seen.add(event.external_id)
        kept.append(event)
    return kept


# --- Registry (imported last: the modules import the names above) -------------------------------------
from .brooklyn_bridge_park import BrooklynBridgeParkSource  # noqa: E402
from .downtown_brooklyn import DowntownBrooklynSource  # noqa: E402
from .engage import EngageSource  # noqa: E402
from .nyc_parks import NycParksSource  # noqa: E402

SOURCES: dict[str, EventSource] = {
    source.name: source
    for source in (EngageSource(), BrooklynBridgeParkSource(), DowntownBrooklynSource(), NycParksSource())
}

__all__ = ["SOURCES", "EventSource", "Feed", "FeedSource", "FetchedEvents", "ProviderError", "SourceEvent"]
