"""violetvibes.providers.results.cached: a provider call's result in the shared cache, fresh for a
while, then kept as a fallback for when the provider fails. Time is the `clock` fixture's."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache

from tests.clock import WEEKDAY_AFTERNOON
from violetvibes.providers.errors import CircuitOpen, ProviderError
from violetvibes.providers.results import cached
from violetvibes.providers.session import STALE_SECONDS

KEY = "test:results"
FRESH = 600


@pytest.fixture
def later(clock):
    clock(WEEKDAY_AFTERNOON)
    return lambda seconds: clock(WEEKDAY_AFTERNOON + timedelta(seconds=seconds))


def answering(*values):
    """fetch(): each call gives the next value (or raises it, for an exception), counting calls."""
    queue = list(values)

    def fetch():
        fetch.calls += 1
        value = queue.pop(0)
        if isinstance(value, Exception):
            raise value
        return value

    fetch.calls = 0
    return fetch


def down() -> ProviderError:
    return ProviderError("test_provider", "HTTP 503", retryable=True, status=503)


def test_a_fresh_result_is_served_without_a_call(later):
    fetch = answering("first", "second")

    assert cached(KEY, fetch, fresh_seconds=FRESH) == "first"
    later(FRESH - 1)
    assert cached(KEY, fetch, fresh_seconds=FRESH) == "first"
    assert fetch.calls == 1


def test_an_expired_result_is_replaced_when_the_provider_answers(later):
    fetch = answering("first", "second")
    cached(KEY, fetch, fresh_seconds=FRESH)
    later(FRESH + 1)

    assert cached(KEY, fetch, fresh_seconds=FRESH) == "second"
    assert cached(KEY, fetch, fresh_seconds=FRESH) == "second"
    assert fetch.calls == 2


@pytest.mark.parametrize("error", [down(), CircuitOpen("test_provider"), ProviderError("test_provider", "response is not JSON")])
def test_an_expired_result_is_used_when_the_provider_fails(later, caplog, error):
    fetch = answering("first", error)
    cached(KEY, fetch, fresh_seconds=FRESH)
    later(FRESH + STALE_SECONDS - 1)

    with caplog.at_level(logging.WARNING):
        assert cached(KEY, fetch, fresh_seconds=FRESH) == "first"
    assert "from 370 min ago is used" in caplog.text


def test_a_result_is_gone_after_its_stale_hours(later):
    fetch = answering("first", down())
    cached(KEY, fetch, fresh_seconds=FRESH)
    later(FRESH + STALE_SECONDS + 1)

    with pytest.raises(ProviderError):
        cached(KEY, fetch, fresh_seconds=FRESH)


def test_an_error_is_raised_and_never_stored(later):
    fetch = answering(down(), "answer")

    with pytest.raises(ProviderError):
        cached(KEY, fetch, fresh_seconds=FRESH)
    assert cache.get(KEY) is None
    assert cached(KEY, fetch, fresh_seconds=FRESH) == "answer"


def test_a_bug_is_not_taken_for_a_provider_failure(later):
    fetch = answering("first", KeyError("a bug"))
    cached(KEY, fetch, fresh_seconds=FRESH)
    later(FRESH + 1)

    with pytest.raises(KeyError):
        cached(KEY, fetch, fresh_seconds=FRESH)


def test_without_calling_the_kept_result_fresh_or_expired_or_none(later):
    fetch = answering("first")

    assert cached(KEY, fetch, fresh_seconds=FRESH, may_call=False) is None
    cached(KEY, fetch, fresh_seconds=FRESH)
    later(FRESH + 1)
    assert cached(KEY, fetch, fresh_seconds=FRESH, may_call=False) == "first"
    assert fetch.calls == 1


# --- The table of cache layers (violetvibes/providers/__init__.py) says what the code does ----------------
def _row(call: str) -> list[str]:
    import violetvibes.providers

    (line,) = [line for line in violetvibes.providers.__doc__.splitlines() if line.startswith(f"| {call} |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


@pytest.mark.parametrize(
    ("call", "fresh", "stale"),
    [
        ("Google Places Nearby Search", "places.candidates.NEARBY_CACHE_SECONDS", STALE_SECONDS),
        ("Google Places Text Search", "places.candidates.NEARBY_CACHE_SECONDS", STALE_SECONDS),
        ("Google Places photo media", "places.providers.google_places.PHOTOS_CACHE_SECONDS", 0),
        ("Google Routes route matrix", "places.selectors.WALKS_CACHE_SECONDS", STALE_SECONDS),
        ("Google Routes route", "places.providers.google_routes.ROUTE_CACHE_SECONDS", STALE_SECONDS),
        ("Google Geocoding", "places.providers.google_geocoding.CACHE_SECONDS", STALE_SECONDS),
        ("OpenWeather current, forecast", "places.providers.openweather.CACHE_SECONDS", STALE_SECONDS),
        ("NWS observation, hourly forecast", "places.providers.nws.CACHE_SECONDS", STALE_SECONDS),
        ("NWS point, its stations", "places.providers.nws.POINTS_CACHE_SECONDS", STALE_SECONDS),
    ],
)
def test_the_table_of_cache_layers_gives_each_calls_times(call, fresh, stale):
    import importlib

    module, name = fresh.rsplit(".", 1)
    seconds = getattr(importlib.import_module(module), name)
    units = {"min": 60, "h": 3600, "days": 86400}

    def in_seconds(text: str) -> int:
        amount, unit = text.split()[:2]
        return int(amount) * units[unit.rstrip(":")]

    _, _, _, fresh_text, kept_text = _row(call)
    assert in_seconds(fresh_text) == seconds
    assert (0 if kept_text.startswith("no") else in_seconds(kept_text)) == stale
