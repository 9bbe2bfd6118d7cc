"""Signup, login, refresh, logout and password change: success and every error path."""

import base64
import json
import threading
import time
from datetime import timedelta

import bcrypt
import jwt
import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from accounts import services
from accounts.authentication import OptionalJWTAuthentication
from accounts.models import RevokedTokenFamily, User, default_preferences, default_settings
from accounts.tokens import VERSION_CLAIM, token_pair_for
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import assert_contract, assert_error
from tests.factories import UserFactory

SIGNUP = "/api/auth/signup"
LOGIN = "/api/auth/login"
REFRESH = "/api/auth/refresh"
LOGOUT = "/api/auth/logout"
PASSWORD = "/api/auth/password"
ME = "/api/user/me"

pytestmark = pytest.mark.django_db


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _me_status(make_client, token: str) -> int:
    return make_client(token).get(ME).status_code


def _assert_token_refused(make_client, token: str, code: str) -> None:
    response = make_client(token).get(ME)
    assert_error(response, 401, code)
    assert_contract("GET", ME, response)
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- Signup ---------------------------------------------------------------------------------------
def test_signup_creates_the_user_and_returns_working_tokens(api, make_client):
    response = api.post(SIGNUP, {"email": "  New.Student@NYU.edu ", "password": "purple-violets-42"}, format="json")

    assert response.status_code == 201, response.content
    assert_contract("POST", SIGNUP, response)
    body = response.json()
    user = User.objects.get()
    assert body["user"] == {
        "id": user.pk,
        "email": "new.student@nyu.edu",
        "first_name": None,
        "home_address": "",
        "preferences": default_preferences(),
        "settings": default_settings(),
    }
    assert user.check_password("purple-violets-42")
    assert user.password != "purple-violets-42"
    assert _me_status(make_client, body["token"]) == 200
    assert api.post(REFRESH, {"refresh_token": body["refresh_token"]}, format="json").status_code == 200


def test_signup_new_user_gets_the_default_preferences_and_settings(api):
    response = api.post(SIGNUP, {"email": "defaults@nyu.edu", "password": "purple-violets-42"}, format="json")

    user = response.json()["user"]
    assert user["preferences"] == {"vibes": {}, "distance_limit_minutes": 20, "indoor_outdoor": "either"}
    assert user["settings"] == {"notifications_enabled": True, "calendar_integration_enabled": False}


@pytest.mark.parametrize(("sent", "stored", "shown"), [("  Ana ", "Ana", "Ana"), ("", "", None), (None, "", None)])
def test_signup_first_name_is_optional_and_trimmed(api, sent, stored, shown):
    response = api.post(SIGNUP, {"email": "ana@nyu.edu", "password": "purple-violets-42", "first_name": sent}, format="json")

    assert response.status_code == 201, response.content
    assert_contract("POST", SIGNUP, response)
    assert response.json()["user"]["first_name"] == shown
    assert User.objects.get().first_name == stored


@pytest.mark.parametrize("email", ["student0@nyu.edu", "STUDENT0@NYU.EDU", " Student0@nyu.edu"])
def test_signup_with_a_taken_email_is_409_whatever_the_case(api, email):
    UserFactory(email="student0@nyu.edu")

    response = api.post(SIGNUP, {"email": email, "password": "purple-violets-42"}, format="json")

    assert_error(response, 409, "email_taken")
    assert_contract("POST", SIGNUP, response)
    assert User.objects.count() == 1


# One mailbox, several spellings of its internationalized domain: Unicode, its punycode (what DNS
# and mail servers use), any case, the ideographic full stop. Stored as punycode, lower-cased.
IDN_EMAIL = "idn@xn--exmple-cua.com"
IDN_SPELLINGS = ["idn@exämple.com", "idn@xn--exmple-cua.com", "IDN@EXÄMPLE.COM", "Idn@XN--EXMPLE-CUA.com", "idn@exämple\u3002com"]


