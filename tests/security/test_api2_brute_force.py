"""OWASP API2, broken authentication: guessing passwords (the admin login and the API login),
locking someone else out, and finding out which emails have an account.

Failed sign-ins are counted, not attempts, on the shared cache (violetvibes/ratelimit.py):
per email and address, per address, and per email alone (far higher). Each limit locks for a
while and doubles the wait with each further failure; a wait always ends. The admin login and
/api/auth/login count the same failures: a guess is a guess, wherever it is made.
"""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import assert_contract, assert_error
from tests.factories import UserFactory
from tests.security.conftest import client

LOGIN = "/api/auth/login"
SIGNUP = "/api/auth/signup"
ADMIN_LOGIN = "/admin/login/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def at(clock):
    """at(seconds): the clock stopped `seconds` after a weekday afternoon (every window here starts there)."""
    return lambda seconds=0: clock(WEEKDAY_AFTERNOON + timedelta(seconds=seconds), tick=False)


@pytest.fixture
def staff(password) -> User:
    return UserFactory(email="staff-admin@nyu.edu", is_staff=True, is_superuser=True, password=password)


def _admin_login(email: str, password: str, ip: str = "203.0.113.9"):
    return Client(REMOTE_ADDR=ip).post(ADMIN_LOGIN, {"username": email, "password": password, "next": "/admin/"})


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def _login(email: str, password: str, ip: str, **extra):
    return client(ip=ip).post(LOGIN, {"email": email, "password": password}, format="json", **extra)


def _locked(response, wait: int) -> None:
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) == wait, response["Retry-After"]


def _lock_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING and "locked" in record.getMessage()]


# --- 1. The admin login ---------------------------------------------------------------------------------
def test_the_admin_login_refuses_an_address_after_5_wrong_passwords_and_logs_it(at, staff, password, caplog):
    """The review: 40 wrong passwords in 1.9 s were all answered, then the right one signed in (and
    staff read every user's decrypted home address)."""
    at(0)
    with caplog.at_level(logging.WARNING):
        for n in range(5):
            response = _admin_login(staff.email, f"guess-{n}")
            assert response.status_code == 200 and not _signed_in(response)

    response = _admin_login(staff.email.upper(), password)

    assert response.status_code == 429 and not _signed_in(response)
    assert int(response["Retry-After"]) == 60
    assert b"Too many failed sign-ins" in response.content
    warnings = _lock_warnings(caplog)
    assert any(staff.email in line and "203.0.113.9" in line for line in warnings), caplog.text


def test_forty_wrong_admin_passwords_are_not_all_checked(at, staff, password, monkeypatch):
    import accounts.services

    checked = []
    real = accounts.services.authenticate
    monkeypatch.setattr(accounts.services, "authenticate", lambda *args, **kwargs: checked.append(1) or real(*args, **kwargs))
    at(0)

    answers = [_admin_login(staff.email, f"guess-{n}").status_code for n in range(40)]

    assert answers.count(429) == 35
    assert len(checked) == 5
    assert _admin_login(staff.email, password).status_code == 429


def test_an_admin_lockout_ends_and_each_further_failure_doubles_it(at, staff, password):
    at(0)
    for n in range(5):
        _admin_login(staff.email, f"guess-{n}")
    assert _admin_login(staff.email, password).status_code == 429

    at(60)  # the first lock (60 s) is over: one more guess, which locks for twice as long
    assert _admin_login(staff.email, "guess-5").status_code == 200
    at(60 + 119)
    assert int(_admin_login(staff.email, password)["Retry-After"]) == 1
    at(60 + 120)

    assert _signed_in(_admin_login(staff.email, password))


def test_staff_sign_in_from_their_own_address_while_an_attacker_is_locked_out(at, staff, password):
    at(0)
    for n in range(8):
        _admin_login(staff.email, f"guess-{n}", ip="198.51.100.66")

    assert _signed_in(_admin_login(staff.email, password, ip="10.20.30.40"))


