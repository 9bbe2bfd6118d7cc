"""Fixtures for the places tests: fresh provider sessions (the fake server is tests/fakes/http.py)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_provider_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets new outbound sessions (the shared cache itself is cleared by tests/conftest.py)."""
    from places.providers import google_places, google_routes, openweather

    monkeypatch.setattr(google_places, "_sessions", {})
    monkeypatch.setattr(google_routes, "_session_entry", None)
    monkeypatch.setattr(openweather, "_session_entry", None)
