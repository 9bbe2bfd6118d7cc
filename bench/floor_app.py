"""The framework's floor: a Django project of one DRF view, and nothing else.

No middleware, no database, no cache, no authentication, no rate limiting: Django's request
handling, DRF's APIView and its JSON renderer. Served by the same gunicorn and the same
`gunicorn.conf.py` as the service (`bench/auth_floor.py` starts it), it is what any endpoint of
this stack costs at the least; an endpoint's throughput is reported as a fraction of it.

This module is at once the settings (DJANGO_SETTINGS_MODULE=bench.floor_app), the URLconf and the
WSGI application (`bench.floor_app:application`).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.floor_app")

SECRET_KEY = "floor-app-only-serves-one-constant-answer"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.floor_app"
INSTALLED_APPS = ["rest_framework"]
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
# gunicorn.conf.py reads the console handler's formatter to choose how gunicorn logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


def _urlpatterns() -> list:
    from django.urls import path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class FloorApi(APIView):
        def get(self, request: object) -> Response:
            return Response({"status": "ok"})

    return [path("floor", FloorApi.as_view())]


def __getattr__(name: str) -> object:
    # The URLconf and the application are built on first use: importing this module as settings
    # must not import DRF's views before Django is set up.
    if name == "urlpatterns":
        globals()["urlpatterns"] = _urlpatterns()
        return globals()["urlpatterns"]
    if name == "application":
        from django.core.wsgi import get_wsgi_application

        globals()["application"] = get_wsgi_application()
        return globals()["application"]
    raise AttributeError(name)
