"""Candidates for the lists: Google's places around a spot when it answers (saved as Place rows, so
this is a service, not a selector), else the catalog and staff places nearby; then walks and ranks.

A search's one cache layer is its rows (violetvibes/providers/results.py): per ~100 m cell and
spec or words, 30 minutes, and kept 6 hours more for when Google fails or its circuit is open. A
warm search reads one cache key and touches neither Google nor the database.
"""

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.results import cached

from . import geo, scoring
from .categories import SearchSpec
from .models import Place
from .providers import google_places
from .selectors import _local_places, _matches, _within, rank_places, walk_times
from .services import places_upsert_from_provider

logger = logging.getLogger(__name__)

NEARBY_CACHE_SECONDS = 30 * 60
CATALOG_MIN_RADIUS_M = 2000
CATALOG_WIDE_RADIUS_M = 4500


def _google_candidates(
    spec: SearchSpec, origin: geo.Point, *, may_call: bool = True, breaker: CircuitBreaker | None = None
) -> list[Place] | None:
    """Google's places for this spec around `origin`, upserted; None when Google is not configured,
    or (may_call=False) none are kept. Raises ProviderError when Google cannot answer and none are
    kept (see the module docstring)."""
    if not google_places.configured():
        return None
    lat, lng = round(origin.lat, 3), round(origin.lng, 3)

    def search() -> list[Place]:
        results = google_places.search_nearby(
            lat=lat, lng=lng, radius_m=spec.radius_m, included_types=spec.google_types, breaker=breaker
        )
        return [place for place in places_upsert_from_provider(results=results) if place.is_active]

    return cached(f"places:nearby:v3:{spec.key}:{lat}:{lng}", search, fresh_seconds=NEARBY_CACHE_SECONDS, may_call=may_call)


def candidates(*, specs: Sequence[SearchSpec], origin: geo.Point, wanted: int = 10) -> dict[str, list[Place]]:
    """Candidates per spec: Google's when it answers, else the catalog (and staff places) nearby."""
    found: dict[str, list[Place]] = {}
    local: list[Place] | None = None
    google_down = False
    # One breaker for this request's searches: it says when one of them failed, even if an expired
    # cached answer still came back.
    breaker = CircuitBreaker(google_places.PROVIDER)
    for spec in specs:
        try:
            google = _google_candidates(spec, origin, may_call=not google_down, breaker=breaker)
        except ProviderError as exc:
            logger.warning("Google Places unavailable for %s: %s", spec.key, exc)
            google, google_down = None, exc.retryable
        # Down, hanging or throttling: this request's other searches would wait the same way
        # (a dashboard paid three timeouts in a row), so they take the catalog straight away.
        google_down = google_down or breaker.failed
        if google:
            found[spec.key] = google
            continue
        if local is None:
            local = _local_places(origin, CATALOG_WIDE_RADIUS_M)
        radius = max(spec.radius_m, CATALOG_MIN_RADIUS_M)
        of_spec = [p for p in local if _matches(p, spec)]
        matching = [p for p in of_spec if _within(p, origin, radius)]
        found[spec.key] = matching if len(matching) >= wanted else of_spec
    return found



def place_recommendations(
    *,
    specs: Sequence[SearchSpec],
    origin: geo.Point,
    context: scoring.RankingContext,
    limit: int,
) -> dict[str, list[dict[str, Any]]]:
    """Ranked cards per spec, with one candidate search per spec and one walk-time call in all."""
    found = candidates(specs=specs, origin=origin, wanted=limit)
    walks = walk_times(origin=origin, places={p.pk: p for group in found.values() for p in group}.values())
    return {
        key: rank_places(group, origin=origin, walks=walks, context=context, limit=limit)
        for key, group in found.items()
    }


def text_candidates(*, query: str, origin: geo.Point, radius_m: int) -> list[Place] | None:
    """Google's Text Search for `query` (a request in words: "halal place to eat near Tandon")
    biased to `radius_m` around `origin`, upserted; None when Google is not configured or cannot
    answer (the caller's catalog answers then).

    Cached as the nearby search is: the rows per ~100 m cell, radius and words (folded).
    """
    if not google_places.configured():
        return None
    lat, lng = round(origin.lat, 3), round(origin.lng, 3)
    words = " ".join(query.split())
    digest = hashlib.blake2b(words.lower().encode(), digest_size=12).hexdigest()

    def search() -> list[Place]:
        results = google_places.search_text(words, center=(lat, lng), radius_m=radius_m)
        return [place for place in places_upsert_from_provider(results=results) if place.is_active]

    try:
        return cached(f"places:text:v2:{digest}:{int(radius_m)}:{lat}:{lng}", search, fresh_seconds=NEARBY_CACHE_SECONDS)
    except ProviderError as exc:
        logger.warning("Google Places text search unavailable: %s", exc)
        return None
