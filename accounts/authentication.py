from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt import authentication

from violetvibes.errors import ERRORS

from .models import User
from .tokens import (
    LegacyToken,
    TokenExpired,
    TokenInvalid,
    access_token_load,
    legacy_access_token_load,
    legacy_token_user,
    token_user,
)


class TokenExpiredError(exceptions.AuthenticationFailed):
    default_code = "token_expired"
    default_detail = ERRORS[default_code].message


class TokenInvalidError(exceptions.AuthenticationFailed):
    default_code = "token_invalid"
    default_detail = ERRORS[default_code].message


class JWTAuthentication(authentication.JWTAuthentication):
    """Bearer access tokens only (a refresh token is refused), checked against the user's token
    version and the revoked token families.

    Access tokens of the old Flask server are accepted for imported users until they expire.
    """

    def get_validated_token(self, raw_token: bytes) -> Any:
        try:
            raw = raw_token.decode()
            return access_token_load(raw)
        except TokenExpired as exc:
            raise TokenExpiredError() from exc
        except UnicodeDecodeError as exc:
            raise TokenInvalidError() from exc
        except TokenInvalid as exc:
            # Only tokens that are not ours pay for the second decode.
            try:
                return legacy_access_token_load(raw)
            except TokenExpired as legacy_exc:
                raise TokenExpiredError() from legacy_exc
            except TokenInvalid:
                raise TokenInvalidError() from exc

    def get_user(self, validated_token: Any) -> User:
        if isinstance(validated_token, LegacyToken):
            user = legacy_token_user(validated_token)
            if user is None:
                raise TokenInvalidError()
            return user
        user = token_user(validated_token)
        if user is None:
            raise TokenInvalidError()
        return user


class OptionalJWTAuthentication(JWTAuthentication):
    """For endpoints open to everyone: a missing, expired or invalid token means anonymous."""

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            return None