def test_the_admin_login_and_the_api_login_count_the_same_failures(at, staff, password):
    at(0)
    for n in range(3):
        assert _admin_login(staff.email, f"guess-{n}", ip="198.51.100.7").status_code == 200
    for n in range(2):
        assert _login(staff.email, f"api-guess-{n}", "198.51.100.7").status_code == 401

    assert _admin_login(staff.email, password, ip="198.51.100.7").status_code == 429
    _locked(_login(staff.email, password, "198.51.100.7"), 60)


def test_a_right_password_without_staff_rights_is_not_a_failed_guess(at, user, password):
    at(0)
    for _ in range(6):
        response = _admin_login(user.email, password)
        assert response.status_code == 200 and b"staff account" in response.content


# --- 2. The API login: nobody else can lock a student out ---------------------------------------------------
def test_ten_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(at, user, password):
    """The review: ten wrong passwords for someone's email from one address in two minutes locked
    its owner out of both instances for up to 46 minutes."""
    statuses = []
    for n in range(10):
        at(n * 12)
        statuses.append(_login(user.email, f"wrong-{n}", "198.51.100.20").status_code)
    # login_email_ip: five failures lock that address out of that account for 60 s (from 48 s to
    # 108 s); then one more try, which is a failure again.
    assert statuses == [401] * 5 + [429] * 4 + [401]

    response = _login(user.email, password, "10.20.30.40")

    assert response.status_code == 200, response.content
    assert_contract("POST", LOGIN, response)


def test_failures_are_counted_not_attempts(at, user, password):
    at(0)
    for _ in range(3):
        for n in range(4):
            assert _login(user.email, f"typo-{n}", "10.1.1.1").status_code == 401
        assert _login(user.email, password, "10.1.1.1").status_code == 200  # and the count starts again
    for _ in range(10):
        assert _login(user.email, password, "10.1.1.1").status_code == 200


def test_five_failures_for_an_email_from_one_address_lock_that_pair_with_a_doubling_wait(at, user, password):
    at(0)
    for n in range(5):
        assert _login(user.email, f"wrong-{n}", "198.51.100.21").status_code == 401
    _locked(_login(user.email, password, "198.51.100.21"), 60)
    # The same address for another account, and the same account elsewhere: unaffected.
    other = UserFactory(password=password)
    assert _login(other.email, password, "198.51.100.21").status_code == 200
    assert _login(user.email, password, "10.1.2.3").status_code == 200

    at(60)
    assert _login(user.email, "wrong-5", "198.51.100.21").status_code == 401
    _locked(_login(user.email, password, "198.51.100.21"), 120)
    at(180)
    assert _login(user.email, "wrong-6", "198.51.100.21").status_code == 401
    _locked(_login(user.email, password, "198.51.100.21"), 240)
    at(420)

    assert _login(user.email, password, "198.51.100.21").status_code == 200


def test_the_longest_wait_is_capped(at, user, password):
    rule = settings.FAILURE_LIMITS["login_email_ip"]
    at(0)
    for n in range(rule["failures"]):
        _login(user.email, f"wrong-{n}", "198.51.100.22")
    elapsed = 0
    for n in range(12):  # one more failure at the end of each wait
        elapsed += min(rule["lock"] * 2**n, rule["max_lock"])
        at(elapsed)
        assert _login(user.email, f"again-{n}", "198.51.100.22").status_code == 401

    _locked(_login(user.email, password, "198.51.100.22"), rule["max_lock"])


def test_failures_from_one_address_across_many_emails_lock_the_address_but_not_known_accounts(at, password):
    regular = UserFactory(password=password)
    at(0)
    assert _login(regular.email, password, "198.51.100.30").status_code == 200  # signs in here often
    for n in range(20):
        assert _login(f"nobody-{n}@nyu.edu", "wrong", "198.51.100.30").status_code == 401

    newcomer = UserFactory(password=password)
    _locked(_login(newcomer.email, password, "198.51.100.30"), 60)
    assert _login(regular.email, password, "198.51.100.30").status_code == 200
    assert _login(newcomer.email, password, "10.1.2.4").status_code == 200


