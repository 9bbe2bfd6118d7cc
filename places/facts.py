"""What a place can be said to be: its kinds (Google's place types), cuisines, diet and need tags,
the campus areas it may lie in, and the check every catalog entry passes before it is loaded.

These are data, read once: a fact outside them is a typo, not a new fact.
"""

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from accounts import vibes

from . import categories, geo, hours

DATA = Path(__file__).resolve().parent / "data"


@cache
def google_types() -> frozenset[str]:
    """Google Places (New) Table A and Table B types (places/data/google_place_types.txt)."""
    lines = (DATA / "google_place_types.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


DIET_TAGS = ("halal", "kosher", "vegetarian", "vegan", "gluten_free")
NEED_TAGS = ("quiet", "outlets", "wifi", "group_tables", "outdoor_seating", "view", "late_night", "student_discount", "21_plus")
OTHER_TAGS = ("free", "live_music")  # free admission; music most nights
TAGS = (*DIET_TAGS, *NEED_TAGS, *OTHER_TAGS)
TAG_LABELS = {
    "gluten_free": "gluten-free",
    "group_tables": "tables for groups",
    "outdoor_seating": "outdoor seating",
    "late_night": "open late",
    "student_discount": "student discount",
    "21_plus": "21+",
    "live_music": "live music",
    "free": "free entry",
}

# Cuisines a student asks for by name. A restaurant's cuisine is one or more of these.
CUISINES = (
    "american", "bagels", "bakery", "barbecue", "bubble_tea", "burgers", "caribbean", "chinese", "coffee", "deli",
    "dessert", "dumplings", "french", "greek", "halal_cart", "hot_dogs", "ice_cream", "indian", "italian", "japanese",
    "korean", "mediterranean", "mexican", "middle_eastern", "pizza", "ramen", "sandwiches", "seafood", "steak", "sushi",
    "tea", "thai", "ukrainian", "vietnamese", "yemeni", "falafel", "chicken", "vegan", "breakfast",
)  # fmt: skip

CAMPUS_CENTERS: Mapping[str, geo.Point] = {
    "brooklyn": geo.Point(40.6942, -73.9866),  # 2 MetroTech Center
    "manhattan": geo.Point(40.7308, -73.9973),  # Washington Square
}
CAMPUS_RADIUS_M = 3000  # Downtown Brooklyn to Fort Greene and DUMBO; the Village to Union Square and the East Village

SETTINGS = ("indoor", "outdoor", "both")
CATEGORIES = tuple(categories.CATEGORIES)
VIBES = tuple(vibe for vibe in vibes.VIBES if vibe != vibes.GENERIC)  # a place suits a vibe; "generic" is no vibe


def tag_label(tag: str) -> str:
    return TAG_LABELS.get(tag, tag.replace("_", " "))


def _strings(entry: Mapping[str, Any], name: str) -> list[str] | None:
    value = entry.get(name, [])
    return value if isinstance(value, list) and all(isinstance(item, str) for item in value) else None


def _unknown(values: list[str] | None, allowed: frozenset[str] | tuple[str, ...], what: str) -> list[str]:
    if values is None:
        return [f"{what} must be a list of strings"]
    bad = [value for value in values if value not in allowed]
    return [f"unknown {what}: {', '.join(bad)}"] if bad else []


def catalog_entry_errors(entry: Mapping[str, Any]) -> list[str]:
    """Why this catalog entry may not be loaded; [] when it may."""
    errors = []
    for name in ("key", "name", "address", "campus"):
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            errors.append(f"{name} is missing")
    types = _strings(entry, "types")
    errors += _unknown(types, google_types(), "Google place types")
    if types is not None and (not types or entry.get("primary_type") != types[0]):
        errors.append("primary_type must be the first of types")
    errors += _unknown(_strings(entry, "tags"), TAGS, "tags")
    errors += _unknown(_strings(entry, "cuisine"), CUISINES, "cuisines")
    errors += _unknown(_strings(entry, "categories"), CATEGORIES, "categories")
    errors += _unknown(_strings(entry, "vibes"), VIBES, "vibes")
    if entry.get("indoor_outdoor") not in SETTINGS:
        errors.append(f"indoor_outdoor must be one of {', '.join(SETTINGS)}")
    price = entry.get("price_level")
    if price is not None and (not isinstance(price, int) or isinstance(price, bool) or not 0 <= price <= 4):
        errors.append("price_level must be 0..4 or null")
    for fact in ("rating", "rating_count"):
        if entry.get(fact) is not None:
            errors.append(f"{fact} comes only from a provider: leave it out")
    errors += _location_errors(entry)
    errors += _hours_errors(entry)
    return errors


def _location_errors(entry: Mapping[str, Any]) -> list[str]:
    lat, lng, campus = entry.get("lat"), entry.get("lng"), entry.get("campus")
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in (lat, lng)):
        return ["lat and lng must be numbers"]
    center = CAMPUS_CENTERS.get(campus)
    if center is None:
        return [f"campus must be one of {', '.join(CAMPUS_CENTERS)}"]
    meters = geo.haversine_m(center, geo.Point(lat, lng))
    return [f"({lat}, {lng}) is {meters / 1000:.1f} km from the {campus} campus (at most {CAMPUS_RADIUS_M / 1000:.0f})"] if meters > CAMPUS_RADIUS_M else []


def _hours_errors(entry: Mapping[str, Any]) -> list[str]:
    expression = entry.get("hours")
    if expression is None:
        return [] if entry.get("hours_source") is None else ["hours_source without hours"]
    if not isinstance(expression, str):
        return ["hours must be an opening_hours string or null"]
    errors = []
    try:
        hours.parse(expression)
    except ValueError as exc:
        errors.append(f"hours do not parse: {exc}")
    if not entry.get("hours_source") or not entry.get("hours_checked"):
        errors.append("hours need hours_source and hours_checked (where they came from, and when)")
    return errors
