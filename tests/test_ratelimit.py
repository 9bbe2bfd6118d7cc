"""Rate limits: per IP for anonymous endpoints, per email for login, per user when signed in."""

import pytest
from rest_framework.settings import api_settings

from accounts.models import User
from accounts.tokens import token_pair_for
from tests.contract import assert_contract, assert_error
from tests.factories import UserFactory

SIGNUP = "/api/auth/signup"
LOGIN = "/api/auth/login"
REFRESH = "/api/auth/refresh"
SETTINGS = "/api/user/settings"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_ratelimit_window")]


def _signup(client, n: int, **extra):
    return client.post(SIGNUP, {"email": f"signup{n}@nyu.edu", "password": "purple-violets-42"}, format="json", **extra)


def _assert_rate_limited(response, limit_seconds: int = 60) -> None:
    assert_error(response, 429, "rate_limited")
    retry_after = response["Retry-After"]
    assert retry_after.isdigit(), retry_after
    assert 1 <= int(retry_after) <= limit_seconds


def test_signup_sixth_request_in_a_minute_is_429_with_retry_after(api):
    for n in range(5):
        assert _signup(api, n).status_code == 201

    response = _signup(api, 5)

    _assert_rate_limited(response)
    assert_contract("POST", SIGNUP, response)
    assert User.objects.count() == 5


def test_signup_limit_is_per_ip(make_client):
    for n in range(5):
        assert _signup(make_client(ip="10.0.0.1"), n).status_code == 201
    _assert_rate_limited(_signup(make_client(ip="10.0.0.1"), 5))

    assert _signup(make_client(ip="10.0.0.2"), 6).status_code == 201


def test_invalid_requests_count_too(api):
    for _ in range(5):
        assert api.post(SIGNUP, {}, format="json").status_code == 400

    _assert_rate_limited(_signup(api, 0))


def test_login_sixth_attempt_from_one_ip_is_429(api, user, password):
    for _ in range(5):
        assert api.post(LOGIN, {"email": user.email, "password": "wrong-password"}, format="json").status_code == 401

    response = api.post(LOGIN, {"email": user.email, "password": password}, format="json")

    _assert_rate_limited(response)
    assert_contract("POST", LOGIN, response)


def test_login_is_limited_to_10_an_hour_per_email_across_ips(make_client, user, password):
    for n in range(10):
        response = make_client(ip=f"10.1.0.{n}").post(LOGIN, {"email": user.email, "password": "wrong-password"}, format="json")
        assert response.status_code == 401

    # Even the right password, from a fresh address, and whatever the case of the email.
    response = make_client(ip="10.1.0.99").post(LOGIN, {"email": user.email.upper(), "password": password}, format="json")

    _assert_rate_limited(response, limit_seconds=3600)
    # Another account from the same fresh address is unaffected.
    other = UserFactory(password=password)
    assert make_client(ip="10.1.0.99").post(LOGIN, {"email": other.email, "password": password}, format="json").status_code == 200


def test_refresh_eleventh_request_in_a_minute_is_429(api):
    for _ in range(10):
        assert api.post(REFRESH, {"refresh_token": "not-a-token"}, format="json").status_code == 401

    _assert_rate_limited(api.post(REFRESH, {"refresh_token": "not-a-token"}, format="json"))


def test_x_forwarded_for_is_ignored_by_default(api):
    assert api_settings.NUM_PROXIES == 0
    for n in range(5):
        assert _signup(api, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code == 201

    _assert_rate_limited(_signup(api, 5, HTTP_X_FORWARDED_FOR="203.0.113.200"))


def test_x_forwarded_for_is_honoured_behind_one_trusted_proxy(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert api_settings.NUM_PROXIES == 1  # override_settings' setting_changed reloaded DRF's settings

    # Each client address gets its own budget, whatever it claims before the proxy's entry.
    for n in range(7):
        assert _signup(api, n, HTTP_X_FORWARDED_FOR=f"198.51.100.7, 203.0.113.{n}").status_code == 201
    for n in range(7, 12):
        assert _signup(api, n, HTTP_X_FORWARDED_FOR=f"{n}.{n}.{n}.{n}, 203.0.113.50").status_code == 201

    _assert_rate_limited(_signup(api, 12, HTTP_X_FORWARDED_FOR="203.0.113.50"))


def test_authenticated_requests_are_limited_per_user_not_per_ip(settings, make_client):
    settings.RATELIMIT_DEFAULT = "3/m"
    first, second = UserFactory(), UserFactory()
    first_token, second_token = token_pair_for(first)["token"], token_pair_for(second)["token"]

    for n in range(3):
        assert make_client(first_token, ip=f"10.2.0.{n}").get(SETTINGS).status_code == 200

    _assert_rate_limited(make_client(first_token, ip="10.2.0.99").get(SETTINGS))
    # The same address, another user: a budget of its own.
    assert make_client(second_token, ip="10.2.0.1").get(SETTINGS).status_code == 200


def test_default_limit_is_120_a_minute(settings):
    assert settings.RATELIMIT_DEFAULT == "120/m"
    assert settings.RATELIMITS["signup"] == settings.RATELIMITS["login"] == "5/m"
    assert settings.RATELIMITS["login_email"] == "10/h"
    assert settings.RATELIMITS["refresh"] == "10/m"


def test_ratelimit_enable_false_switches_limits_off(api, settings):
    settings.RATELIMIT_ENABLE = False

    for n in range(8):
        assert _signup(api, n).status_code == 201
    for _ in range(12):
        assert api.post(LOGIN, {"email": "signup0@nyu.edu", "password": "wrong-password"}, format="json").status_code == 401


def test_a_view_can_name_its_group_per_method(user, password, make_client):
    # DELETE /api/user/me checks the password: the password budget (5/m); reading it does not spend it.
    api = make_client(token_pair_for(user)["token"])
    for _ in range(10):
        assert api.get("/api/user/me").status_code == 200
    for n in range(5):
        assert api.delete("/api/user/me", {"password": f"guess-{n}"}, format="json").status_code == 400

    _assert_rate_limited(api.delete("/api/user/me", {"password": password}, format="json"))
    assert api.get("/api/user/me").status_code == 200
    assert User.objects.filter(pk=user.pk).exists()
