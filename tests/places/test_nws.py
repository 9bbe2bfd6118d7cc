"""The National Weather Service client (places/providers/nws.py), the default weather source,
faked at the HTTP boundary with `responses` (tests/fakes/nws.py). The places tests run on a
weekday afternoon (tests/places/conftest.py): 14:00 New York, nine minutes after the recorded
observation and in the first hour of the recorded hourly forecast.
"""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import responses
from django.core.cache import cache

from places import geo, selectors
from places.providers import nws, openweather
from places.providers.types import ForecastEntry, Weather
from tests.clock import NEW_YORK
from tests.fakes.nws import (
    HOURLY_URL,
    NWS_URL,
    OBSERVATION_URL,
    POINT_URL,
    STATIONS_URL,
    fake_nws,
    observation_with,
    payload,
    use_nws,
)
from violetvibes.providers.errors import ProviderError
from violetvibes.state import reset_process_state

METROTECH = (40.6942, -73.9866)


@pytest.fixture(autouse=True)
def _nws(settings) -> None:
    use_nws(settings)


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def urls(mock: responses.RequestsMock) -> list[str]:
    return [call.request.url for call in mock.calls]


def current() -> Weather:
    return nws.current(lat=METROTECH[0], lon=METROTECH[1])


def payload_openweather() -> dict:
    return json.loads((Path(__file__).resolve().parent.parent / "payloads" / "openweather_current.json").read_text())


def hourly_with(*changes: dict) -> dict:
    """The recorded hourly forecast with period i updated by changes[i]."""
    data = payload("forecast_hourly")
    for period, change in zip(data["properties"]["periods"], changes, strict=False):
        period.update(change)
    return data


# --- Current conditions --------------------------------------------------------------------------------
def test_current_weather_is_the_latest_observation_in_fahrenheit_and_mph(rsps):
    fake_nws(rsps)

    weather = current()

    # 7.8 °C, 14.76 km/h, 53.42 %; "Mostly Cloudy" with the day icon "bkn"
    assert weather == Weather(temp_f=46.0, desc="mostly cloudy", icon="03d", main="Clouds", humidity=53, wind_speed=9.2)
    assert urls(rsps) == [POINT_URL, STATIONS_URL, OBSERVATION_URL], "a complete observation needs no forecast"


def test_every_call_names_the_app_as_the_nws_asks_and_asks_for_geojson(rsps, settings):
    settings.NWS_USER_AGENT = "VioletVibes/1.0 (ops@violetvibes.test)"
    fake_nws(rsps)

    current()

    assert {call.request.headers["User-Agent"] for call in rsps.calls} == {"VioletVibes/1.0 (ops@violetvibes.test)"}
    assert {call.request.headers["Accept"] for call in rsps.calls} == {"application/geo+json"}


def test_coordinates_are_sent_with_two_decimals_and_no_trailing_zero(rsps):
    rsps.get(f"{NWS_URL}/points/40.7,-74", status=404, json=payload("points_outside"))

    with pytest.raises(ProviderError):
        nws.current(lat=40.70012, lon=-73.9981)

    assert urls(rsps) == [f"{NWS_URL}/points/40.7,-74"]


def test_an_unknown_observed_temperature_is_taken_from_the_hourly_period_covering_now_not_zero(rsps):
    fake_nws(rsps, observation=observation_with(temperature=None))

    weather = current()

    assert weather.temp_f == 47.0  # the 14:00 period; the sky, wind and humidity still observed
    assert (weather.desc, weather.main, weather.humidity, weather.wind_speed) == ("mostly cloudy", "Clouds", 53, 9.2)
    assert urls(rsps)[-1] == HOURLY_URL


def test_an_observation_without_a_description_takes_the_forecasts(rsps):
    fake_nws(rsps, observation=observation_with(textDescription="", icon=None))

    weather = current()

    assert (weather.temp_f, weather.desc, weather.icon) == (46.0, "mostly cloudy", "03d")


