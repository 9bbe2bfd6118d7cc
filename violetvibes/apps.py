from django.apps import AppConfig


class VioletVibesConfig(AppConfig):
    """The project package as an app: only so that its system checks are registered."""

    name = "violetvibes"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
