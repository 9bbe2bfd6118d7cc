"""The user row behind a token, kept in the shared cache (accounts/usercache.py): a request with a
token reads no row from the database, and every change to the user, revocation first, is seen at
once, by every instance, with Redis up or down."""

import pickle
import types
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services, usercache
from accounts.tokens import token_pair_for
from tests.factories import UserFactory

ME = "/api/user/me"
LOGOUT = "/api/auth/logout"
PASSWORD = "/api/auth/password"
CLOSED_PORT_URL = "redis://127.0.0.1:6390/0"

pytestmark = pytest.mark.django_db


def _me(make_client, token: str):
    return make_client(token).get(ME)


def _queries(call) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def settled(user) -> None:
    """The user as it is STALE_SECONDS after its last change (the factory saves it twice)."""
    cache.delete(usercache.user_cache_key(user.pk))


def test_a_signed_in_request_reads_the_user_row_once_then_from_the_cache(make_client, user, tokens, settled):
    _me(make_client, tokens["token"])  # loads the row (and the recent activity) into the cache

    response, queries = _queries(lambda: _me(make_client, tokens["token"]))

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert queries == []


def test_logout_everywhere_refuses_a_token_whose_user_is_cached_at_once(make_client, user, tokens):
    other = token_pair_for(user)
    assert _me(make_client, other["token"]).status_code == 200  # the row is cached

    assert make_client(tokens["token"]).post(LOGOUT, {"all": True}, format="json").status_code == 204

    assert _me(make_client, other["token"]).status_code == 401


def test_a_password_change_refuses_the_earlier_tokens_whose_user_is_cached_at_once(make_client, user, password, tokens):
    other = token_pair_for(user)
    assert _me(make_client, other["token"]).status_code == 200

    changed = make_client(tokens["token"]).post(
        PASSWORD, {"current_password": password, "new_password": "lilac-orchids-77"}, format="json"
    )

    assert changed.status_code == 200
    assert _me(make_client, other["token"]).status_code == 401
    assert _me(make_client, changed.json()["token"]).status_code == 200


def test_a_deactivated_or_deleted_user_is_refused_at_once(make_client, password):
    deactivated, deleted = UserFactory(password=password), UserFactory(password=password)
    tokens = {user.pk: token_pair_for(user)["token"] for user in (deactivated, deleted)}
    for token in tokens.values():
        assert _me(make_client, token).status_code == 200

    deactivated.is_active = False
    deactivated.save(update_fields=["is_active"])
    deleted.delete()

    for token in tokens.values():
        assert _me(make_client, token).status_code == 401


def test_a_profile_change_is_seen_by_the_next_request(make_client, user, tokens, settled):
    assert _me(make_client, tokens["token"]).json()["first_name"] != "Lavender"

    make_client(tokens["token"]).post("/api/user/profile", {"first_name": "Lavender", "home_address": "1 MetroTech"}, format="json")

    me = _me(make_client, tokens["token"]).json()
    assert (me["first_name"], me["home_address"]) == ("Lavender", "1 MetroTech")


def test_the_copy_holds_neither_the_password_hash_nor_the_address_in_clear(user):
    user.home_address = "6 MetroTech Center"
    user.save()
    cache.delete(usercache.user_cache_key(user.pk))  # the save left a stale marker

    usercache.user_cached_get(user_id=user.pk)
    stored = pickle.dumps(cache.get(usercache.user_cache_key(user.pk)))

    assert user.password.encode() not in stored
    assert b"MetroTech" not in stored
    cached = usercache.user_cached_get(user_id=user.pk)
    assert cached.home_address == "6 MetroTech Center"
    assert cached.check_password("purple-violets-42")  # the hash is read from the database when needed


def test_a_row_read_before_a_change_never_replaces_its_stale_marker(user):
    """A request that read the row just before a revocation committed must not write that row back."""
    before = usercache._user_from_database(user.pk)
    services.user_tokens_revoke_all(user=user)

    cache.add(usercache.user_cache_key(user.pk), usercache._copy(before), usercache.USER_CACHE_SECONDS)  # what it would write

    assert usercache.user_cached_get(user_id=user.pk).token_version == before.token_version + 1


def test_a_row_read_too_long_ago_is_not_written_to_the_cache(user, monkeypatch, settled):
    moments = iter([100.0, 100.0 + usercache.FILL_WITHIN_SECONDS + 1])
    monkeypatch.setattr(usercache, "time", types.SimpleNamespace(monotonic=lambda: next(moments)))

    usercache.user_cached_get(user_id=user.pk)

    assert cache.get(usercache.user_cache_key(user.pk)) is None


