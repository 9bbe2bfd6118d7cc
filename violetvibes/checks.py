"""System checks of the project's own settings (`manage.py check`, `check --deploy`)."""

from typing import Any

from django.core import checks
from django.core.checks import CheckMessage, Error, Tags, register
from rest_framework.settings import api_settings


@register(Tags.security)
def trusted_proxy_count_is_a_count(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    count = api_settings.NUM_PROXIES
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return []
    return [
        Error(
            f"TRUSTED_PROXY_COUNT (REST_FRAMEWORK['NUM_PROXIES']) is {count!r}, not a whole number >= 0.",
            hint="Rate limits use the peer address (REMOTE_ADDR) until it is one.",
            id="violetvibes.E001",
        )
    ]


@register(Tags.security, deploy=True)
def trusted_proxy_count_in_deployment(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # What settings alone can tell: that no proxy is trusted. A deployment behind a load balancer
    # (App Platform) then counts every client as the balancer, one budget for all. A count that is
    # too high or an app reachable past its proxies shows only in requests: logged at run time
    # (violetvibes/ratelimit.py).
    if api_settings.NUM_PROXIES != 0:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is 0: rate limits count each request against the address it comes from, "
            "which behind a load balancer or proxy is the proxy's, so every client shares one budget.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the app that append to "
            "X-Forwarded-For (App Platform: 1), or silence violetvibes.W001 when clients reach the app directly.",
            id="violetvibes.W001",
        )
    ]
