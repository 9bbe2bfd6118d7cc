"""A database of the old Flask server, built in a temp dir: its `users` table (11 columns, JSON as text,
bcrypt hashes, the address Fernet-encrypted with a key derived from JWT_SECRET), and its tokens."""

import base64
import json
import sqlite3
import time
from functools import cache
from pathlib import Path
from typing import Any

import bcrypt
import jwt
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

# The schema of the old server's reference database, columns in their order (first_name and
# home_address_encrypted were appended by its migration).
USERS_SCHEMA = """
CREATE TABLE users (
    id INTEGER NOT NULL PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    preferences TEXT,
    settings TEXT,
    recent_activity TEXT,
    notification_token VARCHAR(255),
    google_refresh_token VARCHAR(255),
    created_at DATETIME,
    first_name VARCHAR(100),
    home_address_encrypted TEXT
);
CREATE INDEX idx_users_first_name ON users(first_name);
"""
COLUMNS = (
    "id",
    "email",
    "password_hash",
    "preferences",
    "settings",
    "recent_activity",
    "notification_token",
    "google_refresh_token",
    "created_at",
    "first_name",
    "home_address_encrypted",
)
SIGNUP_PREFERENCES = {"vibes": {}, "distance_limit_minutes": 20, "indoor_outdoor": "either"}
SIGNUP_SETTINGS = {"notifications_enabled": True, "calendar_integration_enabled": False}
UNICODE_NAMES = ("Zoë", "李雷", "José", "Nguyễn Thị", "Ünal", "Ana-María", "Søren", "Łukasz", "Chloé 🌸", "Oğuz")


@cache
def old_fernet(jwt_secret: str) -> Fernet:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=b"violetvibes_salt", iterations=100_000)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(jwt_secret.encode())))


def encrypt_old_way(address: str, jwt_secret: str) -> str:
    return old_fernet(jwt_secret).encrypt(address.encode()).decode()


@cache
def bcrypt_hash(password: str, rounds: int = 4) -> str:
    """Flask-Bcrypt's hash; rounds 4 keeps the suite fast (the old server used 12)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()


def blob(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def legacy_row(**values: Any) -> dict[str, Any]:
    """A row as the old server's signup left it, with `values` on top."""
    row = {
        "preferences": blob(SIGNUP_PREFERENCES),
        "settings": blob(SIGNUP_SETTINGS),
        "recent_activity": "[]",
        "notification_token": None,
        "google_refresh_token": None,
        "created_at": "2025-02-14 09:30:00.000000",
        "first_name": None,
        "home_address_encrypted": None,
    }
    row.update(values)
    return row


def generated_rows(count: int, *, first_id: int = 100) -> list[dict[str, Any]]:
    """Ordinary users with unicode names, some activity and the signup blobs."""
    rows = []
    for n in range(count):
        activity = [{"type": "clicked_recommendation", "place_id": f"catalog:p{n}-{i}", "score": i / 4} for i in range(n % 3)]
        rows.append(
            legacy_row(
                id=first_id + n,
                email=f"student{n}@nyu.edu",
                password_hash=bcrypt_hash("generated-password"),
                first_name=UNICODE_NAMES[n % len(UNICODE_NAMES)],
                recent_activity=blob(activity),
                created_at=f"2025-01-{1 + n % 28:02d} 12:00:{n % 60:02d}.{n:06d}",
            )
        )
    return rows


def build_legacy_sqlite(path: Path, rows: list[dict[str, Any]]) -> Path:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(USERS_SCHEMA)
        insert_rows(connection, rows)
        connection.commit()
    finally:
        connection.close()
    return path


def insert_rows(connection: Any, rows: list[dict[str, Any]], placeholder: str = "?") -> None:
    marks = ", ".join([placeholder] * len(COLUMNS))
    cursor = connection.cursor()
    for row in rows:
        cursor.execute(f"INSERT INTO users ({', '.join(COLUMNS)}) VALUES ({marks})", [row.get(c) for c in COLUMNS])  # noqa: S608


def legacy_token(
    sub: Any, *, secret: str, kind: str = "access", expires_in: int = 3600, algorithm: str = "HS256", **claims: Any
) -> str:
    """A token as the old server issued them: sub an int, email, exp, iat, type; no jti."""
    now = int(time.time())
    payload = {"sub": sub, "email": "someone@nyu.edu", "iat": now - 60, "exp": now + expires_in, "type": kind, **claims}
    return jwt.encode(payload, secret, algorithm=algorithm)
