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

No ORM code lives here: storing events is the sync job's business.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import requests

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import provider_response, request_json
from violetvibes.providers.retry import retried, timed_out

from .text import clean_text

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


# --- Helpers the source modules share ------------------------------------------------------------------
def get_response(
    session: requests.Session, source: str, url: str, *, breaker: CircuitBreaker, **kwargs: Any
) -> requests.Response:
    """A GET whose answer is not parsed by `request_json` (HTML, or JSON whose headers we need).
    The caller records success once it has parsed the body. A page that timed out is asked again
    (the sync is background work: violetvibes/providers/retry.py)."""
    return retried(lambda: provider_response(session, source, "GET", url, breaker=breaker, **kwargs), when=timed_out)


def get_json(session: requests.Session, source: str, url: str, *, breaker: CircuitBreaker, **kwargs: Any) -> Any:
    """A GET of JSON, checked by `request_json`; asked again after a timeout, as get_response is."""
    return retried(lambda: request_json(session, source, "GET", url, breaker=breaker, **kwargs), when=timed_out)


def response_json(response: requests.Response, source: str, *, breaker: CircuitBreaker) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        breaker.record_failure()
        raise ProviderError(source, "response is not JSON") from exc


def unreadable(source: str, message: str, *, breaker: CircuitBreaker) -> ProviderError:
    """The error for a payload that arrived but has the wrong shape (counts as a failure)."""
    breaker.record_failure()
    return ProviderError(source, message)


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

__all__ = ["SOURCES", "EventSource", "FetchedEvents", "ProviderError", "SourceEvent"]