@pytest.mark.parametrize("first", IDN_SPELLINGS[:2])
@pytest.mark.parametrize("second", IDN_SPELLINGS[:4])  # signup's email validator refuses the full stop (400)
def test_signup_with_another_spelling_of_an_internationalized_domain_is_409(api, first, second):
    assert api.post(SIGNUP, {"email": first, "password": "purple-violets-42"}, format="json").status_code == 201

    response = api.post(SIGNUP, {"email": second, "password": "purple-violets-42"}, format="json")

    assert_error(response, 409, "email_taken")
    assert list(User.objects.values_list("email", flat=True)) == [IDN_EMAIL]


@pytest.mark.parametrize("spelling", IDN_SPELLINGS)
def test_login_accepts_every_spelling_of_an_internationalized_domain(api, spelling):
    signup = api.post(SIGNUP, {"email": "idn@exämple.com", "password": "purple-violets-42"}, format="json")
    assert signup.json()["user"]["email"] == IDN_EMAIL

    response = api.post(LOGIN, {"email": spelling, "password": "purple-violets-42"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["user"]["email"] == IDN_EMAIL


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Idn@Exämple.Com", IDN_EMAIL),
        ("jöhn@Exämple.com", "jöhn@xn--exmple-cua.com"),  # the local part is the mailbox's own: only lower-cased
        ("a@b..c", "a@b..c"),  # not a domain IDNA can encode: as it came, lower-cased (login only; signup refuses it)
        ("a@" + "ä" * 70 + ".com", "a@" + "ä" * 70 + ".com"),
        ("no-at-sign", "no-at-sign"),
    ],
)
def test_normalize_email_encodes_the_domain_and_never_fails(given, stored):
    assert User.objects.normalize_email(given) == stored


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("short1", id="too-short"),
        pytest.param("password123", id="common"),
        pytest.param("83749201938", id="numeric"),
        pytest.param("weakling@nyu.edu", id="similar-to-email"),
    ],
)
def test_signup_rejects_passwords_the_django_validators_refuse(api, password):
    response = api.post(SIGNUP, {"email": "weakling@nyu.edu", "password": password}, format="json")

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", SIGNUP, response)
    assert list(body["fields"]) == ["password"]
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": "purple-violets-42"}, "email"),
        ({"email": "a@nyu.edu"}, "password"),
        ({"email": "not-an-email", "password": "purple-violets-42"}, "email"),
        ({"email": "", "password": "purple-violets-42"}, "email"),
        ({"email": None, "password": "purple-violets-42"}, "email"),
        ({"email": "a@nyu.edu", "password": 12345678901}, "password"),
        ({"email": "a@nyu.edu", "password": ["purple-violets-42"]}, "password"),
        ({"email": "a@nyu.edu", "password": "p" * 129}, "password"),
        ({"email": "a@nyu.edu", "password": "purple-violets-42", "first_name": 7}, "first_name"),
        ({"email": "a@nyu.edu", "password": "purple-violets-42", "first_name": "x" * 101}, "first_name"),
        ({"email": "x" * 250 + "@nyu.edu", "password": "purple-violets-42"}, "email"),
    ],
)
def test_signup_invalid_input_is_400_with_fields_and_writes_nothing(api, payload, field):
    response = api.post(SIGNUP, payload, format="json")

    body = assert_error(response, 400, "validation_error")
    assert field in body["fields"]
    assert User.objects.count() == 0


