"""Services raise domain errors; the project's exception handler answers them from one table (ERRORS).

What the apps see for each (status, code, message, fields, headers) is pinned here request by
request, so that moving an error between layers cannot change an answer.
"""

from datetime import timedelta

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tokens import VERSION_CLAIM
from tests.contract import assert_error

pytestmark = pytest.mark.django_db

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def _expired_refresh(user) -> str:
    token = RefreshToken.for_user(user)
    token[VERSION_CLAIM] = user.token_version
    token.set_exp(lifetime=timedelta(seconds=-30))
    return str(token)


def _answer(response, status: int) -> tuple[dict, dict]:
    body = assert_error(response, status)
    body.pop("request_id")
    headers = {name: response[name] for name in ("WWW-Authenticate", "Retry-After") if response.has_header(name)}
    return body, headers


def test_signup_with_a_taken_email_is_409_email_taken(api, user):
    response = api.post("/api/auth/signup", {"email": user.email.upper(), "password": "purple-violets-77"}, format="json")

    assert _answer(response, 409) == ({"error": "An account with this email already exists.", "code": "email_taken"}, {})


def test_a_wrong_password_at_login_is_401_invalid_credentials_with_the_bearer_challenge(api, user):
    response = api.post("/api/auth/login", {"email": user.email, "password": "not-the-password"}, format="json")

    assert _answer(response, 401) == ({"error": "Invalid email or password.", "code": "invalid_credentials"}, CHALLENGE)


def test_a_locked_sign_in_is_429_rate_limited_with_retry_after(make_client, user, password):
    client = make_client(ip="10.61.0.1")
    for n in range(5):
        assert client.post("/api/auth/login", {"email": user.email, "password": f"wrong-{n}"}, format="json").status_code == 401

    response = client.post("/api/auth/login", {"email": user.email, "password": password}, format="json")

    message = "Too many requests. Please wait a moment and try again."
    assert _answer(response, 429) == ({"error": message, "code": "rate_limited"}, {"Retry-After": "60"})


def test_an_unusable_refresh_token_is_401_token_invalid(api, db):
    response = api.post("/api/auth/refresh", {"refresh_token": "not.a.token"}, format="json")

    message = "This refresh token is not valid. Please sign in again."
    assert _answer(response, 401) == ({"error": message, "code": "token_invalid"}, CHALLENGE)


def test_an_expired_refresh_token_is_401_token_expired(api, user):
    response = api.post("/api/auth/refresh", {"refresh_token": _expired_refresh(user)}, format="json")

    message = "This refresh token has expired. Please sign in again."
    assert _answer(response, 401) == ({"error": message, "code": "token_expired"}, CHALLENGE)


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/auth/password", {"current_password": "not-it", "new_password": "purple-violets-78"}, "current_password"),
        ("delete", "/api/user/me", {"password": "not-it"}, "password"),
    ],
)
def test_a_wrong_current_password_is_400_validation_error_naming_its_field(auth_api, method, path, body, field):
    response = getattr(auth_api, method)(path, body, format="json")

    assert _answer(response, 400) == (
        {
            "error": f"{field}: The password is not correct.",
            "code": "validation_error",
            "fields": {field: ["The password is not correct."]},
        },
        {},
    )


@pytest.mark.parametrize("path", ["/api/weather", "/api/weather/forecast"])
def test_no_weather_is_503_weather_unavailable(api, db, path):
    assert _answer(api.get(path), 503) == ({"error": "Weather is unavailable right now.", "code": "weather_unavailable"}, {})


def test_an_unsigned_photo_is_404_photo_not_found(api, db):
    response = api.get("/api/places/photo/places/abc/photos/def")

    assert _answer(response, 404) == ({"error": "No photo is available for this place.", "code": "photo_not_found"}, {})
