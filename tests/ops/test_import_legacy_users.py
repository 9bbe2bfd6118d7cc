"""import_legacy_users: a database of the old Flask server, imported; then its users sign in as before."""

import io
from datetime import UTC, datetime

import bcrypt
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from accounts import crypto
from accounts.models import Activity, User, default_preferences, default_settings
from tests.accounts.legacy_db import (
    bcrypt_hash,
    blob,
    build_legacy_sqlite,
    encrypt_old_way,
    generated_rows,
    legacy_row,
    legacy_token,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ZOE_PASSWORD = "old-flask-password-1"
ZOE_ADDRESS = "6 MetroTech Center, Brooklyn, NY 11201 — Apt 5é"
GENERATED = 20


@pytest.fixture(scope="module")
def zoe_hash() -> str:
    # One real hash as the old server made them ($2b$12$); the others use 4 rounds for speed.
    return bcrypt.hashpw(ZOE_PASSWORD.encode(), bcrypt.gensalt(12)).decode()


def _rows(zoe_hash: str) -> list[dict]:
    secret = settings.JWT_SECRET
    return [
        legacy_row(
            id=7,
            email="zoe@nyu.edu",
            password_hash=zoe_hash,
            first_name="Zoë 🌸",
            preferences=blob(
                {
                    "vibes": {"study": 0.5, "nope": 0.9, "party": 2},
                    "distance_limit_minutes": 25,
                    "indoor_outdoor": "outdoor",
                    "preferred_vibes": ["food", "party", "study"],
                    "budget": {"min": 0, "max": 50},
                    "dietary_restrictions": ["vegan", "paleo"],
                    "max_walk_minutes_default": 15,
                    "interests": "jazz, café",
                    "pref_study": True,
                }
            ),
            settings=blob(
                {
                    "notifications_enabled": False,
                    "calendar_integration_enabled": True,
                    "google_calendar_enabled": True,
                    "theme": "dark",
                    "use_preferences_for_personalization": "yes",
                }
            ),
            recent_activity=blob(
                [
                    {"type": "clicked_recommendation", "place_id": "catalog:devocion", "name": "Devoción", "vibe": "study", "score": 0.91},
                    {"name": "no type"},
                    {"type": "saved", "place_id": "catalog:ice", "custom": "ü"},
                ]
            ),
            notification_token="ExponentPushToken[zoe]",
            google_refresh_token="1//google",
            created_at="2025-03-01 10:00:00.123456",
            home_address_encrypted=encrypt_old_way(ZOE_ADDRESS, secret),
        ),
        # Mixed-case email, empty and malformed JSON, nothing optional set, a 4-round hash.
        legacy_row(
            id=8,
            email="Bob@NYU.edu",
            password_hash=bcrypt_hash("bob-old-password"),
            preferences="",
            settings='{"notifications_enabled": tru',
            created_at=None,
        ),
        # Every nullable column NULL.
        {"id": 9, "email": "carol@nyu.edu", "password_hash": bcrypt_hash("carol-old-password")},
        legacy_row(id=10, email="dave@nyu.edu", password_hash="not-a-bcrypt-hash"),
        legacy_row(id=11, email="not-an-email", password_hash=bcrypt_hash("x")),
        # An address from another secret; blobs of the wrong JSON type.
        legacy_row(
            id=12,
            email="frank@nyu.edu",
            password_hash=bcrypt_hash("frank-old-password"),
            home_address_encrypted=encrypt_old_way("somewhere else", "another-secret"),
            preferences="[1, 2]",
            recent_activity='{"type": "x"}',
        ),
        *generated_rows(GENERATED),
    ]


@pytest.fixture
def legacy_db(tmp_path, zoe_hash):
    return build_legacy_sqlite(tmp_path / "violetvibes.db", _rows(zoe_hash))


def _import(source, *args: str) -> str:
    out = io.StringIO()
    call_command("import_legacy_users", "--source", str(source), *args, stdout=out)
    return out.getvalue()


def _snapshot() -> tuple[list, list]:
    """Every stored value of users and activities, as stored (the address ciphertext included)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {User._meta.db_table} ORDER BY id")  # noqa: S608
        users = cursor.fetchall()
        cursor.execute(f"SELECT * FROM {Activity._meta.db_table} ORDER BY id")  # noqa: S608
        return users, cursor.fetchall()


# --- Counts and the report ---------------------------------------------------------------------------
def test_import_creates_every_valid_user_and_reports_the_rest(legacy_db):
    out = _import(legacy_db)

    assert User.objects.count() == 4 + GENERATED
    assert f"Imported {4 + GENERATED}, updated 0, unchanged 0, skipped 2 of {6 + GENERATED}" in out
    assert "Skipped #10 dave@nyu.edu: password hash is not a bcrypt hash" in out
    assert "Skipped #11 not-an-email: email is missing or not valid" in out
    assert set(User.objects.values_list("legacy_id", flat=True)) == {7, 8, 9, 12, *range(100, 100 + GENERATED)}


def test_the_report_lists_every_value_not_carried_over(legacy_db):
    out = _import(legacy_db)

    for expected in (
        "#7 zoe@nyu.edu: preferences.pref_study: unknown key",
        "#7 zoe@nyu.edu: preferences.preferred_vibes: [\"party\"] not allowed here",
        "#7 zoe@nyu.edu: preferences.dietary_restrictions: [\"paleo\"] not allowed here",
        "#7 zoe@nyu.edu: preferences.vibes: {\"nope\": 0.9, \"party\": 2} not valid here",
        "#7 zoe@nyu.edu: settings.theme: unknown key, not imported (was 'dark')",
        "#7 zoe@nyu.edu: settings.use_preferences_for_personalization: 'yes' is not true/false",
        '#7 zoe@nyu.edu: recent_activity[2]: {"name": "no type"} not imported (type: This field is required.)',
        "#7 zoe@nyu.edu: google_refresh_token",
        "#8 bob@nyu.edu: preferences: not valid JSON",
        "#8 bob@nyu.edu: settings: not valid JSON",
        "#12 frank@nyu.edu: home_address: cannot be decrypted",
        "#12 frank@nyu.edu: preferences: not a JSON object",
        "#12 frank@nyu.edu: recent_activity: not a JSON list",
    ):
        assert expected in out, expected


# --- Field values ------------------------------------------------------------------------------------
def test_fields_are_mapped_to_this_projects_schemas(legacy_db):
    _import(legacy_db)
    zoe = User.objects.get(email="zoe@nyu.edu")

    assert zoe.legacy_id == 7
    assert zoe.first_name == "Zoë 🌸"
    assert zoe.password.startswith("bcrypt$$2b$12$")
    assert zoe.notification_token == "ExponentPushToken[zoe]"
    assert zoe.date_joined == datetime(2025, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)
    assert zoe.preferences == {
        "vibes": {"study": 0.5},
        "distance_limit_minutes": 25,
        "indoor_outdoor": "outdoor",
        "preferred_vibes": ["food", "study"],
        "budget": {"min": 0, "max": 50},
        "dietary_restrictions": ["vegan"],
        "max_walk_minutes_default": 15,
        "interests": "jazz, café",
    }
    assert zoe.settings == {
        "notifications_enabled": False,
        "calendar_integration_enabled": True,
        "google_calendar_enabled": True,
    }
    activities = list(zoe.activities.order_by("created_at", "id").values("type", "place_id", "name", "vibe", "score", "extra", "created_at"))
    assert [(a["type"], a["place_id"], a["name"], a["vibe"], a["score"], a["extra"]) for a in activities] == [
        ("clicked_recommendation", "catalog:devocion", "Devoción", "study", 0.91, {}),
        ("saved", "catalog:ice", "", "", None, {"custom": "ü"}),
    ]
    assert activities[0]["created_at"] < activities[1]["created_at"]  # the old order, kept


def test_the_address_is_decrypted_with_the_old_key_and_encrypted_with_the_field_key(legacy_db):
    _import(legacy_db)
    zoe = User.objects.get(email="zoe@nyu.edu")

    assert zoe.home_address == ZOE_ADDRESS
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT home_address FROM {User._meta.db_table} WHERE id = %s", [zoe.pk])  # noqa: S608
        stored = cursor.fetchone()[0]
    assert ZOE_ADDRESS not in stored
    assert crypto.fernet().decrypt(stored.encode()).decode() == ZOE_ADDRESS
    # The one whose address was encrypted with another secret is imported without it.
    assert User.objects.get(email="frank@nyu.edu").home_address == ""


def test_empty_malformed_and_null_blobs_become_the_defaults(legacy_db):
    _import(legacy_db)

    for email in ("bob@nyu.edu", "carol@nyu.edu", "frank@nyu.edu"):
        user = User.objects.get(email=email)
        assert user.preferences == default_preferences(), email
        assert user.settings == default_settings(), email
        assert user.first_name == "", email
        assert user.notification_token == "", email
        assert not user.activities.exists(), email
    generated = User.objects.get(legacy_id=101)
    assert generated.first_name == "李雷"
    assert generated.activities.count() == 1


# --- Signing in as before ----------------------------------------------------------------------------
def test_users_sign_in_with_their_old_password_which_is_then_upgraded(legacy_db, api):
    _import(legacy_db)

    response = api.post("/api/auth/login", {"email": "zoe@nyu.edu", "password": ZOE_PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["user"]["home_address"] == ZOE_ADDRESS
    zoe = User.objects.get(email="zoe@nyu.edu")
    assert not zoe.password.startswith("bcrypt$")  # re-hashed with the preferred hasher
    assert zoe.check_password(ZOE_PASSWORD)
    assert api.post("/api/auth/login", {"email": "BOB@nyu.edu", "password": "bob-old-password"}, format="json").status_code == 200
    assert api.post("/api/auth/login", {"email": "bob@nyu.edu", "password": "wrong-password"}, format="json").status_code == 401


def test_an_access_token_of_the_old_server_keeps_working_for_imported_users(legacy_db, make_client):
    _import(legacy_db)
    token = legacy_token(7, secret=settings.JWT_SECRET)

    response = make_client(token).get("/api/user/me")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["email"] == "zoe@nyu.edu"
    assert body["id"] == User.objects.get(email="zoe@nyu.edu").pk
    assert [item["type"] for item in body["recent_activity"]] == ["clicked_recommendation", "saved"]


# --- Idempotence -------------------------------------------------------------------------------------
def test_running_it_again_changes_nothing(legacy_db):
    _import(legacy_db)
    before = _snapshot()

    out = _import(legacy_db)

    assert _snapshot() == before
    assert f"Imported 0, updated 0, unchanged {4 + GENERATED}, skipped 2" in out


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(legacy_db):
    out = _import(legacy_db, "--dry-run")

    assert not User.objects.exists()
    assert not Activity.objects.exists()
    assert f"Dry run, nothing was written. Imported {4 + GENERATED}" in out


def test_changes_made_on_the_old_server_since_are_picked_up(legacy_db):
    import sqlite3

    _import(legacy_db)
    with sqlite3.connect(legacy_db) as old:
        old.execute("UPDATE users SET first_name = 'Bobby', recent_activity = ? WHERE id = 8", [blob([{"type": "saved"}])])
    old.close()

    out = _import(legacy_db)

    assert f"Imported 0, updated 1, unchanged {3 + GENERATED}" in out
    bob = User.objects.get(email="bob@nyu.edu")
    assert bob.first_name == "Bobby"
    assert list(bob.activities.values_list("type", flat=True)) == ["saved"]
    assert "Imported 0, updated 0" in _import(legacy_db)


def test_a_password_changed_here_is_never_replaced_by_the_old_one(legacy_db):
    _import(legacy_db)
    bob = User.objects.get(email="bob@nyu.edu")
    bob.set_password("a-brand-new-password")
    bob.save()

    _import(legacy_db)

    bob.refresh_from_db()
    assert bob.check_password("a-brand-new-password")
    assert not bob.check_password("bob-old-password")


def test_an_account_created_here_is_not_taken_over(legacy_db):
    mine = UserFactory(email="zoe@nyu.edu", first_name="Not Zoë")

    out = _import(legacy_db)

    assert "Skipped #7 zoe@nyu.edu: an account with this email was created here" in out
    mine.refresh_from_db()
    assert (mine.first_name, mine.legacy_id) == ("Not Zoë", None)
    assert mine.check_password("purple-violets-42")


def test_the_old_secret_can_be_given_as_an_option(legacy_db):
    out = _import(legacy_db, "--legacy-jwt-secret", "another-secret")

    assert User.objects.get(email="frank@nyu.edu").home_address == "somewhere else"
    assert User.objects.get(email="zoe@nyu.edu").home_address == ""
    assert "#7 zoe@nyu.edu: home_address: cannot be decrypted" in out


def test_the_old_secret_can_be_given_in_the_settings(legacy_db, settings):
    settings.LEGACY_JWT_SECRET = "another-secret"  # the LEGACY_JWT_SECRET environment variable

    _import(legacy_db)

    assert User.objects.get(email="frank@nyu.edu").home_address == "somewhere else"


def test_an_unreadable_source_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        _import(tmp_path / "missing.db")
    (tmp_path / "garbage.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(CommandError, match="cannot read the users table"):
        _import(tmp_path / "garbage.db")
    assert not User.objects.exists()


# --- From PostgreSQL ---------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_old_database_can_be_a_postgres_url(zoe_hash):
    """The old server's users table in its own schema of the test database, read through a URL."""
    import uuid
    from urllib.parse import quote

    schema = f"legacy_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(
            f"CREATE TABLE {schema}.users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, "
            "password_hash VARCHAR(255) NOT NULL, preferences TEXT, settings TEXT, recent_activity TEXT, "
            "notification_token VARCHAR(255), google_refresh_token VARCHAR(255), created_at TIMESTAMP, "
            "first_name VARCHAR(100), home_address_encrypted TEXT)"
        )
        for row in _rows(zoe_hash)[:6]:
            if row.get("created_at") == "":
                row["created_at"] = None
            columns = list(row)
            cursor.execute(
                f"INSERT INTO {schema}.users ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608
                [row[c] for c in columns],
            )
    try:
        db = connection.settings_dict
        auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}?options=-csearch_path%3D{schema}"

        out = _import(url)

        assert "Imported 4, updated 0, unchanged 0, skipped 2 of 6" in out
        zoe = User.objects.get(email="zoe@nyu.edu")
        assert zoe.home_address == ZOE_ADDRESS
        assert zoe.date_joined == datetime(2025, 3, 1, 10, 0, 0, 123456, tzinfo=UTC)
        assert "Imported 0, updated 0, unchanged 4" in _import(url)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
