"""Syncing events from their sources into the database. Runs as a job, never inside a request."""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from violetvibes.providers import ProviderError

from . import geocoding
from .models import Event
from .sources import SOURCES, SourceEvent

logger = logging.getLogger(__name__)

_FIELDS = ("name", "description", "start", "end", "venue", "address", "lat", "lng", "url", "image_url", "organization", "is_free")


@dataclass
class SyncReport:
    source: str
    fetched: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    failed: bool = False
    error: str = ""
    skipped: list[str] = field(default_factory=list)


def _values(item: SourceEvent) -> dict[str, object]:
    lat, lng = geocoding.locate(venue=item.venue, address=item.address, lat=item.lat, lng=item.lng)
    return {
        "name": item.name[:300],
        "description": item.description,
        "start": item.start,
        "end": item.end,
        "venue": item.venue[:300],
        "address": item.address[:500],
        "lat": lat,
        "lng": lng,
        "url": item.url[:1000],
        "image_url": item.image_url[:1000],
        "organization": item.organization[:300],
        "is_free": item.is_free,
    }


def event_source_sync(*, name: str, days: int = 14, dry_run: bool = False) -> SyncReport:
    """Fetches one source's window and makes the database match it: new events created, changed
    ones updated, ones gone from the window marked inactive. A failing source changes nothing."""
    report = SyncReport(source=name)
    start = timezone.now()
    end = start + timedelta(days=days)
    try:
        items = SOURCES[name].fetch(start=start, end=end)
    except ProviderError as exc:
        logger.warning("Event source %s failed: %s", name, exc)
        report.failed, report.error = True, str(exc)
        return report
    report.fetched = len(items)
    existing = {event.external_id: event for event in Event.objects.filter(source=name, external_id__in=[i.external_id for i in items])}
    to_create, to_update = [], []
    for item in items:
        values = _values(item)
        event = existing.get(item.external_id)
        if event is not None and values["lat"] is None and event.lat is not None and event.address == values["address"]:
            # Geocoding may be down this run: keep the coordinates we already had for this address.
            values["lat"], values["lng"] = event.lat, event.lng
        if event is None:
            to_create.append(Event(source=name, external_id=item.external_id, **values))
        elif not event.is_active or any(getattr(event, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(event, key, value)
            event.is_active = True
            to_update.append(event)
    # Events of this source in the window that the source no longer lists.
    gone = Event.objects.filter(source=name, is_active=True, start__gte=start, start__lt=end).exclude(
        external_id__in=[i.external_id for i in items]
    )
    report.created, report.updated, report.removed = len(to_create), len(to_update), gone.count()
    if dry_run:
        return report
    with transaction.atomic():
        Event.objects.bulk_create(to_create, batch_size=200)
        if to_update:
            Event.objects.bulk_update(to_update, [*_FIELDS, "is_active"], batch_size=200)
        gone.update(is_active=False)
        # Seen again: refresh last_seen for the unchanged ones too.
        Event.objects.filter(source=name, external_id__in=[i.external_id for i in items]).update(last_seen=timezone.now())
    return report


def events_sync(
    *, sources: Iterable[str] | None = None, days: int = 14, dry_run: bool = False, progress: Callable[[SyncReport], None] | None = None
) -> list[SyncReport]:
    """Every source in turn; one source failing never stops the others."""
    reports = []
    for name in sources or SOURCES:
        try:
            report = event_source_sync(name=name, days=days, dry_run=dry_run)
        except Exception as exc:
            logger.exception("Event source %s crashed", name)
            report = SyncReport(source=name, failed=True, error=f"{type(exc).__name__}")
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports
