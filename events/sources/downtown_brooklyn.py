"""Downtown Brooklyn Partnership: The Events Calendar REST API v1.

`GET {DOWNTOWN_BROOKLYN_BASE_URL}/wp-json/tribe/events/v1/events?start_date=YYYY-MM-DD&end_date=YYYY-MM-DD&per_page=50`
(dates are the window's days in America/New_York). The answer is
`{"events": [...], "total": N, "total_pages": M, "next_rest_url": "...&page=2"}`; further pages
follow `next_rest_url` when it points at the configured host (otherwise `page=N` is added to our
own URL), until `total_pages` or `MAX_PAGES`. The events come in start order, so a listing cut
off at `MAX_PAGES` covers the window up to the start of the last event read (`covered_until`).

Event fields used: id, title (HTML entities), description (HTML, falling back to excerpt), url,
utc_start_date / utc_end_date (UTC, preferred) or start_date / end_date with the event's
`timezone`, venue {venue, address, city, geo_lat, geo_lng} (an empty list or object when the
event has none: then venue, address and coordinates stay empty), image {url} (or `false`), cost ("Free"/"0" → free) with cost_details.values as a
fallback, organizer [{organizer}].
"""

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.session import outbound_session

from . import FetchedEvents, SourceEvent, cost_is_free, get_json, log_skip, to_float, unique_in_window, unreadable
from .text import DEFAULT_TZ, clean_text, parse_datetime

logger = logging.getLogger(__name__)

SOURCE = "downtown_brooklyn"
PATH = "/wp-json/tribe/events/v1/events"
PAGE_SIZE = 50
MAX_PAGES = 5
ORGANIZATION = "Downtown Brooklyn Partnership"


class DowntownBrooklynSource:
    name = SOURCE

    def fetch(self, *, start: datetime, end: datetime) -> FetchedEvents:
        start, end = parse_datetime(start), parse_datetime(end)
        if start is None or end is None:
            raise ValueError("start and end must be datetimes")
        base = settings.DOWNTOWN_BROOKLYN_BASE_URL.rstrip("/")
        local = ZoneInfo(DEFAULT_TZ)
        params: dict[str, Any] = {
            "start_date": start.astimezone(local).date().isoformat(),
            "end_date": end.astimezone(local).date().isoformat(),
            "per_page": PAGE_SIZE,
        }
        breaker = CircuitBreaker(SOURCE)
        events: list[SourceEvent] = []
        with outbound_session() as session:
            url: str = f"{base}{PATH}"
            request_params: dict[str, Any] | None = params
            for page in range(1, MAX_PAGES + 1):
                data = get_json(session, SOURCE, url, breaker=breaker, params=request_params)
                items = data.get("events") if isinstance(data, dict) else None
                if not isinstance(items, list):
                    raise unreadable(SOURCE, "response has no 'events' list", breaker=breaker)
                events.extend(event for item in items if (event := parse_event(item)) is not None)
                total_pages = data.get("total_pages")
                if not items or not isinstance(total_pages, int) or page >= total_pages:
                    break
                next_url = data.get("next_rest_url")
                if isinstance(next_url, str) and _same_origin(next_url, base):
                    url, request_params = next_url, None
                else:
                    url, request_params = f"{base}{PATH}", {**params, "page": page + 1}
            else:
                covered_until = max((event.start for event in events), default=start)
                return unique_in_window(events, start, end, covered_until=covered_until)
        return unique_in_window(events, start, end)


def parse_event(item: object) -> SourceEvent | None:
    if not isinstance(item, dict):
        log_skip(logger, SOURCE, None, "item is not an object")
        return None
    event_id = item.get("id")
    if event_id in (None, ""):
        log_skip(logger, SOURCE, None, "no id")
        return None
    name = clean_text(item.get("title") if isinstance(item.get("title"), str) else None, max_chars=200)
    if not name:
        log_skip(logger, SOURCE, event_id, "no title")
        return None
    tz = item.get("timezone") if isinstance(item.get("timezone"), str) else DEFAULT_TZ
    start = parse_datetime(item.get("utc_start_date"), default_tz="UTC") or parse_datetime(
        item.get("start_date"), default_tz=tz
    )
    if start is None:
        log_skip(logger, SOURCE, event_id, f"unreadable start date {item.get('start_date')!r}")
        return None
    end = parse_datetime(item.get("utc_end_date"), default_tz="UTC") or parse_datetime(
        item.get("end_date"), default_tz=tz
    )
    if end is not None and end < start:
        end = None
    venue = item.get("venue") if isinstance(item.get("venue"), dict) else {}
    venue_name = clean_text(_str(venue.get("venue")), max_chars=200)
    address = ", ".join(
        part for key in ("address", "city") if (part := clean_text(_str(venue.get(key)), max_chars=200))
    )
    image = item.get("image")
    image_url = _str(image.get("url")) if isinstance(image, dict) else ""
    url = _str(item.get("url"))
    return SourceEvent(
        source=SOURCE,
        external_id=str(event_id),
        name=name,
        description=clean_text(_str(item.get("description"))) or clean_text(_str(item.get("excerpt"))),
        start=start,
        end=end,
        # An event with no venue has no location: none is invented (a "Downtown Brooklyn" stand-in
        # would be geocoded to the neighbourhood's centre, which is the Tandon campus).
        venue=venue_name,
        address=address,
        lat=to_float(venue.get("geo_lat")),
        lng=to_float(venue.get("geo_lng")),
        url=url if url.startswith(("http://", "https://")) else "",
        image_url=image_url if image_url.startswith(("http://", "https://")) else "",
        organization=_organizer(item.get("organizer")) or ORGANIZATION,
        is_free=_is_free(item),
    )


def _is_free(item: dict) -> bool | None:
    free = cost_is_free(item.get("cost"))
    if free is None:
        details = item.get("cost_details")
        values = details.get("values") if isinstance(details, dict) else None
        verdicts = {cost_is_free(value) for value in values} if isinstance(values, list) and values else set()
        if verdicts == {True}:
            free = True
        elif False in verdicts:
            free = False
    return free


def _organizer(organizers: object) -> str:
    if isinstance(organizers, dict):
        organizers = [organizers]
    if isinstance(organizers, list):
        for organizer in organizers:
            if isinstance(organizer, dict) and (name := clean_text(_str(organizer.get("organizer")), max_chars=200)):
                return name
    return ""


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def _str(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
