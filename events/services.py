"""Syncing events from their sources into the database.

Runs as a job (`manage.py sync_events`). The admin's "Sync now" button runs one source inside a
request, so it passes `geocode=False`: no Google call per new address (the venue table still
applies; the next scheduled sync locates the rest).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from violetvibes.providers import ProviderError

from . import geocoding
from .models import Event, SourceSync
from .sources import SOURCES, SourceEvent

logger = logging.getLogger(__name__)

# The fields a source owns; the admin shows them read-only on synced rows. `hidden` is staff's.
SOURCE_FIELDS = ("name", "description", "start", "end", "venue", "address", "lat", "lng", "url", "image_url", "organization", "is_free")


@dataclass
class SyncReport:
    source: str
    fetched: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    failed: bool = False
    error: str = ""


def _values(item: SourceEvent) -> dict[str, object]:
    """The row's source-owned fields, coordinates aside (see `_coordinates`)."""
    return {
        "name": item.name[:300],
        "description": item.description,
        "start": item.start,
        "end": item.end,
        "venue": item.venue[:300],
        "address": item.address[:500],
        "url": item.url[:1000],
        "image_url": item.image_url[:1000],
        "organization": item.organization[:300],
        "is_free": item.is_free,
    }


def _coordinates(values: dict[str, object], item: SourceEvent, stored: Event | None, *, geocode: bool) -> tuple[float | None, float | None]:
    """The source's own coordinates (when plausible); else the stored row's when its venue and
    address are unchanged; else the venue table, then Google when `geocode`."""
    if geocoding.plausible(item.lat, item.lng):
        return item.lat, item.lng
    if (
        stored is not None
        and geocoding.plausible(stored.lat, stored.lng)
        and (stored.venue, stored.address) == (values["venue"], values["address"])
    ):
        return stored.lat, stored.lng
    return geocoding.locate(venue=item.venue, address=item.address, lat=None, lng=None, online=geocode)


def event_source_sync(*, name: str, days: int = 14, dry_run: bool = False, geocode: bool = True) -> SyncReport:
    """Fetches one source's window and makes the database match it: new events created, changed
    ones updated, ones gone from the window marked inactive. A failing source changes nothing.

    A feed cut off before the window's end (`covered_until`) only removes events ending before
    what it covered. A dry run and `geocode=False` never call Google. `hidden` is never touched."""
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
    external_ids = [i.external_id for i in items]
    existing = {event.external_id: event for event in Event.objects.filter(source=name, external_id__in=external_ids)}
    to_create, to_update = [], []
    for item in items:
        event = existing.get(item.external_id)
        values = _values(item)
        values["lat"], values["lng"] = _coordinates(values, item, event, geocode=geocode and not dry_run)
        if event is None:
            to_create.append(Event(source=name, external_id=item.external_id, **values))
        elif not event.is_active or any(getattr(event, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(event, key, value)
            event.is_active = True
            to_update.append(event)
    # Events of this source in the window that the source no longer lists.
    gone = Event.objects.filter(source=name, is_active=True, start__gte=start, start__lt=end).exclude(external_id__in=external_ids)
    covered_until = getattr(items, "covered_until", None)
    if covered_until is not None:
        logger.warning("Event source %s was cut off; only events ending before %s are compared", name, covered_until)
        gone = gone.filter(Q(end__lt=covered_until) | Q(end__isnull=True, start__lt=covered_until))
    report.created, report.updated, report.removed = len(to_create), len(to_update), gone.count()
    if dry_run:
        return report
    with transaction.atomic():
        Event.objects.bulk_create(to_create, batch_size=200)
        if to_update:
            Event.objects.bulk_update(to_update, [*SOURCE_FIELDS, "is_active"], batch_size=200)
        gone.update(is_active=False)
        # Seen again: refresh last_seen for the unchanged ones too.
        Event.objects.filter(source=name, external_id__in=external_ids).update(last_seen=timezone.now())
    return report


def events_sync(
    *,
    sources: Iterable[str] | None = None,
    days: int = 14,
    dry_run: bool = False,
    geocode: bool = True,
    progress: Callable[[SyncReport], None] | None = None,
) -> list[SyncReport]:
    """Every source in turn; one source failing (or crashing) never stops the others. Each
    outcome is recorded (`SourceSync`, not on a dry run) for the lists to tell why they are empty."""
    reports = []
    for name in sources or SOURCES:
        started = timezone.now()
        try:
            report = event_source_sync(name=name, days=days, dry_run=dry_run, geocode=geocode)
        except Exception as exc:
            logger.exception("Event source %s crashed", name)
            report = SyncReport(source=name, failed=True, error=f"{type(exc).__name__}")
        if not dry_run:
            source_sync_record(report=report, started=started)
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports


def source_sync_record(*, report: SyncReport, started: datetime) -> SourceSync:
    """Keeps how the sync of `report.source` that began at `started` went."""
    values: dict[str, object] = {"last_attempt": started, "succeeded": not report.failed}
    if report.failed:
        values["last_error"] = report.error[:500]
    else:
        values.update(last_success=started, last_error="", fetched=report.fetched)
    record, _ = SourceSync.objects.update_or_create(source=report.source, defaults=values)
    return record