# --- Login ----------------------------------------------------------------------------------------
def test_login_returns_tokens_and_the_user(api, user, password, make_client):
    response = api.post(LOGIN, {"email": user.email, "password": password}, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", LOGIN, response)
    body = response.json()
    assert set(body) == {"token", "refresh_token", "user"}
    assert body["user"]["id"] == user.pk
    assert body["user"]["email"] == user.email
    assert body["user"]["first_name"] == "Violet"
    assert _me_status(make_client, body["token"]) == 200


def test_login_email_is_case_insensitive(api, user, password):
    response = api.post(LOGIN, {"email": f"  {user.email.upper()} ", "password": password}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["user"]["id"] == user.pk


def test_login_unknown_email_and_wrong_password_get_the_same_answer(api, user, password):
    wrong_password = api.post(LOGIN, {"email": user.email, "password": password + "x"}, format="json")
    unknown_email = api.post(LOGIN, {"email": "nobody@nyu.edu", "password": password}, format="json")

    for response in (wrong_password, unknown_email):
        assert_error(response, 401, "invalid_credentials")
        assert_contract("POST", LOGIN, response)
    first, second = wrong_password.json(), unknown_email.json()
    first.pop("request_id"), second.pop("request_id")
    assert first == second


def test_login_password_is_not_trimmed(api, user, password):
    response = api.post(LOGIN, {"email": user.email, "password": f" {password} "}, format="json")

    assert_error(response, 401, "invalid_credentials")


def test_login_of_a_deactivated_user_is_refused_like_bad_credentials(api, user, password):
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = api.post(LOGIN, {"email": user.email, "password": password}, format="json")

    assert_error(response, 401, "invalid_credentials")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": "purple-violets-42"}, "email"),
        ({"email": "student@nyu.edu"}, "password"),
        ({"email": 5, "password": "purple-violets-42"}, "email"),
        ({"email": "student@nyu.edu", "password": 12345678}, "password"),
        ({"email": "student@nyu.edu", "password": None}, "password"),
        ({"email": "student@nyu.edu", "password": ""}, "password"),
    ],
)
def test_login_invalid_input_is_400_with_fields(api, user, payload, field):
    password_before = User.objects.get(pk=user.pk).password

    response = api.post(LOGIN, payload, format="json")

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", LOGIN, response)
    assert field in body["fields"]
    assert User.objects.get(pk=user.pk).password == password_before


# --- Legacy bcrypt hashes from the Flask server ------------------------------------------------------
@pytest.fixture(scope="module")
def real_cost_bcrypt_hash() -> str:
    # Hashed once per module: cost 12 is deliberately slow (about a quarter of a second).
    return bcrypt.hashpw(b"legacy-violets-99", bcrypt.gensalt(rounds=12, prefix=b"2b")).decode()


