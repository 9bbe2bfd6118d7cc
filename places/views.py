from django.http import HttpResponseRedirect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from violetvibes.api import QUERY_ERRORS, PublicApi
from violetvibes.errors import ServiceUnavailable
from violetvibes.validation import validated_query

from . import geo, selectors
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


class WeatherUnavailable(ServiceUnavailable):
    default_detail = "Weather is unavailable right now."
    default_code = "weather_unavailable"


@extend_schema(tags=["weather"])
class WeatherApi(PublicApi):
    ratelimit_group = "weather"

    @extend_schema(
        parameters=[WeatherQuerySerializer],
        responses={200: WeatherSerializer, 503: OpenApiResponse(description="weather_unavailable"), **QUERY_ERRORS},
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
        responses={200: ForecastSerializer, 503: OpenApiResponse(description="weather_unavailable"), **QUERY_ERRORS},
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
    """Redirects to the provider's short-lived image URL; the server's key never reaches the client.
    Serves only the signed URLs the cards carry in `photo_url` (fetch them as they are), at a few
    widths, within a budget per client address (429 beyond it)."""

    ratelimit_group = "photos"

    @extend_schema(
        parameters=[PhotoQuerySerializer],
        responses={
            302: OpenApiResponse(description="Redirect to the image"),
            404: OpenApiResponse(
                description="photo_not_found: no photo, or a reference without the signature its card's photo_url carries"
            ),
            **QUERY_ERRORS,
        },
    )
    def get(self, request: Request, ref: str) -> HttpResponseRedirect:
        query = validated_query(PhotoQuerySerializer, request)
        url = selectors.photo_redirect_url(ref=ref, sig=query["sig"], max_width=query["maxwidth"])
        if url is None:
            raise PhotoNotFound()
        return HttpResponseRedirect(url)
