from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from . import (
            schema,  # noqa: F401 - registers the OpenAPI extension for our JWT authentication
            signals,  # noqa: F401 - drops cached activity when it changes
        )
