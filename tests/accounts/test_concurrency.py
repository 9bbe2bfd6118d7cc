"""Simultaneous updates of one user's preferences or settings keep every key (issue 15, item 3).

An update reads the stored object, merges the keys sent and writes the whole object back. Ten of
them at once (the iOS app and a second device, or retries) each wrote back what it had read, and
all but one to four keys were lost while every request was answered 200. These tests send the
updates from threads, each with its own database connection, released together by a barrier.

Those run on PostgreSQL only: the test database's shared in-memory SQLite answers concurrent
writers with "table is locked" rather than making them wait. A SQLite file serialises them when
each transaction takes the write lock as it begins (transaction_mode IMMEDIATE, checked below;
deferred, 10 threads x 20 rounds on a file got 75 of 200 requests failed "database is locked").
"""

import json
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User
from accounts.tokens import token_pair_for
from tests.conftest import api_client, production_environ
from tests.factories import UserFactory

ROUNDS = 3


def _post_all_at_once(user: User, path: str, bodies: list[dict]) -> list[int]:
    """POSTs every body at the same moment, one thread (and database connection) each; the statuses."""
    token = token_pair_for(user)["token"]
    start = threading.Barrier(len(bodies))
    statuses: list[int | None] = [None] * len(bodies)
    failures: list[BaseException] = []

    def send(index: int, body: dict) -> None:
        try:
            client = api_client(token, ip=f"10.9.8.{index + 1}")
            start.wait(timeout=10)
            statuses[index] = client.post(path, body, format="json").status_code
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection: the test database is dropped after

    threads = [threading.Thread(target=send, args=(index, body)) for index, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    return statuses


PREFERENCE_VALUES: dict[str, Callable[[int], object]] = {
    # One distinct value per round for each key (round 0 differs from the new user's defaults too).
    "preferred_vibes": lambda n: [("study", "food", "explore")[n]],
    "budget": lambda n: {"min": n, "max": 20 + n},
    "dietary_restrictions": lambda n: [("vegan", "halal", "kosher")[n]],
    "max_walk_minutes_default": lambda n: 10 + n,
    "interests": lambda n: f"round {n}",
    "vibes": lambda n: {"study": n / 10},
    "distance_limit_minutes": lambda n: 30 + n,
    "indoor_outdoor": lambda n: ("indoor", "outdoor", "either")[n],
    "commute_preference": lambda n: ("walking", "transit", "both")[n],
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_one_key_preference_updates_keep_every_key(transactional_db):
    user = UserFactory()
    for round_ in range(ROUNDS):
        expected = {key: value(round_) for key, value in PREFERENCE_VALUES.items()}
        bodies = [{key: value} for key, value in expected.items()]
        # Ten updates: every key once, and one of them twice.
        bodies.append({"interests": expected["interests"]})

        statuses = _post_all_at_once(user, "/api/user/preferences", bodies)

        assert statuses == [200] * len(bodies)
        stored = User.objects.get(pk=user.pk).preferences
        lost = {key: stored.get(key) for key, value in expected.items() if stored.get(key) != value}
        assert not lost, f"round {round_}: these updates were lost: {lost}"


SETTINGS_KEYS = ("notifications_enabled", "calendar_integration_enabled", "google_calendar_enabled", "use_preferences_for_personalization")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_one_key_settings_updates_keep_every_key(transactional_db):
    user = UserFactory()
    for round_ in range(ROUNDS * 2):
        value = round_ % 2 == 1  # every key flips each round: a lost update leaves last round's value
        # Ten updates: each key at least twice.
        bodies = [{SETTINGS_KEYS[index % len(SETTINGS_KEYS)]: value} for index in range(10)]

        statuses = _post_all_at_once(user, "/api/user/settings", bodies)

        assert statuses == [200] * len(bodies)
        stored = User.objects.get(pk=user.pk).settings
        lost = [key for key in SETTINGS_KEYS if stored.get(key) is not value]
        assert not lost, f"round {round_}: these updates were lost: {lost} ({stored})"


@pytest.mark.parametrize(
    ("module", "database_url"),
    [("local", None), ("production", "sqlite:///{tmp}/prod.db"), ("local", "postgres://u@127.0.0.1:5432/x")],
)
def test_sqlite_transactions_take_the_write_lock_as_they_begin(tmp_path, module, database_url):
    env = production_environ(tmp_path / "prod.db")
    if database_url is None:
        del env["DATABASE_URL"]
        env["SQLITE_PATH"] = str(tmp_path / "local.db")
    else:
        env["DATABASE_URL"] = database_url.format(tmp=tmp_path)
    code = f"import json, violetvibes.settings.{module} as s; print(json.dumps(s.DATABASES['default']))"

    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    mode = database.get("OPTIONS", {}).get("transaction_mode")
    assert mode == ("IMMEDIATE" if database["ENGINE"].endswith("sqlite3") else None), database
