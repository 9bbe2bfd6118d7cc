from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    """No models: the layer that turns a request into lists of place and event cards."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
