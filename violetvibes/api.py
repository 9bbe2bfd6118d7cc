"""API plumbing shared by every app's views: the public base view and the documented error answers."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

# The errors every public query endpoint may answer (documented on each operation).
QUERY_ERRORS = {
    400: OpenApiResponse(description="Invalid query: {error, code, request_id, fields}"),
    429: OpenApiResponse(description="Rate limited; see Retry-After"),
}


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
