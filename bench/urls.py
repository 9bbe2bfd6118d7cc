from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from violetvibes.urls import handler400, handler403, handler404, handler500  # noqa: F401
from violetvibes.urls import urlpatterns as app_urlpatterns


class FloorApi(APIView):
    """A one-line DRF view run the same way as the real ones (same settings, so the same default
    rate limiting): the floor the real endpoints are compared with."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class BareFloorApi(FloorApi):
    """The same without the rate limiter: DRF's cost alone."""

    throttle_classes: list = []


urlpatterns = [path("bench/floor", FloorApi.as_view()), path("bench/floor-bare", BareFloorApi.as_view()), *app_urlpatterns]