@pytest.mark.parametrize("rounds", [4, 12])
def test_legacy_bcrypt_user_can_log_in_and_the_hash_is_upgraded(api, rounds, real_cost_bcrypt_hash):
    legacy_hash = real_cost_bcrypt_hash if rounds == 12 else bcrypt.hashpw(b"legacy-violets-99", bcrypt.gensalt(rounds=4)).decode()
    assert legacy_hash.startswith(f"$2b${rounds:02d}$")
    user = UserFactory(email="legacy@nyu.edu")
    User.objects.filter(pk=user.pk).update(password=f"bcrypt${legacy_hash}")

    response = api.post(LOGIN, {"email": "legacy@nyu.edu", "password": "legacy-violets-99"}, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", LOGIN, response)
    upgraded = User.objects.get(pk=user.pk).password
    assert upgraded.startswith(f"{get_hasher('default').algorithm}$")
    assert "$2b$" not in upgraded
    # And the upgraded hash still accepts the same password.
    assert api.post(LOGIN, {"email": "legacy@nyu.edu", "password": "legacy-violets-99"}, format="json").status_code == 200


def test_legacy_bcrypt_user_with_a_wrong_password_is_refused_and_keeps_the_hash(api):
    legacy_hash = bcrypt.hashpw(b"legacy-violets-99", bcrypt.gensalt(rounds=4)).decode()
    user = UserFactory(email="legacy@nyu.edu")
    User.objects.filter(pk=user.pk).update(password=f"bcrypt${legacy_hash}")

    response = api.post(LOGIN, {"email": "legacy@nyu.edu", "password": "not-the-password"}, format="json")

    assert_error(response, 401, "invalid_credentials")
    assert User.objects.get(pk=user.pk).password == f"bcrypt${legacy_hash}"


# --- Access tokens ----------------------------------------------------------------------------------
def test_protected_endpoint_without_a_token_is_401_not_authenticated(api):
    response = api.get(ME)

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Basic dXNlcjpwYXNz", "Token abc", "Bearer é"])
def test_malformed_authorization_headers_are_401(api, db, header):
    response = api.get(ME, HTTP_AUTHORIZATION=header)

    body = assert_error(response, 401)
    assert body["code"] in {"not_authenticated", "token_invalid"}


def test_refresh_token_is_rejected_as_access(make_client, tokens):
    _assert_token_refused(make_client, tokens["refresh_token"], "token_invalid")


def test_expired_access_token_is_401_token_expired(make_client, user):
    _assert_token_refused(make_client, _expired_access_token(user), "token_expired")


def test_an_access_token_verified_before_is_refused_once_it_has_expired(make_client, user, clock):
    # A verified token is kept per process (accounts/tokens.py); its expiry is still checked each time.
    clock(WEEKDAY_AFTERNOON, tick=False)
    token = token_pair_for(user)["token"]
    assert make_client(token).get(ME).status_code == 200

    clock(WEEKDAY_AFTERNOON + timedelta(days=7, seconds=1), tick=False)

    assert_error(make_client(token).get(ME), 401, "token_expired")


def test_access_token_with_a_tampered_payload_is_rejected(make_client, user, tokens):
    other = UserFactory()
    header, payload, signature = tokens["token"].split(".")
    claims = _unb64(payload)
    claims["sub"] = str(other.pk)

    _assert_token_refused(make_client, f"{header}.{_b64(claims)}.{signature}", "token_invalid")


def test_access_token_with_a_tampered_signature_is_rejected(make_client, tokens):
    header, payload, signature = tokens["token"].split(".")
    middle = len(signature) // 2
    flipped = signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]

    _assert_token_refused(make_client, f"{header}.{payload}.{flipped}", "token_invalid")


def test_alg_none_token_is_rejected(make_client, tokens):
    claims = _unb64(tokens["token"].split(".")[1])
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    _assert_token_refused(make_client, unsigned, "token_invalid")


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize(("key", "algorithm"), [("not-the-jwt-secret-0123456789abcdef", "HS256"), (None, "HS512")])
def test_token_signed_with_another_key_or_algorithm_is_rejected(make_client, settings, tokens, key, algorithm):
    claims = _unb64(tokens["token"].split(".")[1])
    forged = jwt.encode(claims, key or settings.SIMPLE_JWT["SIGNING_KEY"], algorithm=algorithm)

    _assert_token_refused(make_client, forged, "token_invalid")


def test_token_of_a_deleted_user_is_rejected(make_client, user, tokens):
    user.delete()

    _assert_token_refused(make_client, tokens["token"], "token_invalid")


def test_token_of_a_deactivated_user_is_rejected(make_client, user, tokens):
    User.objects.filter(pk=user.pk).update(is_active=False)

    _assert_token_refused(make_client, tokens["token"], "token_invalid")


def test_token_lifetimes_are_seven_days_for_access_and_thirty_for_refresh(tokens):
    claims = _unb64(tokens["token"].split(".")[1])
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    assert claims["type"] == "access"
    refresh_claims = _unb64(tokens["refresh_token"].split(".")[1])
    assert refresh_claims["exp"] - refresh_claims["iat"] == 30 * 24 * 3600


def _optional_auth(header: str | None) -> object:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    return OptionalJWTAuthentication().authenticate(Request(APIRequestFactory().get("/", **extra)))


def test_optional_authentication_accepts_a_valid_token(user, tokens):
    authenticated_user, token = _optional_auth(f"Bearer {tokens['token']}")

    assert authenticated_user == user
    assert token["sub"] == str(user.pk)


