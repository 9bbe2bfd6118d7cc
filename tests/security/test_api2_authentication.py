"""OWASP API2, broken authentication: token confusion and forgery, revocation, inactive accounts,
user enumeration, and the limits on guessing a password.

Guessing passwords (the lockouts of the API and admin logins) and finding out which emails have an
account are in test_api2_brute_force.py; the request limits in tests/violetvibes/test_ratelimit.py.
"""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from accounts.tokens import VERSION_CLAIM, token_pair_for
from tests.contract import assert_error
from tests.factories import UserFactory
from tests.security.conftest import client

ME = "/api/user/me"
LOGIN = "/api/auth/login"
SIGNUP = "/api/auth/signup"
REFRESH = "/api/auth/refresh"
PASSWORD = "/api/auth/password"

pytestmark = pytest.mark.django_db


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _signing_key() -> str:
    return settings.SIMPLE_JWT["SIGNING_KEY"]


def _refused(token: str, code: str = "token_invalid") -> None:
    response = client(token).get(ME)
    assert_error(response, 401, code)
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- Token confusion ---------------------------------------------------------------------------------
def test_a_refresh_token_is_refused_as_an_access_token(user):
    _refused(token_pair_for(user)["refresh_token"])


def test_an_access_token_is_refused_at_refresh(user):
    response = client().post(REFRESH, {"refresh_token": token_pair_for(user)["token"]}, format="json")

    assert_error(response, 401, "token_invalid")


def test_a_refresh_token_whose_type_claim_was_changed_to_access_fails_its_signature(user):
    header, payload, signature = token_pair_for(user)["refresh_token"].split(".")
    claims = {**_claims(f"{header}.{payload}.{signature}"), "type": "access"}

    _refused(f"{header}.{_b64(claims)}.{signature}")


def test_an_access_token_whose_type_claim_was_changed_to_refresh_is_refused_at_refresh(user):
    header, payload, signature = token_pair_for(user)["token"].split(".")
    claims = {**_claims(f"{header}.{payload}.{signature}"), "type": "refresh"}

    response = client().post(REFRESH, {"refresh_token": f"{header}.{_b64(claims)}.{signature}"}, format="json")

    assert_error(response, 401, "token_invalid")


