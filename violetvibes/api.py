"""API plumbing shared by every app's views: the public base view and the documented error answers."""

from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .openapi import error_responses

# The errors every public query endpoint may answer. The schema class (violetvibes.openapi) adds
# them, and 401/404 where they apply, to every operation anyway; this names them where a view
# lists its answers.
QUERY_ERRORS = error_responses(400, 429)


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