def _expired_access_token(user: User) -> str:
    token = AccessToken.for_user(user)
    token[VERSION_CLAIM] = user.token_version
    token.set_exp(lifetime=timedelta(seconds=-30))
    return str(token)


@pytest.mark.parametrize("kind", ["none", "garbage", "refresh", "expired", "revoked"])
def test_optional_authentication_treats_a_missing_or_bad_token_as_anonymous(user, tokens, kind):
    header = None
    if kind == "garbage":
        header = "Bearer not.a.token"
    elif kind == "refresh":
        header = f"Bearer {tokens['refresh_token']}"
    elif kind == "expired":
        header = f"Bearer {_expired_access_token(user)}"
    elif kind == "revoked":
        services.user_tokens_revoke_all(user=user)
        header = f"Bearer {tokens['token']}"

    assert _optional_auth(header) is None


# --- Refresh ----------------------------------------------------------------------------------------
def test_refresh_returns_a_new_working_pair(api, make_client, tokens):
    response = api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert response.status_code == 200, response.content
    assert_contract("POST", REFRESH, response)
    body = response.json()
    assert set(body) == {"token", "refresh_token"}
    assert body["refresh_token"] != tokens["refresh_token"]
    assert _me_status(make_client, body["token"]) == 200


def test_refresh_rotation_old_refresh_token_fails_after_use(api, tokens):
    first = api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json")
    assert first.status_code == 200

    reused = api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert_error(reused, 401, "token_invalid")
    assert_contract("POST", REFRESH, reused)


