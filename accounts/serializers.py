import json
from typing import Any

from django.contrib.auth import password_validation
from rest_framework import serializers

from violetvibes.fields import StrictBooleanField, StrictCharField, StrictFloatField, StrictIntegerField

from .models import User
from .vibes import VIBES

PREFERRED_VIBES = ("study", "free_events", "food", "nightlife", "explore")
DIETARY_RESTRICTIONS = (
    "vegetarian",
    "vegan",
    "halal",
    "kosher",
    "gluten-free",
    "dairy-free",
    "pork-free",
    "seafood-allergy",
)
SETTINGS_KEYS = (
    "notifications_enabled",
    "calendar_integration_enabled",
    "google_calendar_enabled",
    "use_preferences_for_personalization",
)
ACTIVITY_MAX_BYTES = 10 * 1024


# --- Requests --------------------------------------------------------------------------------------
class SignupSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = StrictCharField(max_length=128, trim_whitespace=False)
    first_name = StrictCharField(max_length=100, required=False, allow_blank=True, allow_null=True)

    def validate_email(self, value: str) -> str:
        return User.objects.normalize_email(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = User(email=attrs["email"], first_name=attrs.get("first_name") or "")
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except Exception as exc:  # django ValidationError: report under the field
            raise serializers.ValidationError({"password": list(getattr(exc, "messages", [str(exc)]))}) from exc
        return attrs


class LoginSerializer(serializers.Serializer):
    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=128, trim_whitespace=False)

    def validate_email(self, value: str) -> str:
        return User.objects.normalize_email(value)


class RefreshSerializer(serializers.Serializer):
    refresh_token = StrictCharField(max_length=2048)


class LogoutSerializer(serializers.Serializer):
    refresh_token = StrictCharField(max_length=2048, required=False)
    all = StrictBooleanField(required=False, default=False)


