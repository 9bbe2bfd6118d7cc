"""JWTs: simplejwt tokens that also carry the user's token version ("ver") and their family ("fam").

A login starts a family: its refresh token, every refresh token rotated from it, and the access
tokens issued with them all carry the same "fam", so that one login can be ended as a whole
(RevokedTokenFamily) without signing the user out of the others; the version ends them all.

Tokens of the old Flask server (HS256 with the same JWT_SECRET, an int `sub` naming the user's old
id, `type`, no `jti`) are still understood for imported users, so the switch logs nobody out: its
access tokens work until they expire, its refresh tokens are exchanged for ours once.
"""

import hashlib
import json
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import jwt
from django.conf import settings
from django.db.models import Exists
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import aware_utcnow

from violetvibes import state

from .models import RevokedTokenFamily, User

VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def token_family_new() -> str:
    return uuid.uuid4().hex


def token_pair_for(user: User, *, family: str | None = None) -> dict[str, str]:
    """A refresh token and its access token (which copies the claims). Without `family` the pair
    starts a new one (a login); a rotation passes the family of the token it replaces."""
    refresh = RefreshToken.for_user(user)
    refresh[VERSION_CLAIM] = user.token_version
    refresh[FAMILY_CLAIM] = family or token_family_new()
    return {"token": str(refresh.access_token), "refresh_token": str(refresh)}


def token_family(token: Any) -> str | None:
    """The family of a verified token of ours. A refresh token issued before families is the first
    of its own (named by its jti, which its rotations carry on); an access token of then has none."""
    family = token.get(FAMILY_CLAIM)
    if family:
        return str(family)
    if token.get(api_settings.TOKEN_TYPE_CLAIM) == "refresh" and token.get("jti"):
        return str(token["jti"])
    return None


def token_user(token: Any) -> User | None:
    """The active user a verified token of ours names, unless the token was revoked since: issued
    before the user revoked everything (its version), or of a family that was ended. One query."""
    users = User.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True)
    family = token_family(token)
    if family:
        users = users.annotate(family_revoked=Exists(RevokedTokenFamily.objects.filter(pk=family)))
    try:
        user = users.first()
    except (TypeError, ValueError):  # a `sub` that is no user id
        return None
    if user is None or not token_is_current(token, user) or getattr(user, "family_revoked", False):
        return None
    return user


def _load(token_class: type, raw: str) -> Any:
    try:
        return token_class(raw)
    except ExpiredTokenError as exc:
        raise TokenExpired() from exc
    except TokenError as exc:
        raise TokenInvalid() from exc


@lru_cache(maxsize=4096)
def _access_token_verified(raw: str) -> AccessToken:
    return _load(AccessToken, raw)  # an invalid token raises, and is not kept


state.on_reset(_access_token_verified.cache_clear)


def access_token_load(raw: str) -> AccessToken:
    """The verified access token `raw`. Its signature, type and claims are checked once per process
    and the result kept (the same text is the same token: PyJWT's checks are most of a signed-in
    request's CPU, docs/BENCHMARKS.md); its expiry is checked on every call. Revocation is not part
    of this: the caller checks the token against its user on every request."""
    token = _access_token_verified(raw)
    try:
        token.check_exp(current_time=aware_utcnow())
    except TokenError as exc:
        raise TokenExpired() from exc
    return token


class _RefreshTokenUnlisted(RefreshToken):
    """A refresh token verified (signature, expiry, type) without the blacklist query."""

    def check_blacklist(self) -> None:
        return None


def refresh_token_load(raw: str, *, check_blacklist: bool = True) -> RefreshToken:
    """A verified refresh token; check_blacklist=False is for callers that check it themselves
    (tokens_refresh does, under a row lock, where a concurrent reuse cannot slip past)."""
    return _load(RefreshToken if check_blacklist else _RefreshTokenUnlisted, raw)


def token_is_current(token: Any, user: User) -> bool:
    """False once the user revoked everything issued before (logout everywhere, new password).

    Legacy tokens have no version, so they count as version 0: the first revocation ends them too.
    """
    return token.get(VERSION_CLAIM, 0) == user.token_version


# --- Tokens of the old Flask server -----------------------------------------------------------------
class LegacyToken(dict):
    """The verified claims of a token issued by the Flask server."""

    @property
    def legacy_user_id(self) -> int:
        return self["sub"]

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self["exp"], tz=UTC)

    @property
    def key(self) -> str:
        # A digest of the claims rather than of the text: base64 has several spellings of the same
        # signature, and every one of them verifies, so the text does not identify a token.
        return hashlib.sha256(json.dumps(self, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def legacy_signing_key() -> str:
    """The old server's JWT_SECRET: JWT_SECRET itself (the cut-over keeps it), unless a LEGACY_JWT_SECRET
    setting names it apart, so that this project can sign with a key the old server does not know."""
    return settings.LEGACY_JWT_SECRET or api_settings.SIGNING_KEY


def _legacy_load(raw: str, token_type: str) -> LegacyToken:
    try:
        claims = jwt.decode(
            raw,
            legacy_signing_key(),
            algorithms=["HS256"],  # never "none" nor anything the token's header asks for
            # The old server's `sub` is an int, which PyJWT >= 2.10 refuses unless told not to check it.
            options={"verify_sub": False, "require": ["exp", "iat", "sub", "type"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired() from exc
    except jwt.InvalidTokenError as exc:
        raise TokenInvalid() from exc
    # Ours always carry a jti: a signed token with one that failed our checks is ours and invalid.
    if claims.get("type") != token_type or "jti" in claims:
        raise TokenInvalid()
    sub = claims["sub"]
    if isinstance(sub, str) and sub.isascii() and sub.isdigit():
        sub = int(sub)
    if isinstance(sub, bool) or not isinstance(sub, int) or sub <= 0:
        raise TokenInvalid()
    return LegacyToken(claims, sub=sub)


def legacy_access_token_load(raw: str) -> LegacyToken:
    return _legacy_load(raw, "access")


def legacy_refresh_token_load(raw: str) -> LegacyToken:
    return _legacy_load(raw, "refresh")


def legacy_token_user(token: LegacyToken) -> User | None:
    """The imported user the token names, if still active and not signed out everywhere since."""
    user = User.objects.filter(legacy_id=token.legacy_user_id, is_active=True).first()
    if user is None or not token_is_current(token, user):
        return None
    return user
