"""The US National Weather Service (api.weather.gov): current conditions and the hourly forecast,
with no key, for points the NWS covers (the United States and its territories).

Four calls, cached as OpenWeather's answers are (the HTTP cache on the shared cache, and each
worker's parsed answers for a minute), the first two for long:

    /points/{lat},{lon}                         -> the grid's hourly forecast and station list (a week)
    /gridpoints/{wfo}/{x},{y}/stations          -> the nearest station first (a week)
    /stations/{id}/observations/latest          -> what it measured (ten minutes)
    /gridpoints/{wfo}/{x},{y}/forecast/hourly   -> one period per hour (ten minutes)

NWS values may be null (a station whose thermometer did not report), and an observation may be
hours old: an unknown temperature is never 0. The current weather takes what the latest
observation knows and the rest from the hourly period covering now; when neither knows, it is a
ProviderError and the weather is unavailable. A point outside NWS coverage (/points answers 404)
is remembered for a day so that its callers do not ask again.

Conditions are given in OpenWeather's groups ("Clear", "Clouds", "Rain", ...) and `icon` in its
icon codes ("03d"), so the apps' emoji and the ranking's bad-weather hint read the same whichever
source answered; the description is the NWS text ("mostly cloudy").
"""

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from violetvibes import state
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import json_number, request_json
from violetvibes.providers.session import shared_session

from .types import ForecastEntry, Weather

logger = logging.getLogger(__name__)

PROVIDER = "nws"
CACHE_NAMESPACE = "nws"
CACHE_SECONDS = 600
# A point's grid cell and its stations change only when the NWS redraws its grids (rarely).
POINTS_CACHE_NAMESPACE = "nws-points"
POINTS_CACHE_SECONDS = 7 * 24 * 3600
OUTSIDE_SECONDS = 24 * 3600
# An observation older than this is not "now" (a station that stopped reporting still has a latest).
OBSERVATION_MAX_AGE = timedelta(hours=2)
FORECAST_HORIZON = timedelta(days=5)  # as far as OpenWeather's forecast reaches
# Each worker keeps its parsed answers for a minute, as OpenWeather's client does.
RECENT_SECONDS = 60
RECENT_MAX = 512
_recent: dict[tuple[str, str, str], tuple[float, Any]] = {}
state.on_reset(_recent.clear)

_LINK_PATH = re.compile(r"/[A-Za-z0-9/,._-]+")
_STATION_ID = re.compile(r"[A-Za-z0-9]{3,8}")
_WIND_MPH = re.compile(r"(\d+(?:\.\d+)?)(?:\s+to\s+(\d+(?:\.\d+)?))?\s*mph", re.IGNORECASE)
KMH_TO_MPH = 0.621371
MS_TO_MPH = 2.236936


def configured() -> bool:
    return bool(settings.NWS_ENABLED and settings.NWS_BASE_URL)


# --- Public calls ------------------------------------------------------------------------------------
def current(*, lat: float, lon: float) -> Weather:
    return _remembered("current", lat, lon, _current)


def forecast(*, lat: float, lon: float) -> list[ForecastEntry]:
    """Hourly entries from the current hour for the next five days, by time."""
    return _remembered("forecast", lat, lon, _forecast)


# --- What the NWS answers, parsed --------------------------------------------------------------------
@dataclass(frozen=True)
class _Point:
    hourly_path: str
    stations_path: str


@dataclass(frozen=True)
class _Conditions:
    """One observation or one hourly period: anything the NWS left null is None."""

    temp_f: float | None
    text: str | None
    icon: str | None  # the NWS icon URL, whose path names the condition and day or night
    humidity: int | None
    wind_speed: float | None  # mph
    start: datetime | None  # when it was observed, or when the period starts
    end: datetime | None = None  # when the period ends (observations: None)
    daytime: bool | None = None


_UNKNOWN = _Conditions(temp_f=None, text=None, icon=None, humidity=None, wind_speed=None, start=None)


