"""Query validation and the documented response shapes of the places endpoints, and the card and
query parts every list endpoint shares."""

from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from accounts.vibes import VIBES, normalize_vibe
from violetvibes.fields import FiniteFloatField, NamesField

from . import geo, photos
from .categories import CATEGORIES, CATEGORY_ALIASES, category_normalize


# --- Queries ------------------------------------------------------------------------------------------
class OriginQuery(serializers.Serializer):
    """Optional coordinates (both or neither); the default origin is NYU Tandon."""

    lat_field = "latitude"
    lng_field = "longitude"
    coordinates_allow_null = False  # True: null is accepted, and means the same as absent
    origin_text = "where the student is"  # the schema's descriptions
    default_origin_text = "NYU Tandon"

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        nullable = self.coordinates_allow_null
        pair = (
            f"Send {self.lat_field} and {self.lng_field} together, or neither (one without the other is a 400); "
            f"neither: {self.default_origin_text}.{' null is the same as leaving it out.' if nullable else ''}"
        )
        fields[self.lat_field] = FiniteFloatField(
            min_value=-90, max_value=90, required=False, allow_null=nullable, help_text=f"Latitude of {self.origin_text}. {pair}"
        )
        fields[self.lng_field] = FiniteFloatField(
            min_value=-180, max_value=180, required=False, allow_null=nullable, help_text=f"Longitude of {self.origin_text}. {pair}"
        )
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lat, lng = attrs.pop(self.lat_field, None), attrs.pop(self.lng_field, None)
        if (lat is None) != (lng is None):
            missing = self.lng_field if lng is None else self.lat_field
            raise serializers.ValidationError({missing: ["Send both coordinates, or neither."]})
        attrs["origin"] = geo.Point(lat, lng) if lat is not None else geo.Point(*settings.DEFAULT_ORIGIN)
        return attrs


AT_RANGE = timedelta(days=366)


