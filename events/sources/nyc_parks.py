"""NYC Parks: the public event listing at nycgovparks.org/events, scraped from HTML.

`GET {NYC_PARKS_BASE_URL}/events`, then `/events/p2`, `/events/p3` (at most `MAX_PAGES`) while the
page links to a next one and its last event still starts before the window's end (the listing is
in date order; cut off at `MAX_PAGES`, the answer's `covered_until` is the start of the last event
read). Parsed with BeautifulSoup + lxml. The selectors below are the only place that
knows the markup; when the site changes, update them and the recorded page
tests/payloads/nyc_parks_events.html together.

Expected markup, per day and per event (schema.org microdata; every part but the title link is
optional):

    <div id="events_leftcol">
      <h2>Saturday, November 28, 2026</h2>
      <div class="row" itemscope itemtype="http://schema.org/Event">
        <img src="/photo_gallery/...jpg">
        <h3 class="event-title"><a href="/events/2026/11/28/slug">Title</a></h3>
        <meta itemprop="startDate" content="2026-11-28T09:00">   (and endDate)
        <h4 class="location" itemprop="location"><span itemprop="name">Park</span>,
            <span itemprop="addressLocality">Brooklyn</span> <meta itemprop="latitude" ...></h4>
        <p><strong>9:00 a.m.</strong>&ndash;<strong>11:30 a.m.</strong></p>
        <span class="description" itemprop="description">…</span>
        <p class="categories">Category: <a>Free!</a>, …</p>
      </div>
      …
      <ul class="pagination"> … <li class="next"><a rel="next" href="/events/p2">Next</a></li></ul>

Start/end come from the startDate/endDate microdata when it parses, otherwise from the day
heading above the event plus the time range ("10:00 a.m. - 12:00 p.m." with an en dash, "noon"), in
America/New_York. Links are made absolute against the base; absolute ones are kept as they are.
"""

import logging
import re
from datetime import date, datetime, time, timedelta
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from django.conf import settings

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.session import outbound_session

from . import FetchedEvents, SourceEvent, get_response, log_skip, to_float, unique_in_window, unreadable
from .text import DEFAULT_TZ, clean_text, get_zone, parse_datetime

logger = logging.getLogger(__name__)

SOURCE = "nyc_parks"
MAX_PAGES = 3
LISTING_PATH = "/events"
PAGE_PATH = "/events/p{page}"
KNOWN_HOSTS = ("www.nycgovparks.org", "nycgovparks.org")

# --- Selectors: keep in step with tests/payloads/nyc_parks_events.html ---------------------------------
LISTING_SELECTOR = "#events_leftcol"
EVENT_SELECTOR = '[itemtype$="schema.org/Event"]'
TITLE_LINK_SELECTOR = "h3.event-title a[href], .event-title a[href]"
START_META_SELECTOR = '[itemprop="startDate"]'
END_META_SELECTOR = '[itemprop="endDate"]'
DATE_HEADING_TAG = "h2"
LOCATION_SELECTOR = 'h4.location, [itemprop="location"]'
LOCATION_NAME_SELECTOR = '[itemprop="location"] [itemprop="name"], h4.location [itemprop="name"]'
LATITUDE_SELECTOR = '[itemprop="latitude"]'
LONGITUDE_SELECTOR = '[itemprop="longitude"]'
TIME_SELECTOR = "p"
DESCRIPTION_SELECTOR = '[itemprop="description"], .description'
CATEGORY_SELECTOR = ".categories"
IMAGE_SELECTOR = "img[src]"
NEXT_PAGE_SELECTOR = '.pagination a[rel="next"], .pagination li.next a, a[rel="next"]'

DATE_HEADING_FORMATS = ("%A, %B %d, %Y", "%B %d, %Y", "%a, %b %d, %Y", "%b %d, %Y")
_TIME = r"(?:\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s*m\b\.?|\bnoon\b|\bmidnight\b)"
TIME_RANGE_RE = re.compile(rf"({_TIME})(?:\s*(?:\u2013|\u2014|-|to)\s*({_TIME}))?", re.IGNORECASE)
_TIME_PARTS = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([ap])", re.IGNORECASE)


class NycParksSource:
    name = SOURCE

    def fetch(self, *, start: datetime, end: datetime) -> FetchedEvents:
        start, end = parse_datetime(start), parse_datetime(end)
        if start is None or end is None:
            raise ValueError("start and end must be datetimes")
        base = settings.NYC_PARKS_BASE_URL.rstrip("/")
        breaker = CircuitBreaker(SOURCE)
        events: list[SourceEvent] = []
        with outbound_session() as session:
            for page in range(1, MAX_PAGES + 1):
                url = f"{base}{LISTING_PATH if page == 1 else PAGE_PATH.format(page=page)}"
                response = get_response(session, SOURCE, url, breaker=breaker, headers={"Accept": "text/html"})
                soup = BeautifulSoup(response.content, "lxml")
                if soup.select_one(LISTING_SELECTOR) is None:
                    raise unreadable(SOURCE, f"no event listing in page {page}", breaker=breaker)
                breaker.record_success()
                page_events = parse_listing(soup, base)
                events.extend(page_events)
                if soup.select_one(NEXT_PAGE_SELECTOR) is None or not page_events or page_events[-1].start >= end:
                    break
            else:
                covered_until = max((event.start for event in events), default=start)
                return unique_in_window(events, start, end, covered_until=covered_until)
        return unique_in_window(events, start, end)


