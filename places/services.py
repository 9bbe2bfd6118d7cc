"""Writes of the places app: loading the catalog and upserting what Google returned."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils import timezone

from . import facts
from .categories import CATEGORIES, VIBE_SEARCHES
from .models import Place
from .providers.types import ProviderPlace
from .signals import local_places_changed

CATALOG_PATH = Path(__file__).resolve().parent / "data" / "catalog.json"
_CATALOG_FIELDS = (
    "name",
    "address",
    "lat",
    "lng",
    "campus",
    "primary_type",
    "types",
    "cuisine",
    "categories",
    "vibes",
    "tags",
    "indoor_outdoor",
    "price_level",
    "hours",
    "hours_source",
    "hours_checked",
    "description",
)


@dataclass(frozen=True)
class CatalogLoadResult:
    created: int
    updated: int
    unchanged: int
    rejected: dict[str, list[str]]  # "key (name)" -> why it was not loaded


def _catalog_values(entry: dict) -> dict:
    values = {name: entry.get(name) for name in _CATALOG_FIELDS}
    for text in ("description", "hours", "hours_source"):
        values[text] = values[text] or ""
    values["cuisine"] = values["cuisine"] or []
    if values["hours_checked"]:
        values["hours_checked"] = date.fromisoformat(values["hours_checked"])
    return values


def place_catalog_load(*, path: Path = CATALOG_PATH, refresh: bool = False) -> CatalogLoadResult:
    """Adds the catalog's places that are missing. Existing rows are left as staff edited them,
    unless `refresh` asks to overwrite them with the file's values. Safe to run any number of times.
    An entry that fails the checks of places/facts.py is not loaded; the result names it and why."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    existing = {p.provider_id: p for p in Place.objects.filter(source=Place.Source.CATALOG)}
    to_create, to_update, rejected = [], [], {}
    for entry in entries:
        errors = facts.catalog_entry_errors(entry) if isinstance(entry, dict) else ["not an object"]
        if errors:
            name = f"{entry.get('key')} ({entry.get('name')})" if isinstance(entry, dict) else repr(entry)[:60]
            rejected[name] = errors
            continue
        values = _catalog_values(entry)
        place = existing.get(entry["key"])
        if place is None:
            to_create.append(Place(source=Place.Source.CATALOG, provider_id=entry["key"], **values))
        elif refresh and any(getattr(place, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(place, name, value)
            to_update.append(place)
    Place.objects.bulk_create(to_create, batch_size=200)
    if to_update:
        Place.objects.bulk_update(to_update, list(_CATALOG_FIELDS), batch_size=200)
    if to_create or to_update:  # bulk writes send no signals
        local_places_changed()
    unchanged = len(entries) - len(to_create) - len(to_update) - len(rejected)
    return CatalogLoadResult(len(to_create), len(to_update), unchanged, rejected)


def _vibes_for_types(types: Sequence[str]) -> list[str]:
    return [vibe for vibe, spec in VIBE_SEARCHES.items() if vibe != "generic" and set(types) & set(spec.google_types)]


def _categories_for_types(types: Sequence[str]) -> list[str]:
    return [key for key, spec in CATEGORIES.items() if set(types) & set(spec.google_types)]


_PROVIDER_FIELDS = (
    "name",
    "address",
    "lat",
    "lng",
    "primary_type",
    "types",
    "categories",
    "vibes",
    "tags",
    "indoor_outdoor",
    "rating",
    "rating_count",
    "price_level",
    "opening_hours",
    "hours",
    "hours_source",
    "hours_checked",
    "open_now",
    "photo_ref",
    "description",
    "last_fetched",
)

_OUTDOOR_TYPES = {"park", "tourist_attraction", "hiking_area", "playground", "beach", "plaza", "garden"}


def places_upsert_from_provider(*, results: Sequence[ProviderPlace]) -> list[Place]:
    """Upserts Google results in one statement and returns the rows, in the order given."""
    now = timezone.now()
    rows = {}
    for result in results:
        types = list(result.types) or ([result.primary_type] if result.primary_type else [])
        rows[result.provider_id] = Place(
            source=Place.Source.GOOGLE,
            provider_id=result.provider_id,
            name=result.name[:255],
            address=result.address[:500],
            lat=result.lat,
            lng=result.lng,
            primary_type=result.primary_type,
            types=types,
            categories=_categories_for_types(types),
            vibes=_vibes_for_types(types),
            tags=sorted(diet for diet, yes in result.diet.items() if yes),
            indoor_outdoor="outdoor" if _OUTDOOR_TYPES & set(types) else "indoor",
            rating=result.rating,
            rating_count=result.rating_count,
            price_level=result.price_level,
            opening_hours=list(result.opening_hours),
            hours=result.hours or "",
            hours_source=Place.HoursSource.GOOGLE if result.hours else "",
            hours_checked=timezone.localdate(now) if result.hours else None,
            open_now=result.open_now,
            photo_ref=result.photo_ref or "",
            description=result.description or "",
            last_fetched=now,
        )
    if not rows:
        return []
    Place.objects.bulk_create(
        rows.values(), update_conflicts=True, unique_fields=["source", "provider_id"], update_fields=_PROVIDER_FIELDS
    )
    by_id = {p.provider_id: p for p in Place.objects.filter(source=Place.Source.GOOGLE, provider_id__in=rows.keys())}
    return [by_id[pid] for pid in rows if pid in by_id]
