"""What the places providers return: small dataclasses, never raw provider JSON."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProviderPlace:
    provider_id: str  # Google place id
    name: str
    address: str
    lat: float | None
    lng: float | None
    primary_type: str = ""
    types: tuple[str, ...] = ()
    rating: float | None = None
    rating_count: int | None = None
    price_level: int | None = None  # 0 (free) .. 4 (very expensive)
    open_now: bool | None = None
    opening_hours: tuple[str, ...] = ()  # weekday descriptions, e.g. "Monday: 8:00 AM - 6:00 PM"
    hours: str | None = None  # the weekly periods as an OpenStreetMap opening_hours expression
    photo_ref: str | None = None  # photo resource name "places/<id>/photos/<ref>"; never a URL with a key
    description: str | None = None
    # Diet facts where Google has them: {"vegetarian": True, ...}
    diet: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class RouteLeg:
    destination_index: int
    duration_seconds: int | None
    distance_meters: int | None


@dataclass(frozen=True)
class Route:
    mode: str  # "walking" | "transit"
    duration_seconds: int
    distance_meters: int
    path: tuple[tuple[float, float], ...]  # (lat, lng) points


@dataclass(frozen=True)
class Weather:
    temp_f: float
    desc: str
    icon: str
    main: str
    humidity: int | None
    wind_speed: float | None


@dataclass(frozen=True)
class ForecastEntry:
    dt: int  # unix seconds
    temp: float
    humidity: int | None
    main: str
    description: str
    wind_speed: float | None


# Result types of an area rather than a spot: Google answers "Downtown Brooklyn", "Brooklyn" or a ZIP
# code with the area's centre (for Downtown Brooklyn, the Tandon campus).
_AREA_TYPES = frozenset({"political", "country", "locality", "sublocality", "neighborhood", "colloquial_area", "postal_code", "postal_town"})
_AREA_TYPE_PREFIXES = ("administrative_area_level_", "sublocality_level_", "locality_level_")


@dataclass(frozen=True)
class Geocoded:
    """Google Geocoding's first result for an address."""

    lat: float
    lng: float
    types: tuple[str, ...]

    @property
    def is_area(self) -> bool:
        """Whether Google found an area (a neighbourhood, borough, city or ZIP code) and gave its
        centre rather than a building or a place."""
        return bool(self.types) and all(kind in _AREA_TYPES or kind.startswith(_AREA_TYPE_PREFIXES) for kind in self.types)
