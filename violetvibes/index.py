"""`/`: what this service is and where its documentation is, rather than a bare 404."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from .api import PublicApi


class IndexApi(PublicApi):
    @extend_schema(
        summary="The service's name, version and links to its documentation",
        responses={
            200: inline_serializer(
                "Index",
                {
                    "name": serializers.CharField(),
                    "version": serializers.CharField(),
                    "links": inline_serializer(
                        "IndexLinks",
                        {
                            "docs": serializers.CharField(help_text="the API documentation (Swagger UI)"),
                            "schema": serializers.CharField(help_text="the OpenAPI 3 document"),
                            "health": serializers.CharField(help_text="the health check"),
                        },
                    ),
                },
            )
        },
        tags=["ops"],
    )
    def get(self, request: Request) -> Response:
        links = {"docs": reverse("docs"), "schema": reverse("schema"), "health": reverse("health")}
        return Response({"name": settings.SPECTACULAR_SETTINGS["TITLE"], "version": settings.VERSION, "links": links})
