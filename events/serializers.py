from typing import Any

from rest_framework import serializers

from places.serializers import OriginQuery

from .models import Event
from .selectors import LIST_STATUSES


class DaysQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30, default=7)


class EventListQuerySerializer(OriginQuery):
    lat_field = "lat"
    lng_field = "lng"

    starts_after = serializers.DateTimeField(required=False)
    starts_before = serializers.DateTimeField(required=False)
    source = serializers.ChoiceField(Event.Source.values, required=False)
    q = serializers.CharField(required=False, max_length=100)
    radius_m = serializers.IntegerField(min_value=50, max_value=50000, required=False)
    page = serializers.IntegerField(min_value=1, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        located = attrs.get(self.lat_field) is not None
        attrs = super().validate(attrs)  # both coordinates or neither; `origin` (Tandon by default)
        if attrs.get("radius_m") and not located:
            raise serializers.ValidationError({"radius_m": ["A radius needs lat and lng."]})
        return attrs


class ListStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        LIST_STATUSES,
        help_text="ok: events are listed. Why the list is empty otherwise: no_events (the sources answered; nothing in "
        "the window or matching), not_synced (events have never been loaded), sources_unreachable (every source "
        "failed its last sync, so events may be missing).",
    )
    message = serializers.CharField(allow_null=True, help_text="The same in words for the student; null when events are listed.")


class EngageEventSerializer(serializers.Serializer):
    name = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(allow_null=True)
    description = serializers.CharField()
    location = serializers.CharField()
    organization = serializers.CharField()
    image = serializers.CharField(allow_null=True)
    url = serializers.CharField()


class EngageEventsSerializer(ListStatusSerializer):
    engage_events = EngageEventSerializer(many=True)


class PermittedEventSerializer(serializers.Serializer):
    event_name = serializers.CharField()
    event_start = serializers.DateTimeField()
    address = serializers.CharField()
    # null when the event's location is unknown (never a stand-in point): the iOS app decodes
    # these as Double?, for which null and a missing key are both nil.
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class PermittedEventsSerializer(ListStatusSerializer):
    nyu_permitted = PermittedEventSerializer(many=True)
