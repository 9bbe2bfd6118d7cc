"""The National Weather Service faked with `responses`: the recorded-style answers of
tests/payloads/nws_*.json (Brooklyn's grid cell OKX/34,33, Central Park's station, an hourly
forecast for the afternoon of tests.clock.WEEKDAY_AFTERNOON) at a base URL of the tests' own.

    use_nws(settings)                     # no OpenWeather key, NWS on at NWS_URL
    with responses.RequestsMock() as mock:
        fake_nws(mock, observation=without("temperature.value"))
"""

import copy
import json
from pathlib import Path
from typing import Any

import responses

PAYLOADS = Path(__file__).resolve().parent.parent / "payloads"
NWS_URL = "https://nws.test"
CELL = "40.69,-73.99"  # where NYU Tandon (the default origin) and 2 MetroTech fall, two decimals
POINT_URL = f"{NWS_URL}/points/{CELL}"
# The points answer links to api.weather.gov; they are asked of NWS_BASE_URL.
STATIONS_URL = f"{NWS_URL}/gridpoints/OKX/34,33/stations"
OBSERVATION_URL = f"{NWS_URL}/stations/KNYC/observations/latest"
HOURLY_URL = f"{NWS_URL}/gridpoints/OKX/34,33/forecast/hourly"


def payload(name: str) -> Any:
    return json.loads((PAYLOADS / f"nws_{name}.json").read_text())


def use_nws(settings) -> None:
    """The weather as a deployment without OPENWEATHER_KEY gets it (test settings switch NWS off)."""
    settings.OPENWEATHER_KEY = ""
    settings.NWS_ENABLED = True
    settings.NWS_BASE_URL = NWS_URL


def observation_with(**properties: Any) -> dict[str, Any]:
    """The recorded observation with some of its properties replaced (a value of None: null)."""
    data = payload("observation_latest")
    for name, value in properties.items():
        if isinstance(data["properties"].get(name), dict) and "unitCode" in data["properties"][name] and not isinstance(value, dict):
            data["properties"][name] = {**data["properties"][name], "value": value}
        else:
            data["properties"][name] = value
    return data


def fake_nws(
    mock: responses.RequestsMock,
    *,
    points: Any = None,
    stations: Any = None,
    observation: Any = None,
    hourly: Any = None,
) -> None:
    """Registers the four NWS answers on `mock`: the recorded ones unless given (a dict: its JSON;
    an int: that status with an NWS problem body; an exception: raised by the transport)."""
    for url, given, name in (
        (POINT_URL, points, "points"),
        (STATIONS_URL, stations, "stations"),
        (OBSERVATION_URL, observation, "observation_latest"),
        (HOURLY_URL, hourly, "forecast_hourly"),
    ):
        if isinstance(given, Exception):
            mock.get(url, body=given)
        elif isinstance(given, int):
            problem = {"title": "Unexpected Problem", "type": "https://api.weather.gov/problems/UnexpectedProblem", "status": given}
            mock.get(url, status=given, json=problem, content_type="application/problem+json")
        else:
            mock.get(url, json=copy.deepcopy(given) if given is not None else payload(name))
