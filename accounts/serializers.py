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
WALK_MINUTES = (5, 60)  # max_walk_minutes_default and distance_limit_minutes
BUDGET_MAX = 100000
INTERESTS_MAX_LENGTH = 500


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


def _budget_check(budget: dict[str, int]) -> None:
    if "min" in budget and "max" in budget and budget["max"] < budget["min"]:
        raise serializers.ValidationError({"max": ["Must be greater than or equal to min."]})


class BudgetSerializer(serializers.Serializer):
    min = StrictIntegerField(min_value=0, max_value=BUDGET_MAX, required=False)
    max = StrictIntegerField(min_value=0, max_value=BUDGET_MAX, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _budget_check(attrs)
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
    max_walk_minutes_default = StrictIntegerField(
        min_value=WALK_MINUTES[0], max_value=WALK_MINUTES[1], allow_null=True, required=False
    )
    interests = StrictCharField(max_length=INTERESTS_MAX_LENGTH, allow_blank=True, allow_null=True, required=False)
    vibes = serializers.DictField(
        child=StrictFloatField(min_value=0, max_value=1), allow_null=True, required=False, allow_empty=True
    )
    distance_limit_minutes = StrictIntegerField(
        min_value=WALK_MINUTES[0], max_value=WALK_MINUTES[1], allow_null=True, required=False
    )
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


def _names(values: list[str], shown: int = 5) -> str:
    """A list of client-sent names for a message: the first few, each cut short."""
    names = ", ".join(value if len(value) <= 40 else f"{value[:39]}…" for value in values[:shown])
    return names if len(values) <= shown else f"{names} and {len(values) - shown} more"


class BudgetUpdateSerializer(serializers.Serializer):
    """A budget as sent, replacing the stored one; bounds out of range are clamped."""

    min = StrictIntegerField(required=False, help_text=f"0-{BUDGET_MAX}; left out: no lower bound.")
    max = StrictIntegerField(required=False, help_text=f"0-{BUDGET_MAX}, at least min; left out: no upper bound.")


# The iOS app saves every preference in one request and ignores an error, so a 400 for one value
# silently lost all the others while the phone showed them saved (issue 14). A value of the right
# type that the old server accepted is therefore repaired, not refused, and each repair is listed in
# `adjustments` (field -> messages; the answer's `adjusted`). A wrong type is still a 400: the apps
# send the types clients.json lists.
class PreferencesUpdateSerializer(PreferencesSerializer):
    """A partial update: the keys sent replace their stored values (the budget too, whole), null
    clears a key, unknown keys are ignored. Values the app may send out of range are saved adjusted,
    never refused: unknown vibes and dietary restrictions are dropped, the walk limit and budget
    bounds clamped, interests cut at 500 characters; the answer's `adjusted` says what was done.
    A value of the wrong type is a 400 and saves nothing."""

    preferred_vibes = serializers.ListField(
        child=StrictCharField(allow_blank=True),
        allow_null=True,
        required=False,
        help_text=f"Any of {', '.join(PREFERRED_VIBES)}; other names are dropped (reported in `adjusted`).",
    )
    budget = BudgetUpdateSerializer(
        allow_null=True,
        required=False,
        help_text="Sent whole, it replaces the stored budget: a bound left out is open, not kept from before; "
        f"{{}} or null clears it. Bounds outside 0-{BUDGET_MAX} are clamped (reported in `adjusted`); max < min is a 400.",
    )
    dietary_restrictions = serializers.ListField(
        child=StrictCharField(allow_blank=True),
        allow_null=True,
        required=False,
        help_text=f"Any of {', '.join(DIETARY_RESTRICTIONS)}; other names are dropped (reported in `adjusted`).",
    )
    max_walk_minutes_default = StrictIntegerField(
        allow_null=True,
        required=False,
        help_text=f"{WALK_MINUTES[0]}-{WALK_MINUTES[1]}; a value outside is clamped (reported in `adjusted`).",
    )
    interests = StrictCharField(
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text=f"Up to {INTERESTS_MAX_LENGTH} characters; a longer text is cut (reported in `adjusted`).",
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        self.adjustments: dict[str, list[str]] = {}
        return super().to_internal_value(data)

    def _adjusted(self, field: str, message: str) -> None:
        self.adjustments.setdefault(field, []).append(message)

    def _known_only(self, field: str, values: list[str] | None, known: tuple[str, ...], what: str) -> list[str] | None:
        if values is None:
            return None
        unknown = list(dict.fromkeys(value for value in values if value not in known))
        if unknown:
            self._adjusted(field, f"Not {what}, dropped: {_names(unknown)}. Known: {', '.join(known)}.")
        return list(dict.fromkeys(value for value in values if value in known))

    def validate_preferred_vibes(self, value: list | None) -> list | None:
        return self._known_only("preferred_vibes", value, PREFERRED_VIBES, "a vibe the app offers")

    def validate_dietary_restrictions(self, value: list | None) -> list | None:
        return self._known_only("dietary_restrictions", value, DIETARY_RESTRICTIONS, "a known dietary restriction")

    def validate_max_walk_minutes_default(self, value: int | None) -> int | None:
        if value is None:
            return None
        low, high = WALK_MINUTES
        clamped = min(max(value, low), high)
        if clamped != value:
            self._adjusted("max_walk_minutes_default", f"{value} is outside {low}-{high} minutes; saved as {clamped}.")
        return clamped

    def validate_budget(self, value: dict | None) -> dict | None:
        if not value:
            return None  # no bound at all: no budget
        budget = {}
        for bound in ("min", "max"):
            if bound in value:
                budget[bound] = min(max(value[bound], 0), BUDGET_MAX)
                if budget[bound] != value[bound]:
                    self._adjusted(f"budget.{bound}", f"{value[bound]} is outside 0-{BUDGET_MAX}; saved as {budget[bound]}.")
        _budget_check(budget)
        return budget

    def validate_interests(self, value: str | None) -> str | None:
        if value is not None and len(value) > INTERESTS_MAX_LENGTH:
            self._adjusted("interests", f"Longer than {INTERESTS_MAX_LENGTH} characters; the first {INTERESTS_MAX_LENGTH} were saved.")
            return value[:INTERESTS_MAX_LENGTH].strip()
        return value


class PreferencesUpdateResponseSerializer(PreferencesSerializer):
    """The whole preferences after the update; `adjusted` when a value sent was saved adjusted."""

    adjusted = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only when a value sent was changed to be saved (field -> what was done): unknown "
        "vibes or restrictions dropped, the walk limit or a budget bound clamped, interests cut. Never stored.",
    )


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
