"""Tokens of the old Flask server after the switch: access tokens work until they expire, refresh tokens
are exchanged once, and both follow this project's revocation rules."""

import base64
import json

import jwt
import pytest
from django.conf import settings

from accounts.models import LegacyTokenExchange
from accounts.tokens import token_pair_for
from tests.accounts.legacy_db import legacy_token
from tests.contract import assert_error
from tests.factories import UserFactory

ME = "/api/user/me"
REFRESH = "/api/auth/refresh"
LOGOUT = "/api/auth/logout"
LEGACY_ID = 424242

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    """A user brought over by import_legacy_users: known here by the old server's id too."""
    user = UserFactory(email="zoe@nyu.edu")
    user.legacy_id = LEGACY_ID
    user.save(update_fields=["legacy_id"])
    return user


def _access(sub: object = LEGACY_ID, **kwargs: object) -> str:
    return legacy_token(sub, secret=settings.JWT_SECRET, **kwargs)


def _refresh(sub: object = LEGACY_ID, **kwargs: object) -> str:
    kwargs.setdefault("expires_in", 30 * 86400)
    return legacy_token(sub, secret=settings.JWT_SECRET, kind="refresh", **kwargs)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# --- Access tokens -----------------------------------------------------------------------------------
def test_an_old_access_token_is_accepted_for_the_imported_user(imported, make_client):
    response = make_client(_access()).get(ME)

    assert response.status_code == 200, response.content
    assert response.json()["id"] == imported.pk


def test_a_numeric_string_sub_is_accepted_too(imported, make_client):
    assert make_client(_access(str(LEGACY_ID))).get(ME).status_code == 200


def test_the_old_id_names_the_imported_user_even_where_it_is_another_users_id_here(imported, make_client):
    other = UserFactory(id=LEGACY_ID)

    assert make_client(_access()).get(ME).json()["id"] == imported.pk
    assert make_client(token_pair_for(other)["token"]).get(ME).json()["id"] == other.pk


@pytest.mark.parametrize(
    ("token", "code"),
    [
        pytest.param(lambda: _access(expires_in=-10), "token_expired", id="expired"),
        pytest.param(lambda: legacy_token(LEGACY_ID, secret="another-secret-another-secret-123"), "token_invalid", id="other-secret"),
        pytest.param(lambda: legacy_token(LEGACY_ID, secret=settings.JWT_SECRET, algorithm="HS384"), "token_invalid", id="hs384"),
        pytest.param(lambda: _refresh(), "token_invalid", id="refresh-as-access"),
        pytest.param(lambda: _access(jti="abc"), "token_invalid", id="with-jti"),
        pytest.param(lambda: _access(999), "token_invalid", id="unknown-old-id"),
        pytest.param(lambda: _access("7x"), "token_invalid", id="non-numeric-sub"),
        pytest.param(lambda: _access(type=None), "token_invalid", id="no-type"),
        pytest.param(
            lambda: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': LEGACY_ID, 'type': 'access', 'exp': 9999999999, 'iat': 1})}.",
            "token_invalid",
            id="alg-none",
        ),
    ],
)
def test_old_access_tokens_that_must_not_work_are_refused(imported, make_client, token, code):
    assert_error(make_client(token()).get(ME), 401, code)


def test_an_old_access_token_stops_working_once_the_user_signs_out_everywhere(imported, make_client):
    client = make_client(_access())

    assert client.post(LOGOUT, {"all": True}, format="json").status_code == 204

    assert_error(client.get(ME), 401, "token_invalid")


def test_an_old_access_token_of_a_deactivated_user_is_refused(imported, make_client):
    imported.is_active = False
    imported.save()

    assert_error(make_client(_access()).get(ME), 401, "token_invalid")


# --- Refresh tokens ----------------------------------------------------------------------------------
def test_an_old_refresh_token_is_exchanged_once(imported, api, make_client):
    old = _refresh()

    first = api.post(REFRESH, {"refresh_token": old}, format="json")

    assert first.status_code == 200, first.content
    pair = first.json()
    assert make_client(pair["token"]).get(ME).json()["id"] == imported.pk
    assert api.post(REFRESH, {"refresh_token": pair["refresh_token"]}, format="json").status_code == 200
    assert_error(api.post(REFRESH, {"refresh_token": old}, format="json"), 401, "token_invalid")
    assert LegacyTokenExchange.objects.filter(user=imported).count() == 1


