"""OWASP API7, server-side request forgery: the one endpoint that makes the server fetch something
named by the client is the photo proxy, and it only accepts Google photo resource names, always
asked of the configured Google host."""

import pytest
import responses

from places import photos
from tests.contract import assert_error
from tests.security.conftest import client

GOOGLE = "https://places.googleapis.com"
KEY = "sentinel-google-key-for-photos"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_ratelimits")]

HOSTILE_REFS = [
    "http://169.254.169.254/latest/meta-data/",
    "http:/169.254.169.254/latest",
    "//169.254.169.254/latest",
    "https://evil.example/places/x/photos/y",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "places/x/photos/y/../../z",
    "places%2Fx%2Fphotos%2Fy%2F..%2F..%2Fz",
    "places/x/photos/y/media",
    "places/x/photos/y@evil.example",
    "places/x/photos/y%23fragment",
    "places/x/photos/y%3Fkey%3Dstolen",
    "places/x/photos/y%0D%0AHost:%20evil.example",
    "places/x/photos/y%00",
    "places/../photos/y",
    "places/x/photos/",
    "places//photos/y",
    "places/x/photos/y/",
    "localhost:8000/admin",
    "file:///etc/passwd",
    "places/x/photos/" + "y" * 5000 + "/../z",
]


@pytest.fixture
def google(settings):
    settings.GOOGLE_API_KEY = KEY
    settings.GOOGLE_PLACES_BASE_URL = GOOGLE
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_a_photo_ref_that_is_not_a_google_resource_name_is_404_with_no_outbound_request(google):
    # Unsigned, and signed as written too: were a hostile reference ever signed, it is still refused.
    api = client()
    for ref in HOSTILE_REFS:
        for params in ({}, {"sig": photos.signature(ref)}):
            response = api.get(f"/api/places/photo/{ref}", params)

            assert response.status_code == 404, ref
            assert assert_error(response, 404)["code"] in ("photo_not_found", "not_found"), ref
            assert len(google.calls) == 0, ref  # and the autouse network guard saw no connection either


def test_a_valid_ref_is_only_ever_asked_of_the_configured_google_host_and_the_key_stays_server_side(google):
    google.add(responses.GET, f"{GOOGLE}/v1/places/ChIJabc123/photos/AXCi2Q-9_z/media", json={"photoUri": "https://lh3.googleusercontent.com/p/abc"})

    ref = "places/ChIJabc123/photos/AXCi2Q-9_z"
    response = client().get(f"/api/places/photo/{ref}", {"maxwidth": 400, "sig": photos.signature(ref)})

    assert response.status_code == 302
    assert response["Location"] == "https://lh3.googleusercontent.com/p/abc"
    (call,) = google.calls
    assert call.request.url.startswith(f"{GOOGLE}/v1/places/ChIJabc123/photos/AXCi2Q-9_z/media?")
    assert call.request.headers["X-Goog-Api-Key"] == KEY
    assert KEY not in response["Location"] and KEY not in call.request.url


@pytest.mark.parametrize("uri", ["http://169.254.169.254/latest", "javascript:alert(1)", "//evil.example/x", "", None])
def test_a_provider_answer_that_is_not_an_https_url_is_never_used_as_a_redirect(google, uri):
    google.add(responses.GET, f"{GOOGLE}/v1/places/ChIJabc123/photos/AXCi2Q/media", json={"photoUri": uri})

    ref = "places/ChIJabc123/photos/AXCi2Q"
    response = client().get(f"/api/places/photo/{ref}", {"sig": photos.signature(ref)})

    assert_error(response, 404, "photo_not_found")
    assert "Location" not in response