# --- Forgery -----------------------------------------------------------------------------------------
def _forged(claims: dict, kind: str) -> str:
    if kind == "other-key":
        return jwt.encode(claims, "an-attackers-key-that-is-long-enough-0123456789", algorithm="HS256")
    if kind == "hs512-same-secret":
        return jwt.encode(claims, _signing_key(), algorithm="HS512")
    if kind == "hs384-same-secret":
        return jwt.encode(claims, _signing_key(), algorithm="HS384")
    if kind in ("alg-none", "alg-None", "alg-NONE"):
        return f"{_b64({'alg': kind.split('-')[1], 'typ': 'JWT'})}.{_b64(claims)}."
    if kind == "alg-none-with-signature":
        real = jwt.encode(claims, _signing_key(), algorithm="HS256").split(".")[2]
        return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.{real}"
    if kind == "rs256-header-hmac-signed":  # key confusion: the header asks for RS256, signed with the secret
        header = _b64({"alg": "RS256", "typ": "JWT"})
        body = _b64(claims)
        signature = hmac.new(_signing_key().encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
        return f"{header}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    if kind == "legacy-shape-other-key":  # no jti, int sub: the old server's shape, not its key
        legacy = {key: value for key, value in claims.items() if key != "jti"}
        return jwt.encode({**legacy, "sub": int(legacy["sub"])}, "an-attackers-key-that-is-long-enough-0123456789", algorithm="HS256")
    raise AssertionError(kind)


FORGERIES = [
    "other-key", "hs512-same-secret", "hs384-same-secret", "alg-none", "alg-None", "alg-NONE",
    "alg-none-with-signature", "rs256-header-hmac-signed", "legacy-shape-other-key",
]


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_access_tokens_are_refused(user, kind):
    claims = _claims(token_pair_for(user)["token"])

    _refused(_forged(claims, kind))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_refresh_tokens_are_refused(user, kind):
    claims = _claims(token_pair_for(user)["refresh_token"])

    response = client().post(REFRESH, {"refresh_token": _forged(claims, kind)}, format="json")

    assert_error(response, 401, "token_invalid")


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_only_hs256_is_accepted_even_with_the_right_secret(user):
    claims = _claims(token_pair_for(user)["token"])

    assert client(jwt.encode(claims, _signing_key(), algorithm="HS256")).get(ME).status_code == 200
    _refused(jwt.encode(claims, _signing_key(), algorithm="HS512"))


def test_an_expired_access_token_is_refused(user):
    token = AccessToken.for_user(user)
    token[VERSION_CLAIM] = user.token_version
    token.set_exp(lifetime=timedelta(seconds=-1))

    _refused(str(token), "token_expired")


# --- Deactivation --------------------------------------------------------------------------------------
@pytest.fixture
def staff_client(db) -> Client:
    staff = UserFactory(email="staff-admin@nyu.edu", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(staff)
    return admin


def test_admin_deactivation_stops_every_token_of_the_user(staff_client, user, password):
    tokens = token_pair_for(user)
    assert client(tokens["token"]).get(ME).status_code == 200

    response = staff_client.post("/admin/accounts/user/", {"action": "deactivate_users", "_selected_action": [user.pk]})

    assert response.status_code == 302
    _refused(tokens["token"])
    assert_error(client().post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json"), 401, "token_invalid")
    assert_error(client().post(LOGIN, {"email": user.email, "password": password}, format="json"), 401, "invalid_credentials")


def test_tokens_stop_working_whenever_the_account_is_inactive_however_it_was_switched_off(user):
    """Unticking "active" on the admin change form does not bump the token version: the
    is_active check at every request is what stops the tokens."""
    tokens = token_pair_for(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    _refused(tokens["token"])
    assert_error(client().post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json"), 401, "token_invalid")


# --- Enumeration ------------------------------------------------------------------------------------------
def _login(email: str, password: str, ip: str):
    return client(ip=ip).post(LOGIN, {"email": email, "password": password}, format="json")


def test_login_failures_are_identical_for_unknown_email_wrong_password_and_inactive_account(user, password):
    inactive = UserFactory(email="gone@nyu.edu", password=password, is_active=False)

    answers = [
        _login("nobody-here@nyu.edu", password, "10.3.0.1"),
        _login(user.email, "not-the-password-1", "10.3.0.2"),
        _login(inactive.email, password, "10.3.0.3"),
    ]

    bodies = [assert_error(response, 401, "invalid_credentials") for response in answers]
    assert len({(body["error"], body["code"], tuple(sorted(body))) for body in bodies}) == 1
    assert len({response["WWW-Authenticate"] for response in answers}) == 1


def test_signup_with_a_taken_email_is_409_and_says_nothing_more(user):
    response = client().post(SIGNUP, {"email": user.email.upper(), "password": "another-violet-pass-7", "first_name": "X"}, format="json")

    body = assert_error(response, 409, "email_taken")
    assert set(body) == {"error", "code", "request_id"}
    text = response.content.decode()
    assert str(user.pk) not in text.replace(body["request_id"], "")
    assert user.first_name not in text and "token" not in text
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_a_look_alike_email_cannot_lock_the_real_owner_out(password):
    """PostgreSQL's UPPER() folds the dotless i into I: "x@gma\u0131l.com" is a different account
    (the unique constraint is on LOWER(email)), yet a case-insensitive (UPPER) lookup matched both
    rows and the real owner's login crashed (500). Login now matches on LOWER(email), like the
    constraint: each address signs into its own account."""
    owner = client(ip="10.4.0.1").post(SIGNUP, {"email": "x@gmail.com", "password": password}, format="json")
    look_alike = client(ip="10.4.0.2").post(SIGNUP, {"email": "x@gma\u0131l.com", "password": "mallorys-own-pass-77"}, format="json")
    assert owner.status_code == 201
    assert look_alike.status_code == 201  # an address of its own, as the constraint sees it

    response = _login("x@gmail.com", password, "10.4.0.3")

    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == owner.json()["user"]["id"]
    assert_error(_login("x@gmail.com", "mallorys-own-pass-77", "10.4.0.4"), 401, "invalid_credentials")


# --- Guessing the password with a stolen access token -------------------------------------------------
@pytest.mark.usefixtures("one_ratelimit_window")
def test_password_checks_are_limited_to_5_a_minute_per_user_across_change_and_delete(user, password):
    """Found here: /api/auth/password and DELETE /api/user/me verify the current password but were
    only under the default 120/m, so a stolen access token allowed 120 guesses a minute, and a
    right guess a permanent takeover (the password change revokes the owner's tokens)."""
    api = client(token_pair_for(user)["token"])
    for n in range(3):
        assert api.post(PASSWORD, {"current_password": f"guess-{n}", "new_password": "a-new-violet-pass-99"}, format="json").status_code == 400
    for n in range(2):
        assert api.delete(ME, {"password": f"guess-delete-{n}"}, format="json").status_code == 400

    for response in (
        api.post(PASSWORD, {"current_password": password, "new_password": "a-new-violet-pass-99"}, format="json"),
        api.delete(ME, {"password": password}, format="json"),
    ):
        assert_error(response, 429, "rate_limited")
        assert 1 <= int(response["Retry-After"]) <= 60

    stored = User.objects.get(pk=user.pk)
    assert stored.check_password(password)
    # Another user's budget is their own.
    other = UserFactory(password=password)
    assert client(token_pair_for(other)["token"]).post(
        PASSWORD, {"current_password": "wrong-guess", "new_password": "a-new-violet-pass-99"}, format="json"
    ).status_code == 400
