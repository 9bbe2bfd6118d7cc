"""The recommendation endpoints: quick recs, top picks, the dashboard and its calendar poll, and browsing places ranked
for the person asking (/api/v1/places/, whose ranking context is the user's preferences and activity)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import OptionalJWTAuthentication
from events.selectors import event_list_status
from places import selectors
from places.categories import EVENTS_CATEGORY
from places.models import Place
from places.serializers import CardSerializer, PlaceDetailSerializer, PlaceListQuerySerializer
from violetvibes.api import QUERY_ERRORS, PublicApi
from violetvibes.validation import validated_query

from . import lists
from .context import ranking_context
from .serializers import (
    CalendarNotificationsSerializer,
    DashboardQuerySerializer,
    DashboardSerializer,
    QuickRecsQuerySerializer,
    RecommendationsSerializer,
    TopRecsQuerySerializer,
)


class OptionalAuthApi(APIView):
    authentication_classes = [OptionalJWTAuthentication]
    permission_classes = [AllowAny]


@extend_schema(tags=["places"])
class QuickRecsApi(PublicApi):
    ratelimit_group = "quick_recs"

    @extend_schema(parameters=[QuickRecsQuerySerializer], responses={200: RecommendationsSerializer, **QUERY_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(QuickRecsQuerySerializer, request)
        places = lists.quick_recs(
            category=query["category"],
            origin=query["origin"],
            limit=query["limit"],
            vibe=query.get("vibe"),
            at=query["at"],
        )
        body = {"category": query["category"], "places": places}
        if query["category"] == EVENTS_CATEGORY:  # why the list is empty, when it is
            body |= event_list_status(empty=not places, none=lists.NO_EVENTS_WORDS)
        return Response(RecommendationsSerializer(body, context={"request": request}).data)


@extend_schema(tags=["places"])
class TopRecommendationsApi(OptionalAuthApi):
    ratelimit_group = "top_recommendations"

    @extend_schema(parameters=[TopRecsQuerySerializer], responses={200: RecommendationsSerializer, **QUERY_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(TopRecsQuerySerializer, request)
        places = lists.top_recommendations(
            origin=query["origin"],
            limit=query["limit"],
            vibe=query.get("vibe"),
            weather_hint=query.get("weather"),
            user=request.user,
            at=query["at"],
        )
        return Response(RecommendationsSerializer({"category": "top", "places": places}, context={"request": request}).data)


@extend_schema(tags=["places"])
class DashboardApi(APIView):
    ratelimit_group = "dashboard"

    @extend_schema(parameters=[DashboardQuerySerializer], responses={200: DashboardSerializer, **QUERY_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(DashboardQuerySerializer, request)
        dashboard = lists.dashboard(user=request.user, origin=query["origin"], at=query["at"])
        return Response(DashboardSerializer(dashboard, context={"request": request}).data)


@extend_schema(tags=["places"])
class CalendarNotificationsCheckApi(APIView):
    """Suggestions for the user's free time, which the iOS app polls every 15 minutes. The calendar
    stays on the phone and the service knows no free time, so the list is empty for now: never a
    made-up free block."""

    @extend_schema(responses={200: CalendarNotificationsSerializer})
    def get(self, request: Request) -> Response:
        notifications = lists.calendar_notifications(user=request.user, at=timezone.now())
        return Response(CalendarNotificationsSerializer({"notifications": notifications}).data)


class PlaceCardSerializer(CardSerializer):
    id = serializers.IntegerField()


@extend_schema(tags=["places"])
class PlaceViewSet(viewsets.ReadOnlyModelViewSet):
    """Browse the places we know (catalog, staff and Google results), nearest or best first."""

    lookup_value_converter = "int"

    authentication_classes = [OptionalJWTAuthentication]
    permission_classes = [AllowAny]
    queryset = Place.objects.filter(is_active=True)
    serializer_class = PlaceDetailSerializer

    @extend_schema(parameters=[PlaceListQuerySerializer], responses={200: PlaceCardSerializer(many=True), **QUERY_ERRORS})
    def list(self, request: Request) -> Response:
        query = validated_query(PlaceListQuerySerializer, request)
        ranked = selectors.place_browse(
            origin=query["origin"],
            context=ranking_context(user=request.user, vibe=query.get("vibe"), at=query["at"]),
            radius_m=query.get("radius_m"),
            category=query.get("category"),
            q=query.get("q"),
            open_now=query.get("open_now"),
            min_rating=query.get("min_rating"),
            ordering=query["ordering"],
        )
        # Cards for this page only: every active row is ranked, but a card costs more than a score.
        page = self.paginate_queryset(ranked)
        cards = [selectors.browse_card(e, origin=query["origin"], at=query["at"]) for e in page]
        return self.get_paginated_response(PlaceCardSerializer(cards, many=True, context={"request": request}).data)

    @extend_schema(responses={200: PlaceDetailSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        place = self.get_object()
        context = ranking_context(user=request.user, vibe=None)
        detail = selectors.place_detail(place=place, origin=selectors.default_origin(), context=context)
        return Response(PlaceDetailSerializer(detail, context={"request": request}).data)
