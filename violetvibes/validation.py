"""The one way views read their input: a serializer validates it or the request is a 400."""

from typing import Any

from rest_framework.request import Request


def validated_query(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def validated_body(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
