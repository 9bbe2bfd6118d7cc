"""Rate limits: per IP for anonymous endpoints, per user when signed in; and failure limits (wrong
passwords, signups for taken emails) with their locks, on the shared cache. What they protect
against is in tests/security/test_api2_brute_force.py."""

import itertools
import uuid
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from rest_framework.settings import api_settings

from accounts import services
from accounts.models import User
from accounts.tokens import token_pair_for
from tests.clock import WEEKDAY_AFTERNOON
from tests.conftest import api_client as api_client_for
from tests.contract import assert_contract, assert_error
from tests.factories import UserFactory
from violetvibes import ratelimit
from violetvibes.ratelimit import Locked, failures_counted

SIGNUP = "/api/auth/signup"
LOGIN = "/api/auth/login"
REFRESH = "/api/auth/refresh"
SETTINGS = "/api/user/settings"
ME = "/api/user/me"

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


def test_login_after_five_wrong_passwords_for_an_email_from_one_ip_is_429(api, user, password):
    for _ in range(5):
        assert api.post(LOGIN, {"email": user.email, "password": "wrong-password"}, format="json").status_code == 401

    response = api.post(LOGIN, {"email": user.email, "password": password}, format="json")

    _assert_rate_limited(response)
    assert_contract("POST", LOGIN, response)


def test_login_attempts_from_one_ip_are_capped_at_30_a_minute_whatever_their_outcome(make_client, password):
    users = [UserFactory(password=password) for _ in range(31)]
    for user in users[:30]:
        assert make_client(ip="10.1.0.1").post(LOGIN, {"email": user.email, "password": password}, format="json").status_code == 200

    response = make_client(ip="10.1.0.1").post(LOGIN, {"email": users[30].email, "password": password}, format="json")

    _assert_rate_limited(response)
    assert make_client(ip="10.1.0.2").post(LOGIN, {"email": users[30].email, "password": password}, format="json").status_code == 200


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


def test_a_signed_in_request_counted_with_its_users_row_is_counted_once(settings, make_client, user):
    settings.RATELIMIT_DEFAULT = "3/m"
    client = make_client(token_pair_for(user)["token"])

    for _ in range(3):
        assert client.get(ME).status_code == 200  # counted by authentication, not again by the throttle

    _assert_rate_limited(client.get(ME))


def test_a_refused_token_does_not_spend_its_users_budget(settings, make_client, user):
    settings.RATELIMIT_DEFAULT = "2/m"
    revoked = token_pair_for(user)["token"]
    services.user_tokens_revoke_all(user=user)
    for _ in range(5):
        assert make_client(revoked).get(ME).status_code == 401

    current = make_client(token_pair_for(user)["token"])
    assert [current.get(ME).status_code for _ in range(3)] == [200, 200, 429]


def test_a_signed_in_request_is_counted_in_the_round_trip_that_reads_its_user(settings, make_client, user, real_redis_url):
    """One Redis command per /me: the rate limit's count and the user's row (and recent activity)."""
    import redis

    settings.CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": real_redis_url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    }
    settings.RATELIMIT_DEFAULT = "3/m"
    client = make_client(token_pair_for(user)["token"])
    assert client.get(ME).status_code == 200  # the row is read from the database and cached
    commands: list[str] = []
    execute = redis.Redis.execute_command

    def recorded(self, *args, **options):
        commands.append(args[0])
        return execute(self, *args, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redis.Redis, "execute_command", recorded)
        assert client.get(ME).status_code == 200

    assert commands == ["EVALSHA"]
    assert client.get(ME).status_code == 200
    _assert_rate_limited(client.get(ME))
    caches["default"].delete_pattern("*")  # this test's prefix only


def test_default_limit_is_120_a_minute(settings):
    assert settings.RATELIMIT_DEFAULT == "120/m"
    assert settings.RATELIMITS["signup"] == "5/m"
    assert settings.RATELIMITS["login"] == "30/m"
    assert settings.RATELIMITS["refresh"] == "10/m"
    assert "login_email" not in settings.RATELIMITS  # counted attempts, so anyone could lock an owner out
    assert {name: rule["failures"] for name, rule in settings.FAILURE_LIMITS.items()} == {
        "login_email_ip": 5, "login_ip": 20, "login_email": 100, "signup_taken_ip": 5,
    }


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


