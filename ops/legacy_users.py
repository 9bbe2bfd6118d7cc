"""Import of the old Flask server's users (its `users` table) into this project: `import_legacy_users`.

What the old server stored and how it maps here:
- email (lower-cased), first_name: as they are;
- password_hash, bcrypt `$2b$12$...`: kept as `bcrypt$<hash>`, which Django's BCryptPasswordHasher
  verifies; the first login here re-hashes it with the preferred hasher;
- preferences and settings, JSON text: key by key through this project's serializers onto the
  defaults of a new user; unknown keys, invalid values and list items outside the allowed values are
  reported, never silently dropped; unreadable JSON is reported and read as empty;
- recent_activity, a JSON list without timestamps: Activity rows stamped a microsecond apart from
  the account's creation time, in their order;
- notification_token: as it is; google_refresh_token: nothing here uses it, reported when set;
- home_address_encrypted: Fernet keyed from the old JWT_SECRET (PBKDF2, fixed salt), decrypted
  and encrypted again with FIELD_ENCRYPTION_KEY;
- id: kept in User.legacy_id, which the old server's tokens name.

The import is idempotent by email. It creates accounts and updates the ones it created before (the
old database is authoritative until the switch); it never takes over an account made here, and it
never puts back an old password over one that has been used or changed here.
"""

import base64
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import ACTIVITY_KEEP, Activity, User, default_preferences, default_settings
from accounts.selectors import ACTIVITY_FIELDS, recent_activity_key
from accounts.serializers import ActivityInSerializer, PreferencesSerializer, SettingsSerializer
from accounts.services import activity_values

LEGACY_KEY_SALT = b"violetvibes_salt"
LEGACY_KEY_ITERATIONS = 100_000
BCRYPT_HASH = re.compile(r"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$")
# Preference lists are filtered item by item (the old server filtered them the same way on write).
PREFERENCE_LISTS = ("preferred_vibes", "dietary_restrictions")
# Imported activities sit in this window after date_joined; a re-run recognises them by it.
ACTIVITY_WINDOW = timedelta(milliseconds=1)
KNOWN_COLUMNS = {
    "id",
    "email",
    "password_hash",
    "first_name",
    "home_address_encrypted",
    "preferences",
    "settings",
    "recent_activity",
    "notification_token",
    "google_refresh_token",
    "created_at",
}
REQUIRED_COLUMNS = {"id", "email", "password_hash"}


class LegacySourceError(Exception):
    """The old database cannot be read (missing file, not a database, no users table...)."""


@dataclass
class LegacyImportReport:
    dry_run: bool = False
    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # What was not carried over for accounts that were imported: (who, what).
    notes: list[tuple[str, str]] = field(default_factory=list)


def legacy_fernet(jwt_secret: str) -> Fernet:
    """The old server's address key: base64url(PBKDF2-HMAC-SHA256(JWT_SECRET, b"violetvibes_salt", 100000, 32))."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=LEGACY_KEY_SALT, iterations=LEGACY_KEY_ITERATIONS)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(jwt_secret.encode())))


# --- Reading the old database ------------------------------------------------------------------------
def legacy_rows_read(*, source: str) -> list[dict[str, Any]]:
    """Every row of the old `users` table, by id; `source` is a SQLite file or a postgres:// URL. Read-only."""
    rows = _postgres_rows(source) if source.startswith(("postgres://", "postgresql://")) else _sqlite_rows(source)
    missing = REQUIRED_COLUMNS - set(rows[0]) if rows else set()
    if missing:
        raise LegacySourceError(f"The users table has no {', '.join(sorted(missing))} column.")
    return rows


def _sqlite_rows(path: str) -> list[dict[str, Any]]:
    file = Path(path)
    if not file.is_file():
        raise LegacySourceError(f"{path} is not a file (give a SQLite file or a postgres:// URL).")
    # mode=ro: the old database is only ever read, so a rollback is pointing traffic back at it.
    connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM users ORDER BY id")]
    except sqlite3.DatabaseError as exc:
        raise LegacySourceError(f"{path}: cannot read the users table ({exc}).") from exc
    finally:
        connection.close()


