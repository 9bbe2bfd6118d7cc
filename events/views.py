from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from places import geo
from places.serializers import CardSerializer
from violetvibes.api import QUERY_ERRORS, PublicApi
from violetvibes.validation import validated_query

from . import selectors
from .models import Event
from .serializers import (
    DaysQuerySerializer,
    EngageEventsSerializer,
    EventListQuerySerializer,
    ListStatusSerializer,
    PermittedEventsSerializer,
)


class PublicEventsApi(PublicApi):
    ratelimit_group = "events"


@extend_schema(tags=["events"])
class EngageEventsApi(PublicEventsApi):
    @extend_schema(parameters=[DaysQuerySerializer], responses={200: EngageEventsSerializer, **QUERY_ERRORS})
    def get(self, request: Request) -> Response:
        days = validated_query(DaysQuerySerializer, request)["days"]
        items = selectors.engage_events(days=days)
        status = selectors.event_list_status(
            empty=not items, none=f"No NYU Engage events in {selectors.days_words(days)}.", sources=[Event.Source.NYU_ENGAGE]
        )
        return Response({"engage_events": items, **status})


@extend_schema(tags=["events"])
class PermittedEventsApi(PublicEventsApi):
    @extend_schema(parameters=[DaysQuerySerializer], responses={200: PermittedEventsSerializer, **QUERY_ERRORS})
    def get(self, request: Request) -> Response:
        days = validated_query(DaysQuerySerializer, request)["days"]
        items = selectors.nyu_permitted(days=days)
        status = selectors.event_list_status(empty=not items, none=f"No events in {selectors.days_words(days)}.")
        return Response({"nyu_permitted": items, **status})


class EventPagination(PageNumberPagination):
    """Pages of cards with `status` and `message` beside them (why the list is empty, when it is)."""

    def get_paginated_response(self, data: list, status: dict[str, str | None] | None = None) -> Response:
        response = super().get_paginated_response(data)
        response.data.update(status or {"status": selectors.LISTED, "message": None})
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        fields = ListStatusSerializer().fields
        paginated["properties"]["status"] = {"type": "string", "enum": list(selectors.LIST_STATUSES), "description": fields["status"].help_text}
        paginated["properties"]["message"] = {"type": "string", "nullable": True, "description": fields["message"].help_text}
        paginated["required"] = [*paginated.get("required", []), "status", "message"]
        return paginated


@extend_schema(tags=["events"])
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Upcoming events from every source, soonest and nearest first, as cards."""

    lookup_value_converter = "int"

    authentication_classes: list = []
    permission_classes = [AllowAny]
    ratelimit_group = "events"
    serializer_class = CardSerializer
    pagination_class = EventPagination

    def get_queryset(self):
        return selectors.visible()

    @extend_schema(parameters=[EventListQuerySerializer], responses={200: CardSerializer(many=True), **QUERY_ERRORS})
    def list(self, request: Request) -> Response:
        query = validated_query(EventListQuerySerializer, request)
        events = selectors.upcoming()
        if "starts_after" in query:
            events = events.filter(start__gte=query["starts_after"])
        if "starts_before" in query:
            events = events.filter(start__lt=query["starts_before"])
        if "source" in query:
            events = events.filter(source=query["source"])
        if query.get("q"):
            q = query["q"]
            events = events.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(venue__icontains=q))
        origin = query["origin"]
        if query.get("radius_m"):
            # The box is the SQL pre-filter; its corners are farther than the radius, so the
            # distance itself decides (as for places).
            min_lat, max_lat, min_lng, max_lng = geo.bounding_box(origin, query["radius_m"])
            boxed = events.filter(lat__range=(min_lat, max_lat), lng__range=(min_lng, max_lng))
            inside = [
                pk
                for pk, lat, lng in boxed.values_list("pk", "lat", "lng")
                if geo.haversine_m(origin, geo.Point(lat, lng)) <= query["radius_m"]
            ]
            events = events.filter(pk__in=inside)
        page = self.paginate_queryset(events)
        # The page is in start order already (by instant, not by the local clock text, which
        # runs backwards for an hour when daylight saving time ends).
        now = timezone.now()
        cards = [selectors.event_card(event, origin=origin, now=now) for event in page]
        filtered = any(key in query for key in ("starts_after", "starts_before", "q", "radius_m"))
        status = selectors.event_list_status(
            empty=not cards,
            none="No upcoming events match." if filtered else "No upcoming events.",
            sources=[query["source"]] if "source" in query else None,
        )
        return self.paginator.get_paginated_response(CardSerializer(cards, many=True, context={"request": request}).data, status)

    @extend_schema(responses={200: CardSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        event = self.get_object()
        card = selectors.event_card(event, origin=geo.Point(*settings.DEFAULT_ORIGIN), now=timezone.now())
        return Response(CardSerializer(card, context={"request": request}).data)