# --- Steps ---------------------------------------------------------------------------------------------
def _remembered(kind: str, lat: float, lon: float, compute: Callable[[str, str], Any]) -> Any:
    if not configured():
        raise ProviderError(PROVIDER, "NWS_ENABLED is off")
    if json_number(lat) is None or json_number(lon) is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ProviderError(PROVIDER, "invalid coordinates")
    # Two decimals (about 1 km) so that callers near each other share one cache entry; no trailing
    # zeros, which the NWS would answer with a redirect to the shorter form.
    cell = (_coordinate(lat), _coordinate(lon))
    key = (kind, *cell)
    now = time.monotonic()
    recent = _recent.get(key)
    if recent is not None and recent[0] > now:
        return recent[1]
    answer = compute(*cell)
    if len(_recent) >= RECENT_MAX:
        _recent.clear()
    _recent[key] = (now + RECENT_SECONDS, answer)
    return answer


def _coordinate(value: float) -> str:
    return f"{round(value, 2) + 0.0:.2f}".rstrip("0").rstrip(".")


def _current(lat: str, lon: str) -> Weather:
    point = _point(lat, lon)
    now = timezone.now()
    observed = _observation(point)
    if observed is not None and (observed.start is None or now - observed.start > OBSERVATION_MAX_AGE):
        logger.info("NWS observation ignored: older than %s", OBSERVATION_MAX_AGE)
        observed = None
    known = observed or _UNKNOWN
    if known.temp_f is None or not known.text:
        period = next((p for p in _hourly(point) if p.start is not None and p.end is not None and p.start <= now < p.end), None)
        if period is None:
            raise ProviderError(PROVIDER, "no observation or forecast for now")
        known = _Conditions(
            temp_f=known.temp_f if known.temp_f is not None else period.temp_f,
            text=known.text or period.text,
            icon=known.icon if known.text else period.icon,
            humidity=known.humidity if known.humidity is not None else period.humidity,
            wind_speed=known.wind_speed if known.wind_speed is not None else period.wind_speed,
            start=known.start,
            daytime=period.daytime,
        )
    if known.temp_f is None or not known.text:
        raise ProviderError(PROVIDER, "neither the observation nor the forecast knows the temperature and the sky")
    main, icon = _condition(known)
    return Weather(
        temp_f=known.temp_f, desc=known.text.lower(), icon=icon, main=main, humidity=known.humidity, wind_speed=known.wind_speed
    )


def _forecast(lat: str, lon: str) -> list[ForecastEntry]:
    periods = _hourly(_point(lat, lon))
    now = timezone.now()
    entries = []
    for period in periods:
        if period.start is None or period.end is None or period.end <= now or period.start >= now + FORECAST_HORIZON:
            continue
        if period.temp_f is None or not period.text:
            continue
        main, _icon = _condition(period)
        entries.append(
            ForecastEntry(
                dt=int(period.start.timestamp()), temp=period.temp_f, humidity=period.humidity, main=main,
                description=period.text.lower(), wind_speed=period.wind_speed,
            )
        )
    if periods and not entries:
        raise ProviderError(PROVIDER, "no usable forecast period from now on")
    return entries


def _point(lat: str, lon: str) -> _Point:
    outside = f"nws:outside:{lat},{lon}"
    if cache.get(outside):
        raise ProviderError(PROVIDER, "the point is outside NWS coverage", status=404)
    try:
        point = _get(f"/points/{lat},{lon}", _parse_point, long_lived=True)
    except ProviderError as exc:
        if exc.status == 404:  # outside coverage: the NWS answers 404 "Data Unavailable For Requested Point"
            cache.set(outside, True, OUTSIDE_SECONDS)
        raise
    if point is None:  # a point the NWS knows but has no forecast grid for (offshore, some of Alaska)
        cache.set(outside, True, OUTSIDE_SECONDS)
        raise ProviderError(PROVIDER, "the point has no NWS forecast grid", status=404)
    return point


def _observation(point: _Point) -> _Conditions | None:
    """The nearest station's latest observation, or None when there is none to be had (the hourly
    forecast answers then)."""
    try:
        station = _get(point.stations_path, _parse_first_station, long_lived=True)
        return _get(f"/stations/{station}/observations/latest", _parse_observation) if station else None
    except ProviderError as exc:
        logger.info("NWS observation unavailable, the hourly forecast answers: %s", exc)
        return None


def _hourly(point: _Point) -> list[_Conditions]:
    return _get(point.hourly_path, _parse_hourly)


def _get(path: str, parse: Callable[[Any], Any], *, long_lived: bool = False) -> Any:
    session = shared_session(POINTS_CACHE_NAMESPACE, POINTS_CACHE_SECONDS) if long_lived else shared_session(CACHE_NAMESPACE, CACHE_SECONDS)
    url = f"{str(settings.NWS_BASE_URL).rstrip('/')}{path}"
    headers = {"User-Agent": settings.NWS_USER_AGENT, "Accept": "application/geo+json"}
    return request_json(session, PROVIDER, "GET", url, headers=headers, parse=parse)


# --- Parsing (a ProviderError here also drops the answer from the HTTP cache) --------------------------
def _properties(data: Any) -> dict[str, Any]:
    properties = data.get("properties") if isinstance(data, dict) else None
    if not isinstance(properties, dict):
        raise ProviderError(PROVIDER, "response without 'properties'")
    return properties


def _parse_point(data: Any) -> _Point | None:
    properties = _properties(data)
    hourly, stations = _link_path(properties.get("forecastHourly")), _link_path(properties.get("observationStations"))
    if hourly is None or stations is None:
        return None
    return _Point(hourly_path=hourly, stations_path=stations)


def _link_path(link: Any) -> str | None:
    """The path of a link the NWS gives: it is asked of NWS_BASE_URL (a fake in tests and staging)."""
    if not isinstance(link, str) or not link:
        return None
    path = urlsplit(link).path
    return path if _LINK_PATH.fullmatch(path) else None


def _parse_first_station(data: Any) -> str | None:
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ProviderError(PROVIDER, "station list without 'features'")
    for feature in features:  # nearest first
        properties = feature.get("properties") if isinstance(feature, dict) else None
        station = properties.get("stationIdentifier") if isinstance(properties, dict) else None
        if isinstance(station, str) and _STATION_ID.fullmatch(station):
            return station
    return None


def _parse_observation(data: Any) -> _Conditions:
    properties = _properties(data)
    return _Conditions(
        temp_f=_fahrenheit(properties.get("temperature")),
        text=_text(properties.get("textDescription")),
        icon=_text(properties.get("icon")),
        humidity=_humidity(properties.get("relativeHumidity")),
        wind_speed=_quantity_mph(properties.get("windSpeed")),
        start=_instant(properties.get("timestamp")),
    )


def _parse_hourly(data: Any) -> list[_Conditions]:
    raw_periods = _properties(data).get("periods")
    if not isinstance(raw_periods, list):
        raise ProviderError(PROVIDER, "forecast without 'periods'")
    periods = [_period(raw) for raw in raw_periods]
    usable = [period for period in periods if period is not None]
    if len(usable) < len(periods):
        logger.info("NWS forecast: %s malformed periods skipped", len(periods) - len(usable))
    if raw_periods and not usable:
        raise ProviderError(PROVIDER, "no usable forecast period")
    return usable


