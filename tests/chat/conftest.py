"""Fixtures for the chat tests."""

import io

import pytest
from django.core.management import call_command

from tests.clock import WEEKDAY_AFTERNOON
from tests.fakes.gemini_server import FakeGeminiServer


@pytest.fixture
def fake_gemini(settings, monkeypatch: pytest.MonkeyPatch):
    """A running FakeGeminiServer with GEMINI_API_KEY/GEMINI_BASE_URL pointing at it.

    Set `.mode` / `.reply_text` / `.delay` before the call under test; read `.requests` after.
    The key is "test-gemini-key"; the model is whatever settings.GEMINI_MODEL says.
    """
    # httpx honours proxy variables; a proxy in the environment must not swallow local requests.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeGeminiServer() as server:
        settings.GEMINI_API_KEY = "test-gemini-key"
        settings.GEMINI_BASE_URL = server.url
        yield server


@pytest.fixture
def catalog(db) -> None:
    """The built-in place catalog in the database: what chat recommends with no provider configured."""
    call_command("load_place_catalog", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _no_provider_keys(settings) -> None:
    """Whatever the environment says, no Google, OpenWeather or Gemini key unless a test sets one
    (autouse, so it runs before `fake_gemini`): the catalog and the built-in replies answer."""
    settings.GOOGLE_API_KEY = ""
    settings.OPENWEATHER_KEY = ""
    settings.GEMINI_API_KEY = ""


@pytest.fixture(autouse=True)
def _weekday_afternoon(clock) -> None:
    """What is recommended depends on the hour (late-night ranking, opening hours): these tests are
    written for a weekday afternoon unless they pin another instant themselves."""
    clock(WEEKDAY_AFTERNOON)


@pytest.fixture
def events_synced(db) -> None:
    """Every event source answered its last sync (listing nothing here): no event is known because
    there is none, not because the listings were never loaded."""
    from django.utils import timezone

    from events.models import SourceSync
    from events.sources import SOURCES

    now = timezone.now()
    for source in SOURCES:
        SourceSync.objects.create(source=source, last_attempt=now, succeeded=True, last_success=now)
