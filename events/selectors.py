"""Reads of events: cards for the lists and chat, and the old endpoints' shapes."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from places import geo, scoring

from .models import Event, SourceSync

SOON_HOURS = 48

# Why a list of events is empty (or "ok": it is not), as the events endpoints say next to the list.
LISTED = "ok"
NO_EVENTS = "no_events"  # the sources answered their last sync: nothing in the window, or nothing matches
NOT_SYNCED = "not_synced"  # no sync of these sources has run yet (a new deployment)
UNREACHABLE = "sources_unreachable"  # every one of these sources failed its last sync
LIST_STATUSES = (LISTED, NO_EVENTS, NOT_SYNCED, UNREACHABLE)
_MESSAGES = {
    NOT_SYNCED: "Events haven't been loaded yet. Check back soon.",
    UNREACHABLE: "The event listings can't be reached right now. Check back later.",
}


def visible() -> QuerySet[Event]:
    """Events that may be served: still listed by their source and not hidden by staff."""
    return Event.objects.filter(is_active=True, hidden=False)


def upcoming(*, now: datetime | None = None, days: int | None = None) -> QuerySet[Event]:
    """Visible events not over yet (ongoing ones included), soonest first."""
    now = now or timezone.now()
    events = visible().filter(Q(end__gte=now) | Q(end__isnull=True, start__gte=now - timedelta(hours=3)))
    if days is not None:
        events = events.filter(start__lt=now + timedelta(days=days))
    return events.order_by("start", "id")


def soon_fit(start: datetime, now: datetime) -> float:
    """1 for what is on now or within the hour, falling to 0 two days out."""
    hours = (start - now).total_seconds() / 3600
    return 1.0 if hours <= 1 else max(0.0, 1 - hours / SOON_HOURS)


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def event_card(event: Event, *, origin: geo.Point, now: datetime) -> dict[str, Any]:
    """An event as the same card every list returns (API.md section 2)."""
    located = event.lat is not None and event.lng is not None
    minutes, meters = geo.walk_estimate(origin, geo.Point(event.lat, event.lng)) if located else (None, None)
    near = scoring.distance_fit(minutes, 20) if located else scoring.NEUTRAL
    return {
        "type": "event",
        "source": event.source,
        "place_id": f"event:{event.pk}",
        "name": event.name,
        "description": event.description or None,
        "address": event.address or event.venue,
        "location": {"lat": event.lat, "lng": event.lng} if located else None,
        "walk_time": geo.minutes_text(minutes),
        "walk_minutes": minutes,
        "distance": geo.miles_text(meters),
        "distance_meters": meters,
        "maps_link": geo.maps_link(geo.Point(event.lat, event.lng), origin)
        if located
        else event.url or geo.maps_search_link(event.address or event.venue or event.name),
        "photo_url": event.image_url or None,
        "rating": None,
        "price_level": 0 if event.is_free else None,
        "open_now": None,
        "score": round(0.6 * soon_fit(event.start, now) + 0.4 * near, 4),
        "start": _iso(event.start),
        "end": _iso(event.end),
        "types": [],
        "tags": [],
        "cuisine": [],
        "opens_at": None,
        "closes_at": None,
        "hours_text": None,
    }


def event_cards(*, origin: geo.Point, limit: int, days: int = 7, at: datetime | None = None) -> list[dict[str, Any]]:
    """Events coming up after `at` (default now) as cards, ranked by how soon and how near."""
    now = at or timezone.now()
    cards = [event_card(event, origin=origin, now=now) for event in upcoming(now=now, days=days)[:200]]
    cards.sort(key=lambda card: card["score"], reverse=True)
    return cards[:limit]


def engage_events(*, days: int) -> list[dict[str, Any]]:
    """The old /api/nyu_engage_events items."""
    return [
        {
            "name": event.name,
            "start": _iso(event.start),
            "end": _iso(event.end),
            "description": event.description,
            "location": event.venue or event.address,
            "organization": event.organization,
            "image": event.image_url or None,
            "url": event.url,
        }
        for event in upcoming(days=days).filter(source=Event.Source.NYU_ENGAGE)[:200]
    ]


def nyu_permitted(*, days: int) -> list[dict[str, Any]]:
    """The old /api/events items: every upcoming event with where it is."""
    return [
        {
            "event_name": event.name,
            "event_start": _iso(event.start),
            "address": event.address or event.venue,
            "latitude": event.lat,
            "longitude": event.lng,
        }
        for event in upcoming(days=days)[:200]
    ]


def event_sync_state(*, sources: Iterable[str] | None = None) -> str:
    """What the sync records say of `sources` (default: every one): NO_EVENTS when one of them
    answered its last sync (what it listed is in the database), NOT_SYNCED when none was ever
    synced, UNREACHABLE when every one that was tried failed its last sync. Staff events need no
    sync: asked about the staff source alone, the answer is NO_EVENTS."""
    records = SourceSync.objects.all()
    if sources is not None:
        sources = [source for source in sources if source != Event.Source.STAFF]
        if not sources:
            return NO_EVENTS
        records = records.filter(source__in=sources)
    tried = list(records)
    if not tried:
        return NOT_SYNCED
    return NO_EVENTS if any(record.succeeded for record in tried) else UNREACHABLE


def event_list_status(*, empty: bool, none: str, sources: Iterable[str] | None = None) -> dict[str, str | None]:
    """`{"status", "message"}` to answer beside a list of events: "ok" and no message when it has
    some; otherwise why it is empty (`event_sync_state`), `none` being the words for "the sources
    answered and there is nothing" ("No events in the next 7 days.")."""
    if not empty:
        return {"status": LISTED, "message": None}
    state = event_sync_state(sources=sources)
    return {"status": state, "message": none if state == NO_EVENTS else _MESSAGES[state]}


def days_words(days: int) -> str:
    return "the next day" if days == 1 else f"the next {days} days"
