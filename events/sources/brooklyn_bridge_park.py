"""Brooklyn Bridge Park: the WordPress REST API v2 view of The Events Calendar's post type.

`GET {BROOKLYN_BRIDGE_PARK_BASE_URL}/wp-json/wp/v2/tribe_events?per_page=50`, then `&page=N`
while `N <= X-WP-TotalPages` (at most `MAX_PAGES`). The answer is a JSON list of posts. This
endpoint does not filter by event date (posts come newest-published first), so the window is
applied here — and a listing cut off at `MAX_PAGES` covers no date for sure (`covered_until` is
the window's start: the sync removes nothing of this source that run).

Fields relied on, per post (anything else is ignored; every one is optional except those marked):

* `id` (required) → external_id; `link` → url.
* `title.rendered` (required) — HTML with entities (`&#8217;`, `&amp;`, sometimes `&amp;#8217;`).
* `content.rendered`, falling back to `excerpt.rendered` → description (tags stripped).
* `meta` — The Events Calendar's post meta, when the site exposes it (a dict; values may also be
  one-element lists):
  `_EventStartDateUTC` / `_EventEndDateUTC` ("YYYY-MM-DD HH:MM:SS", UTC) are preferred,
  then `_EventStartDate` / `_EventEndDate` (same shape, site time, America/New_York);
  `_EventCost` ("Free", "0" → is_free True; another amount → False);
  `_VenueLat` / `_VenueLng` when a site copies the venue's coordinates onto the event.
* `date` (site time), then `date_gmt` (UTC): the post's publish date — a last resort for the start
  when the post has no event-date meta at all, since the plain v2 API exposes no event date
  otherwise. Such events have no end. A post whose event-date meta is present but unreadable is
  skipped rather than dated by its publish date.
* `yoast_head_json.og_image[0].url`, else `jetpack_featured_media_url` → image_url.

Venue and address are the park's ("Brooklyn Bridge Park", "334 Furman St, Brooklyn, NY 11201"),
and lat/lng the park's centre unless the event gives its own.
"""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.session import outbound_session

from . import (
    FetchedEvents,
    SourceEvent,
    cost_is_free,
    get_response,
    log_skip,
    response_json,
    to_float,
    unique_in_window,
    unreadable,
)
from .text import clean_text, parse_datetime

logger = logging.getLogger(__name__)

SOURCE = "brooklyn_bridge_park"
PATH = "/wp-json/wp/v2/tribe_events"
PAGE_SIZE = 50
MAX_PAGES = 5
VENUE = "Brooklyn Bridge Park"
ADDRESS = "334 Furman St, Brooklyn, NY 11201"
PARK_LAT, PARK_LNG = 40.7003, -73.9967


class BrooklynBridgeParkSource:
    name = SOURCE

    def fetch(self, *, start: datetime, end: datetime) -> FetchedEvents:
        start, end = parse_datetime(start), parse_datetime(end)
        if start is None or end is None:
            raise ValueError("start and end must be datetimes")
        url = f"{settings.BROOKLYN_BRIDGE_PARK_BASE_URL.rstrip('/')}{PATH}"
        breaker = CircuitBreaker(SOURCE)
        events: list[SourceEvent] = []
        covered_until = None
        with outbound_session() as session:
            page = 1
            while True:
                params: dict[str, Any] = {"per_page": PAGE_SIZE}
                if page > 1:
                    params["page"] = page
                response = get_response(
                    session, SOURCE, url, breaker=breaker, params=params, headers={"Accept": "application/json"}
                )
                posts = response_json(response, SOURCE, breaker=breaker)
                if not isinstance(posts, list):
                    raise unreadable(SOURCE, "response is not a list of posts", breaker=breaker)
                breaker.record_success()
                events.extend(event for post in posts if (event := parse_post(post)) is not None)
                total_pages = _int(response.headers.get("X-WP-TotalPages"))
                if not posts or total_pages is None or page >= min(total_pages, MAX_PAGES):
                    if posts and total_pages is not None and total_pages > page:
                        covered_until = start  # cut off: posts are in publish order, not by date
                    break
                page += 1
        return unique_in_window(events, start, end, covered_until=covered_until)


def parse_post(post: object) -> SourceEvent | None:
    if not isinstance(post, dict):
        log_skip(logger, SOURCE, None, "item is not an object")
        return None
    post_id = post.get("id")
    if post_id in (None, ""):
        log_skip(logger, SOURCE, None, "no id")
        return None
    name = clean_text(_rendered(post.get("title")), max_chars=200)
    if not name:
        log_skip(logger, SOURCE, post_id, "no title")
        return None
    meta = post.get("meta") if isinstance(post.get("meta"), dict) else {}
    start, end = _dates(post, meta)
    if start is None:
        log_skip(logger, SOURCE, post_id, "no readable start date")
        return None
    if end is not None and end < start:
        end = None
    lat, lng = to_float(_meta(meta, "_VenueLat")), to_float(_meta(meta, "_VenueLng"))
    if lat is None or lng is None:
        lat, lng = PARK_LAT, PARK_LNG
    description = clean_text(_rendered(post.get("content"))) or clean_text(_rendered(post.get("excerpt")))
    link = post.get("link")
    return SourceEvent(
        source=SOURCE,
        external_id=str(post_id),
        name=name,
        description=description,
        start=start,
        end=end,
        venue=VENUE,
        address=ADDRESS,
        lat=lat,
        lng=lng,
        url=link if isinstance(link, str) and link.startswith(("http://", "https://")) else "",
        image_url=_image(post),
        organization=VENUE,
        is_free=cost_is_free(_meta(meta, "_EventCost")),
    )


def _dates(post: dict, meta: dict) -> tuple[datetime | None, datetime | None]:
    if any(key in meta for key in ("_EventStartDateUTC", "_EventStartDate")):
        # The event's own dates; when they do not parse the item is skipped, not guessed.
        start = parse_datetime(_meta(meta, "_EventStartDateUTC"), default_tz="UTC") or parse_datetime(
            _meta(meta, "_EventStartDate")
        )
        end = parse_datetime(_meta(meta, "_EventEndDateUTC"), default_tz="UTC") or parse_datetime(
            _meta(meta, "_EventEndDate")
        )
        return start, end
    # No event meta at all: the publish date is all the plain v2 API offers.
    return parse_datetime(post.get("date")) or parse_datetime(post.get("date_gmt"), default_tz="UTC"), None


def _meta(meta: dict, key: str) -> Any:
    value = meta.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return value


def _rendered(field: object) -> str | None:
    if isinstance(field, dict):
        value = field.get("rendered")
        return value if isinstance(value, str) else None
    return field if isinstance(field, str) else None


def _image(post: dict) -> str:
    yoast = post.get("yoast_head_json")
    images = yoast.get("og_image") if isinstance(yoast, dict) else None
    if isinstance(images, list) and images and isinstance(images[0], dict):
        url = images[0].get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url
    url = post.get("jetpack_featured_media_url")
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else ""


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
