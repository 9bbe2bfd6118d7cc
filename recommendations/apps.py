from django.apps import AppConfig


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
