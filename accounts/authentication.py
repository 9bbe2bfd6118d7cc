from typing import Any

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.settings import api_settings

from violetvibes import ratelimit
from violetvibes.errors import ERRORS

from .models import User
from .tokens import (
    LegacyToken,
    TokenExpired,
    TokenInvalid,
    access_token_load,
    legacy_access_token_load,
    legacy_token_user,
    token_family,
    token_is_current,
)
from .usercache import user_cached_get, user_cached_get_counting


class TokenExpiredError(exceptions.AuthenticationFailed):
    default_code = "token_expired"
    default_detail = ERRORS[default_code].message


class TokenInvalidError(exceptions.AuthenticationFailed):
    default_code = "token_invalid"
    default_detail = ERRORS[default_code].message


class JWTAuthentication(authentication.JWTAuthentication):
    """Bearer access tokens only (a refresh token is refused), checked against the user's token
    version and the user's revoked token families.

    Access tokens of the old Flask server are accepted for imported users until they expire.
    """

    _request: Request | None = None
    _view: object = None

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        # The view asked for: it may want data read with the user's row (user_with_recent_activity),
        # and its rate limit is counted in the same round trip.
        self._request = request
        self._view = (request.parser_context or {}).get("view")
        return super().authenticate(request)

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
        # The row from the shared cache (accounts/usercache.py: a change to the user, its token
        # version and revoked families included, is seen at once by every instance), else from the
        # database; the view's rate limit is counted in the same round trip to Redis, and given back
        # if the token is refused.
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if isinstance(user_id, str) and user_id.isascii() and user_id.isdigit():
            user_id = int(user_id)
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            raise TokenInvalidError()
        request = self._request
        wanted = request is not None and request.method in getattr(self._view, "user_with_recent_activity", ())
        counter = ratelimit.counter_in_advance(request, self._view, user_id=user_id) if request is not None else None
        if counter is None:
            user = user_cached_get(user_id=user_id, with_recent_activity=wanted)
        else:
            user, count = user_cached_get_counting(
                user_id=user_id, with_recent_activity=wanted, counter_key=counter.cache_key, counter_timeout=counter.timeout
            )
            ratelimit.counted_in_advance(request, counter, count)
        accepted = (
            user is not None
            and user.is_active
            and token_is_current(validated_token, user)
            and token_family(validated_token) not in user.revoked_families
        )
        if not accepted:
            if counter is not None:
                ratelimit.uncount(request, counter)
            raise TokenInvalidError()
        return user


class OptionalJWTAuthentication(JWTAuthentication):
    """For endpoints open to everyone: a missing, expired or invalid token means anonymous."""

    def authenticate(self, request: Request) -> tuple[User, Any] | None:
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            return None
