"""NYU Engage (Campus Labs Engage discovery): the public event search behind engage.nyu.edu/events.

Two calls on one session, so the antiforgery cookie set by the first goes with the second:

1. `GET {ENGAGE_BASE_URL}/events` (HTML). The page embeds
   `<script>window.initialAppState = {...};</script>`; its `xsrfToken` is the request token. The
   object is decoded as JSON (a regex on `"xsrfToken":"..."` is the fallback). No token → the
   source fails (ProviderError), rather than calling the search without it.
2. `GET {ENGAGE_BASE_URL}/api/discovery/event/search` with `endsAfter=<window start, UTC>`,
   `orderByField=endsOn`, `orderByDirection=ascending`, `status=Approved`, `take=50`, `skip=N`
   and the header `X-XSRF-TOKEN`. The answer is `{"@odata.count": N, "value": [...]}`.

Paging stops when `@odata.count` is reached, a page comes back short or empty, after
`MAX_PAGES`, or once the last event of a page (the one ending latest so far, as the search is
ordered by `endsOn`) starts at or after the window's end: every later event ends later still,
so only one that spans the window's end could be missed. Cut off at `MAX_PAGES`, the answer's
`covered_until` is the end of the last event read: every event ending before it was listed.

Item fields used: id, name, description (HTML), location, startsOn, endsOn (ISO with offset),
imagePath (→ `IMAGE_BASE_URL + imagePath`), organizationName, latitude/longitude when present.
The discovery payload has no admission price — "Free Food" in `benefitNames` is a perk, not
free entry — so `is_free` is None unless an item carries an explicit boolean `isFree`.
"""

import json
import logging
import re
from datetime import UTC, datetime
from urllib.parse import quote

import requests
from django.conf import settings

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.session import outbound_session

from . import FetchedEvents, SourceEvent, get_json, get_response, log_skip, to_float, unique_in_window, unreadable
from .text import clean_text, parse_datetime

logger = logging.getLogger(__name__)

SOURCE = "nyu_engage"
PAGE_SIZE = 50
MAX_PAGES = 10
IMAGE_BASE_URL = "https://se-images.campuslabs.com/clink/images/"
SEARCH_PATH = "/api/discovery/event/search"

_APP_STATE = re.compile(r"window\.initialAppState\s*=\s*")
_TOKEN = re.compile(r'"xsrfToken"\s*:\s*"([^"\\]+)"')


def extract_xsrf_token(page: str) -> str | None:
    """The `xsrfToken` of `window.initialAppState` in the events page, or None."""
    match = _APP_STATE.search(page)
    if match:
        try:
            state, _ = json.JSONDecoder().raw_decode(page, match.end())
        except ValueError:
            state = None
        if isinstance(state, dict):
            token = state.get("xsrfToken")
            if isinstance(token, str) and token.strip():
                return token.strip()
    fallback = _TOKEN.search(page)
    return fallback.group(1) if fallback else None


class EngageSource:
    name = SOURCE

    def fetch(self, *, start: datetime, end: datetime) -> FetchedEvents:
        start, end = parse_datetime(start), parse_datetime(end)
        if start is None or end is None:
            raise ValueError("start and end must be datetimes")
        base = settings.ENGAGE_BASE_URL.rstrip("/")
        breaker = CircuitBreaker(SOURCE)
        with outbound_session() as session:
            page = get_response(session, SOURCE, f"{base}/events", breaker=breaker, headers={"Accept": "text/html"})
            token = extract_xsrf_token(page.text)
            if not token:
                raise unreadable(SOURCE, "no XSRF token in the events page", breaker=breaker)
            events, covered_until = self._search(session, base, token, start, end, breaker)
        return unique_in_window(events, start, end, covered_until=covered_until)

    def _search(
        self, session: requests.Session, base: str, token: str, start: datetime, end: datetime, breaker: CircuitBreaker
    ) -> tuple[list[SourceEvent], datetime | None]:
        """The events, and None when the search was read to its end (else how far: see the docstring)."""
        headers = {"X-XSRF-TOKEN": token, "Accept": "application/json", "Referer": f"{base}/events"}
        ends_after = start.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        events: list[SourceEvent] = []
        skip = 0
        for _ in range(MAX_PAGES):
            params = {
                "endsAfter": ends_after,
                "orderByField": "endsOn",
                "orderByDirection": "ascending",
                "status": "Approved",
                "take": PAGE_SIZE,
                "skip": skip,
            }
            data = get_json(session, SOURCE, f"{base}{SEARCH_PATH}", breaker=breaker, params=params, headers=headers)
            items = data.get("value") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise unreadable(SOURCE, "search response has no 'value' list", breaker=breaker)
            page_events = [event for item in items if (event := self._parse(item, base)) is not None]
            events.extend(page_events)
            skip += len(items)
            count = data.get("@odata.count")
            if not items or len(items) < PAGE_SIZE:
                break
            if isinstance(count, int) and skip >= count:
                break
            if page_events and page_events[-1].start >= end:
                break
        else:
            # Cut off at MAX_PAGES: the search is in endsOn order, so everything ending before the
            # last event read has been listed (a later end is unknown; its start is a safe bound).
            return events, max((event.end or event.start for event in events), default=start)
        return events, None

    def _parse(self, item: object, base: str) -> SourceEvent | None:
        if not isinstance(item, dict):
            log_skip(logger, SOURCE, None, "item is not an object")
            return None
        item_id = item.get("id")
        if item_id in (None, ""):
            log_skip(logger, SOURCE, None, "no id")
            return None
        name = clean_text(item.get("name"), max_chars=200)
        if not name:
            log_skip(logger, SOURCE, item_id, "no name")
            return None
        start = parse_datetime(item.get("startsOn"))
        if start is None:
            log_skip(logger, SOURCE, item_id, f"unreadable startsOn {item.get('startsOn')!r}")
            return None
        end = parse_datetime(item.get("endsOn"))
        if end is not None and end < start:
            end = None
        location = clean_text(item.get("location"), max_chars=200)
        image_path = item.get("imagePath")
        is_free = item.get("isFree")
        return SourceEvent(
            source=SOURCE,
            external_id=str(item_id),
            name=name,
            description=clean_text(item.get("description")),
            start=start,
            end=end,
            venue=location,
            address=location,
            lat=to_float(item.get("latitude")),
            lng=to_float(item.get("longitude")),
            url=f"{base}/event/{quote(str(item_id), safe='')}",
            image_url=f"{IMAGE_BASE_URL}{image_path.lstrip('/')}"
            if isinstance(image_path, str) and image_path.strip()
            else "",
            organization=clean_text(item.get("organizationName"), max_chars=200),
            is_free=True if is_free is True else None,
        )


__all__ = ["SOURCE", "EngageSource", "ProviderError", "extract_xsrf_token"]
