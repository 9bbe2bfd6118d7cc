"""The project's URLs plus views that fail on purpose, for tests/violetvibes/test_errors.py (@pytest.mark.urls)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from violetvibes.urls import handler400, handler403, handler404, handler500
from violetvibes.urls import urlpatterns as project_urlpatterns

SECRET = "secret detail: postgres://admin:hunter2@db.internal/violetvibes"


def django_view_that_fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


class ApiViewThatFails(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise KeyError(SECRET)


urlpatterns = [
    path("test/django-boom", django_view_that_fails),
    path("test/api-boom", ApiViewThatFails.as_view()),
    *project_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