def parse_listing(soup: BeautifulSoup, base: str) -> list[SourceEvent]:
    listing = soup.select_one(LISTING_SELECTOR) or soup
    return [event for block in listing.select(EVENT_SELECTOR) if (event := parse_block(block, base)) is not None]


def parse_block(block: Tag, base: str) -> SourceEvent | None:
    link = block.select_one(TITLE_LINK_SELECTOR)
    url = absolute_url(link.get("href"), base) if link else ""
    external_id = external_id_for(url, base) if url else ""
    name = clean_text(link.get_text(" "), max_chars=200) if link else ""
    if not name:
        log_skip(logger, SOURCE, external_id, "no title")
        return None
    if not url:
        log_skip(logger, SOURCE, name, "no event link")
        return None
    start, end = _times(block)
    if start is None:
        log_skip(logger, SOURCE, external_id, "no readable date and time")
        return None
    location = block.select_one(LOCATION_SELECTOR)
    location_name = block.select_one(LOCATION_NAME_SELECTOR)
    address = clean_text(location.get_text(), max_chars=200).strip(" ,") if location else ""
    venue = clean_text(location_name.get_text(), max_chars=200) if location_name else address
    description = block.select_one(DESCRIPTION_SELECTOR)
    categories = block.select_one(CATEGORY_SELECTOR)
    image = block.select_one(IMAGE_SELECTOR)
    return SourceEvent(
        source=SOURCE,
        external_id=external_id,
        name=name,
        description=clean_text(description.decode_contents()) if description else "",
        start=start,
        end=end,
        venue=venue,
        address=address,
        lat=_meta_float(block, LATITUDE_SELECTOR),
        lng=_meta_float(block, LONGITUDE_SELECTOR),
        url=url,
        image_url=absolute_url(image.get("src"), base) if image else "",
        organization="NYC Parks",
        is_free=True if categories and re.search(r"\bfree\b", categories.get_text(), re.IGNORECASE) else None,
    )


def absolute_url(href: object, base: str) -> str:
    """`href` resolved against the base: "/events/..." gets the base's host, an absolute
    "https://www.nycgovparks.org/..." stays as it is. Anything but http(s) gives ""."""
    if not isinstance(href, str) or not href.strip():
        return ""
    url = urljoin(f"{base}/", href.strip())
    return url if urlsplit(url).scheme in ("http", "https") else ""


def external_id_for(url: str, base: str) -> str:
    """The event's path below /events/ ("2026/11/28/slug"); the host is kept for other sites."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if parts.netloc in (urlsplit(base).netloc, *KNOWN_HOSTS):
        return path.removeprefix("events/")
    return f"{parts.netloc}/{path}"


def _times(block: Tag) -> tuple[datetime | None, datetime | None]:
    start = parse_datetime(_meta_content(block, START_META_SELECTOR))
    end = parse_datetime(_meta_content(block, END_META_SELECTOR))
    start_time, end_time = _time_range(block)
    if start is None:
        day = _heading_date(block)
        if day is None or start_time is None:
            return None, None
        start = datetime.combine(day, start_time, tzinfo=get_zone(DEFAULT_TZ))
    if end is None and end_time is not None:
        end = datetime.combine(start.astimezone(get_zone(DEFAULT_TZ)).date(), end_time, tzinfo=get_zone(DEFAULT_TZ))
        if end <= start:  # runs past midnight
            end += timedelta(days=1)
    if end is not None and end < start:
        end = None
    return start, end


def _time_range(block: Tag) -> tuple[time | None, time | None]:
    description = block.select_one(DESCRIPTION_SELECTOR)
    for element in block.select(TIME_SELECTOR):
        if description is not None and (element is description or description in element.parents):
            continue
        match = TIME_RANGE_RE.search(clean_text(element.get_text(" "), max_chars=1000))
        if match:
            return _clock(match.group(1)), _clock(match.group(2)) if match.group(2) else None
    return None, None


def _clock(text: str) -> time | None:
    lowered = text.strip().lower()
    if lowered == "noon":
        return time(12, 0)
    if lowered == "midnight":
        return time(0, 0)
    match = _TIME_PARTS.match(lowered)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if not (1 <= hour <= 12 and minute < 60):
        return None
    hour %= 12
    if match.group(3) == "p":
        hour += 12
    return time(hour, minute)


def _heading_date(block: Tag) -> date | None:
    heading = block.find_previous(DATE_HEADING_TAG)
    if heading is None:
        return None
    text = clean_text(heading.get_text(" "), max_chars=200)
    for fmt in DATE_HEADING_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _meta_content(block: Tag, selector: str) -> str | None:
    element = block.select_one(selector)
    if element is None:
        return None
    value = element.get("content") or element.get("datetime") or element.get_text()
    return value.strip() if isinstance(value, str) else None


def _meta_float(block: Tag, selector: str) -> float | None:
    return to_float(_meta_content(block, selector))