def _login(api, user: User, password: str) -> dict[str, str]:
    response = api.post(LOGIN, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_reused_refresh_token_revokes_every_token_of_its_login(api, user, password, make_client):
    """Login -> A; A is rotated into B; A comes back (a copy of it was stolen, or the thief spent it
    first): every token issued from that login stops, B and its access token included, since the
    server cannot tell which holder is the owner. Another login of the same user is untouched."""
    phone = _login(api, user, password)  # A and its access token
    laptop = _login(api, user, password)  # another device: another family
    rotated = api.post(REFRESH, {"refresh_token": phone["refresh_token"]}, format="json").json()  # A -> B
    assert _me_status(make_client, rotated["token"]) == 200

    reused = api.post(REFRESH, {"refresh_token": phone["refresh_token"]}, format="json")

    assert_error(reused, 401, "token_invalid")
    assert_contract("POST", REFRESH, reused)
    assert_error(api.post(REFRESH, {"refresh_token": rotated["refresh_token"]}, format="json"), 401, "token_invalid")
    _assert_token_refused(make_client, rotated["token"], "token_invalid")
    _assert_token_refused(make_client, phone["token"], "token_invalid")
    # The other device goes on, and so does rotation there.
    assert _me_status(make_client, laptop["token"]) == 200
    renewed = api.post(REFRESH, {"refresh_token": laptop["refresh_token"]}, format="json")
    assert renewed.status_code == 200
    assert _me_status(make_client, renewed.json()["token"]) == 200
    # Signing in again starts a new family that works.
    assert _me_status(make_client, _login(api, user, password)["token"]) == 200


def test_a_refresh_token_reused_further_down_the_family_revokes_it_from_the_start(api, user, password, make_client):
    first = _login(api, user, password)
    second = api.post(REFRESH, {"refresh_token": first["refresh_token"]}, format="json").json()
    third = api.post(REFRESH, {"refresh_token": second["refresh_token"]}, format="json").json()

    assert_error(api.post(REFRESH, {"refresh_token": second["refresh_token"]}, format="json"), 401, "token_invalid")

    for pair in (first, second, third):
        _assert_token_refused(make_client, pair["token"], "token_invalid")
    assert_error(api.post(REFRESH, {"refresh_token": third["refresh_token"]}, format="json"), 401, "token_invalid")


def test_a_token_family_revocation_outlives_every_token_of_the_family(api, user, password, make_client, clock):
    """The revocation is kept until the family's last token has expired, and only then dropped."""
    clock(WEEKDAY_AFTERNOON)
    first = _login(api, user, password)
    api.post(REFRESH, {"refresh_token": first["refresh_token"]}, format="json")
    api.post(REFRESH, {"refresh_token": first["refresh_token"]}, format="json")
    revoked = RevokedTokenFamily.objects.get()
    assert revoked.user == user
    assert revoked.expires_at >= timezone.now() + timedelta(days=30)

    clock(WEEKDAY_AFTERNOON + timedelta(days=31))
    other = _login(api, user, password)
    api.post(REFRESH, {"refresh_token": other["refresh_token"]}, format="json")
    api.post(REFRESH, {"refresh_token": other["refresh_token"]}, format="json")

    assert list(RevokedTokenFamily.objects.values_list("pk", flat=True)) != [revoked.pk]  # the expired one is gone
    assert RevokedTokenFamily.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_refresh_token_spent_twice_at_once_works_only_once(user, monkeypatch):
    tokens = token_pair_for(user)
    issue = services.token_pair_for

    def slow_issue(user: User, **kwargs: object) -> dict[str, str]:
        time.sleep(0.3)  # inside the refresh transaction: the second caller arrives meanwhile
        return issue(user, **kwargs)

    monkeypatch.setattr(services, "token_pair_for", slow_issue)
    outcomes: list[str] = []

    def spend(delay: float) -> None:
        time.sleep(delay)
        try:
            services.tokens_refresh(refresh_token=tokens["refresh_token"])
            outcomes.append("ok")
        except services.RefreshTokenInvalid:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - any other outcome is the failure being tested for
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=spend, args=(delay,)) for delay in (0, 0.1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["ok", "refused"]


def test_refresh_rejects_an_access_token(api, tokens):
    assert_error(api.post(REFRESH, {"refresh_token": tokens["token"]}, format="json"), 401, "token_invalid")


def test_refresh_rejects_garbage(api, db):
    assert_error(api.post(REFRESH, {"refresh_token": "not.a.token"}, format="json"), 401, "token_invalid")


def test_refresh_rejects_an_expired_refresh_token(api, user):
    token = RefreshToken.for_user(user)
    token[VERSION_CLAIM] = user.token_version
    token.set_exp(lifetime=timedelta(seconds=-30))

    assert_error(api.post(REFRESH, {"refresh_token": str(token)}, format="json"), 401, "token_expired")


def test_refresh_rejects_an_alg_none_refresh_token(api, tokens):
    claims = _unb64(tokens["refresh_token"].split(".")[1])
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    assert_error(api.post(REFRESH, {"refresh_token": unsigned}, format="json"), 401, "token_invalid")


def test_refresh_of_a_deactivated_user_is_rejected(api, user, tokens):
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert_error(api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json"), 401, "token_invalid")


def test_refresh_of_a_deleted_user_is_rejected(api, user, tokens):
    user.delete()

    assert_error(api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json"), 401, "token_invalid")


@pytest.mark.parametrize("payload", [{}, {"refresh_token": None}, {"refresh_token": 5}, {"refresh_token": ""}])
def test_refresh_invalid_input_is_400(api, db, payload):
    body = assert_error(api.post(REFRESH, payload, format="json"), 400, "validation_error")
    assert "refresh_token" in body["fields"]


# --- Logout -----------------------------------------------------------------------------------------
def test_logout_revokes_the_refresh_token_sent(api, make_client, tokens):
    response = make_client(tokens["token"]).post(LOGOUT, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert response.status_code == 204
    assert_contract("POST", LOGOUT, response)
    assert_error(api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json"), 401, "token_invalid")


@pytest.mark.parametrize("body", [{}, {"refresh_token": "sent"}], ids=["no-body", "refresh-token"])
def test_logout_ends_every_token_of_that_login_and_no_other(api, user, password, make_client, body):
    """Access tokens are valid 7 days (the apps never refresh): signing out must end the one the
    app holds, not only its refresh token. Other logins stay signed in."""
    phone = _login(api, user, password)
    rotated = api.post(REFRESH, {"refresh_token": phone["refresh_token"]}, format="json").json()
    laptop = _login(api, user, password)
    if body:
        body = {"refresh_token": rotated["refresh_token"]}

    assert make_client(rotated["token"]).post(LOGOUT, body, format="json").status_code == 204

    for token in (phone["token"], rotated["token"]):
        _assert_token_refused(make_client, token, "token_invalid")
    assert_error(api.post(REFRESH, {"refresh_token": rotated["refresh_token"]}, format="json"), 401, "token_invalid")
    assert _me_status(make_client, laptop["token"]) == 200
    assert api.post(REFRESH, {"refresh_token": laptop["refresh_token"]}, format="json").status_code == 200


def test_logout_without_a_body_is_204(make_client, tokens):
    assert make_client(tokens["token"]).post(LOGOUT, {}, format="json").status_code == 204


def test_logout_ignores_another_users_refresh_token(api, make_client, tokens):
    other_tokens = token_pair_for(UserFactory())

    response = make_client(tokens["token"]).post(LOGOUT, {"refresh_token": other_tokens["refresh_token"]}, format="json")

    assert response.status_code == 204
    assert api.post(REFRESH, {"refresh_token": other_tokens["refresh_token"]}, format="json").status_code == 200


def test_logout_with_an_unusable_refresh_token_is_still_204(make_client, tokens):
    response = make_client(tokens["token"]).post(LOGOUT, {"refresh_token": "garbage"}, format="json")

    assert response.status_code == 204


def test_logout_all_revokes_every_earlier_access_and_refresh_token(api, user, password, make_client):
    phone = api.post(LOGIN, {"email": user.email, "password": password}, format="json").json()
    laptop = api.post(LOGIN, {"email": user.email, "password": password}, format="json").json()

    response = make_client(phone["token"]).post(LOGOUT, {"all": True}, format="json")

    assert response.status_code == 204
    for session in (phone, laptop):
        _assert_token_refused(make_client, session["token"], "token_invalid")
        assert_error(api.post(REFRESH, {"refresh_token": session["refresh_token"]}, format="json"), 401, "token_invalid")
    # Signing in again works.
    fresh = api.post(LOGIN, {"email": user.email, "password": password}, format="json")
    assert fresh.status_code == 200
    assert _me_status(make_client, fresh.json()["token"]) == 200


def test_logout_requires_authentication(api, tokens):
    response = api.post(LOGOUT, {"refresh_token": tokens["refresh_token"]}, format="json")

    assert_error(response, 401, "not_authenticated")
    assert api.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json").status_code == 200


@pytest.mark.parametrize(("payload", "field"), [({"all": "yes"}, "all"), ({"all": 1}, "all"), ({"refresh_token": 5}, "refresh_token")])
def test_logout_invalid_input_is_400_and_revokes_nothing(make_client, user, tokens, payload, field):
    body = assert_error(make_client(tokens["token"]).post(LOGOUT, payload, format="json"), 400, "validation_error")

    assert field in body["fields"]
    assert User.objects.get(pk=user.pk).token_version == user.token_version
    assert _me_status(make_client, tokens["token"]) == 200


# --- Password change --------------------------------------------------------------------------------
def test_password_change_returns_new_tokens_and_revokes_all_others(api, user, password, make_client):
    phone = api.post(LOGIN, {"email": user.email, "password": password}, format="json").json()
    laptop = api.post(LOGIN, {"email": user.email, "password": password}, format="json").json()

    response = make_client(phone["token"]).post(
        PASSWORD, {"current_password": password, "new_password": "lilac-orchids-77"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert_contract("POST", PASSWORD, response)
    new = response.json()
    assert set(new) == {"token", "refresh_token"}
    assert _me_status(make_client, new["token"]) == 200
    for session in (phone, laptop):
        _assert_token_refused(make_client, session["token"], "token_invalid")
        assert_error(api.post(REFRESH, {"refresh_token": session["refresh_token"]}, format="json"), 401, "token_invalid")
    assert api.post(REFRESH, {"refresh_token": new["refresh_token"]}, format="json").status_code == 200
    assert_error(api.post(LOGIN, {"email": user.email, "password": password}, format="json"), 401, "invalid_credentials")
    assert api.post(LOGIN, {"email": user.email, "password": "lilac-orchids-77"}, format="json").status_code == 200


def test_password_change_with_a_wrong_current_password_is_400_and_changes_nothing(make_client, user, password, tokens):
    response = make_client(tokens["token"]).post(
        PASSWORD, {"current_password": "not-it-at-all", "new_password": "lilac-orchids-77"}, format="json"
    )

    body = assert_error(response, 400, "validation_error")
    assert_contract("POST", PASSWORD, response)
    assert list(body["fields"]) == ["current_password"]
    fresh = User.objects.get(pk=user.pk)
    assert fresh.check_password(password)
    assert fresh.token_version == user.token_version
    assert _me_status(make_client, tokens["token"]) == 200


@pytest.mark.parametrize("new_password", ["short1", "password123", "1234567890123", "<email>"])
def test_password_change_to_a_weak_password_is_400(make_client, user, password, tokens, new_password):
    new_password = user.email if new_password == "<email>" else new_password

    response = make_client(tokens["token"]).post(
        PASSWORD, {"current_password": password, "new_password": new_password}, format="json"
    )

    body = assert_error(response, 400, "validation_error")
    assert "new_password" in body["fields"]
    assert User.objects.get(pk=user.pk).check_password(password)


@pytest.mark.parametrize(
    "payload",
    [{}, {"current_password": "purple-violets-42"}, {"current_password": 5, "new_password": "lilac-orchids-77"}],
)
def test_password_change_invalid_input_is_400(make_client, tokens, payload):
    assert_error(make_client(tokens["token"]).post(PASSWORD, payload, format="json"), 400, "validation_error")


def test_password_change_requires_authentication(api, user, password):
    response = api.post(PASSWORD, {"current_password": password, "new_password": "lilac-orchids-77"}, format="json")

    assert_error(response, 401, "not_authenticated")
    assert User.objects.get(pk=user.pk).check_password(password)


# --- Password hashing in production ------------------------------------------------------------------
PRODUCTION_HASHERS = ["accounts.hashers.Argon2idPasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher",
                      "django.contrib.auth.hashers.BCryptPasswordHasher"]  # fmt: skip


def test_production_hashes_new_passwords_with_argon2id_at_the_owasp_parameters(settings):
    from violetvibes.settings import base

    assert base.PASSWORD_HASHERS == PRODUCTION_HASHERS
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    encoded = get_hasher("default").encode("students-violet-7", get_hasher("default").salt())
    # argon2id, 19 MiB, 2 passes, 1 lane: OWASP's first choice for password storage.
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_pbkdf2_hash_from_before_argon2_still_logs_in_and_is_upgraded(api, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = UserFactory(email="older@nyu.edu")
    pbkdf2 = get_hasher("pbkdf2_sha256")
    User.objects.filter(pk=user.pk).update(password=pbkdf2.encode("older-violets-99", pbkdf2.salt(), iterations=1000))

    assert api.post(LOGIN, {"email": "older@nyu.edu", "password": "older-violets-99"}, format="json").status_code == 200

    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert api.post(LOGIN, {"email": "older@nyu.edu", "password": "older-violets-99"}, format="json").status_code == 200