class AtQuery(serializers.Serializer):
    """`at`: the instant the request is about (ISO 8601; without an offset it is New York time), so
    a student can plan "Saturday night"; default now. Open now, late night and events follow it."""

    at = serializers.DateTimeField(
        required=False,
        help_text="ISO 8601 instant the answer is about, e.g. 2026-12-12T21:00:00-05:00 (default: now; within a year).",
    )

    def validate_at(self, value: Any) -> Any:
        if abs(value - timezone.now()) > AT_RANGE:
            raise serializers.ValidationError("Give an instant within a year of now.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        attrs["at"] = attrs.get("at") or timezone.now()
        return attrs


class VibeField(NamesField):
    """One of the app's vibes (an enum in the schema); also read: any case, camelCase and aliases."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", "A vibe. Other spellings are read too: any case, camelCase, aliases such as food, nightlife, books."
        )
        super().__init__(names=VIBES, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = normalize_vibe(super().to_internal_value(data))
        if value is None:
            raise serializers.ValidationError(f"Unknown vibe. Valid vibes: {', '.join(VIBES)}.")
        return value


class WeatherQuerySerializer(OriginQuery):
    lat_field = "lat"
    lng_field = "lon"


class DirectionsQuerySerializer(OriginQuery):
    lat_field = "origin_lat"
    lng_field = "origin_lng"
    origin_text = "the start"

    lat = FiniteFloatField(min_value=-90, max_value=90, help_text="Latitude of the destination.")
    lng = FiniteFloatField(min_value=-180, max_value=180, help_text="Longitude of the destination.")
    mode = serializers.ChoiceField(("walking", "transit", "best"), default="walking")


class PhotoQuerySerializer(serializers.Serializer):
    maxwidth = serializers.IntegerField(
        min_value=16,
        max_value=4800,
        default=photos.DEFAULT_WIDTH,
        help_text=f"Served at the next of {', '.join(map(str, photos.WIDTHS))} px (the largest above it)",
    )
    sig = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=100,
        help_text="The signature the card's photo_url carries; without the right one the answer is 404",
    )


# --- Responses ----------------------------------------------------------------------------------------
class LocationSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if not isinstance(instance, Mapping):
            return super().to_representation(instance)
        # A card's location, a dict: written as DRF writes it (each float, or null), without its
        # machinery per field (a third of writing a card).
        return {name: None if instance[name] is None else float(instance[name]) for name in ("lat", "lng")}


class PhotoUrlField(serializers.CharField):
    """A card's photo: this server's photo redirect is kept site-relative and unsigned in the card
    (in caches, chat memory and saved messages alike), and written here signed (places/photos.py)
    and absolute for the host of the request answered; an absolute URL (an event's image, a card
    saved before) passes unchanged, and the signed path stays site-relative when there is no
    request to make it absolute for."""

    def to_representation(self, value: Any) -> str:
        return self.url_for(value, request=self.context.get("request"))

    def url_for(self, value: Any, *, request: Any) -> str:
        url = photos.signed(super().to_representation(value))
        if request is None or not url.startswith("/") or url.startswith("//"):
            return url
        return request.build_absolute_uri(url)


# The card every list, the chat and a saved conversation return (a place or an event): the
# selectors build cards as dicts, and this serializer, with the request in its context, is how
# every response writes them. (Comments, not a docstring: a docstring would become the schema's
# description.)
class CardSerializer(serializers.Serializer):
    type = serializers.ChoiceField(("place", "event"))
    source = serializers.CharField()
    place_id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_null=True)
    address = serializers.CharField()
    location = LocationSerializer(allow_null=True)
    walk_time = serializers.CharField(allow_null=True, help_text='e.g. "7 min"')
    walk_minutes = serializers.IntegerField(allow_null=True)
    distance = serializers.CharField(allow_null=True, help_text='e.g. "0.4 mi"')
    distance_meters = serializers.IntegerField(allow_null=True)
    maps_link = serializers.CharField()
    photo_url = PhotoUrlField(
        allow_null=True, help_text="This server's signed photo URL (fetched as it is) or an event's own image; null when none"
    )
    rating = serializers.FloatField(allow_null=True, help_text="A provider's rating (> 0); null when unknown")
    price_level = serializers.IntegerField(allow_null=True)
    open_now = serializers.BooleanField(allow_null=True, help_text="At the request's instant; null when the hours are unknown")
    score = serializers.FloatField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    types = serializers.ListField(child=serializers.CharField(), help_text="Google place types, primary first")
    tags = serializers.ListField(child=serializers.CharField(), help_text="Diet and needs: halal, vegan, wifi, quiet, late_night, ...")
    cuisine = serializers.ListField(child=serializers.CharField(), help_text="What a restaurant serves: sushi, korean, ...")
    opens_at = serializers.DateTimeField(allow_null=True, help_text="Start of the current or next opening; null when unknown")
    closes_at = serializers.DateTimeField(allow_null=True, help_text="Its end; null when unknown or never closing")
    hours_text = serializers.CharField(
        allow_null=True, help_text='"open until 23:00", "closed now, usually opens at 07:00" ("usually": the catalog\'s usual hours)'
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if not isinstance(instance, Mapping):
            return super().to_representation(instance)
        # A card is a dict; one saved with a message by an older release may lack a field added
        # since (types, hours_text, ...): left out as it was saved, neither invented nor an error.
        request = self.context.get("request")
        card = {}
        for source, name, write, photo, same in _card_fields(type(self)):
            if source in instance:
                value = instance[source]
                if value is None:
                    card[name] = None
                elif type(value) is same:  # the field would write it as it is
                    card[name] = value
                elif photo:
                    card[name] = write(value, request=request)
                else:
                    card[name] = write(value)
        return card


@cache
def _card_fields(serializer_class: type[CardSerializer]) -> tuple[tuple[str, str, Callable[..., Any], bool, type | None], ...]:
    """The readable fields of a card serializer, built once per class and shared by its instances:
    each field's source, name, writer, whether it is the photo (whose writer takes the request),
    and the type of value it writes unchanged (_same_type). DRF builds a serializer's fields again
    for every instance (a deep copy of each declared field): for a card that cost ten times writing
    three cards. Sharing them is sound because writing a value needs no state of the serializer but
    its request, which only the photo uses and which CardSerializer.to_representation hands it (a
    field needing the request must be written so)."""
    return tuple(
        (field.source, field.field_name, field.url_for, True, None) if isinstance(field, PhotoUrlField)
        else (field.source, field.field_name, _writer(field), False, _same_type(field))
        for field in serializer_class().fields.values() if not field.write_only
    )  # fmt: skip


# DRF's fields whose to_representation gives back a value of this exact type as it is: str(s),
# float(f), int(i), a bool (True/False are in Boolean's TRUE/FALSE_VALUES) and a choice (its
# choices' keys are strings: "place" maps to "place"; a value not among them is given back too).
# Exact classes only: a subclass may write otherwise (PhotoUrlField). Writing a card is mostly
# these, so the card skips the call.
_WRITTEN_AS_IS = {
    serializers.CharField: str,
    serializers.FloatField: float,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
}


def _same_type(field: serializers.Field) -> type | None:
    if type(field) is serializers.ChoiceField and all(type(key) is str for key in field.choices):
        return str
    return _WRITTEN_AS_IS.get(type(field))


def _writer(field: serializers.Field) -> Callable[[Any], Any]:
    """field.to_representation; for a ListField of a field writing strings as they are (types, tags,
    cuisine), the same list built without a call per string."""
    write = field.to_representation
    if type(field) is not serializers.ListField or _same_type(field.child) is not str:
        return write

    def strings(value: Any) -> Any:
        if type(value) is not list:
            return write(value)
        return [item if type(item) is str or item is None else field.child.to_representation(item) for item in value]

    return strings


class WeatherSerializer(serializers.Serializer):
    temp_f = serializers.FloatField()
    temp = serializers.IntegerField()
    desc = serializers.CharField()
    icon = serializers.CharField()
    main = serializers.CharField()
    humidity = serializers.IntegerField()
    wind_speed = serializers.FloatField()
    emoji = serializers.CharField()


class _ForecastMain(serializers.Serializer):
    temp = serializers.FloatField()
    humidity = serializers.IntegerField()


class _ForecastWeather(serializers.Serializer):
    main = serializers.CharField()
    description = serializers.CharField()


class _ForecastWind(serializers.Serializer):
    speed = serializers.FloatField()


class _ForecastEntry(serializers.Serializer):
    dt = serializers.IntegerField()
    main = _ForecastMain()
    weather = _ForecastWeather(many=True)
    wind = _ForecastWind()


class ForecastSerializer(serializers.Serializer):
    forecast = _ForecastEntry(many=True)


class _PathPoint(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class DirectionsSerializer(serializers.Serializer):
    duration_text = serializers.CharField()
    distance_text = serializers.CharField()
    duration_seconds = serializers.IntegerField()
    distance_meters = serializers.IntegerField()
    maps_link = serializers.CharField()
    mode = serializers.ChoiceField(("walking", "transit"))
    polyline = _PathPoint(many=True)
    path = serializers.ListField(child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2))
    source = serializers.ChoiceField(("google_routes", "estimate"))


class PlaceListQuerySerializer(AtQuery, OriginQuery):
    lat_field = "lat"
    lng_field = "lng"

    radius_m = serializers.IntegerField(min_value=50, max_value=20000, required=False)
    category = NamesField(
        names=(*CATEGORIES, *CATEGORY_ALIASES), required=False, help_text="Any case; chill_cafes is the old name of cozy_cafes."
    )
    vibe = VibeField(required=False)
    q = serializers.CharField(required=False, max_length=100)
    open_now = serializers.BooleanField(required=False, allow_null=True, default=None)
    min_rating = FiniteFloatField(min_value=0, max_value=5, required=False)
    ordering = serializers.ChoiceField(("score", "distance", "rating"), default="score")
    page = serializers.IntegerField(min_value=1, required=False)

    def validate_category(self, value: str) -> str:
        category = category_normalize(value)
        if category is None or category == "events":
            raise serializers.ValidationError("Unknown category. Valid categories: quick_bites, cozy_cafes, explore.")
        return category


class PlaceDetailSerializer(CardSerializer):
    id = serializers.IntegerField()
    primary_type = serializers.CharField()
    types = serializers.ListField(child=serializers.CharField())
    categories = serializers.ListField(child=serializers.CharField())
    vibes = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())
    indoor_outdoor = serializers.CharField()
    rating_count = serializers.IntegerField(allow_null=True)
    opening_hours = serializers.ListField(child=serializers.CharField())
    hours = serializers.CharField(allow_null=True, help_text="OpenStreetMap opening_hours; null when unknown")
    hours_source = serializers.CharField(allow_null=True)
    hours_checked = serializers.DateField(allow_null=True)
