"""JWTs: simplejwt tokens that also carry the user's token version ("ver")."""

from typing import Any

from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from .models import User

VERSION_CLAIM = "ver"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def token_pair_for(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    refresh[VERSION_CLAIM] = user.token_version
    return {"token": str(refresh.access_token), "refresh_token": str(refresh)}


def _load(token_class: type, raw: str) -> Any:
    try:
        return token_class(raw)
    except ExpiredTokenError as exc:
        raise TokenExpired() from exc
    except TokenError as exc:
        raise TokenInvalid() from exc


def access_token_load(raw: str) -> AccessToken:
    return _load(AccessToken, raw)


def refresh_token_load(raw: str) -> RefreshToken:
    return _load(RefreshToken, raw)


def token_is_current(token: Any, user: User) -> bool:
    """False once the user revoked everything issued before (logout everywhere, new password)."""
    return token.get(VERSION_CLAIM, 0) == user.token_version
