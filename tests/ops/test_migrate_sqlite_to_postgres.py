"""migrate_sqlite_to_postgres: a populated SQLite database of this project, copied into PostgreSQL.

The copy tests need the CI PostgreSQL (DATABASE_URL); the checksum and ordering rules run anywhere.
"""

import io
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection, connections, models
from django.utils.connection import ConnectionDoesNotExist
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import Activity, LegacyTokenExchange, RevokedTokenFamily, User
from chat.models import Conversation, Message
from events.models import Event
from ops import dbcopy
from ops.dbcopy import copy_models, row_digest, sqlite_database, table_stats
from places.models import Place

T0 = datetime(2025, 11, 25, 19, 0, 0, 123456, tzinfo=UTC)
ADDRESS = "6 MetroTech Center, Brooklyn — Apt 5é"


# --- The source: a SQLite database of this project, migrated and filled --------------------------------
def _populate(alias: str) -> None:
    """Rows in every kind of column (unicode, JSON, floats, nullable booleans, datetimes, ciphertext) and
    ids well above 1, so a target whose sequences were not reset would collide on its next insert."""
    users = []
    for n, name in enumerate(["Zoë 🌸", "李雷", "José", "", "Ünal"]):
        user = User(
            id=500 + n * 7,
            email=f"person{n}@nyu.edu",
            first_name=name,
            home_address=ADDRESS if n % 2 == 0 else "",
            preferences={"vibes": {"study": 0.1, "party": 1.0}, "distance_limit_minutes": 20 + n, "interests": "café ☕"},
            settings={"notifications_enabled": n % 2 == 0, "calendar_integration_enabled": False},
            notification_token=f"ExponentPushToken[{n}]" if n else "",
            token_version=n,
            legacy_id=7 if n == 0 else None,
            is_staff=n == 1,
            last_login=T0 if n < 2 else None,
            date_joined=T0 - timedelta(days=n, microseconds=n),
        )
        user.set_unusable_password() if n == 3 else user.set_password("purple-violets-42")
        user.save(using=alias)
        users.append(user)
    for n in range(7):
        Activity(
            id=900 + n,
            user=users[n % 2],
            type="clicked_recommendation" if n % 3 else "saved",
            place_id=f"catalog:place-{n}",
            name="Devoción" if n % 2 else "",
            score=None if n == 3 else n / 3,
            extra={"ü": [1, 2.5, None, True], "nested": {"b": 1, "a": "x"}} if n % 2 else {},
            created_at=T0 + timedelta(minutes=n),
        ).save(using=alias)
    for n in range(3):
        Place(
            id=300 + n,
            source="catalog",
            provider_id=f"place-{n}",
            name=f"Café {n} ☕",
            lat=40.693393 + n / 1000,
            lng=-73.98555,
            types=["cafe", "food"],
            categories=["cozy_cafes"],
            vibes=["study"],
            tags=[] if n else ["wifi", "late_night"],
            rating=4.5 if n else None,
            rating_count=120 + n,
            price_level=n,
            opening_hours=[{"day": 1, "open": "08:00"}],
            open_now=[None, True, False][n],
            last_fetched=T0 if n else None,
        ).save(using=alias)
    for n in range(2):
        Event(
            id=700 + n,
            source="staff",
            name=f"Jazz night {n} 🎷",
            start=T0 + timedelta(days=n),
            end=None if n else T0 + timedelta(days=n, hours=2),
            lat=None,
            is_free=[None, True][n],
        ).save(using=alias)
    conversation = Conversation(id=80, user=users[0], title="Où manger ?")
    conversation.save(using=alias)
    for n in range(3):
        Message(
            id=850 + n,
            conversation=conversation,
            role="user" if n % 2 == 0 else "assistant",
            text=f"message {n} ✨",
            cards=[{"type": "place", "place_id": "catalog:place-1", "rating": 4.5}] if n % 2 else [],
        ).save(using=alias)
    group = Group(id=40, name="staff")
    group.save(using=alias)
    group.permissions.set(Permission.objects.using(alias).order_by("id")[:3])
    users[1].groups.add(group)
    users[1].user_permissions.add(Permission.objects.using(alias).order_by("-id").first())
    LogEntry(
        user=users[1],
        content_type=ContentType.objects.db_manager(alias).get_for_model(User),
        object_id=str(users[0].pk),
        object_repr="Zoë",
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
        action_time=T0,
    ).save(using=alias)
    Session(session_key="k" * 32, session_data="e30:1vbXo:abc", expire_date=T0 + timedelta(days=14)).save(using=alias)
    outstanding = OutstandingToken(user=users[0], jti="a" * 32, token="header.payload.signature", created_at=T0, expires_at=T0 + timedelta(days=30))
    outstanding.save(using=alias)
    OutstandingToken(user=None, jti="b" * 32, token="x.y.z", created_at=None, expires_at=T0).save(using=alias)
    BlacklistedToken(token=outstanding, blacklisted_at=T0).save(using=alias)
    LegacyTokenExchange(key="c" * 64, user=users[0], family="e" * 32, exchanged_at=T0, expires_at=T0 + timedelta(days=30)).save(using=alias)
    RevokedTokenFamily(family="d" * 32, user=users[0], revoked_at=T0, expires_at=T0 + timedelta(days=30)).save(using=alias)


