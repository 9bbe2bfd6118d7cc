"""Field encryption for personal data at rest (home address), independent of the signing keys.

FIELD_ENCRYPTION_KEY holds one or more comma-separated Fernet keys: the first encrypts, every
one decrypts, so a key can be rotated by putting the new one first and running
`manage.py rotate_field_encryption`.
"""

import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        # An unreadable value must not break the account; it reads as unset and is logged.
        logger.warning("An encrypted field could not be decrypted with the configured keys.")
        return ""


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode() if token else ""


class Unreadable(str):
    """Reads as "" but remembers the ciphertext no configured key could open, so that saving the
    row again (admin, other fields) writes the ciphertext back instead of erasing it."""

    token: str

    def __new__(cls, token: str) -> "Unreadable":
        value = super().__new__(cls, "")
        value.token = token
        return value


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; Python code only ever sees the plain text."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str:
        plain = decrypt(value or "")
        return Unreadable(value) if value and not plain else plain

    def get_prep_value(self, value: str | None) -> str:
        if isinstance(value, Unreadable):
            return value.token
        return encrypt(value or "")
