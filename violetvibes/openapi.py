"""The OpenAPI schema's error answers, documented from how each view is built, so no view repeats them.

Every error the service answers is the one JSON body of errors.py ({error, code, request_id,
fields?}). `ApiSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to every operation the errors
its view really answers, unless the operation documents that status itself:

- 400 when it reads a body or a query parameter (pagination's `page` alone reads none: a bad page is a 404);
- 401 when it needs a signed-in user (its `security` has no anonymous alternative);
- 404 when its path names a resource, or its list is paginated (a page past the end);
- 429, with Retry-After, when it is rate-limited (violetvibes.ratelimit).

Every description is read from the one table of errors (violetvibes.errors.ERRORS: code, status,
meaning). Views document only what is their own, by code: `documented_errors("email_taken")` gives
{409: ...}; a note says what the answer means there (`rate_limited="more than 5 signups a minute"`).
An error response a view documents without a body (`OpenApiResponse(description=...)`) gets the
error body too.

It also documents what drf-spectacular leaves out: the body of a DELETE that declares one
(`extend_schema(request=...)`: DELETE /api/user/me takes the password), `allowEmptyValue` on
optional query parameters (sent empty, one is the same as absent: DRF reads `?days=` so), and
`NamesField`s as enums.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_media_type_object
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .errors import ERRORS
from .fields import NamesField
from .ratelimit import method_group


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(help_text="One sentence for a person.")
    code = serializers.CharField(help_text=f"What went wrong, for code: one of {', '.join(ERRORS)}.")
    request_id = serializers.CharField(help_text="The X-Request-ID of this request, for support.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='validation_error only: each invalid field ("budget.max" for a nested one) and its messages.',
    )


# The standard answers (see the module docstring): the codes each may carry.
STANDARD_CODES = {
    400: ("validation_error", "invalid_json"),
    401: ("not_authenticated", "token_invalid", "token_expired"),
    404: ("not_found",),
    429: ("rate_limited",),
}
_RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."},
}


def describe_errors(*codes: str, **notes: str) -> str:
    """What these codes mean, from ERRORS, each with its note: "email_taken: signup for an email that has an account."""
    return " ".join(f"{code}: {ERRORS[code].meaning}{f'; here, {notes[code]}' if code in notes else ''}." for code in codes)


# The standard answers' descriptions; an operation may document its own instead.
STANDARD_ERRORS = {status: describe_errors(*codes) for status, codes in STANDARD_CODES.items()}


def documented_errors(*codes: str, **notes: str) -> dict[int, OpenApiResponse]:
    """The error answers of these codes (and of those given a note), by their status in ERRORS, for an
    `extend_schema(responses={...})`: `documented_errors("email_taken", rate_limited="...")`."""
    by_status: dict[int, list[str]] = {}
    for code in dict.fromkeys([*codes, *notes]):
        by_status.setdefault(ERRORS[code].status, []).append(code)
    return {
        status: OpenApiResponse(ErrorSerializer, description=describe_errors(*group, **notes))
        for status, group in sorted(by_status.items())
    }


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The standard error answers for `statuses`, for an `extend_schema(responses={...})`."""
    return {status: OpenApiResponse(ErrorSerializer, description=STANDARD_ERRORS[status]) for status in statuses}


class ApiSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for status in self._standard_errors(operation):
            responses.setdefault(str(status), {"description": STANDARD_ERRORS[status]})
        for status, response in responses.items():
            if status[0] in "45" and "content" not in response:
                error = self.resolve_serializer(ErrorSerializer, "response").ref
                response["content"] = {"application/json": build_media_type_object(error)}
            if status == "429":
                response.setdefault("headers", {}).update(_RETRY_AFTER)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _standard_errors(self, operation: dict[str, Any]) -> list[int]:
        statuses = []
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        paginated = bool(self._get_pagination_parameters())
        if "requestBody" in operation or query - ({"page"} if paginated else set()):
            statuses.append(400)
        if {} not in operation.get("security", [{}]):
            statuses.append(401)
        if "{" in self.path or paginated:
            statuses.append(404)
        if self.view.get_throttles() and method_group(self.view, self.method) is not None:
            statuses.append(429)
        return statuses

    def get_request_serializer(self) -> Any:
        # Guessing a serializer for a DELETE would warn; one that takes a body declares it with
        # extend_schema(request=...), which answers before this.
        if self.method == "DELETE":
            return None
        return super().get_request_serializer()

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        # drf-spectacular documents bodies for POST, PUT and PATCH only.
        serializer = self.get_request_serializer() if self.method == "DELETE" else None
        if serializer is None:
            return super()._get_request_body(direction)
        schema, required = self._get_request_for_media_type(serializer, direction)
        body: dict[str, Any] = {"content": {media_type: build_media_type_object(schema) for media_type in self.map_parsers()}}
        if required:
            body["required"] = True
        return body


class NamesFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NamesField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        names: list[Any] = list(self.target.names)
        if self.target.allow_null:
            names.append(None)  # OpenAPI 3.0: a nullable enum lists null
        return {"type": "string", "enum": names}
