from django.apps import AppConfig


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "places"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - retires cached place lists when staff edit places
