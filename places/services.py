"""Writes of the places app: loading the catalog and upserting what Google returned."""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from django.utils import timezone

from . import facts, geo, hours
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


# --- Opening hours from an OpenStreetMap extract -------------------------------------------------------
OSM_DIETS = {f"diet:{tag}": tag for tag in facts.DIET_TAGS}
OSM_MATCH_METERS = 80  # a catalog point and the OSM one for the same shop front
OSM_MATCH_NAME = 0.85  # how alike two names must be (difflib ratio, after folding)
_NAME_NOISE = re.compile(r"[^a-z0-9 ]+")
_NAME_WORDS = {"the", "and", "nyc", "ny", "new", "york", "brooklyn", "co", "inc", "llc"}


@dataclass(frozen=True)
class OsmPlace:
    name: str
    point: geo.Point
    tags: dict[str, str]


@dataclass
class HoursImportResult:
    updated: list[str]  # "Place name: hours"
    unchanged: int
    kept: list[str]  # places whose own hours were checked more recently than the extract
    unreadable: list[str]  # "OSM name: expression"
    unmatched_catalog: int


def osm_places(data: Any) -> list[OsmPlace]:
    """Named, located elements with tags from an Overpass API answer (`out center` for ways) or a
    GeoJSON FeatureCollection of points; anything else in the file is skipped."""
    found = []
    if isinstance(data, dict) and isinstance(data.get("elements"), list):
        for element in data["elements"]:
            if not isinstance(element, dict) or not isinstance(element.get("tags"), dict):
                continue
            where = element.get("center") if isinstance(element.get("center"), dict) else element
            found.append((element["tags"], where.get("lat"), where.get("lon")))
    elif isinstance(data, dict) and isinstance(data.get("features"), list):
        for feature in data["features"]:
            geometry = feature.get("geometry") if isinstance(feature, dict) else None
            if isinstance(geometry, dict) and geometry.get("type") == "Point" and isinstance(feature.get("properties"), dict):
                lng, lat = (geometry.get("coordinates") or [None, None])[:2]
                found.append((feature["properties"], lat, lng))
    places = []
    for tags, lat, lng in found:
        name = tags.get("name")
        if isinstance(name, str) and name.strip() and all(isinstance(v, int | float) for v in (lat, lng)):
            places.append(OsmPlace(name.strip(), geo.Point(lat, lng), {k: str(v) for k, v in tags.items()}))
    return places


def _folded(name: str) -> str:
    words = _NAME_NOISE.sub(" ", name.lower().replace("&", " and ").replace("'", "")).split()
    return " ".join(word for word in words if word not in _NAME_WORDS)


def _same_place(place: Place, candidate: OsmPlace) -> bool:
    if geo.haversine_m(geo.Point(place.lat, place.lng), candidate.point) > OSM_MATCH_METERS:
        return False
    ours, theirs = _folded(place.name), _folded(candidate.name)
    return bool(ours and theirs) and (ours in theirs or theirs in ours or SequenceMatcher(None, ours, theirs).ratio() >= OSM_MATCH_NAME)


def place_hours_import(*, data: Any, checked: date, dry_run: bool = False) -> HoursImportResult:
    """Opening hours (and diet tags) for catalog and staff places from an OpenStreetMap extract taken
    on `checked`: each place takes the hours of the one OSM element with its name within
    OSM_MATCH_METERS. Hours checked more recently than the extract are kept; what does not parse is
    reported, never stored."""
    candidates = [c for c in osm_places(data) if c.tags.get("opening_hours")]
    result = HoursImportResult(updated=[], unchanged=0, kept=[], unreadable=[], unmatched_catalog=0)
    changed = []
    local = Place.objects.filter(source__in=(Place.Source.CATALOG, Place.Source.STAFF), is_active=True, lat__isnull=False)
    for place in local.exclude(lng__isnull=True):
        matches = [c for c in candidates if _same_place(place, c)]
        if len(matches) != 1:  # none, or two that could each be it: leave it unknown
            result.unmatched_catalog += 1
            continue
        match = matches[0]
        expression = match.tags["opening_hours"].strip()
        try:
            hours.parse(expression)
        except ValueError:
            result.unreadable.append(f"{match.name}: {expression}")
            continue
        if place.hours_checked and place.hours_checked > checked:
            result.kept.append(place.name)
            continue
        diets = {tag for key, tag in OSM_DIETS.items() if match.tags.get(key) in ("yes", "only")}
        tags = sorted(set(place.tags) | diets)
        if (place.hours, place.hours_source, place.hours_checked, place.tags) == (expression, Place.HoursSource.OPENSTREETMAP, checked, tags):
            result.unchanged += 1
            continue
        place.hours, place.hours_source, place.hours_checked, place.tags = expression, Place.HoursSource.OPENSTREETMAP, checked, tags
        changed.append(place)
        result.updated.append(f"{place.name}: {expression}")
    if changed and not dry_run:
        Place.objects.bulk_update(changed, ["hours", "hours_source", "hours_checked", "tags"], batch_size=200)
        local_places_changed()
    return result
