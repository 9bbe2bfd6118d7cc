from django.apps import AppConfig


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "places"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - retires cached place lists when staff edit places

    def warm_up_code(self) -> None:
        """At a server's start (violetvibes/warmup.py): the place types read from the repository."""
        from . import facts

        facts.google_types()

    def warm_up(self) -> None:
        """In each worker: the catalog rows every list and chat turn start from (held per process)."""
        from . import selectors

        selectors.places_near(origin=selectors.default_origin(), radius_m=1)
