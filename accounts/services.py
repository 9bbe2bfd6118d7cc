"""Account writes. Views call these with keyword arguments; they raise the errors of errors.py (and
violetvibes.ratelimit.Locked), which the project's exception handler answers."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from violetvibes.ratelimit import client_key, failures_counted, limit_key

from .errors import EmailTaken, InvalidCredentials, PasswordIncorrect, RefreshTokenExpired, RefreshTokenInvalid
from .models import ACTIVITY_KEEP, Activity, LegacyTokenExchange, RevokedTokenFamily, User
from .tokens import (
    LegacyToken,
    TokenExpired,
    TokenInvalid,
    legacy_refresh_token_load,
    legacy_token_user,
    refresh_token_load,
    token_family,
    token_family_new,
    token_pair_for,
    token_user,
)
from .usercache import user_cache_forget


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
    """Rotates a refresh token: the old one is blacklisted and a new pair of the same family is
    returned. A spent one presented again ends its whole family (RevokedTokenFamily says why)."""
    try:
        # The blacklist is checked below, under the row lock: not twice.
        old = refresh_token_load(refresh_token, check_blacklist=False)
    except TokenExpired as exc:
        raise RefreshTokenExpired() from exc
    except TokenInvalid:
        return _legacy_refresh_exchange(refresh_token)
    user = token_user(old)
    if user is None:
        raise RefreshTokenInvalid()
    family = token_family(old)
    with transaction.atomic():
        # Only one caller may spend a refresh token: the row lock makes a concurrent reuse fail.
        # of=("self",): OutstandingToken orders by its nullable user, an outer join PostgreSQL cannot lock.
        outstanding = OutstandingToken.objects.select_for_update(of=("self",)).filter(jti=old["jti"]).first()
        if outstanding is None:
            raise RefreshTokenInvalid()
        if not BlacklistedToken.objects.filter(token=outstanding).exists():
            BlacklistedToken.objects.create(token=outstanding)
            return token_pair_for(user, family=family)
    token_families_revoke(user=user, families=[family])
    raise RefreshTokenInvalid()


def token_families_revoke(*, user: User, families: list[str | None]) -> None:
    """Every token of these families stops working, refresh and access alike.

    Kept while a token of the family may still be valid: the newest was issued by now (give a
    rotation in flight a minute) and none lives longer than the longest lifetime. Rows past that are
    dropped here; revocations are rare, so this is the only cleaning needed.
    """
    families = sorted({family for family in families if family})
    if not families:
        return
    now = timezone.now()
    lifetime = max(api_settings.ACCESS_TOKEN_LIFETIME, api_settings.REFRESH_TOKEN_LIFETIME)
    with transaction.atomic():
        RevokedTokenFamily.objects.filter(expires_at__lt=now).delete()
        for family in families:
            RevokedTokenFamily.objects.get_or_create(
                family=family, defaults={"user": user, "revoked_at": now, "expires_at": now + lifetime + timedelta(minutes=1)}
            )


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
    family = token_family_new()
    try:
        with transaction.atomic():
            # The primary key makes a second (or concurrent) exchange of the same token fail.
            _legacy_refresh_spend(legacy, user, family)
            return token_pair_for(user, family=family)
    except IntegrityError as exc:
        # Exchanged before: as with a reused refresh token of ours, the pair it became is ended too.
        spent = LegacyTokenExchange.objects.filter(key=legacy.key, user=user).values_list("family", flat=True).first()
        token_families_revoke(user=user, families=[spent])
        raise RefreshTokenInvalid() from exc


def _legacy_refresh_spend(legacy: LegacyToken, user: User, family: str) -> None:
    LegacyTokenExchange.objects.create(key=legacy.key, user=user, family=family, expires_at=legacy.expires_at)


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


def user_logout(*, user: User, access_token: Any = None, refresh_token: str | None = None, everywhere: bool = False) -> None:
    """Ends the login of the tokens used (the access token of the request, the refresh token sent):
    every token of their family, access tokens included. `everywhere`: every token of the user."""
    if everywhere:
        user_tokens_revoke_all(user=user)
        return
    families = [token_family(access_token)] if access_token is not None else []
    if refresh_token:
        try:
            token = RefreshToken(refresh_token)
        except Exception:  # noqa: BLE001 - an unusable token is as good as revoked
            _legacy_refresh_revoke(user=user, refresh_token=refresh_token)
            token = None
        if token is not None and str(token.get("sub")) == str(user.pk):
            token.blacklist()
            families.append(token_family(token))
    token_families_revoke(user=user, families=families)


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
        raise PasswordIncorrect("current_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        user_tokens_revoke_all(user=user)
        return token_pair_for(user)


def user_delete(*, user: User, password: str) -> None:
    """Deletes the account and, by cascade and signals, its activity, conversations and memory."""
    if not user.check_password(password):
        raise PasswordIncorrect("password")
    user.delete()


def _json_field_merge(*, user: User, field: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Merges `changes` into the user's JSON object `field` (None removes a key) and saves it.

    The object is read again under a row lock, not taken from `user` (loaded when the request was
    authenticated): concurrent updates of other keys, by other workers, are merged into, not
    overwritten. On SQLite, whose writers are serialised, the lock is a no-op.
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
