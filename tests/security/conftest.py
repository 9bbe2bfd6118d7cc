"""Fixtures of the security suite: two users who must never see or touch each other's data, the
place catalog, a few events, and providers that are configured (with sentinel keys) but unreachable."""

import io
import json
import subprocess
import sys
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.tokens import token_pair_for
from events.models import Event
from tests.conftest import api_client, production_environ
from tests.factories import ActivityFactory, EventFactory, UserFactory

# Port 9 (discard) on this machine: nothing listens, so every provider call fails at once and the
# service degrades; the network guard allows loopback, so nothing leaves the machine either.
UNREACHABLE = "http://127.0.0.1:9"
SENTINELS = {
    "GOOGLE_API_KEY": "sentinel-google-key-7f3a9c",
    "OPENWEATHER_KEY": "sentinel-openweather-key-91b2e4",
    "GEMINI_API_KEY": "sentinel-gemini-key-c4d85a",
}


client = api_client  # the make_client fixture, callable at module level here


def fresh_token(user: User) -> str:
    """A new access token for the user as stored now (after any revocation)."""
    return token_pair_for(User.objects.get(pk=user.pk))["token"]


@pytest.fixture(autouse=True)
def _lazy_static_files(settings) -> None:
    """Every test client builds its own middleware chain, and WhiteNoise's scans STATIC_ROOT
    (~50 ms) when built; this suite makes hundreds of clients and serves no static file, so let it
    look files up on demand instead (its development mode). Speed only: nothing here tests it."""
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def no_ratelimits(settings) -> None:
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def no_providers(settings) -> None:
    """Whatever the environment says: no provider keys, so the catalog and built-in replies answer."""
    settings.GOOGLE_API_KEY = ""
    settings.OPENWEATHER_KEY = ""
    settings.GEMINI_API_KEY = ""


@pytest.fixture
def unreachable_providers(settings, monkeypatch) -> dict[str, str]:
    """Every provider configured with a sentinel key against an address nothing answers on."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in SENTINELS.items():
        setattr(settings, name, value)
    for name in ("GOOGLE_PLACES_BASE_URL", "GOOGLE_ROUTES_BASE_URL", "GOOGLE_MAPS_BASE_URL", "OPENWEATHER_BASE_URL", "NWS_BASE_URL", "GEMINI_BASE_URL"):
        setattr(settings, name, UNREACHABLE)
    settings.GEMINI_TIMEOUT_SECONDS = 1
    return dict(SENTINELS)


@pytest.fixture
def catalog(db) -> None:
    call_command("load_place_catalog", stdout=io.StringIO())


@pytest.fixture
def event(db) -> Event:
    start = timezone.now() + timedelta(hours=5)
    return EventFactory(
        staff=True, name="Rooftop film night", start=start, end=start + timedelta(hours=2), venue="Pier 1",
        address="Brooklyn Bridge Park, Pier 1", lat=40.7026, lng=-73.9967, url="https://example.org/e/1",
    )


@pytest.fixture
def alice(db, password: str) -> User:
    return UserFactory(email="alice-a@nyu.edu", first_name="Alice", password=password)


@pytest.fixture
def bob(db, password: str) -> User:
    """The other user: his data is what must never leak to, or change because of, alice."""
    user = UserFactory(email="bob-victim-b@nyu.edu", first_name="Bobby", password=password)
    user.home_address = "B's secret home address, 370 Jay St"
    user.notification_token = "bob-device-token"
    user.preferences = {**user.preferences, "interests": "bob's private interests"}
    user.save()
    ActivityFactory(user=user, name="Bob's saved place", place_id="catalog:bob-place")
    return user


def snapshot(user: User) -> dict:
    """Everything stored about a user, to compare before and after another user's requests."""
    fresh = User.objects.get(pk=user.pk)
    return {
        "email": fresh.email,
        "password": fresh.password,
        "first_name": fresh.first_name,
        "home_address": fresh.home_address,
        "preferences": fresh.preferences,
        "settings": fresh.settings,
        "notification_token": fresh.notification_token,
        "token_version": fresh.token_version,
        "is_active": fresh.is_active,
        "is_staff": fresh.is_staff,
        "is_superuser": fresh.is_superuser,
        "activities": list(fresh.activities.order_by("id").values_list("id", "type", "name", "place_id", "extra")),
        "conversations": list(fresh.conversations.order_by("id").values_list("id", "title")),
    }


# --- The production-settings probe (test_api8_misconfiguration.py) -----------------------------------
# It runs in a subprocess (about 5 s: its own Django start, check --deploy, migrate), started as soon
# as the collection shows it is wanted so that it runs while the other tests do.
PRODUCTION_HOST = "api.violetvibes.app"
PRODUCTION_ORIGIN = "https://app.violetvibes.app"
_PROBE_KEY = pytest.StashKey[tuple]()


def _start_production_probe() -> tuple:
    workdir = tempfile.TemporaryDirectory(prefix="vv-production-")
    env = {
        **production_environ(Path(workdir.name) / f"{uuid.uuid4().hex}.db"),
        "DJANGO_ALLOWED_HOSTS": PRODUCTION_HOST,
        "ALLOWED_ORIGINS": PRODUCTION_ORIGIN,
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.security.production_probe"],
        env=env, cwd=Path(__file__).resolve().parents[2], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    return process, workdir


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if any("test_api8_misconfiguration.py" in item.nodeid and "production" in getattr(item, "fixturenames", ()) for item in items):
        config.stash[_PROBE_KEY] = _start_production_probe()


def pytest_unconfigure(config: pytest.Config) -> None:
    started = config.stash.get(_PROBE_KEY, None)
    if started is not None:
        process, workdir = started
        if process.poll() is None:
            process.kill()
            process.wait()
        workdir.cleanup()


@pytest.fixture(scope="session")
def production(pytestconfig: pytest.Config) -> dict:
    """The report of tests/security/production_probe.py, run under violetvibes.settings.production."""
    if _PROBE_KEY not in pytestconfig.stash:
        pytestconfig.stash[_PROBE_KEY] = _start_production_probe()
    process, _ = pytestconfig.stash[_PROBE_KEY]
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stdout[-3000:] + stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])
