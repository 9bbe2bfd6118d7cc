from django.conf import settings
from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .errors import RETRY_AFTER_SECONDS, ServiceUnavailable, error_body

# Where the platform probes (.do/app.yaml health_check); AllowedHostMiddleware answers it at any Host.
HEALTH_PATH = "/health"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "disconnected"
        return False


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not_configured"
    ping = getattr(cache, "ping", None)
    return "connected" if ping is not None and ping() else "disconnected"


class HealthApi(APIView):
    """Liveness for the platform: 200 while the database answers (Redis down is `degraded`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(["ok", "degraded"]),
                    "database": serializers.ChoiceField(["connected", "disconnected"]),
                    "redis": serializers.ChoiceField(["connected", "disconnected", "not_configured"]),
                },
            ),
            (503, "application/json"): inline_serializer(
                "HealthDown",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "redis": serializers.CharField(),
                    "error": serializers.CharField(),
                    "code": serializers.CharField(),
                    "request_id": serializers.CharField(),
                },
            ),
        },
        tags=["ops"],
    )
    def get(self, request: Request) -> Response:
        database = "connected" if _database_ok() else "disconnected"
        redis = _redis_state()
        healthy = database == "connected" and redis != "disconnected"
        body = {"status": "ok" if healthy else "degraded", "database": database, "redis": redis}
        if database != "connected":
            # An error status: it also carries what every error does ({error, code, request_id}).
            body.update(error_body(request, ServiceUnavailable.default_code, str(ServiceUnavailable.default_detail)))
            return Response(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        return Response(body)
