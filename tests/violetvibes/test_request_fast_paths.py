"""What a request's plumbing keeps from one request to the next (docs/BENCHMARKS.md, /me) gives
the answers it gave when it worked them out each time."""

import itertools
import uuid

import pytest
from django.test import RequestFactory, override_settings
from django_ratelimit import core as ratelimit_core
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request

from violetvibes import negotiation, ratelimit
from violetvibes.middleware import new_request_id

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "application/*",
    "text/html",
    "text/html, application/json;q=0.9, */*;q=0.8",
    "application/json, text/plain",
    "image/png",
    "",
]
QUERIES = ["", "format=json", "format=api", "format=xml", "a=1"]
RENDERER_SETS = [[JSONRenderer], [JSONRenderer, BrowsableAPIRenderer], [BrowsableAPIRenderer, JSONRenderer]]


def _negotiated(negotiator: DefaultContentNegotiation, accept: str | None, query: str, renderer_classes: list, suffix: str | None):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(RequestFactory().get(f"/api/user/me?{query}" if query else "/api/user/me", **headers))
    renderers = [cls() for cls in renderer_classes]
    try:
        renderer, media_type = negotiator.select_renderer(request, renderers, suffix)
    except Exception as exc:  # noqa: BLE001 - the failure itself is compared
        return type(exc).__name__
    return renderers.index(renderer), media_type


@pytest.mark.parametrize("suffix", [None, "json", "api"])
def test_remembered_negotiation_chooses_what_drf_chooses_the_first_time_and_every_time_after(suffix):
    remembered = negotiation.RememberedContentNegotiation()
    for _ in range(2):  # worked out, then remembered
        for accept, query, renderers in itertools.product(ACCEPTS, QUERIES, RENDERER_SETS):
            expected = _negotiated(DefaultContentNegotiation(), accept, query, renderers, suffix)
            assert _negotiated(remembered, accept, query, renderers, suffix) == expected, (accept, query, renderers)


def test_remembered_negotiation_remembers_a_bounded_number_of_answers(monkeypatch):
    monkeypatch.setattr(negotiation, "MAX_REMEMBERED", 3)
    remembered = negotiation.RememberedContentNegotiation()
    for n in range(10):
        assert _negotiated(remembered, f"application/json; v={n}", "", [JSONRenderer], None) == (0, f"application/json; v={n}")
    assert len(negotiation._chosen) == 3


def test_a_generated_request_id_is_a_uuid4_in_hex():
    ids = {new_request_id() for _ in range(200)}

    assert len(ids) == 200
    for request_id in ids:
        assert uuid.UUID(hex=request_id).hex == request_id
        assert uuid.UUID(hex=request_id).version == 4
        assert uuid.UUID(hex=request_id).variant == uuid.RFC_4122


def test_a_rate_counter_has_django_ratelimits_key_and_window_and_follows_its_settings():
    counter = ratelimit.RateCounter.of(group="chat", key="user:7")
    limit, period = ratelimit_core._split_rate(ratelimit.rate_for("chat"))
    window = ratelimit_core._get_window("user:7", period)

    assert (counter.limit, counter.window, counter.timeout) == (limit, window, period + ratelimit_core.EXPIRATION_FUDGE)
    assert counter.cache_key == ratelimit_core._make_cache_key("chat", window, ratelimit.rate_for("chat"), "user:7", ratelimit_core.ALL)
    assert ratelimit.RateCounter.of(group="chat", key="user:7") == counter
    with override_settings(RATELIMIT_CACHE_PREFIX="other:"):
        assert ratelimit.RateCounter.of(group="chat", key="user:7").cache_key.startswith("other:")
    with override_settings(RATELIMITS={"chat": "3/m"}):
        assert ratelimit.RateCounter.of(group="chat", key="user:7").limit == 3
    assert ratelimit.RateCounter.of(group="chat", key="user:7") == counter


def test_a_host_once_accepted_is_refused_when_allowed_hosts_no_longer_name_it(api, db, settings):
    settings.ALLOWED_HOSTS = ["api.violetvibes.app"]
    assert api.get("/health", HTTP_HOST="api.violetvibes.app").status_code == 200
    assert api.get("/api/user/me", HTTP_HOST="api.violetvibes.app").status_code == 401  # remembered as allowed

    settings.ALLOWED_HOSTS = ["other.violetvibes.app"]

    assert api.get("/api/user/me", HTTP_HOST="api.violetvibes.app").status_code == 400
    assert api.get("/api/user/me", HTTP_HOST="evil.example.com").status_code == 400
    assert api.get("/api/user/me", HTTP_HOST="evil.example.com").status_code == 400  # a refusal is never remembered


def test_a_port_kept_or_dropped_follows_allowed_host_ports(api, db, settings):
    settings.ALLOWED_HOSTS = ["api.violetvibes.app"]
    settings.ALLOWED_HOST_PORTS = []
    assert api.get("/api/user/me?x=1", HTTP_HOST="api.violetvibes.app:8443").wsgi_request.get_host() == "api.violetvibes.app"

    settings.ALLOWED_HOST_PORTS = ["8443"]

    assert api.get("/api/user/me?x=1", HTTP_HOST="api.violetvibes.app:8443").wsgi_request.get_host() == "api.violetvibes.app:8443"
    assert api.get("/api/user/me?x=1", HTTP_HOST="api.violetvibes.app:9999").wsgi_request.get_host() == "api.violetvibes.app"
