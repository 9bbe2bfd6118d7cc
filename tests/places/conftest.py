"""Fixtures shared by the places tests."""

from datetime import UTC, datetime, timedelta

import pytest
import requests_cache.models.response
import requests_cache.policy.actions

from tests.clock import WEEKDAY_AFTERNOON


@pytest.fixture
def expired_http_cache(monkeypatch):
    """expire(): from then on every answer in the HTTP cache is past its expiry (still stored: the
    stale copies are kept for when the provider fails)."""

    def expire() -> None:
        later = lambda: datetime.now(UTC) + timedelta(days=1)  # noqa: E731
        monkeypatch.setattr(requests_cache.models.response, "utcnow", later)
        monkeypatch.setattr(requests_cache.policy.actions, "utcnow", later)

    return expire


@pytest.fixture(autouse=True)
def _weekday_afternoon(clock) -> None:
    """What is recommended depends on the hour (late-night ranking, opening hours): these tests are
    written for a weekday afternoon unless they pin another instant themselves."""
    clock(WEEKDAY_AFTERNOON)
