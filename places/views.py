from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from violetvibes.api import QUERY_ERRORS, PublicApi
from violetvibes.openapi import documented_errors
from violetvibes.validation import validated_query

from . import geo, selectors
from .errors import PhotoNotFound, WeatherUnavailable
from .serializers import (
    DirectionsQuerySerializer,
    DirectionsSerializer,
    ForecastSerializer,
    PhotoQuerySerializer,
    WeatherQuerySerializer,
    WeatherSerializer,
)


@extend_schema(tags=["places"])
class DirectionsApi(PublicApi):
    ratelimit_group = "directions"

    @extend_schema(parameters=[DirectionsQuerySerializer], responses={200: DirectionsSerializer, **QUERY_ERRORS})
    def get(self, request: Request) -> Response:
        query = validated_query(DirectionsQuerySerializer, request)
        destination = geo.Point(query["lat"], query["lng"])
        return Response(selectors.directions(origin=query["origin"], destination=destination, mode=query["mode"]))


@extend_schema(tags=["weather"])
class WeatherApi(PublicApi):
    ratelimit_group = "weather"

    @extend_schema(
        parameters=[WeatherQuerySerializer],
        responses={200: WeatherSerializer, **documented_errors("weather_unavailable"), **QUERY_ERRORS},
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
        responses={200: ForecastSerializer, **documented_errors("weather_unavailable"), **QUERY_ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = validated_query(WeatherQuerySerializer, request)
        forecast = selectors.weather_forecast(origin=query["origin"])
        if forecast is None:
            raise WeatherUnavailable()
        return Response({"forecast": forecast})


@extend_schema(tags=["places"])
class PlacePhotoApi(PublicApi):
    """Redirects to the provider's short-lived image URL; the server's key never reaches the client.
    Serves only the signed URLs the cards carry in `photo_url` (fetch them as they are), at a few
    widths, within a budget per client address (429 beyond it)."""

    ratelimit_group = "photos"

    @extend_schema(
        parameters=[PhotoQuerySerializer],
        responses={
            302: OpenApiResponse(description="Redirect to the image"),
            **documented_errors("photo_not_found"),
            **QUERY_ERRORS,
        },
    )
    def get(self, request: Request, ref: str) -> HttpResponseRedirect:
        query = validated_query(PhotoQuerySerializer, request)
        url = selectors.photo_redirect_url(ref=ref, sig=query["sig"], max_width=query["maxwidth"])
        if url is None:
            raise PhotoNotFound()
        return HttpResponseRedirect(url)
