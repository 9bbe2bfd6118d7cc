"""Query validation and the documented response shapes of the recommendation endpoints."""

from typing import Any

from rest_framework import serializers

from events.serializers import ListStatusSerializer
from places.categories import CATEGORY_ALIASES, QUICK_RECS_CATEGORIES, category_normalize
from places.serializers import AtQuery, CardSerializer, OriginQuery, VibeField, WeatherSerializer
from violetvibes.fields import NamesField
from violetvibes.serializers import FieldsCopiedOnce


class QuickRecsQuerySerializer(FieldsCopiedOnce, AtQuery, OriginQuery):
    category = NamesField(
        names=(*QUICK_RECS_CATEGORIES, *CATEGORY_ALIASES), help_text="Any case; chill_cafes is the old name of cozy_cafes."
    )
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)
    vibe = VibeField(required=False)

    def validate_category(self, value: str) -> str:
        category = category_normalize(value)
        if category is None:
            raise serializers.ValidationError(f"Unknown category. Valid categories: {', '.join(QUICK_RECS_CATEGORIES)}.")
        return category


class TopRecsQuerySerializer(FieldsCopiedOnce, AtQuery, OriginQuery):
    limit = serializers.IntegerField(min_value=1, max_value=10, default=10)
    vibe = VibeField(required=False)
    weather = serializers.CharField(required=False, max_length=64, help_text="A word or an emoji, e.g. rain or 🌧️.")


class DashboardQuerySerializer(AtQuery, OriginQuery):
    pass


_LIST_STATUS = ListStatusSerializer().fields


class RecommendationsSerializer(FieldsCopiedOnce, serializers.Serializer):
    category = serializers.CharField()
    places = CardSerializer(many=True)
    # Only for category=events (quick recs): why the list is empty, when it is.
    status = serializers.ChoiceField(_LIST_STATUS["status"].choices, required=False, help_text=f"category=events only. {_LIST_STATUS['status'].help_text}")
    message = serializers.CharField(allow_null=True, required=False, help_text=f"category=events only. {_LIST_STATUS['message'].help_text}")

    def to_representation(self, instance: dict[str, Any]) -> dict[str, Any]:
        # Left out when not given (a null message is still a message for category=events).
        return {key: value for key, value in super().to_representation(instance).items() if key in instance}


class _QuickLists(serializers.Serializer):
    quick_bites = CardSerializer(many=True)
    cozy_cafes = CardSerializer(many=True)
    explore = CardSerializer(many=True)
    events = CardSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    weather = WeatherSerializer(allow_null=True)
    calendar_linked = serializers.BooleanField()
    next_free = serializers.DictField(allow_null=True)
    free_time_suggestion = serializers.DictField(allow_null=True)
    quick_recommendations = _QuickLists()
    events_status = serializers.ChoiceField(_LIST_STATUS["status"].choices, help_text=f"For the events list. {_LIST_STATUS['status'].help_text}")
    events_message = serializers.CharField(allow_null=True, help_text=f"For the events list. {_LIST_STATUS['message'].help_text}")


class FreeTimeSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="ISO 8601 with offset.")
    end = serializers.DateTimeField(help_text="ISO 8601 with offset.")
    duration_minutes = serializers.IntegerField(min_value=0)


class CalendarEventSerializer(serializers.Serializer):
    title = serializers.CharField()
    start = serializers.CharField(help_text="ISO 8601 with offset.")
    description = serializers.CharField()
    location = serializers.CharField()
    type = serializers.CharField()


class CalendarNotificationSerializer(serializers.Serializer):
    free_time = FreeTimeSerializer()
    events = CalendarEventSerializer(many=True, help_text="What fits in that free time.")


class CalendarNotificationsSerializer(serializers.Serializer):
    notifications = CalendarNotificationSerializer(
        many=True, help_text="Free time with something to do in it; empty when there is nothing to suggest."
    )