def test_an_observation_hours_old_is_not_now_the_forecast_answers(rsps, clock):
    clock(datetime(2026, 12, 9, 18, 30, tzinfo=NEW_YORK))  # the observation is from 13:51
    fake_nws(rsps)

    weather = current()

    assert weather == Weather(temp_f=43.0, desc="light rain likely", icon="10n", main="Rain", humidity=80, wind_speed=7.5)


@pytest.mark.parametrize(
    "failure",
    [500, 404, requests.exceptions.ReadTimeout("read timed out")],
    ids=["observation-500", "station-without-observations", "observation-timeout"],
)
def test_when_the_observation_fails_the_forecast_answers(rsps, failure):
    fake_nws(rsps, observation=failure)

    assert current().temp_f == 47.0


def test_a_grid_without_stations_takes_the_forecast(rsps):
    fake_nws(rsps, stations={"type": "FeatureCollection", "features": [], "observationStations": []})

    assert current().temp_f == 47.0
    assert OBSERVATION_URL not in urls(rsps)


def test_a_temperature_nobody_knows_is_a_provider_error_not_zero(rsps):
    no_temperature = hourly_with({"temperature": None})
    fake_nws(rsps, observation=observation_with(temperature=None), hourly=no_temperature)

    with pytest.raises(ProviderError) as caught:
        current()

    assert caught.value.provider == "nws"


def test_no_hourly_period_covering_now_is_a_provider_error(rsps, clock):
    clock(datetime(2026, 12, 10, 9, 0, tzinfo=NEW_YORK))  # after the recorded periods, observation stale
    fake_nws(rsps)

    with pytest.raises(ProviderError):
        current()


# --- Outside coverage and failures ----------------------------------------------------------------------
def test_a_point_outside_nws_coverage_is_a_404_provider_error_remembered_for_a_day(rsps):
    london = f"{NWS_URL}/points/51.51,-0.13"
    rsps.get(london, status=404, json=payload("points_outside"), content_type="application/problem+json")

    for _ in range(2):
        with pytest.raises(ProviderError) as caught:
            nws.current(lat=51.5072, lon=-0.1276)
        assert (caught.value.status, caught.value.retryable) == (404, False)
        reset_process_state()  # another worker: only the shared cache knows
    with pytest.raises(ProviderError):
        nws.forecast(lat=51.5072, lon=-0.1276)

    assert urls(rsps) == [london], "asked once"
    assert cache.get("circuit:nws:failures") is None, "being outside coverage is not an outage"


def test_a_point_the_nws_has_no_grid_for_is_outside_coverage(rsps):
    points = payload("points")
    points["properties"].update(forecastHourly=None, observationStations=None, gridX=None, gridY=None)
    fake_nws(rsps, points=points)

    with pytest.raises(ProviderError) as caught:
        current()

    assert caught.value.status == 404
    assert urls(rsps) == [POINT_URL]


@pytest.mark.parametrize(
    ("points", "hourly"),
    [(500, None), (requests.exceptions.ConnectTimeout("timed out"), None), (None, 503), ({"properties": "nope"}, None), (["x"], None)],
    ids=["points-500", "points-timeout", "forecast-503", "points-garbage", "points-not-an-object"],
)
def test_failures_are_provider_errors(rsps, points, hourly):
    fake_nws(rsps, points=points, observation=observation_with(temperature=None), hourly=hourly)

    with pytest.raises(ProviderError):
        current()


def test_a_server_error_is_retryable(rsps):
    fake_nws(rsps, points=500)

    with pytest.raises(ProviderError) as caught:
        nws.forecast(lat=METROTECH[0], lon=METROTECH[1])

    assert caught.value.retryable is True


def test_a_garbage_points_answer_is_not_served_again_from_the_cache(rsps):
    fake_nws(rsps, points={"properties": "nope"})
    with pytest.raises(ProviderError):
        current()
    rsps.replace(responses.GET, POINT_URL, json=payload("points"))

    assert current().temp_f == 46.0


