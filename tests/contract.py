"""What the shipped mobile apps decode, as rules, and a checker for real responses.

Encoded by hand from the apps' decoders (required keys, integer vs number, true/false booleans).
A required key must be present and not null; a typed key may be absent or null (Swift optionals),
but when it has a value the type must match exactly: 4.5 is not an integer, 1 is not a boolean.

Paths: "a.b" nests, "a[]" is every item of an array, "a{}" every value of an object.
"""

import re
from typing import Any

RECOMMENDATION = {
    "id": "integer",
    "place_id": "string",
    "name": "string",
    "title": "string",
    "description": "string",
    "address": "string",
    "distance": "string",
    "distance_text": "string",
    "walk_time": "string",
    "duration_text": "string",
    "location": "object",
    "location.lat": "number",
    "location.lng": "number",
    "lat": "number",
    "lng": "number",
    "rating": "number",
    "popularity": "string",
    "photo_url": "string",
    "image": "string",
}

USER_TYPED = {
    "user.first_name": "string",
    "user.home_address": "string",
    "user.preferences": "object",
    "user.preferences.preferred_vibes": "array",
    "user.preferences.preferred_vibes[]": "string",
    "user.preferences.budget": "object",
    "user.preferences.budget.min": "integer",
    "user.preferences.budget.max": "integer",
    "user.preferences.dietary_restrictions": "array",
    "user.preferences.dietary_restrictions[]": "string",
    "user.preferences.max_walk_minutes_default": "integer",
    "user.preferences.interests": "string",
    "user.settings": "object",
    "user.settings.google_calendar_enabled": "boolean",
    "user.settings.notifications_enabled": "boolean",
    "user.settings.use_preferences_for_personalization": "boolean",
}

PREFERENCES_TYPED = {key.removeprefix("user.preferences."): kind for key, kind in USER_TYPED.items() if key.startswith("user.preferences.")}
SETTINGS_TYPED = {key.removeprefix("user.settings."): kind for key, kind in USER_TYPED.items() if key.startswith("user.settings.")}


def _prefixed(prefix: str, rules: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}.{key}": kind for key, kind in rules.items()}


AUTH = {
    "required": {"token": "string", "user": "object", "user.id": "integer", "user.email": "string"},
    "typed": USER_TYPED,
}

WEATHER = {"temp_f": "number", "desc": "string", "main.temp": "number", "temp": "number", "weather[].main": "string", "emoji": "string"}

RULES: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    ("POST", "/api/auth/signup"): AUTH,
    ("POST", "/api/auth/login"): AUTH,
    ("GET", "/api/user/profile"): {"required": {}, "typed": {"first_name": "string", "home_address": "string"}},
    ("POST", "/api/user/profile"): {"required": {}, "typed": {"first_name": "string", "home_address": "string"}},
    ("GET", "/api/user/preferences"): {"required": {}, "typed": PREFERENCES_TYPED},
    ("POST", "/api/user/preferences"): {"required": {}, "typed": PREFERENCES_TYPED},
    ("GET", "/api/user/settings"): {"required": {}, "typed": SETTINGS_TYPED},
    ("POST", "/api/user/settings"): {"required": {}, "typed": SETTINGS_TYPED},
    ("POST", "/api/user/notification_token"): {"required": {}, "typed": {}},
    ("POST", "/api/user/activity"): {"required": {}, "typed": {}},
    ("POST", "/api/chat"): {
        # Nothing is required: the clear call answers {"status": "session_cleared"} (only its 200 is read).
        "required": {},
        "typed": {
            "reply": "string",
            "status": "string",
            "places": "array",
            "places[]": "object",
            **_prefixed("places[]", RECOMMENDATION),
            "session_id": "string",
            "vibe": "string",
            "debug_vibe": "string",
            "intent": "string",
            "latency": "number",
            "weather": "object",
            **_prefixed("weather", WEATHER),
        },
    },
    ("GET", "/api/quick_recs"): {
        "required": {"category": "string", "places": "array", "places[]": "object"},
        "typed": {**_prefixed("places[]", RECOMMENDATION)},
    },
    ("GET", "/api/top_recommendations"): {
        "required": {"category": "string", "places": "array", "places[]": "object"},
        "typed": {**_prefixed("places[]", RECOMMENDATION)},
    },
    ("GET", "/api/dashboard"): {
        "required": {},
        "typed": {
            "weather": "object",
            **_prefixed("weather", WEATHER),
            "calendar_linked": "boolean",
            "next_free": "object",
            "free_time_suggestion": "object",
            "free_time_suggestion.should_suggest": "boolean",
            "free_time_suggestion.type": "string",
            "free_time_suggestion.suggestion": "object",
            "free_time_suggestion.message": "string",
            "quick_recommendations": "object",
            "quick_recommendations{}": "array",
            "quick_recommendations{}[]": "object",
            **_prefixed("quick_recommendations{}[]", RECOMMENDATION),
        },
    },
    ("GET", "/api/weather"): {"required": {"temp_f": "number", "desc": "string"}, "typed": WEATHER},
    ("GET", "/api/weather/forecast"): {
        "required": {"forecast": "array", "forecast[]": "object", "forecast[].dt": "number"},
        "typed": {
            "forecast[].main.temp": "number",
            "forecast[].main.humidity": "integer",
            "forecast[].weather": "array",
            "forecast[].weather[].main": "string",
            "forecast[].weather[].description": "string",
            "forecast[].wind.speed": "number",
        },
    },
    ("GET", "/api/directions"): {
        "required": {"polyline": "array", "polyline[]": "object", "polyline[].latitude": "number", "polyline[].longitude": "number"},
        "typed": {"distance_text": "string", "duration_text": "string", "maps_link": "string", "mode": "string"},
    },
    ("GET", "/api/calendar/notifications/check"): {
        "required": {
            "notifications": "array",
            "notifications[]": "object",
            "notifications[].free_time": "object",
            "notifications[].free_time.start": "string",
            "notifications[].free_time.end": "string",
            "notifications[].free_time.duration_minutes": "number",
            "notifications[].events": "array",
            "notifications[].events[]": "object",
        },
        "typed": {
            f"notifications[].events[].{key}": "string" for key in ("title", "start", "description", "location", "type")
        },
    },
    ("GET", "/api/events"): {
        "required": {"nyu_permitted": "array", "nyu_permitted[]": "object"},
        "typed": {
            "nyu_permitted[].event_name": "string",
            "nyu_permitted[].event_start": "string",
            "nyu_permitted[].latitude": "number",
            "nyu_permitted[].longitude": "number",
            "nyu_permitted[].address": "string",
        },
    },
}

