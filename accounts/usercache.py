"""The user row behind an access token, kept in the shared cache so that a request with a token
costs no database query (docs/BENCHMARKS.md: the query and the connection check before it were
most of `/api/user/me`).

Revocation still takes effect at once, on every instance:

- The copy lives in Redis only, never in a process: it is read with `get_shared`, which answers
  from Redis or not at all. While Redis is unreachable the row is read from the database, so no
  process can accept a token with its own out-of-date copy.
- The copy holds the user's revoked token families (RevokedTokenFamily, not yet expired) beside
  the row, so a token of an ended family is refused from the copy too.
- Every change to a user (a save, a delete, `user_tokens_revoke_all`'s version bump, the admin's
  bulk deactivation, a token family ended) replaces the copy with a *stale* marker, before the change is committed and
  again once it is. While the marker is there (STALE_SECONDS), the row is read from the database
  and the copy is not written again.
- A copy is written with `add` (only where there is none, so never over a marker), and only by a
  request that read the row less than FILL_WITHIN_SECONDS before: a row read before a change was
  committed cannot be written after its marker expired.

What remains is a Redis that loses a marker written while it was unreachable: the write went to
the process's fallback and is deleted from Redis when that process reaches it again
(violetvibes/cache.py); until then, at most USER_CACHE_SECONDS, another instance could still
read the copy from before.

The password hash is never copied (it is loaded when a request needs it: a password change, an
account deletion), and the home address is copied encrypted, as stored.
"""

import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from violetvibes.cache import incr_in_window_get_many

from .models import RevokedTokenFamily, User
from .selectors import recent_activity_key

USER_CACHE_SECONDS = 60
STALE_SECONDS = 30
FILL_WITHIN_SECONDS = 5
_STALE = "stale"

_FIELDS = [field for field in User._meta.concrete_fields if field.attname != "password"]
_ATTNAMES = [field.attname for field in _FIELDS]
# A copy written by code with other columns (a deploy that adds one) is not read as this one.
_SHAPE = hashlib.sha256(",".join([*_ATTNAMES, "revoked_families"]).encode()).hexdigest()[:8]


def user_cache_key(user_id: int) -> str:
    return f"accounts:user:{_SHAPE}:{user_id}"


def _get_many(keys: list[str]) -> dict[str, Any]:
    get_many_shared = getattr(cache, "get_many_shared", None)
    return get_many_shared(keys) if get_many_shared is not None else cache.get_many(keys)


def _add(key: str, value: Any) -> None:
    add_shared = getattr(cache, "add_shared", None)
    if add_shared is not None:
        add_shared(key, value, USER_CACHE_SECONDS)
    else:
        cache.add(key, value, USER_CACHE_SECONDS)


def _copy(user: User) -> tuple:
    # Each column as the database stores it (the home address stays encrypted), then the families.
    columns = tuple(
        field.get_prep_value(getattr(user, field.attname)) if field.attname == "home_address" else getattr(user, field.attname)
        for field in _FIELDS
    )
    return (*columns, tuple(sorted(user.revoked_families)))


def _user(copy: tuple) -> User:
    values = [
        field.from_db_value(value, None, None) if field.attname == "home_address" else value
        for field, value in zip(_FIELDS, copy[:-1], strict=True)
    ]
    user = User.from_db("default", _ATTNAMES, values)  # the password is a deferred field
    user.revoked_families = frozenset(copy[-1])
    return user


def _user_from_database(user_id: int) -> User | None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        ended = RevokedTokenFamily.objects.filter(user_id=user_id, expires_at__gt=timezone.now())
        user.revoked_families = frozenset(ended.values_list("pk", flat=True))
    return user


def user_cached_get(*, user_id: int, with_recent_activity: bool = False) -> User | None:
    """The user with this id (active or not), from the shared cache or else the database; None if none.

    with_recent_activity: the user's cached recent activity (accounts.selectors.activity_recent) is
    read in the same round trip and handed to activity_recent with the user (/api/user/me)."""
    keys = _keys(user_id, with_recent_activity=with_recent_activity)
    return _user_found(user_id, _get_many(keys))


def user_cached_get_counting(
    *, user_id: int, with_recent_activity: bool = False, counter_key: str, counter_timeout: int
) -> tuple[User | None, int]:
    """user_cached_get, and one more count under a rate-limit counter in the same round trip to Redis
    (violetvibes.cache.incr_in_window_get_many): the user and the count."""
    count, found = incr_in_window_get_many(cache, counter_key, counter_timeout, _keys(user_id, with_recent_activity=with_recent_activity))
    return _user_found(user_id, found), count


def _keys(user_id: int, *, with_recent_activity: bool) -> list[str]:
    key = user_cache_key(user_id)
    return [key, recent_activity_key(user_id)] if with_recent_activity else [key]


def _user_found(user_id: int, found: dict[str, Any]) -> User | None:
    key = user_cache_key(user_id)
    copy = found.get(key)
    if isinstance(copy, tuple) and len(copy) == len(_FIELDS) + 1:
        user = _user(copy)
    else:
        started = time.monotonic()
        user = _user_from_database(user_id)
        if user is not None and copy != _STALE and time.monotonic() - started < FILL_WITHIN_SECONDS:
            _add(key, _copy(user))
    activity = found.get(recent_activity_key(user_id))
    if user is not None and isinstance(activity, list):
        user.prefetched_recent_activity = activity
    return user


def user_cache_forget(user_id: int) -> None:
    """The cached copy of this user is stale: now, and again when the current transaction commits."""
    key = user_cache_key(user_id)
    cache.set(key, _STALE, STALE_SECONDS)
    transaction.on_commit(lambda: cache.set(key, _STALE, STALE_SECONDS))