# --- Caching --------------------------------------------------------------------------------------------
def test_a_second_call_makes_no_http_call(rsps):
    fake_nws(rsps)
    first = current()
    calls = len(rsps.calls)

    assert current() == first  # this worker's minute
    reset_process_state()  # another worker: the shared HTTP cache answers
    assert nws.current(lat=40.6938, lon=-73.9871) == first  # same two-decimal cell

    assert len(rsps.calls) == calls


def test_the_point_and_its_stations_outlive_the_observation_in_the_cache(rsps, expired_http_cache):
    fake_nws(rsps)
    current()
    reset_process_state()  # another worker
    expire = len(rsps.calls)
    expired_http_cache()  # a day later: ten-minute answers are stale, week-long ones are not

    current()

    assert urls(rsps)[expire:] == [OBSERVATION_URL]


def test_the_forecast_shares_the_cached_point(rsps):
    fake_nws(rsps)
    current()

    nws.forecast(lat=METROTECH[0], lon=METROTECH[1])

    assert urls(rsps).count(POINT_URL) == 1


def test_points_are_cached_for_a_week_and_answers_for_ten_minutes():
    assert nws.POINTS_CACHE_SECONDS == 7 * 24 * 3600
    assert nws.CACHE_SECONDS == openweather.CACHE_SECONDS


# --- Forecast -------------------------------------------------------------------------------------------
def test_forecast_is_hourly_from_the_current_hour(rsps):
    fake_nws(rsps)

    entries = nws.forecast(lat=METROTECH[0], lon=METROTECH[1])

    assert len(entries) == 8
    assert entries[0] == ForecastEntry(
        dt=int(datetime(2026, 12, 9, 19, tzinfo=UTC).timestamp()), temp=47.0, humidity=55, main="Clouds",
        description="mostly cloudy", wind_speed=10.0,
    )
    assert [entry.dt - entries[0].dt for entry in entries] == [3600 * i for i in range(8)]
    assert [entry.main for entry in entries] == ["Clouds", "Clouds", "Clouds", "Rain", "Rain", "Rain", "Rain", "Clouds"]
    assert entries[4].wind_speed == 7.5  # "5 to 10 mph"
    assert entries[6].description == "light rain and patchy fog"
    assert all(isinstance(entry.humidity, int) and isinstance(entry.temp, float) for entry in entries)


def test_forecast_drops_the_hours_that_have_ended(rsps, clock):
    clock(datetime(2026, 12, 9, 16, 30, tzinfo=NEW_YORK))
    fake_nws(rsps)

    entries = nws.forecast(lat=METROTECH[0], lon=METROTECH[1])

    assert datetime.fromtimestamp(entries[0].dt, NEW_YORK).hour == 16
    assert len(entries) == 6


def test_forecast_reaches_five_days_as_openweathers_does(rsps, clock):
    now = clock(datetime(2026, 12, 9, 14, 30, tzinfo=NEW_YORK), tick=False)
    data = payload("forecast_hourly")
    template = data["properties"]["periods"][0]
    start = datetime(2026, 12, 9, 14, tzinfo=NEW_YORK)
    data["properties"]["periods"] = [
        {
            **copy.deepcopy(template),
            "number": hour + 1,
            "startTime": datetime.fromtimestamp(start.timestamp() + 3600 * hour, NEW_YORK).isoformat(),
            "endTime": datetime.fromtimestamp(start.timestamp() + 3600 * (hour + 1), NEW_YORK).isoformat(),
        }
        for hour in range(156)  # what the NWS gives: six and a half days
    ]
    fake_nws(rsps, hourly=data)

    entries = nws.forecast(lat=METROTECH[0], lon=METROTECH[1])

    assert len(entries) == 1 + 5 * 24  # the current hour, then five days
    assert entries[-1].dt < now.timestamp() + 5 * 24 * 3600 < entries[-1].dt + 3600


def test_forecast_periods_without_a_temperature_are_skipped(rsps):
    fake_nws(rsps, hourly=hourly_with({}, {"temperature": None}, {"shortForecast": ""}, {"startTime": "soon"}))

    entries = nws.forecast(lat=METROTECH[0], lon=METROTECH[1])

    assert [entry.temp for entry in entries] == [47.0, 43.0, 42.0, 41.0, 41.0]