class PasswordChangeSerializer(serializers.Serializer):
    current_password = StrictCharField(max_length=128, trim_whitespace=False)
    new_password = StrictCharField(max_length=128, trim_whitespace=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            password_validation.validate_password(attrs["new_password"], self.context["request"].user)
        except Exception as exc:
            raise serializers.ValidationError({"new_password": list(getattr(exc, "messages", [str(exc)]))}) from exc
        return attrs


class PasswordConfirmSerializer(serializers.Serializer):
    password = StrictCharField(max_length=128, trim_whitespace=False)


class BudgetSerializer(serializers.Serializer):
    min = StrictIntegerField(min_value=0, max_value=100000, required=False)
    max = StrictIntegerField(min_value=0, max_value=100000, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "min" in attrs and "max" in attrs and attrs["max"] < attrs["min"]:
            raise serializers.ValidationError({"max": ["Must be greater than or equal to min."]})
        return attrs


class PreferencesSerializer(serializers.Serializer):
    """A partial update: only the keys sent are validated; null clears a key; unknown keys are ignored."""

    preferred_vibes = serializers.ListField(
        child=serializers.ChoiceField(PREFERRED_VIBES), allow_null=True, required=False, max_length=len(PREFERRED_VIBES)
    )
    budget = BudgetSerializer(allow_null=True, required=False)
    dietary_restrictions = serializers.ListField(
        child=serializers.ChoiceField(DIETARY_RESTRICTIONS),
        allow_null=True,
        required=False,
        max_length=len(DIETARY_RESTRICTIONS),
    )
    max_walk_minutes_default = StrictIntegerField(min_value=5, max_value=60, allow_null=True, required=False)
    interests = StrictCharField(max_length=500, allow_blank=True, allow_null=True, required=False)
    vibes = serializers.DictField(
        child=StrictFloatField(min_value=0, max_value=1), allow_null=True, required=False, allow_empty=True
    )
    distance_limit_minutes = StrictIntegerField(min_value=5, max_value=60, allow_null=True, required=False)
    indoor_outdoor = serializers.ChoiceField(("indoor", "outdoor", "either"), allow_null=True, required=False)
    commute_preference = serializers.ChoiceField(("walking", "transit", "both"), allow_null=True, required=False)

    def validate_vibes(self, value: dict | None) -> dict | None:
        if value is not None:
            unknown = sorted(set(value) - set(VIBES))
            if unknown:
                raise serializers.ValidationError(f"Unknown vibe(s): {', '.join(unknown)}. Valid: {', '.join(VIBES)}.")
        return value

    def validate_preferred_vibes(self, value: list | None) -> list | None:
        return list(dict.fromkeys(value)) if value is not None else None

    def validate_dietary_restrictions(self, value: list | None) -> list | None:
        return list(dict.fromkeys(value)) if value is not None else None


class SettingsSerializer(serializers.Serializer):
    notifications_enabled = StrictBooleanField(required=False)
    calendar_integration_enabled = StrictBooleanField(required=False)
    google_calendar_enabled = StrictBooleanField(required=False)
    use_preferences_for_personalization = StrictBooleanField(required=False)


class ProfileSerializer(serializers.Serializer):
    first_name = StrictCharField(max_length=100, allow_blank=True, allow_null=True, required=False)
    home_address = StrictCharField(max_length=500, allow_blank=True, allow_null=True, required=False)


class ActivityInSerializer(serializers.Serializer):
    type = StrictCharField(max_length=64)
    place_id = StrictCharField(max_length=255, required=False, allow_blank=True, allow_null=True)
    name = StrictCharField(max_length=255, required=False, allow_blank=True, allow_null=True)
    vibe = StrictCharField(max_length=64, required=False, allow_blank=True, allow_null=True)
    score = StrictFloatField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(self.initial_data, ensure_ascii=False).encode())
        if size > ACTIVITY_MAX_BYTES:
            raise serializers.ValidationError(f"Activity payload too large ({size} bytes; max {ACTIVITY_MAX_BYTES}).")
        attrs["extra"] = {key: value for key, value in self.initial_data.items() if key not in self.fields}
        # The extra keys are stored as sent (JSON column): PostgreSQL refuses NUL in text and jsonb.
        for key, value in attrs["extra"].items():
            if _has_nul(key) or _has_nul(value):
                raise serializers.ValidationError({key if not _has_nul(key) else "non_field_errors": ["Null characters are not allowed."]})
        return attrs


def _has_nul(value: Any) -> bool:
    """True if a NUL character is in any string of a parsed JSON value (keys too; the parser bounds the depth)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class NotificationTokenSerializer(serializers.Serializer):
    token = StrictCharField(max_length=255)


# --- Responses ------------------------------------------------------------------------------------
# /api/user/me and the auth responses are the hottest reads: they are built as plain dicts by
# user_data()/activity_data(); the serializers below document the same shapes in the schema.
def user_data(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name or None,
        "home_address": user.home_address or "",
        "preferences": user.preferences or {},
        "settings": user.settings or {},
    }


def activity_data(row: dict[str, Any]) -> dict[str, Any]:
    """One activity (a row of accounts.selectors.activity_recent): the keys the app sent, plus a timestamp."""
    typed = {key: row[key] for key in ("type", "place_id", "name", "vibe", "score")}
    # The extra keys first, so the typed columns win on a clash.
    return {**(row["extra"] or {}), **typed, "timestamp": row["created_at"].isoformat()}


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField(allow_null=True)
    home_address = serializers.CharField(help_text='"" when unset')
    preferences = PreferencesSerializer()
    settings = SettingsSerializer()


class ActivitySerializer(serializers.Serializer):
    type = serializers.CharField()
    place_id = serializers.CharField()
    name = serializers.CharField()
    vibe = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    timestamp = serializers.DateTimeField()


class MeSerializer(UserSerializer):
    recent_activity = ActivitySerializer(many=True, help_text="Last 100, oldest first; any other keys sent are kept.")


class TokenPairSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Access token (Bearer), valid 7 days.")
    refresh_token = serializers.CharField(help_text="Refresh token, valid 30 days, single use.")


class AuthResponseSerializer(TokenPairSerializer):
    user = UserSerializer()


class ProfileResponseSerializer(serializers.Serializer):
    first_name = serializers.CharField(allow_null=True)
    home_address = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    status = serializers.CharField()
