from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import OptionalJWTAuthentication
from violetvibes.errors import ServiceUnavailable
from violetvibes.validation import validated_query

from . import geo, recommendations, selectors
from .models import Place
from .serializers import (
    CardSerializer,
    DashboardQuerySerializer,
    DashboardSerializer,
    DirectionsQuerySerializer,
    DirectionsSerializer,
    ForecastSerializer,
    PhotoQuerySerializer,
    PlaceDetailSerializer,
    PlaceListQuerySerializer,
    QuickRecsQuerySerializer,
    RecommendationsSerializer,
    TopRecsQuerySerializer,
    WeatherQuerySerializer,
    WeatherSerializer,
)

_ERRORS = {
    400: OpenApiResponse(description="Invalid query: {error, code, request_id, fields}"),
    429: OpenApiResponse(description="Rate limited; see Retry-After"),
}



def _photo_base(request: Request) -> str:
    return request.build_absolute_uri("/api/places/photo/")


class PublicApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class OptionalAuthApi(APIView):
    authentication_classes = [OptionalJWTAuthentication]
    permission_classes = [AllowAny]


@extend_schema(tags=["places"])
class QuickRecsApi(PublicApi):
    ratelimit_group = "quick_recs"

    @extend_schema(parameters=[QuickRecsQuerySerializer], responses={200: RecommendationsSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(QuickRecsQuerySerializer, request)
        places = recommendations.quick_recs(
            category=query["category"],
            origin=query["origin"],
            limit=query["limit"],
            vibe=query.get("vibe"),
            photo_base=_photo_base(request),
            at=query["at"],
        )
        return Response({"category": query["category"], "places": places})


@extend_schema(tags=["places"])
class TopRecommendationsApi(OptionalAuthApi):
    ratelimit_group = "top_recommendations"

    @extend_schema(parameters=[TopRecsQuerySerializer], responses={200: RecommendationsSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(TopRecsQuerySerializer, request)
        places = recommendations.top_recommendations(
            origin=query["origin"],
            limit=query["limit"],
            vibe=query.get("vibe"),
            weather_hint=query.get("weather"),
            user=request.user,
            photo_base=_photo_base(request),
            at=query["at"],
        )
        return Response({"category": "top", "places": places})


@extend_schema(tags=["places"])
class DashboardApi(APIView):
    ratelimit_group = "dashboard"

    @extend_schema(parameters=[DashboardQuerySerializer], responses={200: DashboardSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(DashboardQuerySerializer, request)
        return Response(
            recommendations.dashboard(user=request.user, origin=query["origin"], photo_base=_photo_base(request), at=query["at"])
        )


@extend_schema(tags=["places"])
class DirectionsApi(PublicApi):
    ratelimit_group = "directions"

    @extend_schema(parameters=[DirectionsQuerySerializer], responses={200: DirectionsSerializer, **_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(DirectionsQuerySerializer, request)
        destination = geo.Point(query["lat"], query["lng"])
        return Response(selectors.directions(origin=query["origin"], destination=destination, mode=query["mode"]))


class WeatherUnavailable(ServiceUnavailable):
    default_detail = "Weather is unavailable right now."
    default_code = "weather_unavailable"


@extend_schema(tags=["weather"])
class WeatherApi(PublicApi):
    ratelimit_group = "weather"

    @extend_schema(
        parameters=[WeatherQuerySerializer],
        responses={200: WeatherSerializer, 503: OpenApiResponse(description="weather_unavailable"), **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validated_query(WeatherQuerySerializer, request)
        weather = selectors.weather_current(origin=query["origin"])
        if weather is None:
            raise WeatherUnavailable()
        return Response(weather)


@extend_schema(tags=["weather"])
class WeatherForecastApi(PublicApi):
    ratelimit_group = "weather"

    @extend_schema(
        parameters=[WeatherQuerySerializer],
        responses={200: ForecastSerializer, 503: OpenApiResponse(description="weather_unavailable"), **_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validated_query(WeatherQuerySerializer, request)
        forecast = selectors.weather_forecast(origin=query["origin"])
        if forecast is None:
            raise WeatherUnavailable()
        return Response({"forecast": forecast})


class PhotoNotFound(NotFound):
    default_detail = "No photo is available for this place."
    default_code = "photo_not_found"


@extend_schema(tags=["places"])
class PlacePhotoApi(PublicApi):
    """Redirects to the provider's short-lived image URL; the server's key never reaches the client."""

    @extend_schema(
        parameters=[PhotoQuerySerializer],
        responses={302: OpenApiResponse(description="Redirect to the image"), 404: OpenApiResponse(description="photo_not_found")},
    )
    def get(self, request: Request, ref: str) -> HttpResponseRedirect:
        query = validated_query(PhotoQuerySerializer, request)
        url = selectors.photo_redirect_url(ref=ref, max_width=query["maxwidth"])
        if url is None:
            raise PhotoNotFound()
        return HttpResponseRedirect(url)


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

    @extend_schema(parameters=[PlaceListQuerySerializer], responses={200: PlaceCardSerializer(many=True), **_ERRORS})
    def list(self, request: Request) -> Response:
        query = validated_query(PlaceListQuerySerializer, request)
        ranked = selectors.place_browse(
            origin=query["origin"],
            context=selectors.ranking_context(user=request.user, vibe=query.get("vibe"), at=query["at"]),
            radius_m=query.get("radius_m"),
            category=query.get("category"),
            q=query.get("q"),
            open_now=query.get("open_now"),
            min_rating=query.get("min_rating"),
            ordering=query["ordering"],
        )
        # Cards for this page only: every active row is ranked, but a card costs more than a score.
        page = self.paginate_queryset(ranked)
        photo_base = _photo_base(request)
        cards = [selectors.browse_card(e, origin=query["origin"], photo_base=photo_base, at=query["at"]) for e in page]
        return self.get_paginated_response(cards)

    @extend_schema(responses={200: PlaceDetailSerializer, 404: OpenApiResponse(description="not_found")})
    def retrieve(self, request: Request, pk: str) -> Response:
        place = self.get_object()
        context = selectors.ranking_context(user=request.user, vibe=None)
        return Response(
            selectors.place_detail(place=place, origin=selectors.default_origin(), context=context, photo_base=_photo_base(request))
        )