def test_forecast_temperatures_given_as_quantities_are_read(rsps):
    fake_nws(rsps, hourly=hourly_with({"temperature": {"unitCode": "wmoUnit:degC", "value": 10}, "windSpeed": {"unitCode": "wmoUnit:km_h-1", "value": 16.09}}))

    entry = nws.forecast(lat=METROTECH[0], lon=METROTECH[1])[0]

    assert (entry.temp, entry.wind_speed) == (50.0, 10.0)


def test_a_forecast_without_usable_periods_is_a_provider_error(rsps):
    fake_nws(rsps, hourly=hourly_with(*[{"temperature": None}] * 8))

    with pytest.raises(ProviderError):
        nws.forecast(lat=METROTECH[0], lon=METROTECH[1])


# --- Conditions in OpenWeather's groups -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "icon", "expected"),
    [
        ("Mostly Cloudy", "https://api.weather.gov/icons/land/night/bkn?size=medium", ("Clouds", "03n")),
        ("Light Rain and Fog/Mist", "https://api.weather.gov/icons/land/day/rain/fog?size=medium", ("Rain", "10d")),
        ("Chance Showers And Thunderstorms", None, ("Thunderstorm", "11d")),
        ("Light Snow", "https://api.weather.gov/icons/land/day/snow,40?size=small", ("Snow", "13d")),
        ("Drizzle", None, ("Drizzle", "09d")),
        ("Fog/Mist", None, ("Fog", "50d")),
        ("Haze", None, ("Haze", "50d")),
        ("Sunny", "https://api.weather.gov/icons/land/day/skc?size=small", ("Clear", "01d")),
        ("Partly Sunny", None, ("Clouds", "03d")),
        ("Windy", "https://api.weather.gov/icons/land/night/wind_skc?size=medium", ("Clear", "01n")),
        ("Hot", None, ("Hot", "")),
    ],
)
def test_nws_conditions_map_to_openweathers_groups_and_icons(text, icon, expected):
    conditions = nws._Conditions(temp_f=50.0, text=text, icon=icon, humidity=None, wind_speed=None, start=None)

    assert nws._condition(conditions) == expected


# --- The one place the source is chosen ------------------------------------------------------------------
def test_without_an_openweather_key_the_nws_answers(rsps):
    fake_nws(rsps)

    assert selectors.weather_source() is nws
    weather = selectors.weather_current(origin=geo.Point(*METROTECH))

    assert weather == {
        "temp_f": 46.0, "temp": 46, "desc": "mostly cloudy", "icon": "03d", "main": "Clouds",
        "humidity": 53, "wind_speed": 9.2, "emoji": "☁️",
    }


def test_with_an_openweather_key_openweather_answers_and_the_nws_is_not_asked(rsps, settings):
    settings.OPENWEATHER_KEY = "ow-test-key"
    settings.OPENWEATHER_BASE_URL = "https://weather.test"
    rsps.get("https://weather.test/data/2.5/weather", json=payload_openweather())
    fake_nws(rsps)

    weather = selectors.weather_current(origin=geo.Point(*METROTECH))

    assert selectors.weather_source() is openweather
    assert weather["temp_f"] == 61.52
    assert urls(rsps) == ["https://weather.test/data/2.5/weather?lat=40.69&lon=-73.99&units=imperial&appid=ow-test-key"]


def test_with_the_nws_switched_off_and_no_key_there_is_no_weather(rsps, settings):
    settings.NWS_ENABLED = False

    assert selectors.weather_source() is None
    assert selectors.weather_current(origin=geo.Point(*METROTECH)) is None
    assert len(rsps.calls) == 0


def test_an_nws_failure_degrades_to_no_weather(rsps):
    fake_nws(rsps, points=500)

    assert selectors.weather_current(origin=geo.Point(*METROTECH)) is None
    assert selectors.weather_forecast(origin=geo.Point(*METROTECH)) is None
