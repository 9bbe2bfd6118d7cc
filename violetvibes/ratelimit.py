"""Rate limits as a DRF throttle, counted by django-ratelimit on the shared cache.

Each view names its group (`ratelimit_group = "chat"`), or one per HTTP method
(`ratelimit_group = {"DELETE": "password"}`, other methods "default"); the rate comes from
settings.RATELIMITS[group] or settings.RATELIMIT_DEFAULT. DRF turns a refusal into 429 with
Retry-After. Counters live in the shared cache, so they are shared by every worker and instance
and fall back to per-process memory when Redis is down.

Signed in, the budget is the user's; otherwise the client address's (`client_key`): an IPv4
address, or an IPv6 address's /64 (one subscriber's network: its addresses are not separate
budgets). Behind TRUSTED_PROXY_COUNT proxies the address is read from X-Forwarded-For, else it is
the peer's (REMOTE_ADDR). That count must match the deployment: too low, every client is counted as
the proxy; reached past the proxies, a client picks its own address with the header. What can be
noticed of that is: a deployment with no proxy trusted (`manage.py check --deploy`, violetvibes.W001)
and requests that arrive without the entries the trusted proxies add (logged once per process).
"""

import ipaddress
import logging
import re

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

IPV6_NETWORK_PREFIX = 64
# What some proxies append: an address with its port ("203.0.113.5:443", "[2001:db8::1]:443").
_WITH_PORT = re.compile(r"\[(?P<v6>[0-9A-Fa-f:.]+)\](?::\d{1,5})?|(?P<v4>\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}")

_proxy_warning_logged = False


def trusted_proxy_count() -> int:
    """TRUSTED_PROXY_COUNT (DRF's NUM_PROXIES); anything but a whole number >= 0 counts as 0 (and is a
    system check error, violetvibes.E001): DRF would read None as "trust the whole header"."""
    count = api_settings.NUM_PROXIES
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    with_port = _WITH_PORT.fullmatch(text)
    if with_port:
        text = with_port.group("v6") or with_port.group("v4")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request: Request) -> str:
    """The client's address: the peer's (REMOTE_ADDR), or behind N trusted proxies the N-th entry
    of X-Forwarded-For from the right (the one the outermost trusted proxy appended; whatever the
    client wrote before it is not read). An entry there that is not an address falls back to the
    peer's, so that junk in the header is not one budget shared by everyone who sends it."""
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = trusted_proxy_count()
    if not proxies:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    entries = header.split(",") if header else []
    if len(entries) < proxies:
        _warn_untrusted_path(found=len(entries), proxies=proxies)
    if not entries:
        return peer
    address = _address(entries[-min(proxies, len(entries))])
    return str(address) if address is not None else peer


def client_key(request: Request) -> str:
    """The anonymous budget's key: the client's IPv4 address, or its IPv6 address's /64."""
    text = client_ip(request)
    address = _address(text)
    if address is None:
        return text
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_NETWORK_PREFIX), strict=False))
    return str(address)


def _warn_untrusted_path(*, found: int, proxies: int) -> None:
    # Behind the configured proxies every request carries at least one entry per proxy: fewer means
    # the app is reachable without them (a client could then choose its address) or the count is
    # wrong. Once per process: it is a deployment's state, not a request's.
    global _proxy_warning_logged
    if _proxy_warning_logged:
        return
    _proxy_warning_logged = True
    logger.warning(
        "A request came with %d X-Forwarded-For entries while TRUSTED_PROXY_COUNT=%d proxies should add "
        "one each: the app is reached without passing them, or TRUSTED_PROXY_COUNT does not match the "
        "deployment (README, Security). Logged once per process.",
        found,
        proxies,
    )


def rate_for(group: str) -> str:
    return settings.RATELIMITS.get(group, settings.RATELIMIT_DEFAULT)


def hit(request: Request, *, group: str, key: str) -> int | None:
    """Counts one request of `key` in `group`; returns the seconds to wait when over the limit."""
    usage = get_usage(request, group=group, key=lambda _group, _request: key, rate=rate_for(group), increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def group_for(request: Request, view: object) -> str | None:
    """The view's group for this request's method; None: not limited."""
    return method_group(view, request.method)


def method_group(view: object, method: str) -> str | None:
    """The view's group for `method` (also what the OpenAPI schema documents as a 429)."""
    group = getattr(view, "ratelimit_group", "default")
    if isinstance(group, dict):
        return group.get(method, "default")
    return group


class RateLimitThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: object) -> bool:
        group = group_for(request, view)
        if group is None:
            return True
        user = request.user
        key = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_key(request)}"
        self._wait = hit(request, group=group, key=key)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait
