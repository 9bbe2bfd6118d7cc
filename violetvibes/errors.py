"""Every error the service answers is JSON: {error, code, request_id, fields?}, its `code` one of ERRORS.

Services raise `DomainError`s (accounts/errors.py, places/errors.py, ratelimit.Locked) and know
nothing of HTTP; `api_exception_handler` answers them, and DRF's own exceptions, from the ERRORS
table. Django's own 400/403/404/500 (unknown paths, admin, oversized bodies) go through the
`handler*` views wired in urls.py.

The database being unreachable (PostgreSQL stopped, restarting, a connection cut) is an outage, not
a bug: wherever it surfaces (a view, the JWT user lookup, Django's middleware) the answer is 503
`service_unavailable` with Retry-After, and it is logged once per outage as a warning.
"""

import logging
import sqlite3
import sys
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from violetvibes import state

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentedError:
    status: int
    message: str  # the `error` sentence, unless whoever raises it says something more specific
    meaning: str  # when it is answered: the OpenAPI schema's and the README's words


# Every `code` the service answers: the one table. The handler answers a DomainError with its
# entry; DRF's and Django's own errors take the entry of their code or status. The OpenAPI schema
# (openapi.py) describes error answers from it and README.md's *Errors* lists it
# (tests/test_domain_errors.py holds all three to it).
ERRORS: dict[str, DocumentedError] = {
    "bad_request": DocumentedError(
        400, "The request could not be understood.", "refused before any view: an unknown `Host`, a malformed request"
    ),
    "validation_error": DocumentedError(
        400, "The request has invalid fields.", "each invalid field and its messages are in `fields`; `error` is the first one"
    ),
    "invalid_json": DocumentedError(
        400, "The request body must be a JSON object sent as application/json.", "the body is not a JSON object sent as application/json"
    ),
    "not_authenticated": DocumentedError(401, "Sign in to do this.", "no access token was sent: sign in"),
    "token_invalid": DocumentedError(
        401, "Your session is not valid. Please sign in again.", "the token is not one of ours, is revoked or was used up: sign in again"
    ),
    "token_expired": DocumentedError(401, "Your session has expired. Please sign in again.", "the token has expired: sign in again"),
    "invalid_credentials": DocumentedError(401, "Invalid email or password.", "sign-in with a wrong email or password"),
    "permission_denied": DocumentedError(403, "You do not have permission to do this.", "signed in, but not allowed to do this"),
    "not_found": DocumentedError(404, "Nothing was found at this address.", "no such path or resource, or a page past the end of the list"),
    "photo_not_found": DocumentedError(
        404, "No photo is available for this place.", "no photo, or a reference without the signature its card's `photo_url` carries"
    ),
    "method_not_allowed": DocumentedError(405, "This method is not allowed here.", "the path does not take this HTTP method"),
    "not_acceptable": DocumentedError(406, "This endpoint only answers JSON.", "the `Accept` header asks for something other than JSON"),
    "email_taken": DocumentedError(409, "An account with this email already exists.", "signup for an email that has an account"),
    "payload_too_large": DocumentedError(413, "The request body is larger than 1 MiB.", "the body is larger than 1 MiB"),
    "rate_limited": DocumentedError(
        429,
        "Too many requests. Please wait a moment and try again.",
        "too many requests, or too many failures (sign-ins, signups): wait the seconds in `Retry-After`",
    ),
    "server_error": DocumentedError(500, "Something went wrong on our side. Please try again.", "a bug: logged with the request id"),
    "service_unavailable": DocumentedError(
        503,
        "The service is temporarily unavailable. Please try again shortly.",
        "the database is unreachable: try again after `Retry-After`",
    ),
    "weather_unavailable": DocumentedError(
        503, "Weather is unavailable right now.", "no weather source answers for this place (outside the US without OpenWeather)"
    ),
}

# The code of an error that brings none of its own (Django's 404 page, DRF's Http404), by status.
CODE_FOR_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    429: "rate_limited",
    500: "server_error",
    503: "service_unavailable",
}


def _default(status_code: int) -> tuple[str, str] | None:
    code = CODE_FOR_STATUS.get(status_code)
    return (code, ERRORS[code].message) if code else None


class DomainError(Exception):
    """What a service (or a view, for a selector's "none") raises when the request cannot be done,
    in the domain's words: no HTTP here. `code` names its entry in ERRORS, which gives the status
    and the message; `api_exception_handler` is the one place that turns it into an answer.

    Each app defines its own (accounts/errors.py, places/errors.py); a subclass whose code is not
    in the table fails at import.
    """

    code: ClassVar[str]
    default_message: ClassVar[str | None] = None  # more specific than the table's, when set

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None, wait: int | None = None) -> None:
        self.message = message or self.default_message or ERRORS[self.code].message
        self.fields = fields
        self.wait = wait  # seconds, answered as Retry-After
        super().__init__(self.message)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "code", None) not in ERRORS:
            raise TypeError(f"{cls.__name__}.code must be one of violetvibes.errors.ERRORS, not {getattr(cls, 'code', None)!r}")

    @property
    def status(self) -> int:
        return ERRORS[self.code].status


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = ERRORS["service_unavailable"].message
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
    default_code, default_message = _default(status_code) or _default(500)
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
    return ERRORS["validation_error"].message


def _domain_error_response(exc: DomainError, context: dict) -> Response:
    from rest_framework.views import set_rollback  # see api_exception_handler

    request, view = context.get("request"), context.get("view")
    headers = {}
    if exc.status == 401 and request is not None and view is not None:
        # The challenge a 401 carries (RFC 9110), as DRF adds it to its own authentication errors.
        challenge = view.get_authenticate_header(request)
        if challenge:
            headers["WWW-Authenticate"] = challenge
    if exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
    set_rollback()
    return Response(error_body(request, exc.code, exc.message, exc.fields), status=exc.status, headers=headers)


def api_exception_handler(exc: Exception, context: dict) -> Response:
    # Imported here: rest_framework.views loads the throttle classes (ratelimit.py, which imports this
    # module for DomainError) as it is imported.
    from rest_framework.views import exception_handler as drf_exception_handler

    request = context.get("request")
    if isinstance(exc, DomainError):
        return _domain_error_response(exc, context)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        exc = exceptions.ParseError(ERRORS["invalid_json"].message, code="invalid_json")
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body(request, "payload_too_large", ERRORS["payload_too_large"].message), status=413)
    if is_database_unavailable(exc):
        _note_database_down(exc)
        exc = DatabaseUnavailable()

    response = drf_exception_handler(exc, context)
    if response is None:
        # Unhandled: log with the traceback, answer without it.
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        return Response(error_body(request, *_default(500)), status=500)

    status_code = response.status_code
    default_code, default_message = _default(status_code) or ("error", "The request failed.")
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

