"""Request ids, the per-request access log line, the Host check and the Host's port, and the body size cap."""

import logging
import os
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.functional import LazyObject, empty

from . import state
from .errors import error_response
from .health import HEALTH_PATH, HealthApi
from .logging import request_id_var

logger = logging.getLogger("violetvibes.access")
# Django's own name for these lines, so that whatever filters on it keeps working.
host_logger = logging.getLogger("django.security.DisallowedHost")

_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class RequestIdMiddleware:
    """Keeps a well-formed incoming X-Request-ID (else makes one), echoes it and logs the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")  # request.headers["X-Request-ID"], without building them all
        # fullmatch: with match(), "$" also accepts a trailing newline, which then breaks the response header.
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # The line's fields are only gathered when it is written (LOG_LEVEL=info, the default).
            if logger.isEnabledFor(logging.INFO):
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


def new_request_id() -> str:
    """A random request id, what uuid.uuid4().hex gives (the version and variant bits set as there)
    without building a UUID object."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    return raw.hex()


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if the request already knows it: the log line never loads the user
    itself (for a request with a session cookie that is a query, which fails while the database is down)."""
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class AllowedHostMiddleware:
    """Checks the Host header first, before anything else asks for it (SecurityMiddleware's HTTPS
    redirect, CommonMiddleware, CSRF).

    /health answers whatever Host it is sent: App Platform probes each container at its own IP
    address, which no DJANGO_ALLOWED_HOSTS can list. Such a probe is answered here by the health
    view itself (the rest of the middleware would refuse its Host); with a known Host it goes the
    usual way. Any other request with an unknown Host is a 400 JSON error and one warning without
    a traceback: scanners send them all day, and Django would log each at ERROR with its traceback.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.health = HealthApi.as_view()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request._get_raw_host()
        if raw not in _known_hosts:
            try:
                request.get_host()
            except DisallowedHost as exc:
                if request.path_info == HEALTH_PATH:
                    return self.health(request).render()
                host_logger.warning("%s", exc, extra={"status": 400, "path": request.path})
                return error_response(request, 400)
            if len(_known_hosts) < MAX_KNOWN_HOSTS:
                _known_hosts.add(raw)
        return self.get_response(request)


# The Hosts (as sent, what HttpRequest.get_host checks) that ALLOWED_HOSTS accepted, so that this
# middleware does not split and match the same Host again on every request (Django's CommonMiddleware
# still calls get_host once itself); forgotten when the settings get_host reads change. Bounded: the
# Host is the client's, and past this many it is checked each time.
MAX_KNOWN_HOSTS = 64
_HOST_SETTINGS = {"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "ALLOWED_HOST_PORTS"}
_known_hosts: set[str] = set()
_host_rewrites: dict[str, str] = {}  # HostPortMiddleware's: the Host as sent -> as kept


def _forget_hosts(*, setting: str, **kwargs: object) -> None:
    if setting in _HOST_SETTINGS:
        _known_hosts.clear()
        _host_rewrites.clear()


setting_changed.connect(_forget_hosts)
state.on_reset(_known_hosts.clear)
state.on_reset(_host_rewrites.clear)


class BodySizeLimitMiddleware:
    """Answers 413 before reading a body whose declared length is over the cap."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return error_response(request, 413, "payload_too_large", "The request body is larger than 1 MiB.")
        return self.get_response(request)


class HostPortMiddleware:
    """Drops from the Host header a port the deployment does not serve on (ALLOWED_HOST_PORTS).

    ALLOWED_HOSTS checks the name only, so "api.example.com:6666" passes, and every link built from
    the request (photo URLs, pagination, the HTTPS redirect) would carry the client's port. With
    ports listed (production: DJANGO_ALLOWED_HOST_PORTS, none by default, the platform serves on
    the scheme's own port) any other port is dropped and the name lower-cased; "*" (development)
    keeps the Host as sent, since `make run` serves on a port of its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.META.get("HTTP_HOST")
        if host:
            rewritten = _host_rewrites.get(host)
            if rewritten is None:
                rewritten = _host_rewritten(host, settings.ALLOWED_HOST_PORTS)
                if len(_host_rewrites) < MAX_KNOWN_HOSTS:
                    _host_rewrites[host] = rewritten
            request.META["HTTP_HOST"] = rewritten
        return self.get_response(request)


def _host_rewritten(host: str, allowed: list[str]) -> str:
    """The Host without a port that is not served on (as sent when all are: "*")."""
    if "*" in allowed:
        return host
    domain, port = split_domain_port(host)
    if not domain:  # not a host at all: left for ALLOWED_HOSTS to refuse
        return host
    return f"{domain}:{port}" if port and port in allowed else domain
