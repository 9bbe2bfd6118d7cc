import re
from typing import Any

from django.conf import settings
from rest_framework import serializers

from places.geo import Point
from places.serializers import CardSerializer, VibeField, WeatherSerializer
from violetvibes.fields import FiniteFloatField, StrictBooleanField, StrictCharField

from .models import Conversation, Message

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MESSAGE_CHARS = 2000


class ChatRequestSerializer(serializers.Serializer):
    message = StrictCharField(max_length=MAX_MESSAGE_CHARS, allow_blank=True, required=False, default="")
    latitude = FiniteFloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = FiniteFloatField(min_value=-180, max_value=180, required=False, allow_null=True)
    vibe = VibeField(required=False, allow_null=True)
    commute_preference = serializers.ChoiceField(("walking", "transit", "both"), required=False, allow_null=True)
    clear_session = StrictBooleanField(required=False, default=False)
    session_id = StrictCharField(required=False, allow_null=True, max_length=64)

    def validate_session_id(self, value: str | None) -> str | None:
        if value and not SESSION_ID.match(value):
            raise serializers.ValidationError("Must be 8-64 letters, digits, '-' or '_'.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat, lng = attrs.pop("latitude", None), attrs.pop("longitude", None)
        if (lat is None) != (lng is None):
            raise serializers.ValidationError({"longitude" if lng is None else "latitude": ["Send both coordinates, or neither."]})
        attrs["origin"] = Point(lat, lng) if lat is not None else Point(*settings.DEFAULT_ORIGIN)
        # Clearing may be asked in the body or by the X-Clear-Session header (the view passes it).
        clearing = attrs.get("clear_session") or self.context.get("clear_header", False)
        if not clearing and not attrs["message"].strip():
            raise serializers.ValidationError({"message": ["Type a message (or set clear_session to start over)."]})
        return attrs


class ChatResponseSerializer(serializers.Serializer):
    reply = serializers.CharField()
    places = CardSerializer(many=True, help_text="Up to 3 cards.")
    vibe = serializers.CharField()
    debug_vibe = serializers.CharField()
    intent = serializers.CharField()
    weather = WeatherSerializer(allow_null=True)
    session_id = serializers.CharField()
    latency = serializers.FloatField(help_text="Seconds spent answering.")


class ChatClearedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(["session_cleared"])


class MessageSerializer(serializers.ModelSerializer):
    cards = CardSerializer(many=True)

    class Meta:
        model = Message
        fields = ("id", "role", "text", "cards", "intent", "vibe", "created_at")


class ConversationSerializer(serializers.ModelSerializer):
    message_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Conversation
        fields = ("id", "title", "created_at", "updated_at", "message_count")


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(ConversationSerializer.Meta):
        fields = (*ConversationSerializer.Meta.fields, "messages")
