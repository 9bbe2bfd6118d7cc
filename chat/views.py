from django.conf import settings
from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import OptionalJWTAuthentication
from violetvibes.validation import validated_body

from . import services
from .models import Conversation
from .serializers import (
    SESSION_ID,
    ChatClearedSerializer,
    ChatRequestSerializer,
    ChatResponseSerializer,
    ConversationDetailSerializer,
    ConversationSerializer,
)
from .sessions import session_id_is_issued, session_id_issue

SESSION_COOKIE = "vv_chat_session"


def _session_id(request: Request, body_session_id: str | None) -> tuple[str, bool]:
    """The anonymous conversation id: header, else body, else cookie, else a new one (cookie set).

    Only an id this service issued counts (chat/sessions.py): one the client made up, guessed or
    altered is passed over, so the caller continues nobody's conversation but its own.
    """
    for candidate in (request.headers.get("X-Session-ID"), body_session_id, request.COOKIES.get(SESSION_COOKIE)):
        if candidate and SESSION_ID.match(candidate) and session_id_is_issued(candidate):
            return candidate, False
    return session_id_issue(), True


@extend_schema(tags=["chat"])
class ChatApi(APIView):
    authentication_classes = [OptionalJWTAuthentication]
    permission_classes = [AllowAny]
    ratelimit_group = "chat"

    @extend_schema(
        request=ChatRequestSerializer,
        parameters=[
            OpenApiParameter(
                "X-Session-ID",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Anonymous conversation id: the `session_id` of an earlier answer. An id the service "
                "did not issue starts a new conversation (the answer carries its id).",
            ),
            OpenApiParameter("X-Clear-Session", str, OpenApiParameter.HEADER, required=False, description='"true" to start over'),
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="ChatAnswer",
                serializers=[ChatResponseSerializer, ChatClearedSerializer],
                resource_type_field_name=None,
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = validated_body(ChatRequestSerializer, request)  # clear_session also says X-Clear-Session
        session_id, new_session = _session_id(request, data.get("session_id"))
        user = request.user if request.user.is_authenticated else None
        clear = data["clear_session"]
        if clear:
            services.chat_session_clear(user=user, session_id=session_id)
        if clear and not data["message"].strip():
            response = Response(ChatClearedSerializer({"status": "session_cleared"}).data)
        else:
            result = services.chat_message_send(
                user=user,
                session_id=session_id,
                message=data["message"].strip(),
                origin=data["origin"],
                vibe_hint=data.get("vibe"),
                cleared=clear,
                new_conversation=new_session,
                at=data["at"],
            )
            answer = {
                "reply": result.reply,
                "places": result.places,
                "vibe": result.vibe,
                "debug_vibe": result.vibe,
                "intent": result.intent,
                "weather": result.weather,
                "session_id": result.session_id,
                "latency": result.latency,
            }
            response = Response(ChatResponseSerializer(answer, context={"request": request}).data)
        if new_session or request.COOKIES.get(SESSION_COOKIE) != session_id:
            response.set_cookie(
                SESSION_COOKIE,
                session_id,
                max_age=24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


@extend_schema(tags=["chat"])
class ConversationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own saved conversations; anyone else's id is a 404."""

    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Conversation]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no signed-in user
            return Conversation.objects.none()
        # Meta.ordering is not applied to a GROUP BY (aggregate) query: order explicitly, newest first.
        conversations = (
            Conversation.objects.filter(user=self.request.user)
            .annotate(message_count=Count("messages"))
            .order_by(*Conversation._meta.ordering)
        )
        if self.action == "retrieve":
            conversations = conversations.prefetch_related("messages")
        return conversations

    def get_serializer_class(self) -> type:
        return ConversationDetailSerializer if self.action == "retrieve" else ConversationSerializer