@pytest.fixture(scope="module")
def project_sqlite(tmp_path_factory, django_db_blocker) -> Path:
    path = tmp_path_factory.mktemp("dbcopy") / "db.sqlite3"
    with django_db_blocker.unblock(), sqlite_database(path, alias="ops_build", readonly=False) as alias:
        call_command("migrate", database=alias, verbosity=0)
        _populate(alias)
    return path


def _copy(source: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("migrate_sqlite_to_postgres", "--source", str(source), *args, stdout=out)
    return out.getvalue()


def database_stats(alias: str = "default") -> dict[str, tuple[int, str]]:
    """{table: (rows, checksum)} for every table copy_models() covers."""
    return {model._meta.db_table: table_stats(connections[alias], model)[:2] for model in copy_models(alias)}


def _source_stats(path: Path) -> dict[str, tuple[int, str]]:
    with sqlite_database(path, alias="ops_check") as alias:
        return database_stats(alias)


def _sequences() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
        return dict(cursor.fetchall())


def _orm_rows(model: type[models.Model], alias: str) -> list[tuple]:
    """Every row through the ORM (decrypted, JSON parsed): a check independent of the checksums."""
    names = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.using(alias).values_list(*names)
    pk = names.index(model._meta.pk.attname)
    return sorted((tuple(row) for row in rows), key=lambda row: str(row[pk]))


# --- The copy ----------------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_table_arrives_with_equal_counts_and_checksums(project_sqlite):
    out = _copy(project_sqlite, "--batch-size", "2")

    source = _source_stats(project_sqlite)
    assert database_stats() == source
    assert "Copied and verified" in out and "DIFFERENT" not in out
    for table in ("accounts_user", "accounts_activity", "places_place", "events_event", "chat_message", "auth_group_permissions",
                  "accounts_user_groups", "django_admin_log", "django_session", "token_blacklist_blacklistedtoken",
                  "accounts_legacytokenexchange", "accounts_revokedtokenfamily", "django_content_type", "auth_permission"):
        assert source[table][0] > 0, table
        assert f"{table}: {source[table][0]} row(s) copied" in out
    with sqlite_database(project_sqlite, alias="ops_orm") as alias:
        for model in copy_models():
            assert _orm_rows(model, "default") == _orm_rows(model, alias), model._meta.label
    zoe = User.objects.get(pk=500)
    assert (zoe.home_address, zoe.first_name, zoe.preferences["vibes"]) == (ADDRESS, "Zoë 🌸", {"study": 0.1, "party": 1.0})
    assert zoe.check_password("purple-violets-42")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_new_rows_get_fresh_ids_after_the_copy(project_sqlite):
    _copy(project_sqlite)

    user = User.objects.create_user(email="new@nyu.edu", password="purple-violets-42")
    activity = Activity.objects.create(user=user, type="saved")
    group = Group.objects.create(name="new")
    user.groups.add(group)
    assert (user.pk, activity.pk, group.pk) > (528, 906, 40)
    # Every sequence, not only these: the next value is above the highest copied id.
    with connection.cursor() as cursor:
        for model in copy_models():
            pk = model._meta.pk
            if isinstance(pk, models.AutoField):
                table = model._meta.db_table
                cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', '{pk.column}')), (SELECT max({pk.column}) FROM {table})")  # noqa: S608
                next_id, highest = cursor.fetchone()
                assert highest is None or next_id > highest, table


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_target_holding_rows_is_refused_and_left_alone(project_sqlite):
    User.objects.create_user(email="already@nyu.edu", password="purple-violets-42")
    before = database_stats()

    with pytest.raises(CommandError, match=r"already holds rows: accounts_user \(1\)"):
        _copy(project_sqlite)

    assert database_stats() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_running_it_again_is_refused_or_with_merge_changes_nothing(project_sqlite):
    _copy(project_sqlite)
    after_first = database_stats()
    sequences = _sequences()

    with pytest.raises(CommandError, match="already holds rows"):
        _copy(project_sqlite)
    out = _copy(project_sqlite, "--merge")

    assert "Copied and verified" in out
    assert database_stats() == after_first
    assert _sequences() == sequences


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_merge_upserts_by_primary_key_and_keeps_the_targets_other_rows(project_sqlite):
    _copy(project_sqlite)
    kept = User.objects.create_user(email="signed-up-later@nyu.edu", password="purple-violets-42")
    User.objects.filter(pk=500).update(first_name="changed on the target")

    out = _copy(project_sqlite, "--merge")

    assert User.objects.get(pk=500).first_name == "Zoë 🌸"
    assert User.objects.filter(pk=kept.pk).exists()
    assert "(+1 target-only row(s) kept)" in out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dry_run_writes_nothing(project_sqlite):
    before, sequences = database_stats(), _sequences()

    out = _copy(project_sqlite, "--dry-run", "--batch-size", "3")

    assert "Dry run" in out and "nothing was written" in out
    assert database_stats() == before
    assert _sequences() == sequences
    assert not User.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_middle_of_a_table_leaves_the_target_unchanged(project_sqlite, monkeypatch):
    before, sequences = database_stats(), _sequences()
    real_insert = dbcopy._insert
    batches: list[str] = []

    def failing_insert(target, model, rows, *, merge):
        batches.append(model._meta.db_table)
        if batches.count(Activity._meta.db_table) == 2:  # the second batch of activities
            raise RuntimeError("disk full (simulated)")
        real_insert(target, model, rows, merge=merge)

    monkeypatch.setattr(dbcopy, "_insert", failing_insert)

    with pytest.raises(CommandError, match=r"rolled back, nothing was written.*simulated"):
        _copy(project_sqlite, "--batch-size", "2")

    assert "accounts_user" in batches  # tables before it had been written
    assert database_stats() == before
    assert _sequences() == sequences


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_difference_found_by_the_verification_fails_and_rolls_back(project_sqlite, monkeypatch):
    before = database_stats()
    real_insert = dbcopy._insert

    def corrupting_insert(target, model, rows, *, merge):
        if model is Place:
            rows[0][[f.name for f in dbcopy._columns(Place)].index("name")] = "corrupted"
        real_insert(target, model, rows, merge=merge)

    monkeypatch.setattr(dbcopy, "_insert", corrupting_insert)
    out = io.StringIO()

    with pytest.raises(CommandError, match="Verification failed for places_place"):
        call_command("migrate_sqlite_to_postgres", "--source", str(project_sqlite), stdout=out)

    assert "DIFFERENT" in out.getvalue()
    assert database_stats() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_source_at_other_migrations_is_refused(project_sqlite, tmp_path):
    behind = tmp_path / "behind.sqlite3"
    shutil.copy(project_sqlite, behind)
    with sqlite3.connect(behind) as db:
        db.execute("DELETE FROM django_migrations WHERE app = 'accounts' AND name = '0003_legacy_import'")
    db.close()

    with pytest.raises(CommandError, match=r"not at the same migrations.*only in the target: accounts\.0003_legacy_import"):
        _copy(behind)
    assert not User.objects.exists()


# --- Refusals that need no PostgreSQL ------------------------------------------------------------------
@pytest.mark.django_db
def test_the_target_must_be_postgresql(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("the default database is PostgreSQL here")
    source = tmp_path / "db.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE t (id INTEGER)").connection.close()

    with pytest.raises(CommandError, match="must be PostgreSQL"):
        _copy(source)


def test_the_source_must_be_a_sqlite_file(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        _copy(tmp_path / "missing.sqlite3")
    (tmp_path / "dump.sql").write_text("CREATE TABLE users (id int);")
    with pytest.raises(CommandError, match="is not a SQLite database"):
        _copy(tmp_path / "dump.sql")


def test_the_source_alias_is_gone_afterwards(tmp_path):
    with sqlite_database(tmp_path / "x.sqlite3", alias="ops_temp", readonly=False) as alias:
        assert connections[alias].vendor == "sqlite"
        assert alias not in connections.settings  # never listed as one of the project's databases
    with pytest.raises(ConnectionDoesNotExist):
        connections["ops_temp"]


# --- Checksums and order -----------------------------------------------------------------------------
def test_row_checksums_compare_values_not_representations():
    new_york = timezone(timedelta(hours=-5))
    assert row_digest([4, T0, {"b": 1, "a": [1.0, "ü"]}]) == row_digest([4.0, T0.astimezone(new_york), {"a": [1, "ü"], "b": 1}])
    assert row_digest([True]) != row_digest([1])
    assert row_digest([None]) != row_digest([""])
    assert row_digest([0.1]) != row_digest([0.10000001])
    assert row_digest(["a", "b"]) != row_digest(["b", "a"])


def test_tables_are_copied_parents_first():
    ordered = copy_models()
    position = {model: index for index, model in enumerate(ordered)}
    labels = {model._meta.label_lower for model in ordered}
    assert {"accounts.user", "accounts.activity", "auth.permission", "contenttypes.contenttype", "sessions.session",
            "admin.logentry", "token_blacklist.blacklistedtoken", "accounts.user_groups", "auth.group_permissions"} <= labels
    for model in ordered:
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is not model:
                assert position[f.related_model] < position[model], (model._meta.label, f.name)