def _postgres_rows(url: str) -> list[dict[str, Any]]:
    import psycopg2

    try:
        connection = psycopg2.connect(url)
    except psycopg2.Error as exc:
        raise LegacySourceError(f"Cannot connect to the old database: {str(exc).strip()}") from exc
    try:
        connection.set_session(readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM users ORDER BY id")
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]
    except psycopg2.Error as exc:
        raise LegacySourceError(f"Cannot read the users table: {str(exc).strip()}") from exc
    finally:
        connection.close()


# --- Mapping one row -------------------------------------------------------------------------------
@dataclass
class _Mapped:
    legacy_id: int
    email: str
    password: str
    first_name: str = ""
    preferences: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    notification_token: str = ""
    # None: there was an address but it could not be decrypted, so the one here is left alone.
    home_address: str | None = ""
    date_joined: datetime | None = None
    activities: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Skip(Exception):
    pass


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_blob(raw: Any, name: str, expected: type, notes: list[str]) -> Any:
    """The decoded blob, or an empty one (reported) when it is not JSON of the expected type."""
    if raw is None:
        return expected()
    if isinstance(raw, (bytes, memoryview)):
        raw = bytes(raw).decode("utf-8", errors="replace")
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            notes.append(f"{name}: not valid JSON ({_short(raw)}); read as empty")
            return expected()
    if value is None:
        return expected()
    if not isinstance(value, expected):
        notes.append(f"{name}: not a JSON {'object' if expected is dict else 'list'} ({_short(value)}); read as empty")
        return expected()
    return value


def _validated(serializer_class: type, key: str, value: Any) -> tuple[bool, Any]:
    serializer = serializer_class(data={key: value})
    if serializer.is_valid():
        return True, json.loads(json.dumps(serializer.validated_data[key]))  # plain dicts and lists
    return False, serializer.errors.get(key) or serializer.errors


def _errors_text(errors: Any) -> str:
    if isinstance(errors, dict):
        return "; ".join(f"{key}: {_errors_text(value)}" for key, value in errors.items())
    if isinstance(errors, list):
        return " ".join(_errors_text(error) for error in errors)
    return str(errors)


