"""Everything the chat's request-driven retrieval (retrieve.py) takes from the places below it and
from this layer's ranking context, in one namespace: candidates (catalog and Google, which saves
Google's places: a service), places nearby, walks, ranking and cards."""

from places.candidates import candidates, place_recommendations
from places.selectors import estimated_walk, place_card, places_near, rank_places, spec_for_vibe, walk_times

from .context import ranking_context

__all__ = [
    "candidates",
    "estimated_walk",
    "place_card",
    "place_recommendations",
    "places_near",
    "rank_places",
    "ranking_context",
    "spec_for_vibe",
    "walk_times",
]
