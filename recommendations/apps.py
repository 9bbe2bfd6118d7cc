from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from places import geo


class RecommendationsConfig(AppConfig):
    """No models: the layer that turns a request into lists of place and event cards."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"

    def warm_up_code(self) -> None:
        """At a server's start (violetvibes/warmup.py): the vocabulary and the turn reader's tables,
        read from recommendations/data/, and one message read with them."""
        from . import llm_request, request, turn
        from .understand import understand

        request.vocabulary()
        turn.tables()
        llm_request.allowed()
        understand("any good coffee near tandon that's open now?")

    def warm_up(self) -> None:
        """In each worker: the index of the place names a message may name, near the default origin."""
        from places import selectors

        from .retrieve import names_near
        from .understand import understand

        understand("tell me about the closest one", names=names_near(selectors.default_origin()))
        self._warm_up_lists(selectors.default_origin())

    def _warm_up_lists(self, origin: "geo.Point") -> None:
        """A quick-recs list of the default origin, from the catalog with estimated walks (no provider
        is asked), through the query and card serializers: a worker forked from the master otherwise
        first touched that code and data on its first list request, at a few hundred copy-on-write
        page faults (bench/first_request.py, docs/BENCHMARKS.md)."""
        from django.utils import timezone

        from places import selectors
        from places.categories import CATEGORIES

        from .context import ranking_context
        from .serializers import QuickRecsQuerySerializer, RecommendationsSerializer

        key, spec = next(iter(CATEGORIES.items()))
        query = QuickRecsQuerySerializer(data={"category": key, "latitude": origin.lat, "longitude": origin.lng})
        query.is_valid(raise_exception=True)
        places = selectors.places_near(origin=origin, radius_m=spec.radius_m)
        walks = {place.pk: selectors.estimated_walk(place, origin) for place in places}
        context = ranking_context(user=None, vibe=None, at=timezone.now())
        cards = selectors.rank_places(places, origin=origin, walks=walks, context=context, limit=query.validated_data["limit"])
        RecommendationsSerializer({"category": key, "places": cards}).data  # noqa: B018 - serialised, then dropped
