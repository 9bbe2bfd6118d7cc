"""Reads of the places app: places nearby, walk times, ranking and the card every list returns.

Providers are used when configured and answering; otherwise (no key, outage, open circuit)
the catalog and offline estimates answer, so every list is still real and non-empty. Reads only:
the search that saves Google's places as rows is places/candidates.py.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from operator import attrgetter
from types import ModuleType
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from violetvibes import state
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.results import cached

from . import geo, hours, photos, scoring
from .categories import CATEGORIES, VIBE_SEARCHES, SearchSpec
from .models import Place
from .providers import google_geocoding, google_places, google_routes, nws, openweather
from .providers.types import Geocoded

logger = logging.getLogger(__name__)

ROUTED_CANDIDATES = 25  # candidates whose walk time is asked of Google; the rest are estimated
# Google's openNow knows today's exceptions (holidays, a closure) that weekly hours do not: it is
# taken over the hours while the row is this fresh and the request is about that moment.
GOOGLE_OPEN_NOW_FRESH = timedelta(minutes=30)


@dataclass(frozen=True)
class Walk:
    minutes: int | None
    meters: int | None


def default_origin() -> geo.Point:
    return geo.Point(*settings.DEFAULT_ORIGIN)


# --- Candidates ---------------------------------------------------------------------------------------
# Every active catalog and staff place, held in this process. A few hundred rows that change only
# when staff edit them; unpickling them from Redis on every request cost more than the rest of a
# chat turn, so only their version lives in the shared cache.
DISTANCES_KEPT = 256  # origins whose distances to every local place are remembered
TESTS_KEPT = 512  # tests (what a request asks of a place) whose answers for the local rows are remembered


class _LocalRows:
    """The local places as of `version`, and their straight-line distances from the origins asked
    about lately. A chat turn measures from one origin three times (the names it may mention, the
    candidates, their walks), and many requests share an origin (the default one, a named area's
    middle): each distance is computed once per origin, the same float as before."""

    def __init__(self, version: str, rows: list[Place]) -> None:
        self.version = version
        self.rows = rows
        self.ids = frozenset(id(place) for place in rows)
        self.values: dict[tuple[str, int], Any] = {}  # local_row_value's, by (name, id of the row)
        self.answers = lru_cache(maxsize=TESTS_KEPT)(self._answers)  # local_rows_test's, per test
        self.distances = lru_cache(maxsize=DISTANCES_KEPT)(self._distances)
        self.walks = lru_cache(maxsize=DISTANCES_KEPT)(self._walks)
        self.walks_by_pk = lru_cache(maxsize=DISTANCES_KEPT)(self._walks_by_pk)
        self.near = lru_cache(maxsize=DISTANCES_KEPT)(self._near)
        self.near_by_card = lru_cache(maxsize=DISTANCES_KEPT)(self._near_by_card)
        self.names_near = lru_cache(maxsize=DISTANCES_KEPT)(self._names_near)

    def _distances(self, origin: geo.Point) -> dict[int, float]:
        # By id() of the row, not its pk (a model's pk is a property, slow at a thousand reads a
        # turn): the rows live as long as this object, so no other object can share an id with one.
        return {id(place): geo.haversine_m(origin, geo.Point(place.lat, place.lng)) for place in self.rows}

    def _walks(self, origin: geo.Point) -> dict[int, Walk]:
        """The estimated walk to each row (frozen Walks, shared), by id() as the distances."""
        return {key: Walk(*geo.walk_estimate_from(meters)) for key, meters in self.distances(origin).items()}

    def _walks_by_pk(self, origin: geo.Point) -> dict[int, Walk]:
        """_walks() by pk (the rows' pks are unique): for walk_times, once it knows its places are rows held here."""
        walks = self.walks(origin)
        return {place.id: walks[id(place)] for place in self.rows}

    def _near(self, origin: geo.Point, radius_m: float) -> tuple[Place, ...]:
        distances = self.distances(origin)
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(origin, radius_m)
        return tuple(
            p for p in self.rows if min_lat <= p.lat <= max_lat and min_lng <= p.lng <= max_lng and distances[id(p)] <= radius_m
        )  # fmt: skip

    def _near_by_card(self, origin: geo.Point, radius_m: float) -> dict[str, Place]:
        return {place.card_id: place for place in self.near(origin, radius_m)}  # two with one card id: the last

    def _names_near(self, origin: geo.Point, radius_m: float) -> tuple[str, ...]:
        return tuple(sorted({place.name for place in self.near(origin, radius_m)}))

    def _answers(self, test: Callable[[Place], bool]) -> dict[int, bool]:
        return {}  # test(row) by id() of the row, filled as rows are asked about


_local_rows: _LocalRows | None = None


@state.on_reset
def _forget_local_rows() -> None:
    global _local_rows
    _local_rows = None


LOCAL_VERSION_KEY = "places:local:version"
# The version a block of work reads the local places at (local_places_read_once), else None.
_read_once: ContextVar[str | None] = ContextVar("places_local_version", default=None)
# A new anonymous conversation has no memory to read, and would make a round trip for the version
# alone: it trusts the version this process last read from the shared cache, for this long after
# the read (local_places_version_trusted). Another worker's edit reaches such a turn within these
# seconds; every other turn reads the version with its memory, in one round trip, as before, and an
# edit made in this process is read again at once (local_places_version_forget).
VERSION_TRUSTED_SECONDS = 2.0
_clock = time.monotonic
_last_read: tuple[str, float] | None = None  # (version, _clock() when read from the shared cache)


def local_places_version() -> str:
    """A random token replaced whenever a catalog or staff place changes (places/signals.py), so
    every worker reloads its copy on its next request. Random rather than a counter: after Redis
    loses its data a counter would restart at a value some worker already holds. Within
    local_places_read_once, the version it holds (no round trip)."""
    held = _read_once.get()
    if held is not None:
        return held
    return _read(cache.get_or_set(LOCAL_VERSION_KEY, lambda: uuid.uuid4().hex, None))


def _read(version: str) -> str:
    """`version`, just read from the shared cache: trusted for VERSION_TRUSTED_SECONDS from now."""
    global _last_read
    _last_read = (version, _clock())
    return version


def local_places_version_trusted() -> str | None:
    """The version this process read from the shared cache within VERSION_TRUSTED_SECONDS, else None."""
    last = _last_read
    return last[0] if last is not None and _clock() - last[1] <= VERSION_TRUSTED_SECONDS else None


@state.on_reset
def local_places_version_forget() -> None:
    """Trust no version read before: this process changed the local places (places/signals.py)."""
    global _last_read
    _last_read = None


@contextmanager
def local_places_read_once(version: str | None = None, *, trusted: bool = False) -> Iterator[None]:
    """Every read of the local places within the block is of one version of them, read from the
    shared cache once: `version` when the caller read it already (with keys of its own, in the
    same round trip: cache.get_many) or took the trusted one (`trusted`:
    local_places_version_trusted), else here. A chat turn read the version once for the names it
    may mention and once for its candidates: a round trip each."""
    if version is None:
        version = local_places_version()
    elif not trusted:
        _read(version)
    token = _read_once.set(version)
    try:
        yield
    finally:
        _read_once.reset(token)


def _current_local_rows() -> _LocalRows:
    global _local_rows
    version = local_places_version()
    if _local_rows is None or _local_rows.version != version:
        rows = Place.objects.filter(is_active=True, source__in=(Place.Source.CATALOG, Place.Source.STAFF), lat__isnull=False)
        _local_rows = _LocalRows(version, list(rows.exclude(lng__isnull=True)))
    return _local_rows


def _local_places(origin: geo.Point, radius_m: float) -> list[Place]:
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(origin, radius_m)
    return [p for p in _current_local_rows().rows if min_lat <= p.lat <= max_lat and min_lng <= p.lng <= max_lng]


def places_near(*, origin: geo.Point, radius_m: float) -> list[Place]:
    """Every active catalog and staff place within `radius_m` of `origin` (held in this process)."""
    return list(_current_local_rows().near(origin, radius_m))


def places_near_by_card(*, origin: geo.Point, radius_m: float) -> dict[str, Place]:
    """places_near() by card id (of two rows with one card id, the later), remembered per origin
    with the rows: shared, so never to be changed by the caller."""
    return _current_local_rows().near_by_card(origin, radius_m)


def place_names_near(*, origin: geo.Point, radius_m: float) -> tuple[str, ...]:
    """The names of places_near(), sorted, each once: remembered per origin with the rows."""
    return _current_local_rows().names_near(origin, radius_m)


_UNKNOWN = object()


def local_row_value(place: Place, name: str, compute: Callable[[Place], Any]) -> Any:
    """compute(place), remembered with the local rows while `place` is one of them: a row held here
    is never changed (a change to a place makes new rows), so what is worked out from its fields
    alone holds as long as it is held. Computed each time for any other place (Google's)."""
    local = _local_rows  # held for the call, as in distances_m
    if local is None or id(place) not in local.ids:
        return compute(place)
    key = (name, id(place))
    value = local.values.get(key, _UNKNOWN)
    if value is _UNKNOWN:
        value = local.values[key] = compute(place)  # two threads may both compute it: the same value
    return value


def local_rows_test(test: Callable[[Place], bool]) -> Callable[[Place], bool]:
    """`test`, its answer remembered for each local row while the rows are held (as local_row_value,
    for the tests asked lately): `test` must be hashable, equal tests giving the same answer, and
    depend on the place's fields alone. A chat turn asks what the request asks of the same hundred
    places, and students ask the same things. Asked each time of any other place (Google's)."""
    local = _local_rows  # held by the function returned, as in distances_m
    if local is None:
        return test
    answers = local.answers(test)

    def remembered(place: Place) -> bool:
        answer = answers.get(id(place))  # held rows only: no other place can have the id of one
        if answer is None:
            answer = test(place)
            if id(place) in local.ids:
                answers[id(place)] = answer  # two threads may both ask: the same answer
        return answer

    return remembered


def distances_m(places: Iterable[Place], origin: geo.Point) -> dict[int, float]:
    """Straight-line metres from `origin` to each located place, by pk: remembered per origin for
    the local places (the very rows places_near returns), computed for any other (Google's)."""
    local = _local_rows  # held for the call: its rows stay alive, so no other object can take an id() it keys
    known = local.distances(origin) if local is not None else {}
    distances = {}
    for place in places:  # a hundred places a turn: _distance's lookup, inline
        if place.lat is not None and place.lng is not None:
            meters = known.get(id(place))
            # place.id: the pk itself (a model's pk is a property, slow at a few hundred reads a turn)
            distances[place.id] = meters if meters is not None else geo.haversine_m(origin, geo.Point(place.lat, place.lng))
    return distances


def distance_m(place: Place, origin: geo.Point) -> float:
    """distances_m() for one located place."""
    local = _local_rows  # as in distances_m
    return _distance(place, origin, local.distances(origin) if local is not None else {})


def _distance(place: Place, origin: geo.Point, known: dict[int, float]) -> float:
    meters = known.get(id(place))
    return meters if meters is not None else geo.haversine_m(origin, geo.Point(place.lat, place.lng))


def _matches(place: Place, spec: SearchSpec) -> bool:
    return not set(spec.vibes).isdisjoint(place.vibes) or not set(spec.categories).isdisjoint(place.categories)


def _within(place: Place, origin: geo.Point, radius_m: float) -> bool:
    return place.lat is not None and distance_m(place, origin) <= radius_m


# --- Walk times ---------------------------------------------------------------------------------------
WALKS_CACHE_SECONDS = 10 * 60


def estimated_walk(place: Place, origin: geo.Point) -> Walk | None:
    """Walk time and distance from the straight line (no provider call); None without a location."""
    if place.lat is None or place.lng is None:
        return None
    return Walk(*geo.walk_estimate_from(distance_m(place, origin)))


_pk = attrgetter("id")  # the pk itself (see distances_m)


def walk_times(*, origin: geo.Point, places: Iterable[Place]) -> dict[int, Walk]:
    """Walk time and distance of every place: one Routes matrix call for the nearest, estimates
    otherwise. The matrix's one cache layer is these walk times (violetvibes/providers/results.py):
    per ~10 m origin and candidate set, 10 minutes, kept 6 hours more for when Google fails."""
    places = places if isinstance(places, (list, tuple)) else list(places)  # read twice
    local = _local_rows  # held for the call, as in distances_m: a local row's walk is remembered per origin
    if local is not None and local.ids.issuperset(map(id, places)):
        # Rows held here only (all located; a turn's hundred candidates): their remembered walks by
        # pk, picked in C rather than place by place
        known = local.walks_by_pk(origin)
        pks = list(map(_pk, places))
        walks = dict(zip(pks, map(known.__getitem__, pks), strict=True))
    else:
        by_id = local.walks(origin) if local is not None else {}
        located = {p.id: p for p in places if p.lat is not None and p.lng is not None}  # id: the pk (see distances_m)
        walks = {pk: by_id.get(id(p)) or Walk(*geo.walk_estimate_from(distance_m(p, origin))) for pk, p in located.items()}
    if not walks or not google_routes.configured():
        return walks
    located = {p.id: p for p in places if p.lat is not None and p.lng is not None}
    # Sorted by id so the same candidates make the same request and the same cache key.
    nearest = sorted(sorted(located, key=lambda pk: walks[pk].meters or 0)[:ROUTED_CANDIDATES])
    rounded = (round(origin.lat, 4), round(origin.lng, 4))

    def route() -> dict[int, Walk]:
        legs = google_routes.route_matrix(origin=rounded, destinations=[(located[pk].lat, located[pk].lng) for pk in nearest])
        return {
            nearest[leg.destination_index]: Walk(max(1, round(leg.duration_seconds / 60)), leg.distance_meters)
            for leg in legs
            if leg.duration_seconds is not None and 0 <= leg.destination_index < len(nearest)
        }

    digest = hashlib.blake2b(repr(nearest).encode(), digest_size=12).hexdigest()
    try:
        routed = cached(f"places:walks:v2:{rounded[0]}:{rounded[1]}:{digest}", route, fresh_seconds=WALKS_CACHE_SECONDS)
    except ProviderError as exc:
        logger.warning("Google Routes unavailable, estimating walk times: %s", exc)
        return walks
    return {**walks, **routed}


# --- Cards --------------------------------------------------------------------------------------------
class Ranked(NamedTuple):
    score: float
    walk: Walk | None
    place: Place
    hours: hours.Status


def place_hours(place: Place, *, at: datetime) -> hours.Status:
    """Open or closed at `at` by the place's hours; a fresh Google row's openNow wins for its moment."""
    state = hours.status(place.hours, at=at)
    google_now = place.source == Place.Source.GOOGLE and place.open_now is not None and place.last_fetched is not None
    if google_now and abs(at - place.last_fetched) <= GOOGLE_OPEN_NOW_FRESH and place.open_now != state.open_now:
        return hours.Status(open_now=place.open_now)  # an exception to the weekly hours: no "until" to give
    return state


def hours_are_current(place: Place) -> bool:
    """A provider's current hours (stated as fact), rather than usual hours from the catalog or staff."""
    return place.hours_source == Place.HoursSource.GOOGLE


def rating_of(place: Place) -> float | None:
    """The provider's rating; None when there is none (the catalog has no ratings)."""
    return place.rating if place.rating else None


def _scorable(place: Place, walk: Walk | None, state: hours.Status) -> scoring.Scorable:
    return scoring.Scorable(
        card_id=place.card_id,
        vibes=tuple(place.vibes),
        tags=tuple(place.tags),
        setting=place.indoor_outdoor,
        walk_minutes=walk.minutes if walk else None,
        rating=rating_of(place),
        rating_count=place.rating_count,
        open_now=state.open_now,
        price_level=place.price_level,
        diet=dict.fromkeys(place.tags, True),
    )


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def photo_path(ref: str) -> str:
    """This server's photo redirect for a photo reference (PlacePhotoApi), site-relative and
    unsigned: the card serializer signs it (places/photos.py) and makes it absolute for the host of
    the request it answers."""
    return reverse("place-photo", kwargs={"ref": ref})


def place_card(
    place: Place, *, origin: geo.Point, walk: Walk | None, score: float, at: datetime, state: hours.Status | None = None
) -> dict[str, Any]:
    """The card every list returns for a place (API.md section 2), as of `at`."""
    has_location = place.lat is not None and place.lng is not None
    state = state if state is not None else place_hours(place, at=at)
    return {
        "type": "place",
        "source": place.source,
        "place_id": place.card_id,
        "name": place.name,
        "description": place.description or None,
        "address": place.address,
        "location": {"lat": place.lat, "lng": place.lng} if has_location else None,
        "walk_time": geo.minutes_text(walk.minutes) if walk else None,
        "walk_minutes": walk.minutes if walk else None,
        "distance": geo.miles_text(walk.meters) if walk else None,
        "distance_meters": walk.meters if walk else None,
        "maps_link": (
            geo.maps_link(geo.Point(place.lat, place.lng), origin)
            if has_location
            else geo.maps_search_link(f"{place.name} {place.address}")
        ),
        "photo_url": photo_path(place.photo_ref) if place.photo_ref else None,
        "rating": rating_of(place),
        "price_level": place.price_level,
        "open_now": state.open_now,
        "score": score,
        "start": None,
        "end": None,
        "types": list(place.types),
        "tags": list(place.tags),
        "cuisine": list(place.cuisine),
        "opens_at": _iso(state.opens_at),
        "closes_at": _iso(state.closes_at),
        "hours_text": hours.status_text(state, at=at, usual=not hours_are_current(place)),
    }


def rank_places(
    places: Iterable[Place],
    *,
    origin: geo.Point,
    walks: dict[int, Walk],
    context: scoring.RankingContext,
    limit: int,
) -> list[dict[str, Any]]:
    """Cards for the best `limit` of `places` that are not known to be closed at the context's
    instant, best first, one per place (cards are built only for those: scoring is cheap, a card
    is not)."""
    return [ranked_card(entry, origin=origin, at=context.at) for entry in rank_entries(places, walks=walks, context=context)[:limit]]


def rank_entries(places: Iterable[Place], *, walks: dict[int, Walk], context: scoring.RankingContext) -> list[Ranked]:
    """rank_places() before its cards: every place not known to be closed, one per place, best first."""
    unique, seen = [], set()
    for place in places:
        if place.card_id not in seen:
            seen.add(place.card_id)
            unique.append(place)
    ranked = [entry for entry in _ranked(unique, walks=walks, context=context) if entry.hours.open_now is not False]
    ranked.sort(key=lambda entry: entry.score, reverse=True)
    return ranked


def ranked_card(entry: Ranked, *, origin: geo.Point, at: datetime) -> dict[str, Any]:
    return place_card(entry.place, origin=origin, walk=entry.walk, score=entry.score, at=at, state=entry.hours)


def ranked_brief(entry: Ranked) -> dict[str, Any]:
    """Of ranked_card(), the fields a list is filtered and ordered by, the same values: a card is
    costly (its hours in words, times, links), so a list of many candidates is sorted on these and
    cards are made for the few it keeps (recommendations/retrieve.places_for)."""
    place, walk = entry.place, entry.walk
    has_location = place.lat is not None and place.lng is not None
    return {
        "place_id": place.card_id,
        "name": place.name,
        "description": place.description or None,
        "location": {"lat": place.lat, "lng": place.lng} if has_location else None,
        "walk_minutes": walk.minutes if walk else None,
        "distance_meters": walk.meters if walk else None,
        "rating": rating_of(place),
        "price_level": place.price_level,
        "open_now": entry.hours.open_now,
        "score": entry.score,
        "types": list(place.types),
        "tags": list(place.tags),
    }


def _ranked(places: Iterable[Place], *, walks: dict[int, Walk | None], context: scoring.RankingContext) -> list[Ranked]:
    """Each place with its walk, its hours at the context's instant and its score, in the order given."""
    at = context.at or timezone.now()
    ranked = []
    for place in places:
        walk, state = walks.get(place.id), place_hours(place, at=at)  # id: the pk (see distances_m)
        ranked.append(Ranked(scoring.score(_scorable(place, walk, state), context), walk, place, state))
    return ranked


def spec_for_vibe(vibe: str | None) -> SearchSpec:
    return VIBE_SEARCHES.get(vibe or "generic", VIBE_SEARCHES["generic"])


# --- Weather ------------------------------------------------------------------------------------------
WEATHER_EMOJI = {
    "Clear": "☀️",
    "Clouds": "☁️",
    "Rain": "🌧️",
    "Drizzle": "🌦️",
    "Thunderstorm": "⛈️",
    "Snow": "🌨️",
    "Mist": "🌫️",
    "Fog": "🌫️",
    "Haze": "🌫️",
    "Smoke": "🌫️",
    "Dust": "🌫️",
    "Tornado": "🌪️",
}


def weather_source() -> ModuleType | None:
    """Where the weather comes from, decided here only: OpenWeather when its key is set, else the
    National Weather Service (no key; US points), else nowhere. Both answer the same dataclasses."""
    if openweather.configured():
        return openweather
    if nws.configured():
        return nws
    return None


def weather_current(*, origin: geo.Point) -> dict[str, Any] | None:
    """Current weather in the apps' shape, or None when no provider answers."""
    source = weather_source()
    if source is None:
        return None
    try:
        weather = source.current(lat=origin.lat, lon=origin.lng)
    except ProviderError as exc:
        logger.warning("Weather unavailable: %s", exc)
        return None
    return {
        "temp_f": float(weather.temp_f),
        "temp": round(weather.temp_f),
        "desc": weather.desc,
        "icon": weather.icon,
        "main": weather.main,
        "humidity": int(weather.humidity or 0),
        "wind_speed": float(weather.wind_speed or 0),
        "emoji": WEATHER_EMOJI.get(weather.main, "🌡️"),
    }


def weather_forecast(*, origin: geo.Point) -> list[dict[str, Any]] | None:
    source = weather_source()
    if source is None:
        return None
    try:
        entries = source.forecast(lat=origin.lat, lon=origin.lng)
    except ProviderError as exc:
        logger.warning("Forecast unavailable: %s", exc)
        return None
    return [
        {
            "dt": entry.dt,
            "main": {"temp": float(entry.temp), "humidity": int(entry.humidity or 0)},
            "weather": [{"main": entry.main, "description": entry.description}],
            "wind": {"speed": float(entry.wind_speed or 0)},
        }
        for entry in entries
    ]


# --- Directions ---------------------------------------------------------------------------------------
def _route_body(
    *, origin: geo.Point, destination: geo.Point, mode: str, seconds: int, meters: int, path: Sequence[tuple[float, float]], source: str
) -> dict[str, Any]:
    return {
        "duration_text": geo.minutes_text(max(1, round(seconds / 60))),
        "distance_text": geo.miles_text(meters),
        "duration_seconds": int(seconds),
        "distance_meters": int(meters),
        "maps_link": geo.maps_link(destination, origin, mode=mode),
        "mode": mode,
        "polyline": [{"latitude": lat, "longitude": lng} for lat, lng in path],
        "path": [[lat, lng] for lat, lng in path],
        "source": source,
    }


def directions(*, origin: geo.Point, destination: geo.Point, mode: str = "walking") -> dict[str, Any]:
    """A route from Google when it answers (the faster of walking and transit for "best"),
    else a straight-line estimate on foot."""
    if google_routes.configured():
        modes = ("walking", "transit") if mode == "best" else (mode,)
        routes = []
        for candidate in modes:
            try:
                routes.append(
                    google_routes.route(origin=(origin.lat, origin.lng), destination=(destination.lat, destination.lng), mode=candidate)
                )
            except ProviderError as exc:
                logger.warning("Google Routes (%s) unavailable: %s", candidate, exc)
                if exc.retryable:  # down or hanging: the other mode would wait the same way
                    break
        if routes:
            best = min(routes, key=lambda route: route.duration_seconds)
            return _route_body(
                origin=origin,
                destination=destination,
                mode=best.mode,
                seconds=best.duration_seconds,
                meters=best.distance_meters,
                path=best.path,
                source="google_routes",
            )
    minutes, meters = geo.walk_estimate(origin, destination)
    return _route_body(
        origin=origin,
        destination=destination,
        mode="walking",
        seconds=minutes * 60,
        meters=meters,
        path=((origin.lat, origin.lng), (destination.lat, destination.lng)),
        source="estimate",
    )


def photo_redirect_url(*, ref: str, sig: str, max_width: int) -> str | None:
    """Google's short-lived URL for a photo this service handed out (`sig` is the signature its
    card's URL carries), at the served width for `max_width`; None when there is none to give, and
    for a reference this service did not sign, before anything is asked of Google. The answer is
    cached per (reference, width) by the provider's HTTP cache."""
    if not google_places.configured() or not photos.signature_valid(ref=ref, sig=sig):
        return None
    try:
        return google_places.photo_uri(photo_ref=ref, max_width=photos.width_for(max_width))
    except ProviderError as exc:
        logger.info("Photo unavailable: %s", exc)
        return None


# --- Addresses ----------------------------------------------------------------------------------------
def address_geocoded(*, address: str) -> Geocoded | None:
    """Google Geocoding's answer for `address` (cached 30 days; its "try again" answers tried again),
    or None: no key, a blank address, Google failing or knowing no such place. The caller decides
    what to make of an area (`Geocoded.is_area`)."""
    if not google_geocoding.configured() or not address.strip():
        return None
    try:
        return google_geocoding.geocode(address)
    except ProviderError as exc:
        logger.warning("Geocoding unavailable: %s", exc)
        return None


# --- Browsing (/api/v1/places/) -----------------------------------------------------------------------
BROWSE_ORDER = {
    "score": lambda entry: -entry.score,
    "distance": lambda entry: entry.walk.meters if entry.walk and entry.walk.meters is not None else float("inf"),
    "rating": lambda entry: -(rating_of(entry.place) or 0),  # unrated places last
}


def place_browse(
    *,
    origin: geo.Point,
    context: scoring.RankingContext,
    radius_m: int | None = None,
    category: str | None = None,
    q: str | None = None,
    open_now: bool | None = None,
    min_rating: float | None = None,
    ordering: str = "score",
) -> list[Ranked]:
    """Every active place matching the filters, scored with its estimated walk (no provider calls)
    and in `ordering`. No cards: the caller builds them (browse_card) for the page it shows."""
    places = Place.objects.filter(is_active=True)
    if radius_m:
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(origin, radius_m)
        places = places.filter(lat__range=(min_lat, max_lat), lng__range=(min_lng, max_lng))
    if q:
        places = places.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(description__icontains=q))
    if min_rating is not None:
        places = places.filter(rating__gte=min_rating)
    selected = list(places)
    if radius_m:
        selected = [p for p in selected if _within(p, origin, radius_m)]
    if category:
        selected = [p for p in selected if _matches(p, CATEGORIES[category])]
    if context.vibe:
        selected = [p for p in selected if context.vibe in p.vibes]
    walks = {p.pk: estimated_walk(p, origin) for p in selected}
    ranked = _ranked(selected, walks=walks, context=context)
    if open_now is not None:  # by the hours at this instant: places whose hours are unknown are neither
        ranked = [entry for entry in ranked if entry.hours.open_now is open_now]
    return sorted(ranked, key=BROWSE_ORDER[ordering])


