"""Account writes. Views call these with keyword arguments; they raise the errors below."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from rest_framework import exceptions, status
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from violetvibes.ratelimit import client_key, failures_counted, limit_key

from .models import ACTIVITY_KEEP, Activity, LegacyTokenExchange, User
from .tokens import (
    LegacyToken,
    TokenExpired,
    TokenInvalid,
    legacy_refresh_token_load,
    legacy_token_user,
    refresh_token_load,
    token_is_current,
    token_pair_for,
)
from .usercache import user_cache_forget


class EmailTaken(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "An account with this email already exists."
    default_code = "email_taken"


class InvalidCredentials(exceptions.AuthenticationFailed):
    default_detail = "Invalid email or password."
    default_code = "invalid_credentials"


class RefreshTokenInvalid(exceptions.AuthenticationFailed):
    default_detail = "This refresh token is not valid. Please sign in again."
    default_code = "token_invalid"


class RefreshTokenExpired(exceptions.AuthenticationFailed):
    default_detail = "This refresh token has expired. Please sign in again."
    default_code = "token_expired"


class WrongPassword(exceptions.ValidationError):
    def __init__(self, field: str) -> None:
        super().__init__({field: ["The password is not correct."]}, code="invalid_password")


def user_signup(*, email: str, password: str, first_name: str = "", address: str | None = None) -> tuple[User, dict[str, str]]:
    """A new account and its first token pair, in one transaction.

    Issuing the pair writes the refresh token's row: if the database fails between the two, the
    account is not left behind for a signup its owner was answered 503 (a retry would get email_taken).

    The apps rely on 409 email_taken, which tells anyone that an email has an account: from the
    client `address`, those answers are counted (FAILURE_LIMITS["signup_taken_ip"]), and past the
    limit the address cannot sign up for a while (429, logged).
    """
    limits = [("signup_taken_ip", address)] if address else []
    with failures_counted(limits, label=f"address={address}, signups for emails that have an account") as attempt:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password, first_name=(first_name or "").strip())
                return user, token_pair_for(user)
        except IntegrityError as exc:
            attempt.failed()
            raise EmailTaken() from exc


def _known_address_key(email: str, address: str) -> str:
    return f"login-known:{limit_key(email, address)}"


def _login_limits(*, email: str, address: str) -> list[tuple[str, str]]:
    limits = [("login_email_ip", f"{email}|{address}")]
    if not caches[settings.RATELIMIT_USE_CACHE].get(_known_address_key(email, address)):
        limits += [("login_ip", address), ("login_email", email)]
    return limits


def user_authenticate(*, request: HttpRequest, email: str, password: str) -> User:
    """The active user with this email and password, else InvalidCredentials (401); Locked (429)
    while the email, the client address or both have had too many failed sign-ins (FAILURE_LIMITS).
    The API login and the admin login both come here, so their failures count together."""
    email = User.objects.normalize_email(email)
    address = client_key(request)
    with failures_counted(_login_limits(email=email, address=address), label=f"email={email} address={address}") as attempt:
        # ModelBackend hashes the password even for unknown emails, so both failures take similar time.
        user = authenticate(request, email=email, password=password)
        if user is None:
            attempt.failed()
            raise InvalidCredentials()
        attempt.succeeded(reset={"login_email_ip"})
    caches[settings.RATELIMIT_USE_CACHE].set(_known_address_key(email, address), True, timeout=settings.LOGIN_KNOWN_ADDRESS_SECONDS)
    return user


def tokens_refresh(*, refresh_token: str) -> dict[str, str]:
    """Rotates a refresh token: the old one is blacklisted and a new pair is returned."""
    try:
        # The blacklist is checked below, under the row lock: not twice.
        old = refresh_token_load(refresh_token, check_blacklist=False)
    except TokenExpired as exc:
        raise RefreshTokenExpired() from exc
    except TokenInvalid:
        return _legacy_refresh_exchange(refresh_token)
    user = User.objects.filter(pk=old.get("sub"), is_active=True).first()
    if user is None or not token_is_current(old, user):
        raise RefreshTokenInvalid()
    with transaction.atomic():
        # Only one caller may spend a refresh token: the row lock makes a concurrent reuse fail.
        # of=("self",): OutstandingToken orders by its nullable user, an outer join PostgreSQL cannot lock.
        outstanding = OutstandingToken.objects.select_for_update(of=("self",)).filter(jti=old["jti"]).first()
        if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            raise RefreshTokenInvalid()
        BlacklistedToken.objects.create(token=outstanding)
        return token_pair_for(user)


def _legacy_refresh_exchange(refresh_token: str) -> dict[str, str]:
    """A refresh token of the old Flask server, for an imported user: exchanged for a pair of ours, once."""
    try:
        legacy = legacy_refresh_token_load(refresh_token)
    except TokenExpired as exc:
        raise RefreshTokenExpired() from exc
    except TokenInvalid as exc:
        raise RefreshTokenInvalid() from exc
    user = legacy_token_user(legacy)
    if user is None:
        raise RefreshTokenInvalid()
    try:
        with transaction.atomic():
            # The primary key makes a second (or concurrent) exchange of the same token fail.
            _legacy_refresh_spend(legacy, user)
            return token_pair_for(user)
    except IntegrityError as exc:
        raise RefreshTokenInvalid() from exc


def _legacy_refresh_spend(legacy: LegacyToken, user: User) -> None:
    LegacyTokenExchange.objects.create(key=legacy.key, user=user, expires_at=legacy.expires_at)


def _refresh_tokens_blacklist_all(user: User) -> None:
    pending = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in pending], ignore_conflicts=True)


def user_tokens_revoke_all(*, user: User) -> None:
    """Every token issued to the user so far, access tokens included, stops working."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
        # An update sends no post_save: the cached row (accounts/usercache.py) is dropped here.
        user_cache_forget(user.pk)
        user.refresh_from_db(fields=["token_version"])
        _refresh_tokens_blacklist_all(user)