# --- Whose budget: the client's address --------------------------------------------------------------
def _trust_proxies(settings, count: int) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    assert count == api_settings.NUM_PROXIES


def test_the_addresses_of_one_ipv6_64_share_one_budget(make_client):
    # One /64 is one subscriber's network: its 2^64 addresses are not 2^64 budgets.
    for n in range(5):
        assert _signup(make_client(ip=f"2001:db8:1:2::{n + 1:x}"), n).status_code == 201
    for n in range(5, 8):
        _assert_rate_limited(_signup(make_client(ip=f"2001:db8:1:2:{n:x}::abcd"), n))

    assert _signup(make_client(ip="2001:db8:1:3::1"), 9).status_code == 201  # the next /64: its own


def test_ipv6_behind_a_trusted_proxy_is_keyed_by_its_64_too(api, settings):
    _trust_proxies(settings, 1)
    for n in range(5):
        assert _signup(api, n, HTTP_X_FORWARDED_FOR=f"2001:DB8:0:7:{n}::1").status_code == 201

    _assert_rate_limited(_signup(api, 5, HTTP_X_FORWARDED_FOR="2001:db8:0:7:ffff:ffff:ffff:ffff"))
    assert _signup(api, 6, HTTP_X_FORWARDED_FOR="2001:db8:0:8::1").status_code == 201


def test_an_ipv4_mapped_ipv6_address_is_its_ipv4_address(make_client):
    for n in range(5):
        assert _signup(make_client(ip="::ffff:198.51.100.9" if n % 2 else "198.51.100.9"), n).status_code == 201

    _assert_rate_limited(_signup(make_client(ip="198.51.100.9"), 5))
    assert _signup(make_client(ip="::ffff:198.51.100.10"), 6).status_code == 201


@pytest.mark.parametrize("header", ["", " ", "unknown", "not-an-address", ",", "999.1.1.1", "2001:db8::/64", "198.51.100.7; DROP"])
def test_a_malformed_x_forwarded_for_falls_back_to_the_peer_address(make_client, settings, header):
    _trust_proxies(settings, 1)
    for n in range(5):
        assert _signup(make_client(ip=f"10.3.0.{n}"), n, HTTP_X_FORWARDED_FOR=header).status_code == 201
    # Not one bucket for every sender of the same junk...
    assert _signup(make_client(ip="10.3.0.9"), 5, HTTP_X_FORWARDED_FOR=header).status_code == 201
    # ...but the peer's own budget, with or without the header.
    for n in range(6, 9):
        assert _signup(make_client(ip="10.3.0.1"), n, HTTP_X_FORWARDED_FOR=header).status_code == 201
    assert _signup(make_client(ip="10.3.0.1"), 9).status_code == 201

    _assert_rate_limited(_signup(make_client(ip="10.3.0.1"), 10, HTTP_X_FORWARDED_FOR=header))