def _preferences_map(blob: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    fields = PreferencesSerializer().fields
    preferences = default_preferences()
    for key, value in blob.items():
        if value is None:
            continue  # null means unset here too
        if key not in fields:
            notes.append(f"preferences.{key}: unknown key, not imported (was {_short(value)})")
            continue
        if key in PREFERENCE_LISTS and isinstance(value, list):
            dropped = [item for item in value if not _validated(PreferencesSerializer, key, [item])[0]]
            if dropped:
                notes.append(f"preferences.{key}: {_short(dropped)} not allowed here, dropped")
            value = [item for item in value if item not in dropped]
        elif key == "vibes" and isinstance(value, dict):
            dropped = {name: weight for name, weight in value.items() if not _validated(PreferencesSerializer, key, {name: weight})[0]}
            if dropped:
                notes.append(f"preferences.vibes: {_short(dropped)} not valid here, dropped")
            value = {name: weight for name, weight in value.items() if name not in dropped}
        ok, result = _validated(PreferencesSerializer, key, value)
        if ok:
            preferences[key] = result
        else:
            notes.append(f"preferences.{key}: {_short(value)} is not valid here ({_errors_text(result)}), not imported")
    return preferences


def _settings_map(blob: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    fields = SettingsSerializer().fields
    settings = default_settings()
    for key, value in blob.items():
        if value is None:
            continue
        if key not in fields:
            notes.append(f"settings.{key}: unknown key, not imported (was {_short(value)})")
            continue
        ok, result = _validated(SettingsSerializer, key, value)
        if ok:
            settings[key] = result
        else:
            notes.append(f"settings.{key}: {_short(value)} is not true/false, not imported")
    return settings


def _activities_map(entries: list[Any], notes: list[str]) -> list[dict[str, Any]]:
    activities = []
    # The old server kept the last 100; so does this one.
    for position, entry in enumerate(entries[-ACTIVITY_KEEP:], start=1):
        serializer = ActivityInSerializer(data=entry if isinstance(entry, dict) else {})
        if not isinstance(entry, dict) or not serializer.is_valid():
            reason = "not an object" if not isinstance(entry, dict) else _errors_text(serializer.errors)
            notes.append(f"recent_activity[{position}]: {_short(entry)} not imported ({reason})")
            continue
        activities.append(activity_values(serializer.validated_data))
    return activities


def _created_at(raw: Any, notes: list[str]) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        value = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    except ValueError:
        notes.append(f"created_at: {_short(raw)} is not a date; the import time is used")
        return None
    # The old server wrote naive UTC (datetime.utcnow).
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _text(raw: Any) -> str:
    return str(raw).strip() if raw is not None else ""


def _row_map(row: dict[str, Any], fernet: Fernet) -> _Mapped:
    notes: list[str] = []
    legacy_id = row.get("id")
    if isinstance(legacy_id, bool) or not isinstance(legacy_id, int) or legacy_id <= 0:
        raise _Skip(f"id {legacy_id!r} is not a positive integer")
    email = User.objects.normalize_email(_text(row.get("email")))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise _Skip("email is missing or not valid") from exc
    if len(email) > User._meta.get_field("email").max_length:
        raise _Skip("email is longer than 254 characters")
    password_hash = _text(row.get("password_hash"))
    if not BCRYPT_HASH.match(password_hash):
        raise _Skip("password hash is not a bcrypt hash")

    first_name = _text(row.get("first_name"))
    if len(first_name) > 100:
        notes.append("first_name: longer than 100 characters, cut")
        first_name = first_name[:100]
    notification_token = _text(row.get("notification_token"))
    if len(notification_token) > 255:
        notes.append("notification_token: longer than 255 characters, not imported")
        notification_token = ""
    if _text(row.get("google_refresh_token")):
        notes.append("google_refresh_token: nothing here uses it, not imported")

    home_address: str | None = ""
    ciphertext = _text(row.get("home_address_encrypted"))
    if ciphertext:
        try:
            home_address = fernet.decrypt(ciphertext.encode()).decode()
        except (InvalidToken, ValueError):
            notes.append("home_address: cannot be decrypted with the given old JWT_SECRET, not imported")
            home_address = None

    return _Mapped(
        legacy_id=legacy_id,
        email=email,
        password=f"bcrypt${password_hash}",
        first_name=first_name,
        preferences=_preferences_map(_json_blob(row.get("preferences"), "preferences", dict, notes), notes),
        settings=_settings_map(_json_blob(row.get("settings"), "settings", dict, notes), notes),
        notification_token=notification_token,
        home_address=home_address,
        date_joined=_created_at(row.get("created_at"), notes),
        activities=_activities_map(_json_blob(row.get("recent_activity"), "recent_activity", list, notes), notes),
        notes=notes,
    )


# --- Writing ---------------------------------------------------------------------------------------
def _activities_sync(user: User, activities: list[dict[str, Any]]) -> bool:
    """Makes the user's imported activities (the window after date_joined) these ones; True if it wrote."""
    anchor = user.date_joined
    wanted = [
        Activity(user=user, created_at=anchor + timedelta(microseconds=position), **activity)
        for position, activity in enumerate(activities)
    ]
    window = Activity.objects.filter(user=user, created_at__gte=anchor, created_at__lt=anchor + ACTIVITY_WINDOW)
    have = [tuple(row) for row in window.order_by("created_at", "id").values_list(*ACTIVITY_FIELDS)]
    if have == [tuple(getattr(activity, name) for name in ACTIVITY_FIELDS) for activity in wanted]:
        return False
    window.delete()
    Activity.objects.bulk_create(wanted)
    # bulk_create sends no signals: drop the cached recent activity (/api/user/me and rankings) here.
    cache.delete(recent_activity_key(user.pk))
    return True


def _user_create(mapped: _Mapped) -> User:
    user = User(
        email=mapped.email,
        legacy_id=mapped.legacy_id,
        password=mapped.password,
        first_name=mapped.first_name,
        preferences=mapped.preferences,
        settings=mapped.settings,
        notification_token=mapped.notification_token,
        home_address=mapped.home_address or "",
        date_joined=mapped.date_joined or timezone.now(),
    )
    user.save()
    _activities_sync(user, mapped.activities)
    return user


def _user_update(user: User, mapped: _Mapped) -> bool:
    """The old database wins for what it holds; True if anything changed."""
    wanted: dict[str, Any] = {
        "email": mapped.email,
        "first_name": mapped.first_name,
        "preferences": mapped.preferences,
        "settings": mapped.settings,
        "notification_token": mapped.notification_token,
    }
    # A hash that is no longer the imported bcrypt one was upgraded or changed here: never revive an old password.
    if user.password.startswith("bcrypt$"):
        wanted["password"] = mapped.password
    if mapped.home_address is not None:
        wanted["home_address"] = mapped.home_address
    if mapped.date_joined is not None:
        wanted["date_joined"] = mapped.date_joined
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    if changed:
        user.save(update_fields=changed)
    return _activities_sync(user, mapped.activities) or bool(changed)


def _row_import(row: dict[str, Any], fernet: Fernet, report: LegacyImportReport) -> None:
    who = f"#{row.get('id')} {_text(row.get('email')) or '(no email)'}"
    try:
        mapped = _row_map(row, fernet)
    except _Skip as exc:
        report.skipped.append((who, str(exc)))
        return
    who = f"#{mapped.legacy_id} {mapped.email}"
    # LOWER(), as the unique constraint and login: iexact (UPPER) would also match a look-alike account.
    user = User.objects.alias(email_lower=Lower("email")).filter(email_lower=mapped.email).first()
    if user is None:
        other = User.objects.filter(legacy_id=mapped.legacy_id).first()
        if other is not None:
            report.skipped.append((who, f"old id {mapped.legacy_id} was imported before as {other.email}"))
            return
    elif user.legacy_id is None:
        report.skipped.append((who, "an account with this email was created here, not imported; left as it is"))
        return
    elif user.legacy_id != mapped.legacy_id:
        report.skipped.append((who, f"the account with this email was imported from old id {user.legacy_id}"))
        return
    try:
        with transaction.atomic():
            if user is None:
                _user_create(mapped)
                report.imported.append(who)
            elif _user_update(user, mapped):
                report.updated.append(who)
            else:
                report.unchanged.append(who)
    except DatabaseError as exc:
        report.skipped.append((who, f"the database refused it ({str(exc).strip().splitlines()[0]})"))
        return
    report.notes.extend((who, note) for note in mapped.notes)


def legacy_users_import(
    *,
    rows: list[dict[str, Any]],
    jwt_secret: str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> LegacyImportReport:
    """Creates or updates one account per old row. A dry run does all of it and rolls it back."""
    report = LegacyImportReport(dry_run=dry_run)
    fernet = legacy_fernet(jwt_secret)
    extra = sorted(set().union(*(row.keys() for row in rows)) - KNOWN_COLUMNS) if rows else []
    if extra:
        report.notes.append(("(source)", f"columns not imported: {', '.join(extra)}"))
    with transaction.atomic():
        for done, row in enumerate(rows, start=1):
            _row_import(row, fernet, report)
            if progress is not None:
                progress(done, len(rows))
        if dry_run:
            transaction.set_rollback(True)
    return report