def user_logout(*, user: User, refresh_token: str | None = None, everywhere: bool = False) -> None:
    if everywhere:
        user_tokens_revoke_all(user=user)
        return
    if refresh_token:
        try:
            token = RefreshToken(refresh_token)
        except Exception:  # noqa: BLE001 - an unusable token is as good as revoked
            _legacy_refresh_revoke(user=user, refresh_token=refresh_token)
            return
        if str(token.get("sub")) == str(user.pk):
            token.blacklist()


def _legacy_refresh_revoke(*, user: User, refresh_token: str) -> None:
    """Signing out with a refresh token of the old server spends it, as if it had been exchanged."""
    try:
        legacy = legacy_refresh_token_load(refresh_token)
    except (TokenExpired, TokenInvalid):
        return
    if legacy.legacy_user_id == user.legacy_id:
        LegacyTokenExchange.objects.get_or_create(
            key=legacy.key, defaults={"user": user, "expires_at": legacy.expires_at}
        )


def user_password_change(*, user: User, current_password: str, new_password: str) -> dict[str, str]:
    if not user.check_password(current_password):
        raise WrongPassword("current_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        user_tokens_revoke_all(user=user)
        return token_pair_for(user)


def user_delete(*, user: User, password: str) -> None:
    """Deletes the account and, by cascade and signals, its activity, conversations and memory."""
    if not user.check_password(password):
        raise WrongPassword("password")
    user.delete()


def _json_field_merge(*, user: User, field: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Merges `changes` into the user's JSON object `field` (None removes a key) and saves it.

    The object is read again under a row lock, not taken from `user` (loaded when the request was
    authenticated): concurrent updates of other keys, by other workers, are merged into, not
    overwritten (issue 15). On SQLite, whose writers are serialised, the lock is a no-op.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().only("pk", field).get(pk=user.pk)
        merged = dict(getattr(locked, field) or {})
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        setattr(locked, field, merged)
        locked.save(update_fields=[field])
    setattr(user, field, merged)
    return merged


def user_preferences_update(*, user: User, changes: dict[str, Any]) -> dict[str, Any]:
    """Sets the preferences sent, each replacing the stored value (a budget too: a bound left out is
    open), and removes those sent as None; the others are kept. Returns the whole preferences."""
    return _json_field_merge(user=user, field="preferences", changes=changes)


def user_settings_update(*, user: User, changes: dict[str, bool]) -> dict[str, Any]:
    return _json_field_merge(user=user, field="settings", changes=changes)


def user_profile_update(*, user: User, changes: dict[str, str | None]) -> User:
    """Sets the fields sent; None or "" clears one."""
    for field in ("first_name", "home_address"):
        if field in changes:
            setattr(user, field, (changes[field] or "").strip())
    if changes:
        user.save(update_fields=[field for field in ("first_name", "home_address") if field in changes])
    return user


def activity_values(data: dict[str, Any]) -> dict[str, Any]:
    """The Activity columns for one activity as ActivityInSerializer validates it (the API, the import)."""
    return {
        "type": data["type"],
        "place_id": data.get("place_id") or "",
        "name": data.get("name") or "",
        "vibe": data.get("vibe") or "",
        "score": data.get("score"),
        "extra": data["extra"],
    }


def activity_record(*, user: User, type: str, extra: dict[str, Any], **fields: Any) -> Activity:  # noqa: A002
    activity = Activity.objects.create(user=user, **activity_values({**fields, "type": type, "extra": extra}))
    # Keep the most recent ones only, as the old server did. The ids stay a subquery: one SELECT of
    # the rows to delete (their post_delete signal needs them), then the DELETE, only when over.
    stale = Activity.objects.filter(user=user).order_by("-created_at", "-id").values("id")[ACTIVITY_KEEP:]
    Activity.objects.filter(id__in=stale).delete()
    return activity


def notification_token_set(*, user: User, token: str) -> None:
    user.notification_token = token.strip()
    user.save(update_fields=["notification_token"])