def test_an_account_wide_limit_only_far_higher_and_logged(at, user, password, caplog):
    limit = settings.FAILURE_LIMITS["login_email"]["failures"]
    assert limit >= 10 * settings.FAILURE_LIMITS["login_email_ip"]["failures"]
    at(0)
    assert _login(user.email, password, "10.50.0.1").status_code == 200  # the owner's usual network
    with caplog.at_level(logging.WARNING):
        for n in range(limit):
            assert _login(user.email, "wrong", f"198.18.{n // 200}.{n % 200 + 1}").status_code == 401

    _locked(_login(user.email, password, "10.60.0.1"), settings.FAILURE_LIMITS["login_email"]["lock"])
    assert _login(user.email, password, "10.50.0.1").status_code == 200
    assert any("login_email" in line and user.email in line for line in _lock_warnings(caplog)), caplog.text


def test_failures_are_counted_per_client_address_behind_a_trusted_proxy(at, user, password, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    at(0)
    for n in range(5):
        assert _login(user.email, f"wrong-{n}", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.77").status_code == 401

    _locked(_login(user.email, password, "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.77"), 60)
    assert _login(user.email, password, "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.78").status_code == 200


def test_a_forged_x_forwarded_for_does_not_reset_the_count_without_a_trusted_proxy(at, user, password):
    at(0)
    for n in range(5):
        _login(user.email, f"wrong-{n}", "198.51.100.40", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    _locked(_login(user.email, password, "198.51.100.40", HTTP_X_FORWARDED_FOR="192.0.2.200"), 60)


# --- 3. Signup: which emails have an account -------------------------------------------------------------
def _signup(email: str, ip: str):
    return client(ip=ip).post(SIGNUP, {"email": email, "password": "purple-violets-42"}, format="json")


def test_signups_hitting_many_existing_emails_lock_the_address_and_are_logged(at, caplog):
    taken = [UserFactory(email=f"student{n}@nyu.edu") for n in range(6)]
    rule = settings.FAILURE_LIMITS["signup_taken_ip"]
    for n in range(rule["failures"]):
        at(n * 61)  # under the 5/minute signup limit
        assert_error(_signup(taken[n].email, "198.51.100.50"), 409, "email_taken")

    at(rule["failures"] * 61)
    with caplog.at_level(logging.WARNING):
        response = _signup("brand-new@nyu.edu", "198.51.100.50")

    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= rule["lock"]
    assert_contract("POST", SIGNUP, response)
    assert not User.objects.filter(email="brand-new@nyu.edu").exists()
    assert any("198.51.100.50" in line for line in _lock_warnings(caplog)), caplog.text
    # Another address signs up, and still learns that an email is taken: the apps rely on 409.
    assert _signup("brand-new@nyu.edu", "10.70.0.1").status_code == 201
    assert_error(_signup(taken[5].email, "10.70.0.1"), 409, "email_taken")


def test_new_accounts_and_invalid_signups_are_not_counted_as_hits(at):
    UserFactory(email="exists@nyu.edu")
    for n in range(12):
        at(n * 61)
        assert _signup(f"new-{n}@nyu.edu", "10.71.0.1").status_code == 201
        assert client(ip="10.71.0.1").post(SIGNUP, {"email": "not-an-email"}, format="json").status_code == 400
    for n in range(4):
        at(12 * 61 + n * 61)
        assert _signup("exists@nyu.edu", "10.71.0.1").status_code == 409

    at(16 * 61)
    assert _signup("another-new@nyu.edu", "10.71.0.1").status_code == 201


def test_a_request_without_a_client_address_is_answered_not_a_500(user, password):
    """Found by tests/test_fuzz.py: a WSGI server that passes no REMOTE_ADDR (a unix socket) gave the
    limits no address to count under."""
    from rest_framework.test import APIRequestFactory

    from accounts.views import LoginApi, SignupApi

    def call(view, path: str, body: dict):
        request = APIRequestFactory().post(path, body, format="json")
        del request.META["REMOTE_ADDR"]
        return view.as_view()(request)

    assert call(LoginApi, LOGIN, {"email": user.email, "password": "wrong"}).status_code == 401
    assert call(LoginApi, LOGIN, {"email": user.email, "password": password}).status_code == 200
    assert call(SignupApi, SIGNUP, {"email": user.email, "password": "purple-violets-42"}).status_code == 409
