"""The photo proxy spends Google money for anonymous callers, so it serves only what the service
handed out: the signed photo URL of a card, at one of a few widths, each (reference, width) asked
of Google once while cached, and a bounded number of requests per address. Google is faked with
`responses`; every test counts the calls that reached it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from rest_framework.test import APIRequestFactory

from places import photos, selectors
from places.serializers import CardSerializer
from tests.contract import assert_error

GOOGLE = "https://places.test"
KEY = "test-google-key-photos"
REF = "places/ChIJphoto1/photos/AXCi2Q-9_z"
PATH = f"/api/places/photo/{REF}"
PHOTO_URI = "https://lh3.googleusercontent.com/place-photos/abc=s1600"
MEDIA = re.compile(rf"{re.escape(GOOGLE)}/v1/places/[A-Za-z0-9_-]+/photos/[A-Za-z0-9_-]+/media")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_ratelimit_window")]


@pytest.fixture
def google(settings):
    settings.GOOGLE_API_KEY = KEY
    settings.GOOGLE_PLACES_BASE_URL = GOOGLE
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, MEDIA, json={"photoUri": PHOTO_URI})
        yield mock


def card_photo_url(ref: str = REF) -> str:
    """The photo URL a card hands the apps for `ref`, as CardSerializer writes it."""
    request = APIRequestFactory().get("/api/quick_recs")
    return CardSerializer({"photo_url": selectors.photo_path(ref)}, context={"request": request}).data["photo_url"]


def fetch(client, url: str, **params: object):
    """GET a photo URL as the apps do, with any extra query parameters added to its own."""
    parts = urlsplit(url)
    return client.get(parts.path, {**parse_qs(parts.query), **params})


def widths_asked(google) -> list[int]:
    return [int(parse_qs(urlsplit(call.request.url).query)["maxWidthPx"][0]) for call in google.calls]


# --- Only the URLs the service issued ----------------------------------------------------------------
def test_a_cards_photo_url_is_signed_and_served(api, google):
    url = card_photo_url()

    parts = urlsplit(url)
    assert parts.path == PATH  # the path shape the apps already fetch
    assert parse_qs(parts.query)["sig"] == [photos.signature(REF)]
    response = fetch(api, url)
    assert response.status_code == 302
    assert response["Location"] == PHOTO_URI
    assert len(google.calls) == 1
    assert widths_asked(google) == [800]  # the apps never pass maxwidth


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/robot.jpg",  # an event's own image
        f"https://old.violetvibes.app{PATH}",  # saved by a release before photos were site-relative
        f"//evil.example{PATH}",
        "/api/v1/places/1/",
        "/not/a/route",
        f"{PATH}?sig=already",
    ],
)
def test_only_this_servers_unsigned_photo_path_is_signed(url):
    assert photos.signed(url) == url


def test_invented_references_are_404_without_calling_google(api, google):
    for n in range(10):
        assert_error(api.get(f"/api/places/photo/places/ChIJmadeup{n}/photos/ref{n}"), 404, "photo_not_found")

    assert len(google.calls) == 0


@pytest.mark.parametrize(
    "signature",
    [
        lambda: "",
        lambda: "not-a-signature",
        lambda: photos.signature("places/ChIJother/photos/AXCi2Q-9_z"),  # another reference's
        lambda: photos.signature(REF)[:-1],
        lambda: photos.signature(REF).swapcase(),
        lambda: f"{photos.signature(REF)}:x",
    ],
    ids=["empty", "garbage", "another_ref", "truncated", "case_changed", "suffixed"],
)
def test_a_badly_signed_reference_is_404_without_calling_google(api, google, signature):
    assert_error(api.get(PATH, {"sig": signature()}), 404, "photo_not_found")

    assert len(google.calls) == 0


def test_a_signature_made_with_another_secret_key_is_refused(api, google, settings):
    settings.SECRET_KEY = "another-deployment-secret-key-" + "q" * 30
    foreign = photos.signature(REF)
    settings.SECRET_KEY = "the-deployment-secret-key-" + "z" * 30

    assert_error(api.get(PATH, {"sig": foreign}), 404, "photo_not_found")
    assert len(google.calls) == 0


def test_urls_handed_out_before_a_secret_key_rotation_keep_working(api, google, settings):
    old_key = "the-old-secret-key-" + "o" * 40
    settings.SECRET_KEY = old_key
    handed_out = card_photo_url()
    settings.SECRET_KEY = "the-new-secret-key-" + "n" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert fetch(api, handed_out).status_code == 302
    assert len(google.calls) == 1


# --- A few widths, each asked once while cached ----------------------------------------------------------
@pytest.mark.parametrize(
    ("asked", "served"),
    [(16, 200), (200, 200), (201, 400), (400, 400), (640, 800), (800, 800), (801, 1600), (1600, 1600), (4800, 1600)],
)
def test_a_width_is_snapped_to_the_next_size_up_to_the_largest(api, google, asked, served):
    assert fetch(api, card_photo_url(), maxwidth=asked).status_code == 302

    assert widths_asked(google) == [served]


def test_thirty_widths_of_one_photo_cost_at_most_one_call_per_size(api, google):
    url = card_photo_url()
    for width in range(16, 4800, 160):  # 30 different widths
        assert fetch(api, url, maxwidth=width).status_code == 302

    assert len(google.calls) == len(photos.WIDTHS)
    assert sorted(widths_asked(google)) == list(photos.WIDTHS)

    # Everything again: all from the cache.
    for width in range(16, 4800, 160):
        assert fetch(api, url, maxwidth=width).status_code == 302
    assert len(google.calls) == len(photos.WIDTHS)


def test_each_photo_is_cached_apart(api, google):
    first, second = card_photo_url(), card_photo_url("places/ChIJphoto2/photos/B7")
    for _ in range(3):
        assert fetch(api, first).status_code == 302
        assert fetch(api, second).status_code == 302

    assert len(google.calls) == 2


# --- A budget per address -----------------------------------------------------------------------------
def test_photo_requests_are_limited_per_address(make_client, google, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "photos": "5/m"}
    url = card_photo_url()
    for _ in range(5):
        assert fetch(make_client(ip="10.5.0.1"), url).status_code == 302

    response = fetch(make_client(ip="10.5.0.1"), url)

    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"].isdigit()
    assert fetch(make_client(ip="10.5.0.2"), url).status_code == 302  # another address: its own budget


def test_unsigned_requests_spend_the_budget_too(make_client, google, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "photos": "5/m"}
    for n in range(5):
        assert make_client(ip="10.5.0.3").get(f"/api/places/photo/places/ChIJx{n}/photos/y").status_code == 404

    assert_error(fetch(make_client(ip="10.5.0.3"), card_photo_url()), 429, "rate_limited")
    assert len(google.calls) == 0


def test_the_photo_budget_is_its_own(settings):
    from places.views import PlacePhotoApi

    assert PlacePhotoApi.ratelimit_group == "photos"
    assert settings.RATELIMITS["photos"] == "60/m"