def test_an_old_refresh_token_exchanged_again_ends_the_pair_it_became(imported, api, make_client):
    """As with a reused refresh token of ours: two holders of one token, so all it became stops."""
    old = _refresh()
    pair = api.post(REFRESH, {"refresh_token": old}, format="json").json()
    other = token_pair_for(imported)  # another login

    assert_error(api.post(REFRESH, {"refresh_token": old}, format="json"), 401, "token_invalid")

    assert_error(make_client(pair["token"]).get(ME), 401, "token_invalid")
    assert_error(api.post(REFRESH, {"refresh_token": pair["refresh_token"]}, format="json"), 401, "token_invalid")
    assert make_client(other["token"]).get(ME).status_code == 200


def test_an_old_refresh_token_with_a_numeric_string_sub_is_exchanged_too(imported, api):
    # simplejwt's own blacklist check read the missing "jti" first and raised KeyError (a 500).
    response = api.post(REFRESH, {"refresh_token": _refresh(str(LEGACY_ID))}, format="json")

    assert response.status_code == 200, response.content
    assert LegacyTokenExchange.objects.filter(user=imported).count() == 1


def test_another_spelling_of_a_spent_refresh_token_is_refused_too(imported, api):
    old = _refresh()
    assert api.post(REFRESH, {"refresh_token": old}, format="json").status_code == 200
    # The signature's last base64 character carries two unused bits: flipping one decodes the same
    # bytes. Recent PyJWT refuses such a spelling; older ones verify it, and the claims digest catches it.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = old[:-1] + alphabet[alphabet.index(old[-1]) ^ 1]
    assert respelled != old

    assert_error(api.post(REFRESH, {"refresh_token": respelled}, format="json"), 401, "token_invalid")


@pytest.mark.parametrize(
    ("token", "code"),
    [
        pytest.param(lambda: _refresh(expires_in=-10), "token_expired", id="expired"),
        pytest.param(lambda: _access(), "token_invalid", id="access-as-refresh"),
        pytest.param(lambda: legacy_token(LEGACY_ID, secret="another-secret-another-secret-123", kind="refresh"), "token_invalid", id="other-secret"),
        pytest.param(lambda: _refresh(999), "token_invalid", id="unknown-old-id"),
    ],
)
def test_old_refresh_tokens_that_must_not_work_are_refused(imported, api, token, code):
    assert_error(api.post(REFRESH, {"refresh_token": token()}, format="json"), 401, code)
    assert not LegacyTokenExchange.objects.exists()


def test_an_old_refresh_token_is_refused_after_signing_out_everywhere(imported, api, make_client):
    assert make_client(_access()).post(LOGOUT, {"all": True}, format="json").status_code == 204

    assert_error(api.post(REFRESH, {"refresh_token": _refresh()}, format="json"), 401, "token_invalid")


def test_signing_out_with_an_old_refresh_token_spends_it(imported, api, make_client):
    old = _refresh()

    assert make_client(_access()).post(LOGOUT, {"refresh_token": old}, format="json").status_code == 204

    assert_error(api.post(REFRESH, {"refresh_token": old}, format="json"), 401, "token_invalid")


def test_the_old_servers_key_can_be_set_apart_from_this_projects(imported, make_client, settings, monkeypatch):
    """With LEGACY_JWT_SECRET set, old tokens verify with it and this project signs with its own key."""
    from rest_framework_simplejwt.state import token_backend

    old_secret = settings.JWT_SECRET
    settings.LEGACY_JWT_SECRET = old_secret
    new_key = "a-new-key-the-old-server-never-knew-0123456789"
    monkeypatch.setattr(token_backend, "signing_key", new_key)
    monkeypatch.setattr(token_backend, "prepared_signing_key", token_backend._prepare_key(new_key))

    assert make_client(_access()).get(ME).status_code == 200
    ours = token_pair_for(imported)["token"]
    assert make_client(ours).get(ME).status_code == 200
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(ours, old_secret, algorithms=["HS256"])  # what the old server would do with it