def test_an_unknown_user_is_none_and_not_cached(db):
    assert usercache.user_cached_get(user_id=987654) is None
    assert cache.get(usercache.user_cache_key(987654)) is None


def test_a_change_leaves_a_stale_marker_that_keeps_the_row_out_of_the_cache_for_a_while(make_client, user, tokens):
    user.first_name = "Violet"
    user.save(update_fields=["first_name"])

    for _ in range(2):
        _, queries = _queries(lambda: _me(make_client, tokens["token"]))
        assert any("accounts_user" in sql for sql in queries)  # read from the database each time

    cache.delete(usercache.user_cache_key(user.pk))  # STALE_SECONDS later
    _me(make_client, tokens["token"])
    assert isinstance(cache.get(usercache.user_cache_key(user.pk)), tuple)


def test_a_revocation_on_one_instance_is_seen_by_another_at_once(user, real_redis_url, monkeypatch, make_client, settled):
    """Two instances of the shared cache on the real Redis, as two servers would have."""
    from violetvibes.cache import ResilientRedisCache

    params = {**django_settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"}
    first, second = ResilientRedisCache(real_redis_url, params), ResilientRedisCache(real_redis_url, params)
    token = token_pair_for(user)["token"]
    monkeypatch.setattr(usercache, "cache", first)
    assert _me(make_client, token).status_code == 200
    assert isinstance(first.get_shared(usercache.user_cache_key(user.pk)), tuple)  # cached on Redis

    monkeypatch.setattr(usercache, "cache", second)
    services.user_tokens_revoke_all(user=user)

    monkeypatch.setattr(usercache, "cache", first)
    assert _me(make_client, token).status_code == 401
    first.clear()


def test_while_redis_is_down_the_row_comes_from_the_database_never_from_process_memory(settings, user, make_client):
    settings.CACHES = {
        "default": {
            "BACKEND": "violetvibes.cache.ResilientRedisCache",
            "LOCATION": CLOSED_PORT_URL,
            "KEY_PREFIX": "vv",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "RETRY_AFTER_SECONDS": 30},
        }
    }
    cache.fallback.clear()
    token = token_pair_for(user)["token"]
    # An out-of-date copy in this process's memory (written while Redis was away, by anything).
    cache.fallback.set(usercache.user_cache_key(user.pk), usercache._copy(usercache._user_from_database(user.pk)), 60)
    services.user_tokens_revoke_all(user=user)
    before = usercache._user_from_database(user.pk)
    before.token_version -= 1
    cache.fallback.set(usercache.user_cache_key(user.pk), usercache._copy(before), 60)

    response, queries = _queries(lambda: _me(make_client, token))

    assert response.status_code == 401
    assert any("accounts_user" in sql for sql in queries)
    cache.fallback.clear()


def test_me_reads_the_recent_activity_with_the_user_and_still_sees_a_new_one(make_client, user, tokens, settled):
    client = make_client(tokens["token"])
    client.post("/api/user/activity", {"type": "clicked", "place_id": "p1", "name": "Think Coffee"}, format="json")
    assert [a["name"] for a in client.get(ME).json()["recent_activity"]] == ["Think Coffee"]  # now cached

    response, queries = _queries(lambda: client.get(ME))
    assert queries == []
    assert [a["name"] for a in response.json()["recent_activity"]] == ["Think Coffee"]

    client.post("/api/user/activity", {"type": "saved", "place_id": "p2", "name": "Bobst Library"}, format="json")
    assert [a["name"] for a in client.get(ME).json()["recent_activity"]] == ["Think Coffee", "Bobst Library"]


def test_a_token_of_a_family_ended_by_reuse_is_refused_from_the_cached_copy(make_client, user, settled):
    login = token_pair_for(user)
    rotated = make_client().post("/api/auth/refresh", {"refresh_token": login["refresh_token"]}, format="json").json()
    assert _me(make_client, rotated["token"]).status_code == 200  # the row is cached
    assert _me(make_client, rotated["token"]).status_code == 200

    # The spent refresh token again: its whole family ends, the cached copy with it.
    assert make_client().post("/api/auth/refresh", {"refresh_token": login["refresh_token"]}, format="json").status_code == 401

    assert _me(make_client, rotated["token"]).status_code == 401
    cache.delete(usercache.user_cache_key(user.pk))  # the stale marker gone: a copy made from now on
    assert _me(make_client, rotated["token"]).status_code == 401
    assert _me(make_client, rotated["token"]).status_code == 401  # from that copy
    assert _me(make_client, token_pair_for(user)["token"]).status_code == 200  # another login