# Endpoints no app decoder was encoded for: the shapes the API contract promises.
TOKEN_PAIR = {"required": {"token": "string", "refresh_token": "string"}, "typed": {}}
RULES.update(
    {
        ("POST", "/api/auth/refresh"): TOKEN_PAIR,
        ("POST", "/api/auth/password"): TOKEN_PAIR,
        ("GET", "/api/user/me"): {
            "required": {
                "id": "integer",
                "email": "string",
                "home_address": "string",
                "preferences": "object",
                "settings": "object",
                "recent_activity": "array",
                "recent_activity[]": "object",
                "recent_activity[].type": "string",
                "recent_activity[].timestamp": "string",
            },
            "typed": {
                **{key.removeprefix("user."): kind for key, kind in USER_TYPED.items()},
                "recent_activity[].place_id": "string",
                "recent_activity[].name": "string",
                "recent_activity[].vibe": "string",
                "recent_activity[].score": "number",
            },
        },
        ("GET", "/health"): {"required": {"status": "string", "database": "string", "redis": "string"}, "typed": {}},
        # API.md section 4: the old NYU Engage list.
        ("GET", "/api/nyu_engage_events"): {
            "required": {"engage_events": "array", "engage_events[]": "object"},
            "typed": {
                f"engage_events[].{key}": "string"
                for key in ("name", "start", "end", "description", "location", "organization", "image", "url")
            },
        },
    }
)

# The apps read {"error": str} from every failure.
ERROR = {"required": {"error": "string", "code": "string", "request_id": "string"}, "typed": {}}


def _is(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    raise ValueError(kind)


def _values(body: Any, path: str) -> list[tuple[str, Any, bool]]:
    """Every (where, value, present) the path reaches; `present` is False where a key is missing."""
    found = [("", body, True)]
    for part in path.split("."):
        step, each_item, each_value = part.removesuffix("[]").removesuffix("{}"), part.endswith("[]"), part.endswith("{}")
        nxt = []
        for where, value, present in found:
            if not present or value is None:
                continue
            if not isinstance(value, dict) or step not in value:
                nxt.append((f"{where}.{step}", None, False))
                continue
            child = value[step]
            if each_item and isinstance(child, list):
                nxt.extend((f"{where}.{step}[{i}]", item, True) for i, item in enumerate(child))
            elif each_value and isinstance(child, dict):
                nxt.extend((f"{where}.{step}{{{key}}}", item, True) for key, item in child.items())
            else:
                nxt.append((f"{where}.{step}", child, True))
        found = nxt
    return found


def violations(rules: dict[str, dict[str, str]], body: Any) -> list[str]:
    problems = []
    for path, kind in rules.get("required", {}).items():
        for where, value, present in _values(body, path):
            if not present or value is None:
                problems.append(f"{where}: required {kind}, missing")
            elif not _is(kind, value):
                problems.append(f"{where}: expected {kind}, got {type(value).__name__} {value!r}")
    for path, kind in rules.get("typed", {}).items():
        for where, value, present in _values(body, path):
            if present and value is not None and not _is(kind, value):
                problems.append(f"{where}: expected {kind}, got {type(value).__name__} {value!r}")
    return problems


def assert_contract(method: str, path: str, response: Any) -> None:
    """Checks a test-client response against what the apps decode (errors against ERROR)."""
    if response.status_code == 204:
        assert not response.content, f"{method} {path}: a 204 must have no body"
        return
    body = response.json()
    rules = ERROR if response.status_code >= 400 else RULES[(method.upper(), path)]
    problems = violations(rules, body)
    assert not problems, f"{method} {path} breaks the apps' contract: {problems}"


_SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """An error answer: the status, JSON {error, code (snake_case), request_id (= X-Request-ID)}, no internals."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.content[:500]!r}"
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    problems = violations(ERROR, body)
    assert not problems, f"the error breaks the apps' contract: {problems}"
    assert _SNAKE_CASE.fullmatch(body["code"]), body["code"]
    assert body["request_id"] == response["X-Request-ID"]
    if code is not None:
        assert body["code"] == code, body
    if "fields" in body:
        assert isinstance(body["fields"], dict) and body["fields"], body
        assert all(isinstance(messages, list) and all(isinstance(m, str) for m in messages) for messages in body["fields"].values())
    text = response.content.decode()
    assert "Traceback" not in text and "File \"" not in text, text
    return body
