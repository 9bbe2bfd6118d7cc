from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from violetvibes.urls import handler400, handler403, handler404, handler500  # noqa: F401
from violetvibes.urls import urlpatterns as app_urlpatterns


class FloorApi(APIView):
    """The cheapest DRF view there is: the floor the real endpoints are compared with."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


urlpatterns = [path("bench/floor", FloorApi.as_view()), *app_urlpatterns]
