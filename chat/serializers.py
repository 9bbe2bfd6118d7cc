import re
from typing import Any

from rest_framework import serializers

from places.serializers import AtQuery, CardSerializer, OriginQuery, VibeField, WeatherSerializer
from violetvibes.fields import StrictBooleanField, StrictCharField
from violetvibes.serializers import FieldsCopiedOnce

from .models import Conversation, Message

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MESSAGE_CHARS = 2000


# The chat body. Optional latitude/longitude (both or neither, null = absent) become `origin`.
# Clearing may be asked in the body or by the "X-Clear-Session: true" header of context["request"].
# (Comments, not a docstring: a docstring would become the schema's description.)
class ChatRequestSerializer(FieldsCopiedOnce, AtQuery, OriginQuery):
    coordinates_allow_null = True

    message = StrictCharField(max_length=MAX_MESSAGE_CHARS, allow_blank=True, required=False, default="")
    vibe = VibeField(required=False, allow_null=True)
    commute_preference = serializers.ChoiceField(("walking", "transit", "both"), required=False, allow_null=True)
    clear_session = StrictBooleanField(required=False, default=False)
    session_id = StrictCharField(
        required=False,
        allow_null=True,
        max_length=64,
        help_text="The `session_id` of an earlier answer; one the service did not issue starts a new conversation.",
    )

    def validate_session_id(self, value: str | None) -> str | None:
        if value and not SESSION_ID.match(value):
            raise serializers.ValidationError("Must be 8-64 letters, digits, '-' or '_'.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if request is not None and request.headers.get("X-Clear-Session", "").lower() == "true":
            attrs["clear_session"] = True
        if not attrs["clear_session"] and not attrs["message"].strip():
            raise serializers.ValidationError({"message": ["Type a message (or set clear_session to start over)."]})
        return attrs


class ChatResponseSerializer(FieldsCopiedOnce, serializers.Serializer):
    reply = serializers.CharField()
    places = CardSerializer(many=True, help_text="Up to 3 cards.")
    vibe = serializers.CharField()
    debug_vibe = serializers.CharField()
    intent = serializers.CharField()
    weather = WeatherSerializer(allow_null=True)
    session_id = serializers.CharField(help_text="This conversation's id, issued by the service (also set as a cookie).")
    latency = serializers.FloatField(help_text="Seconds spent answering.")


class ChatClearedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(["session_cleared"])


class MessageSerializer(serializers.ModelSerializer):
    # Cards as they were saved, written like every card (the photo made absolute for this request;
    # an absolute one saved before passes unchanged), never re-validated: a card saved by an older
    # release with a key missing is still readable, the key left out. The viewset is read-only;
    # not marked so the schema stays as it was.
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
