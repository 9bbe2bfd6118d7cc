"""Every error the service answers is JSON: {error, code, request_id, fields?}.

DRF exceptions go through `api_exception_handler`; Django's own 400/403/404/500 (unknown paths,
admin, oversized bodies) through the `handler*` views wired in urls.py.

The database being unreachable (PostgreSQL stopped, restarting, a connection cut) is an outage, not
a bug: wherever it surfaces (a view, the JWT user lookup, Django's middleware) the answer is 503
`service_unavailable` with Retry-After, and it is logged once per outage as a warning.
"""

import logging
import sqlite3
import sys
import time
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from violetvibes import state

logger = logging.getLogger(__name__)

# One human sentence per status for errors that carry no better message of their own.
_MESSAGES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Sign in to do this."),
    403: ("permission_denied", "You do not have permission to do this."),
    404: ("not_found", "Nothing was found at this address."),
    405: ("method_not_allowed", "This method is not allowed here."),
    406: ("not_acceptable", "This endpoint only answers JSON."),
    413: ("payload_too_large", "The request body is larger than 1 MiB."),
    415: ("invalid_json", "The request body must be a JSON object sent as application/json."),
    429: ("rate_limited", "Too many requests. Please wait a moment and try again."),
    500: ("server_error", "Something went wrong on our side. Please try again."),
    503: ("service_unavailable", "The service is temporarily unavailable. Please try again shortly."),
}


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _MESSAGES[503][1]
    default_code = "service_unavailable"


# SQLSTATE classes of PostgreSQL being unreachable: 08 connection exception, 57P operator
# intervention (admin/crash shutdown, "the database system is starting up").
_UNAVAILABLE_SQLSTATES = ("08", "57P")
# Seconds a client is asked to wait; a PostgreSQL restart or failover takes a few.
RETRY_AFTER_SECONDS = 5
# Failures closer together than this are one outage: one warning per outage per process.
_OUTAGE_GAP_SECONDS = 60.0
_database_down_logged_at: float | None = None


@state.on_reset
def _forget_database_outage() -> None:
    global _database_down_logged_at
    _database_down_logged_at = None


class DatabaseUnavailable(ServiceUnavailable):
    wait = RETRY_AFTER_SECONDS  # DRF's handler turns `wait` into Retry-After


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means PostgreSQL cannot be reached or dropped the connection (an outage).

    Django raises its own InterfaceError/OperationalError with psycopg's error as the cause. A
    refused or cut connection carries no SQLSTATE (pgcode None) or one of _UNAVAILABLE_SQLSTATES.
    Every other OperationalError comes from a working database (deadlock, statement or lock
    timeout, serialization failure; SQLite's "database is locked") and, like ProgrammingError,
    IntegrityError or DataError, is a bug: a logged 500.
    """
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):  # a local file: locked or busy, never unreachable
        return False
    pgcode = getattr(cause, "pgcode", None)
    return pgcode is None or pgcode.startswith(_UNAVAILABLE_SQLSTATES)


def _note_database_down(exc: BaseException) -> None:
    global _database_down_logged_at
    now = time.monotonic()
    if _database_down_logged_at is None or now - _database_down_logged_at > _OUTAGE_GAP_SECONDS:
        # The exception's text names the host and port: the type is enough to tell what happened.
        logger.warning("Database unreachable (%s); answering 503 service_unavailable", type(exc).__name__)
    _database_down_logged_at = now


def error_body(request: HttpRequest | None, code: str, message: str, fields: dict | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"error": message, "code": code, "request_id": getattr(request, "request_id", "-")}
    if fields:
        body["fields"] = fields
    return body


def error_response(request: HttpRequest | None, status_code: int, code: str | None = None, message: str | None = None) -> JsonResponse:
    default_code, default_message = _MESSAGES.get(status_code, _MESSAGES[500])
    return JsonResponse(error_body(request, code or default_code, message or default_message), status=status_code)


def _flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub": [messages]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten_fields(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            fields[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten_fields(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def _first_message(fields: dict[str, list[str]]) -> str:
    for name, messages in fields.items():
        if messages:
            return messages[0] if name == "non_field_errors" else f"{name}: {messages[0]}"
    return "The request has invalid fields."


def api_exception_handler(exc: Exception, context: dict) -> Response:
    request = context.get("request")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.ParseError(_MESSAGES[415][1], code="invalid_json")
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(request, "payload_too_large", _MESSAGES[413][1]), status=413)
    if is_database_unavailable(exc):
        _note_database_down(exc)
        exc = DatabaseUnavailable()

    response = drf_exception_handler(exc, context)
    if response is None:
        # Unhandled: log with the traceback, answer without it.
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        return Response(error_body(request, *_MESSAGES[500]), status=500)

    status_code = response.status_code
    default_code, default_message = _MESSAGES.get(status_code, ("error", "The request failed."))
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten_fields(exc.detail)
        body = error_body(request, "validation_error", _first_message(fields), fields)
    elif isinstance(exc, exceptions.Throttled):
        body = error_body(request, "rate_limited", default_message)
    elif isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str):
        # ErrorDetail carries the code it was raised with (ours or DRF's snake_case one).
        body = error_body(request, getattr(exc.detail, "code", None) or default_code, str(exc.detail))
    else:  # Django's Http404 / PermissionDenied converted by DRF, or a detail without one message
        body = error_body(request, default_code, default_message)
    response.data = body
    return response


# --- Django-level handlers (outside DRF views) ---------------------------------------------------
def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413)
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> JsonResponse:
    # Django calls this while handling the exception; its own "django.request" log is silenced in
    # settings, so this is the one place an unhandled error outside DRF views gets its traceback logged.
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        _note_database_down(exc)
        response = error_response(request, 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=True)
    return error_response(request, 500)

