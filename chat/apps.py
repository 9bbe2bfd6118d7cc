from django.apps import AppConfig


class ChatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chat"

    def ready(self) -> None:
        from . import signals  # noqa: F401

    def warm_up_code(self) -> None:
        """At a server's start (violetvibes/warmup.py): what a turn read by Gemini sends with it."""
        from .llm import gemini

        gemini.request_schema()
