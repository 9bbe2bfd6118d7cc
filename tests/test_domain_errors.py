"""Services raise domain errors; the project's exception handler answers them from one table (ERRORS).

What the apps see for each (status, code, message, fields, headers) is pinned here request by
request, so that moving an error between layers cannot change an answer.
"""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import errors as accounts_errors
from accounts.tokens import VERSION_CLAIM
from places import errors as places_errors
from tests.contract import assert_error
from violetvibes.errors import CODE_FOR_STATUS, ERRORS, DomainError, api_exception_handler
from violetvibes.ratelimit import Locked

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


# --- The one table ------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent
# One of each domain error, as its service raises it.
EXAMPLES = [
    accounts_errors.EmailTaken(),
    accounts_errors.InvalidCredentials(),
    accounts_errors.RefreshTokenInvalid(),
    accounts_errors.RefreshTokenExpired(),
    accounts_errors.PasswordIncorrect("current_password"),
    places_errors.WeatherUnavailable(),
    places_errors.PhotoNotFound(),
    Locked(42),
]


def _defined_domain_errors() -> set[str]:
    """The classes the project's source derives from DomainError (read with ast, so none is missed for
    not being imported here)."""
    names: set[str] = set()
    packages = [init.parent for init in ROOT.glob("*/__init__.py") if init.parent.name not in {"tests", "bench"}]
    assert {"violetvibes", "accounts", "places", "ops"} <= {package.name for package in packages}
    for path in (path for package in packages for path in package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ClassDef) and any(getattr(base, "id", getattr(base, "attr", "")) == "DomainError" for base in node.bases):
                names.add(node.name)
    return names


def test_the_examples_cover_every_domain_error_of_the_project():
    assert {type(error).__name__ for error in EXAMPLES} == _defined_domain_errors()


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda error: type(error).__name__)
def test_every_domain_error_is_answered_with_its_documented_status_and_code(error):
    response = api_exception_handler(error, {"request": None, "view": None})

    documented = ERRORS[error.code]
    assert response.status_code == documented.status == error.status
    assert response.data["code"] == error.code
    # The table's sentence, unless the error has a more specific one (or names its invalid field).
    expected = type(error).default_message or (error.message if error.fields else documented.message)
    assert response.data["error"] == error.message == expected
    assert response.data.get("fields") == error.fields


def test_a_domain_error_answers_retry_after_when_it_says_how_long_to_wait():
    assert api_exception_handler(Locked(42), {"request": None, "view": None})["Retry-After"] == "42"


def test_a_domain_error_with_an_undocumented_code_cannot_be_defined():
    with pytest.raises(TypeError, match="ERRORS"):
        type("Unlisted", (DomainError,), {"code": "something_new"})


def test_an_error_without_a_code_of_its_own_takes_a_documented_one_of_its_status():
    for status, code in CODE_FOR_STATUS.items():
        assert ERRORS[code].status == status, code


def test_the_readme_lists_exactly_the_table():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n### Errors\n", 1)[1].split("\n#", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]

    assert rows == [[f"`{code}`", str(error.status), error.meaning] for code, error in ERRORS.items()]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker) -> dict:
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/", {"format": "json"}).json()


def test_every_documented_error_answer_names_codes_of_its_status_from_the_table(schema):
    described = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if response.get("content", {}).get("application/json", {}).get("schema") != {"$ref": "#/components/schemas/Error"}:
                    continue  # not an error body (/health's 503 is its own report)
                codes = re.findall(r"(?:^|\. )([a-z_]+): ", response["description"])
                assert codes, (method, path, status, response["description"])
                assert {(code, ERRORS[code].status) for code in codes if code in ERRORS} == {(code, int(status)) for code in codes}, (
                    method,
                    path,
                    status,
                )
                described += 1
    assert described > 50
    code_help = schema["components"]["schemas"]["Error"]["properties"]["code"]["description"]
    assert all(code in code_help for code in ERRORS)
