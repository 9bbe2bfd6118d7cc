"""Anonymous conversation ids: issued by this service and signed, so a client cannot pick one.

An anonymous conversation is reachable by its id alone (X-Session-ID, the body's `session_id` or
the HttpOnly cookie), so the id must be one this service handed out: a random nonce followed by
an HMAC of it under SECRET_KEY (Django's salted_hmac; ids issued under a key in
SECRET_KEY_FALLBACKS still verify during a rotation). Any other id, picked, guessed or altered,
is not honoured: the caller gets a new conversation under a new id. The id keeps the shape the
API has always had (8-64 letters, digits, "-" or "_": here 64 hex characters), so clients that
send it back need no change.
"""

import hmac
import uuid
from functools import lru_cache

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "violetvibes.chat.session"
SIGNATURE_CHARS = 32  # 128 bits of HMAC-SHA256
MAX_CHARS = 64


@lru_cache(maxsize=8)  # the current key and its fallbacks
def _keyed(secret: str) -> hmac.HMAC:
    """salted_hmac(SALT, ·, secret) before its message: the key it derives from `secret`, set up
    once per secret rather than for every id (each id copies it, never changes it)."""
    return salted_hmac(SALT, b"", secret=secret, algorithm="sha256")


def _signature(nonce: str, secret: str) -> str:
    """salted_hmac(SALT, nonce, secret=secret, algorithm="sha256"), hex, cut to SIGNATURE_CHARS."""
    signer = _keyed(secret).copy()
    signer.update(nonce.encode())
    return signer.hexdigest()[:SIGNATURE_CHARS]


def session_id_sign(nonce: str) -> str:
    """`nonce` followed by its signature (tests name their conversations with it)."""
    return nonce + _signature(nonce, settings.SECRET_KEY)


def session_id_issue() -> str:
    return session_id_sign(uuid.uuid4().hex)


def session_id_is_issued(value: str) -> bool:
    """True when `value` is an id this service signed (with the current key or a fallback)."""
    if not value or len(value) > MAX_CHARS or len(value) <= SIGNATURE_CHARS:
        return False
    nonce, signature = value[:-SIGNATURE_CHARS], value[-SIGNATURE_CHARS:]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(signature, _signature(nonce, secret)) for secret in secrets)