def browse_card(entry: Ranked, *, origin: geo.Point, at: datetime) -> dict[str, Any]:
    return {**ranked_card(entry, origin=origin, at=at), "id": entry.place.pk}


def place_detail(*, place: Place, origin: geo.Point, context: scoring.RankingContext) -> dict[str, Any]:
    walk = estimated_walk(place, origin)
    (entry,) = _ranked([place], walks={place.pk: walk}, context=context)
    card = ranked_card(entry, origin=origin, at=context.at or timezone.now())
    return {
        **card,
        "id": place.pk,
        "primary_type": place.primary_type,
        "types": list(place.types),
        "categories": list(place.categories),
        "vibes": list(place.vibes),
        "tags": list(place.tags),
        "indoor_outdoor": place.indoor_outdoor,
        "rating_count": place.rating_count if rating_of(place) is not None else None,
        "opening_hours": list(place.opening_hours),
        "hours": place.hours or None,
        "hours_source": place.hours_source or None,
        "hours_checked": place.hours_checked.isoformat() if place.hours_checked else None,
    }


def place_names() -> list[str]:
    """Every place name we know, for checking that a chat reply names only places it was given."""
    names = cache.get("places:names")
    if names is None:
        names = list(Place.objects.filter(is_active=True).values_list("name", flat=True).distinct())
        cache.set("places:names", names, 600)
    return names
