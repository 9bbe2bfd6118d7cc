"""The circuit breaker's half-open state (violetvibes.providers.CircuitBreaker): after the cool-down
one caller, across workers, probes the provider; a failed probe opens the circuit again at once, a
successful one closes it for everyone. Opening it: tests/places/test_providers.py.

The cool-down ends when the breaker's `open` key expires in the shared cache; these tests end it by
deleting that key, the same on local memory and on Redis (whose clock the test cannot move)."""

import pytest
import responses
from django.core.cache import cache

from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import request_json
from violetvibes.providers.session import outbound_session

NAME = "test_half_open"
URL = "https://provider.test/v1/thing"


def _breaker() -> CircuitBreaker:
    """Another caller: each request (and each worker) makes its own breaker over the shared state."""
    return CircuitBreaker(NAME, threshold=3, window=120, cooldown=30)


def _open_the_circuit() -> None:
    for _ in range(3):
        breaker = _breaker()
        assert breaker.allow() is True
        breaker.record_failure()
    assert _breaker().allow() is False


def _end_the_cooldown() -> None:
    cache.delete(f"circuit:{NAME}:open")


def test_after_the_cooldown_a_single_caller_probes_and_the_others_still_skip():
    _open_the_circuit()
    _end_the_cooldown()

    probe, second, third = _breaker(), _breaker(), _breaker()

    assert [probe.allow(), second.allow(), third.allow()] == [True, False, False]


def test_a_failed_probe_opens_the_circuit_again_at_once():
    _open_the_circuit()
    _end_the_cooldown()
    probe = _breaker()
    assert probe.allow() is True

    probe.record_failure()

    assert _breaker().allow() is False  # open again: not one more probe until the next cool-down
    _end_the_cooldown()
    assert [_breaker().allow(), _breaker().allow()] == [True, False]  # and then again a single probe


def test_a_successful_probe_closes_the_circuit_for_everyone():
    _open_the_circuit()
    _end_the_cooldown()
    probe = _breaker()
    assert probe.allow() is True

    probe.record_success()

    assert all(_breaker().allow() for _ in range(5))
    # The count starts again: one new failure does not reopen it.
    _breaker().record_failure()
    assert _breaker().allow() is True


@pytest.fixture
def provider(settings):
    settings.OUTBOUND_RETRIES = 0  # one HTTP request per call, so the calls can be counted
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def _call() -> object:
    return request_json(outbound_session(), NAME, "GET", URL, breaker=_breaker())


def test_a_provider_that_recovers_is_probed_once_then_called_again(provider):
    provider.get(URL, status=503)
    for _ in range(3):
        with pytest.raises(ProviderError):
            _call()
    with pytest.raises(ProviderError, match="circuit is open"):
        _call()
    assert len(provider.calls) == 3  # open: nothing sent

    _end_the_cooldown()
    provider.replace(responses.GET, URL, json={"ok": True})

    assert _call() == {"ok": True}  # the probe
    assert [_call(), _call()] == [{"ok": True}] * 2  # closed for everyone
    assert len(provider.calls) == 6


def test_a_provider_still_down_costs_one_request_per_cooldown(provider):
    provider.get(URL, status=503)
    for _ in range(3):
        with pytest.raises(ProviderError):
            _call()
    _end_the_cooldown()

    for _ in range(4):
        with pytest.raises(ProviderError):
            _call()

    assert len(provider.calls) == 3 + 1  # the probe only; the other three were skipped
