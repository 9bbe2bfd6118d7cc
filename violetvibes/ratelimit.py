"""Rate limits as a DRF throttle, counted by django-ratelimit on the shared cache.

Each view names its group (`ratelimit_group = "chat"`), or one per HTTP method
(`ratelimit_group = {"DELETE": "password"}`, other methods "default"); the rate comes from
settings.RATELIMITS[group] or settings.RATELIMIT_DEFAULT. DRF turns a refusal into 429 with
Retry-After. Counters live in the shared cache, so they are shared by every worker and instance
and fall back to per-process memory when Redis is down.
"""

from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle


def client_ip(request: Request) -> str:
    # DRF's ident honours NUM_PROXIES (TRUSTED_PROXY_COUNT): REMOTE_ADDR unless proxies are trusted.
    return BaseThrottle().get_ident(request)


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
        key = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_ip(request)}"
        self._wait = hit(request, group=group, key=key)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait
