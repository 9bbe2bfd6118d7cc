"""OpenWeather 2.5: current weather and the 5-day / 3-hour forecast, in imperial units.

OpenWeather takes its key as the `appid` query parameter. That parameter is left out of the
HTTP cache key and the stored response (violetvibes.providers.session.SECRET_PARAMETERS), nothing
here logs a URL, and the key is never part of what these functions return.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

from violetvibes import state
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.http import json_int, json_number, request_json
from violetvibes.providers.session import shared_session

from .types import ForecastEntry, Weather

logger = logging.getLogger(__name__)

PROVIDER = "openweather"
CACHE_NAMESPACE = "openweather"
CACHE_SECONDS = 600
UNITS = "imperial"  # °F, miles per hour
# Every dashboard, chat turn and recommendation list shows the weather, so each worker also keeps
# its parsed answers for a minute: a hit costs no round trip to the shared cache (it was 10% of a
# worker's time under the apps' traffic, docs/BENCHMARKS.md). Weather this old is still current.
RECENT_SECONDS = 60
RECENT_MAX = 512
_recent: dict[tuple[str, str, str], tuple[float, Any]] = {}
state.on_reset(_recent.clear)



def configured() -> bool:
    return bool(settings.OPENWEATHER_KEY)


# --- Public calls ------------------------------------------------------------------------------------
def current(*, lat: float, lon: float) -> Weather:
    return _get("/data/2.5/weather", lat, lon, _parse_current)


def forecast(*, lat: float, lon: float) -> list[ForecastEntry]:
    """3-hourly entries for the next five days, in the order OpenWeather gives them (by time)."""
    return _get("/data/2.5/forecast", lat, lon, _parse_forecast)


# --- HTTP --------------------------------------------------------------------------------------------

def _get(path: str, lat: float, lon: float, parse: Callable[[Any], Any]) -> Any:
    if not configured():
        raise ProviderError(PROVIDER, "OPENWEATHER_KEY is not configured")
    if json_number(lat) is None or json_number(lon) is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ProviderError(PROVIDER, "invalid coordinates")
    params = {
        # Two decimals (about 1 km) so that callers near each other share one cache entry.
        "lat": f"{round(lat, 2) + 0.0:.2f}",
        "lon": f"{round(lon, 2) + 0.0:.2f}",
        "units": UNITS,
        "appid": settings.OPENWEATHER_KEY,
    }
    key = (path, params["lat"], params["lon"])
    now = time.monotonic()
    recent = _recent.get(key)
    if recent is not None and recent[0] > now:
        return recent[1]
    url = f"{str(settings.OPENWEATHER_BASE_URL).rstrip('/')}{path}"
    answer = request_json(shared_session(CACHE_NAMESPACE, CACHE_SECONDS), PROVIDER, "GET", url, params=params, parse=parse)
    if len(_recent) >= RECENT_MAX:
        _recent.clear()
    _recent[key] = (now + RECENT_SECONDS, answer)
    return answer


# --- Parsing (a ProviderError here also drops the answer from the HTTP cache) --------------------------
def _parse_current(data: Any) -> Weather:
    if not isinstance(data, dict):
        raise ProviderError(PROVIDER, "response is not a JSON object")
    condition = _condition(data.get("weather"))
    main = data.get("main")
    temp = json_number(main.get("temp")) if isinstance(main, dict) else None
    if condition is None or temp is None:
        raise ProviderError(PROVIDER, "current weather without a temperature or a condition")
    condition_main, description, icon = condition
    if not icon:
        raise ProviderError(PROVIDER, "current weather without an icon")
    return Weather(
        temp_f=temp,
        desc=description,
        icon=icon,
        main=condition_main,
        humidity=_humidity(main),
        wind_speed=_wind_speed(data.get("wind")),
    )


def _parse_forecast(data: Any) -> list[ForecastEntry]:
    if not isinstance(data, dict):
        raise ProviderError(PROVIDER, "response is not a JSON object")
    raw_entries = data.get("list")
    if not isinstance(raw_entries, list):
        raise ProviderError(PROVIDER, "forecast without a 'list' of entries")
    entries: list[ForecastEntry] = []
    for position, raw in enumerate(raw_entries):
        entry = _forecast_entry(raw)
        if entry is None:
            logger.info("OpenWeather forecast entry %s skipped: malformed", position)
            continue
        entries.append(entry)
    if raw_entries and not entries:
        raise ProviderError(PROVIDER, "no usable forecast entry")
    return entries


def _forecast_entry(raw: Any) -> ForecastEntry | None:
    if not isinstance(raw, dict):
        return None
    dt = raw.get("dt")
    main = raw.get("main")
    temp = json_number(main.get("temp")) if isinstance(main, dict) else None
    condition = _condition(raw.get("weather"))
    if not json_int(dt) or dt <= 0 or temp is None or condition is None:
        return None
    condition_main, description, _icon = condition
    return ForecastEntry(
        dt=dt,
        temp=temp,
        humidity=_humidity(main),
        main=condition_main,
        description=description,
        wind_speed=_wind_speed(raw.get("wind")),
    )


def _condition(weather: Any) -> tuple[str, str, str] | None:
    """(main, description, icon) of the first weather condition, or None when unusable."""
    first = weather[0] if isinstance(weather, list) and weather else None
    if not isinstance(first, dict):
        return None
    main, description, icon = first.get("main"), first.get("description"), first.get("icon")
    if not isinstance(main, str) or not main.strip():
        return None
    description = description.strip() if isinstance(description, str) and description.strip() else main.strip()
    return main.strip(), description, icon.strip() if isinstance(icon, str) else ""


def _humidity(main: Any) -> int | None:
    value = main.get("humidity") if isinstance(main, dict) else None
    return value if json_int(value) and 0 <= value <= 100 else None


def _wind_speed(wind: Any) -> float | None:
    value = json_number(wind.get("speed")) if isinstance(wind, dict) else None
    return value if value is not None and value >= 0 else None


