"""The Google Geocoding client, faked at the HTTP boundary with `responses`: what it asks, what it
caches (answers, never errors), and Google's "try again" statuses tried again."""

import pickle
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from places.providers import google_geocoding
from places.providers.types import Geocoded
from violetvibes.providers.errors import ProviderError
from violetvibes.providers.session import shared_session

MAPS = "https://maps.geocode.test"
GEOCODE_URL = f"{MAPS}/maps/api/geocode/json"
KEY = "test-geocoding-key-do-not-leak"
ADDRESS = "1 Pierrepont Plaza, Brooklyn"
FOUND = {
    "status": "OK",
    "results": [
        {
            "formatted_address": "1 Pierrepont Plaza, Brooklyn, NY 11201, USA",
            "types": ["premise"],
            "geometry": {"location": {"lat": 40.6943, "lng": -73.9919}},
        }
    ],
}
HERE = Geocoded(lat=40.6943, lng=-73.9919, types=("premise",))


@pytest.fixture(autouse=True)
def google(settings) -> None:
    settings.GOOGLE_API_KEY = KEY
    settings.GOOGLE_MAPS_BASE_URL = MAPS
    settings.OUTBOUND_RETRIES = 1


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def test_an_address_is_asked_in_new_york_with_the_key_in_the_query(mocked):
    mocked.get(GEOCODE_URL, json=FOUND)

    assert google_geocoding.geocode(ADDRESS) == HERE

    params = parse_qs(urlsplit(mocked.calls[0].request.url).query)
    assert params == {"address": [ADDRESS], "components": ["administrative_area:NY|country:US"], "key": [KEY]}


def test_an_answer_is_cached_per_address_without_the_key(mocked, settings):
    mocked.get(GEOCODE_URL, json=FOUND)

    google_geocoding.geocode(ADDRESS)
    settings.GOOGLE_API_KEY = "rotated-key"
    assert google_geocoding.geocode(ADDRESS) == HERE
    google_geocoding.geocode("2 Pierrepont Plaza, Brooklyn")

    assert len(mocked.calls) == 2
    backend = shared_session(google_geocoding.CACHE_NAMESPACE, google_geocoding.CACHE_SECONDS).cache
    stored = backend.get_response(backend.create_key(mocked.calls[0].request))
    assert stored is not None and KEY not in pickle.dumps(stored).decode("latin-1")


def test_zero_results_is_an_answer_and_cached(mocked):
    mocked.get(GEOCODE_URL, json={"status": "ZERO_RESULTS", "results": []})

    assert google_geocoding.geocode(ADDRESS) is None
    assert google_geocoding.geocode(ADDRESS) is None
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("status", ["OVER_QUERY_LIMIT", "UNKNOWN_ERROR"])
def test_googles_try_again_statuses_are_tried_again(mocked, status, retry_waits):
    mocked.get(GEOCODE_URL, json={"status": status, "results": [], "error_message": "slow down"})
    mocked.get(GEOCODE_URL, json=FOUND)

    assert google_geocoding.geocode(ADDRESS) == HERE
    assert len(mocked.calls) == 2
    assert retry_waits == [0.0]


def test_a_try_again_status_that_lasts_fails_after_the_retries_and_is_not_cached(mocked):
    mocked.get(GEOCODE_URL, json={"status": "OVER_QUERY_LIMIT", "results": []})

    with pytest.raises(ProviderError) as caught:
        google_geocoding.geocode(ADDRESS)
    assert caught.value.retryable is True
    assert len(mocked.calls) == 2  # the call and OUTBOUND_RETRIES=1 retry

    mocked.replace(responses.GET, GEOCODE_URL, json=FOUND)
    assert google_geocoding.geocode(ADDRESS) == HERE


@pytest.mark.parametrize("status", ["REQUEST_DENIED", "OVER_DAILY_LIMIT", "INVALID_REQUEST"])
def test_other_error_statuses_fail_at_once_and_are_not_cached(mocked, status):
    """Google answers key and quota errors with HTTP 200; such an answer must not stick for 30 days."""
    mocked.get(GEOCODE_URL, json={"status": status, "results": [], "error_message": "nope"})
    mocked.get(GEOCODE_URL, json=FOUND)

    with pytest.raises(ProviderError) as caught:
        google_geocoding.geocode(ADDRESS)
    assert caught.value.retryable is False
    assert google_geocoding.geocode(ADDRESS) == HERE
    assert len(mocked.calls) == 2


def test_a_read_timeout_is_tried_again(mocked):
    mocked.get(GEOCODE_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.get(GEOCODE_URL, json=FOUND)

    assert google_geocoding.geocode(ADDRESS) == HERE
    assert len(mocked.calls) == 2


def test_a_server_error_is_left_to_the_transport(mocked):
    mocked.get(GEOCODE_URL, status=503, body="busy")

    with pytest.raises(ProviderError) as caught:
        google_geocoding.geocode(ADDRESS)
    assert caught.value.status == 503
    assert len(mocked.calls) == 2  # urllib3's call and its OUTBOUND_RETRIES=1 retry, none on top


@pytest.mark.parametrize(
    ("types", "area"),
    [
        (["neighborhood", "political"], True),
        (["political", "sublocality", "sublocality_level_1"], True),
        (["postal_code"], True),
        (["administrative_area_level_2", "political"], True),
        (["street_address"], False),
        (["establishment", "point_of_interest", "park"], False),
        ([], False),
    ],
)
def test_an_area_is_told_from_a_spot_by_its_types(mocked, types, area):
    mocked.get(GEOCODE_URL, json={"status": "OK", "results": [{"types": types, "geometry": {"location": {"lat": 40.69, "lng": -73.98}}}]})

    assert google_geocoding.geocode(ADDRESS).is_area is area


def test_no_key_or_a_blank_address_makes_no_call(mocked, settings):
    with pytest.raises(ProviderError):
        google_geocoding.geocode("   ")
    settings.GOOGLE_API_KEY = ""
    with pytest.raises(ProviderError):
        google_geocoding.geocode(ADDRESS)
    assert len(mocked.calls) == 0