@pytest.mark.parametrize(
    ("forwarded", "same_client"),
    [("203.0.113.5:{port}", "203.0.113.5"), ("[2001:db8:5::{n}]:{port}", "2001:db8:5::99")],
)
def test_a_forwarded_address_with_a_port_is_the_address(api, settings, forwarded, same_client):
    _trust_proxies(settings, 1)
    for n in range(5):
        header = forwarded.format(n=n + 1, port=40000 + n)
        assert _signup(api, n, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {header}").status_code == 201

    _assert_rate_limited(_signup(api, 5, HTTP_X_FORWARDED_FOR=same_client))


# --- TRUSTED_PROXY_COUNT must match the deployment --------------------------------------------------
def test_requests_without_the_proxies_header_are_logged_once(api, settings, caplog):
    _trust_proxies(settings, 1)
    with caplog.at_level("WARNING", logger="violetvibes.ratelimit"):
        for n in range(3):
            assert _signup(api, n).status_code == 201  # keyed by the peer address meanwhile

    warnings = [record for record in caplog.records if record.name == "violetvibes.ratelimit"]
    assert len(warnings) == 1
    assert "TRUSTED_PROXY_COUNT" in warnings[0].getMessage()
    assert warnings[0].levelname == "WARNING"


def test_a_header_shorter_than_the_trusted_proxies_is_logged_too(api, settings, caplog):
    _trust_proxies(settings, 2)
    with caplog.at_level("WARNING", logger="violetvibes.ratelimit"):
        assert _signup(api, 0, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 201

    assert [record.name for record in caplog.records] == ["violetvibes.ratelimit"]


def test_nothing_is_logged_when_the_proxies_header_is_there_or_no_proxy_is_trusted(api, settings, caplog):
    with caplog.at_level("WARNING", logger="violetvibes.ratelimit"):
        assert _signup(api, 0).status_code == 201
        _trust_proxies(settings, 1)
        assert _signup(api, 1, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.1").status_code == 201

    assert [record for record in caplog.records if record.name == "violetvibes.ratelimit"] == []


def _deploy_check_ids() -> list[str]:
    from django.core.checks import run_checks

    return [message.id for message in run_checks(include_deployment_checks=True)]


def test_the_deploy_check_warns_when_no_proxy_is_trusted(settings):
    _trust_proxies(settings, 0)
    assert "violetvibes.W001" in _deploy_check_ids()

    _trust_proxies(settings, 1)
    assert "violetvibes.W001" not in _deploy_check_ids()


def test_the_warning_is_a_deploy_check_only(settings):
    from django.core.checks import run_checks

    _trust_proxies(settings, 0)
    assert "violetvibes.W001" not in [message.id for message in run_checks()]


@pytest.mark.parametrize("count", [-1, "1", 1.5, None])
def test_a_trusted_proxy_count_that_is_not_a_whole_number_is_an_error(settings, count):
    from django.core.checks import run_checks

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}
    assert "violetvibes.E001" in [message.id for message in run_checks()]


# --- Failure limits: the mechanism ------------------------------------------------------------------------
RULE = {"failures": 3, "lock": 10, "max_lock": 40, "window": 3600}


@pytest.fixture
def rule(settings):
    settings.FAILURE_LIMITS = {**settings.FAILURE_LIMITS, "test": RULE}
    return RULE


@pytest.fixture
def at(clock):
    return lambda seconds=0: clock(WEEKDAY_AFTERNOON + timedelta(seconds=seconds), tick=False)


def _fail(key: str = "k") -> None:
    with failures_counted([("test", key)], label="test") as attempt:
        attempt.failed()


def _wait(key: str = "k") -> int | None:
    """Seconds a new attempt is asked to wait; None: it is let through (and settled as not tried)."""
    try:
        with failures_counted([("test", key)], label="test"):
            return None
    except Locked as exc:
        return exc.wait


def test_a_burst_of_concurrent_attempts_gets_only_the_allowed_tries(rule, at):
    at(0)
    with ExitStack() as stack:
        attempts = [stack.enter_context(failures_counted([("test", "k")], label="test")) for _ in range(3)]
        # Three are being checked: a fourth is refused before the first of them has failed.
        with pytest.raises(Locked):
            stack.enter_context(failures_counted([("test", "k")], label="test"))
        for attempt in attempts:
            attempt.failed()

    assert _wait() == 10


def test_after_each_lock_one_try_and_each_failure_doubles_the_lock_up_to_the_longest(rule, at):
    at(0)
    for _ in range(3):
        _fail()
    assert _wait() == 10
    waits = []
    elapsed = 0
    for _ in range(4):
        elapsed += waits[-1] if waits else 10
        at(elapsed)
        with ExitStack() as stack:
            attempt = stack.enter_context(failures_counted([("test", "k")], label="test"))
            with pytest.raises(Locked):  # the one try is taken
                failures_counted([("test", "k")], label="test").__enter__()
            attempt.failed()
        waits.append(_wait())

    assert waits == [20, 40, 40, 40]


def test_a_success_takes_the_attempt_off_the_count_and_can_reset_it(rule, at):
    at(0)
    for _ in range(2):
        _fail()
    with failures_counted([("test", "k")], label="test") as attempt:
        attempt.succeeded()
    _fail()
    assert _wait() == 10  # 3 failures: the success was not one

    ratelimit._cache().clear()
    for _ in range(2):
        _fail()
    with failures_counted([("test", "k")], label="test") as attempt:
        attempt.succeeded(reset={"test"})
    for _ in range(2):
        _fail()
    assert _wait() is None


def test_an_attempt_that_raises_before_it_is_settled_is_not_a_failure(rule, at):
    at(0)
    for _ in range(3):
        with pytest.raises(RuntimeError), failures_counted([("test", "k")], label="test"):
            raise RuntimeError("the database went away")

    assert _wait() is None


def test_a_lost_lock_locks_again_at_the_level_of_the_count_and_then_lets_a_try_through(rule, at):
    at(0)
    for _ in range(3):
        _fail()
    at(10)
    _fail()  # the try after the first lock: 4 failures, locked 20 s
    ratelimit._cache().delete(f"fail-lock:test:{ratelimit.limit_key('k')}")  # evicted, or a Redis outage

    assert _wait() == 20
    at(10 + 20)
    assert _wait() is None


def test_the_locks_are_shared_by_two_instances_on_redis(rule, at, real_redis_url, monkeypatch):
    from violetvibes.cache import ResilientRedisCache

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    params = {**django_settings.CACHES["default"], "KEY_PREFIX": prefix}
    params["OPTIONS"] = dict(params.get("OPTIONS", {}))
    params["OPTIONS"].pop("CLIENT_CLASS", None)
    params["OPTIONS"]["CLIENT_CLASS"] = "django_redis.client.DefaultClient"
    instances = [ResilientRedisCache(real_redis_url, params), ResilientRedisCache(real_redis_url, params)]
    for instance in instances:
        instance.fallback.clear()
    turns = itertools.cycle(instances)  # every cache call goes to the other instance
    monkeypatch.setattr(ratelimit, "_cache", lambda: next(turns))
    at(0)

    for _ in range(3):
        _fail("two-instances")

    assert _wait("two-instances") == 10
    assert instances[0].get(f"fail:test:{ratelimit.limit_key('two-instances')}") == 3
    # Wrong passwords at the API login, each cache call on the other instance.
    user = UserFactory(password="purple-violets-42")
    for n in range(5):
        assert api_client_for("10.4.0.1").post(LOGIN, {"email": user.email, "password": f"wrong-{n}"}, format="json").status_code == 401
    _assert_rate_limited(api_client_for("10.4.0.1").post(LOGIN, {"email": user.email, "password": "purple-violets-42"}, format="json"))
    instances[0].clear()


def test_failure_limits_hold_per_process_while_redis_is_down_and_never_500(settings, make_client, user, password, at):
    settings.CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",  # nothing listens here
            "KEY_PREFIX": "vv-down",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    at(0)
    for n in range(5):
        response = make_client(ip="10.3.0.1").post(LOGIN, {"email": user.email, "password": f"wrong-{n}"}, format="json")
        assert response.status_code == 401
    _assert_rate_limited(make_client(ip="10.3.0.1").post(LOGIN, {"email": user.email, "password": password}, format="json"))
    assert make_client(ip="10.3.0.2").post(LOGIN, {"email": user.email, "password": password}, format="json").status_code == 200
    for n in range(5):
        at(n * 61)
        assert make_client(ip="10.3.0.3").post(SIGNUP, {"email": user.email, "password": "purple-violets-42"}, format="json").status_code == 409
    at(5 * 61)
    _assert_rate_limited(_signup(make_client(ip="10.3.0.3"), 99), limit_seconds=600)