def _period(raw: Any) -> _Conditions | None:
    if not isinstance(raw, dict):
        return None
    start, end = _instant(raw.get("startTime")), _instant(raw.get("endTime"))
    if start is None or end is None or end <= start:
        return None
    temperature = raw.get("temperature")
    if isinstance(temperature, dict):  # a QuantitativeValue, when the forecast_temperature_qv flag is on
        temp_f = _fahrenheit(temperature)
    else:
        temp_f = _fahrenheit({"value": temperature, "unitCode": f"wmoUnit:deg{raw.get('temperatureUnit')}"})
    wind = raw.get("windSpeed")
    daytime = raw.get("isDaytime")
    return _Conditions(
        temp_f=temp_f,
        text=_text(raw.get("shortForecast")),
        icon=_text(raw.get("icon")),
        humidity=_humidity(raw.get("relativeHumidity")),
        wind_speed=_quantity_mph(wind) if isinstance(wind, dict) else _wind_text_mph(wind),
        start=start,
        end=end,
        daytime=daytime if isinstance(daytime, bool) else None,
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None


def _fahrenheit(quantity: Any) -> float | None:
    """°F from a QuantitativeValue ({"unitCode": "wmoUnit:degC", "value": 7.8}); None when null."""
    if not isinstance(quantity, dict):
        return None
    value, unit = json_number(quantity.get("value")), quantity.get("unitCode")
    if value is None or not isinstance(unit, str):
        return None
    if unit.endswith(":degC"):
        value = value * 9 / 5 + 32
    elif not unit.endswith(":degF"):
        return None
    return round(value, 1) if -80 <= value <= 140 else None


def _humidity(quantity: Any) -> int | None:
    value = json_number(quantity.get("value")) if isinstance(quantity, dict) else None
    return round(value) if value is not None and 0 <= value <= 100 else None


def _quantity_mph(quantity: Any) -> float | None:
    if not isinstance(quantity, dict):
        return None
    value, unit = json_number(quantity.get("value")), quantity.get("unitCode")
    if value is None or value < 0 or not isinstance(unit, str):
        return None
    factor = {"km_h-1": KMH_TO_MPH, "m_s-1": MS_TO_MPH, "mi_h-1": 1.0}.get(unit.rsplit(":", 1)[-1])
    return round(value * factor, 1) if factor is not None else None


def _wind_text_mph(text: Any) -> float | None:
    """"10 mph" -> 10.0; a range ("5 to 10 mph") -> its middle."""
    match = _WIND_MPH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    low, high = float(match.group(1)), float(match.group(2) or match.group(1))
    return round((low + high) / 2, 1)


# --- Conditions in OpenWeather's groups ----------------------------------------------------------------
# The words of the NWS text, first match wins (rain before fog: "Light Rain and Fog/Mist" is rain).
_TEXT_GROUPS = (
    (re.compile(r"thunder|t-storm", re.IGNORECASE), "Thunderstorm"),
    (re.compile(r"tornado|funnel", re.IGNORECASE), "Tornado"),
    (re.compile(r"snow|sleet|ice pellets|blizzard|flurr|wintry", re.IGNORECASE), "Snow"),
    (re.compile(r"drizzle", re.IGNORECASE), "Drizzle"),
    (re.compile(r"rain|shower", re.IGNORECASE), "Rain"),
    (re.compile(r"fog", re.IGNORECASE), "Fog"),
    (re.compile(r"mist", re.IGNORECASE), "Mist"),
    (re.compile(r"smoke", re.IGNORECASE), "Smoke"),
    (re.compile(r"haze", re.IGNORECASE), "Haze"),
    (re.compile(r"dust|sand", re.IGNORECASE), "Dust"),
    (re.compile(r"cloud|overcast|partly sunny", re.IGNORECASE), "Clouds"),
    (re.compile(r"clear|sunny|fair", re.IGNORECASE), "Clear"),
)
# The NWS icon's condition code (api.weather.gov/icons), for texts the words above miss ("Windy").
_ICON_GROUPS = {
    **dict.fromkeys(("skc", "wind_skc"), "Clear"),
    **dict.fromkeys(("few", "sct", "bkn", "ovc", "wind_few", "wind_sct", "wind_bkn", "wind_ovc"), "Clouds"),
    **dict.fromkeys(("rain", "rain_showers", "rain_showers_hi", "fzra", "rain_fzra"), "Rain"),
    **dict.fromkeys(("snow", "rain_snow", "rain_sleet", "snow_sleet", "sleet", "snow_fzra", "blizzard"), "Snow"),
    **dict.fromkeys(("tsra", "tsra_sct", "tsra_hi"), "Thunderstorm"),
    "tornado": "Tornado", "fog": "Fog", "haze": "Haze", "smoke": "Smoke", "dust": "Dust",
}  # fmt: skip
_OPENWEATHER_ICONS = {
    "Clear": "01", "Clouds": "03", "Drizzle": "09", "Rain": "10", "Thunderstorm": "11", "Snow": "13",
    **dict.fromkeys(("Mist", "Fog", "Haze", "Smoke", "Dust", "Tornado"), "50"),
}  # fmt: skip
_ICON_PATH = re.compile(r"/icons/land/(day|night)/([a-z_]+)")


def _condition(conditions: _Conditions) -> tuple[str, str]:
    """(group, OpenWeather icon code) of what the NWS says; the group is the NWS text itself when it
    is none of OpenWeather's, and then there is no icon code."""
    icon = _ICON_PATH.search(urlsplit(conditions.icon).path) if conditions.icon else None
    text = conditions.text or ""
    group = next((name for pattern, name in _TEXT_GROUPS if pattern.search(text)), None)
    group = group or (_ICON_GROUPS.get(icon.group(2)) if icon else None)
    if group is None:
        return text.title(), ""
    daytime = icon.group(1) == "day" if icon else conditions.daytime is not False
    return group, f"{_OPENWEATHER_ICONS[group]}{'d' if daytime else 'n'}"
