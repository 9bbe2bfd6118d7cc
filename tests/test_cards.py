"""The card, from its builders to every response: built as a dict with a site-relative, unsigned
photo path (no host anywhere below the views), written by CardSerializer with the request in its
context, so the photo URL is signed and absolute for the host each request was made to. Nothing of
the dict is lost or changed in the writing but that."""

import json
from collections.abc import Iterable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from chat.models import Message
from events.models import Event
from events.selectors import event_card
from places import photos, scoring, selectors
from places.models import Place
from places.serializers import CardSerializer, PlaceDetailSerializer
from recommendations.views import PlaceCardSerializer
from tests.chat.helpers import chat
from tests.clock import WEEKDAY_AFTERNOON
from tests.contract import assert_contract
from tests.factories import ConversationFactory, EventFactory, MessageFactory

REF = "places/ChIJcard/photos/AXCi2Q-9_z"
PATH = f"/api/places/photo/{REF}"
SIGNED = f"{PATH}?sig={photos.signature(REF)}"  # as the apps receive it (places/photos.py)
HOSTS = ("api.violetvibes.app", "staging.violetvibes.test")
TANDON = selectors.default_origin()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weekday_afternoon(clock, settings) -> None:
    clock(WEEKDAY_AFTERNOON)
    settings.GOOGLE_API_KEY = ""
    settings.OPENWEATHER_KEY = ""
    settings.GEMINI_API_KEY = ""
    settings.ALLOWED_HOSTS = [*HOSTS, "testserver"]


@pytest.fixture
def catalog() -> None:
    """The catalog, every place with a photo (the catalog has none of its own)."""
    call_command("load_place_catalog", verbosity=0)
    Place.objects.update(photo_ref=REF)


def _json(value: object) -> object:
    """`value` as the API's JSON decodes it."""
    return json.loads(JSONRenderer().render(value))


def _card_photos(cards: Iterable[dict]) -> set[str | None]:
    return {card["photo_url"] for card in cards}


# --- Built without a host -------------------------------------------------------------------------------
def test_a_place_card_carries_the_site_relative_photo_path(catalog):
    place = Place.objects.filter(lat__isnull=False).first()
    card = selectors.place_card(place, origin=TANDON, walk=selectors.estimated_walk(place, TANDON), score=0.5, at=timezone.now())
    assert card["photo_url"] == PATH
    place.photo_ref = ""
    assert selectors.place_card(place, origin=TANDON, walk=None, score=0.5, at=timezone.now())["photo_url"] is None


def _builders(event: Event) -> list[tuple[str, dict, type]]:
    """(name, card, its serializer) for every kind of card the API returns."""
    place = Place.objects.filter(lat__isnull=False, is_active=True).order_by("pk").first()
    context = scoring.RankingContext(at=timezone.now())
    ranked = selectors.place_browse(
        origin=TANDON, context=context, radius_m=None, category=None, q=None, open_now=None, min_rating=None, ordering="score"
    )
    now = timezone.now()
    return [
        ("place", selectors.place_card(place, origin=TANDON, walk=selectors.estimated_walk(place, TANDON), score=0.25, at=now), CardSerializer),
        ("unlocated place", selectors.place_card(place, origin=TANDON, walk=None, score=0.0, at=now), CardSerializer),
        ("browse", selectors.browse_card(ranked[0], origin=TANDON, at=now), PlaceCardSerializer),
        ("detail", selectors.place_detail(place=place, origin=TANDON, context=context), PlaceDetailSerializer),
        ("event", event_card(event, origin=TANDON, now=now), CardSerializer),
    ]


@pytest.fixture
def event() -> Event:
    start = timezone.now() + timedelta(hours=2)
    return EventFactory(
        source=Event.Source.NYU_ENGAGE, external_id="card-1", name="Robotics Demo", start=start, end=start + timedelta(hours=2),
        venue="MakerSpace", address="6 MetroTech Center", lat=40.69443, lng=-73.98656, url="https://engage.nyu.edu/event/1",
        image_url="https://example.org/robot.jpg", is_free=True,
    )  # fmt: skip


def test_every_card_key_is_a_serializer_field_and_every_field_a_card_key(catalog, event):
    for name, card, serializer in _builders(event):
        assert list(card) == list(serializer().fields), name


def test_the_serializer_writes_each_card_exactly_as_its_json(catalog, event):
    """Same keys, same values, same JSON types (ints stay ints, null stays null, the same ISO
    text); without a request the photo path signed but site-relative."""
    for name, card, serializer in _builders(event):
        written = _json(serializer(card).data)
        expected = {**card, "photo_url": SIGNED if card["photo_url"] == PATH else card["photo_url"]}
        assert written == json.loads(json.dumps(expected, cls=DjangoJSONEncoder)), name
        for key, value in written.items():
            assert type(value) is type(json.loads(json.dumps(card[key], cls=DjangoJSONEncoder))), (name, key)


def test_a_card_with_a_key_missing_is_written_without_it():
    written = CardSerializer({"type": "place", "name": "Old Card", "photo_url": None, "location": None}).data
    assert written == {"type": "place", "name": "Old Card", "photo_url": None, "location": None}


def test_values_of_any_type_are_written_as_each_field_writes_them():
    """A value of the type its field writes unchanged skips the field's call (places/serializers.py,
    _same_type): any other type (an int rating, a float minute count, a tuple, a list holding a
    number) still goes through the field, as DRF writes it."""
    fields = CardSerializer().fields
    cards = [
        {"type": "place", "name": "A", "rating": 4.5, "walk_minutes": 7, "open_now": True, "tags": ["x", None], "score": 1.0},
        {"type": "event", "name": 5, "rating": 4, "walk_minutes": 7.0, "open_now": "yes", "tags": ("x", 3), "score": 2,
         "price_level": True, "cuisine": "ab", "distance_meters": "12"},
    ]  # fmt: skip
    for card in cards:
        expected = {key: None if value is None else fields[key].to_representation(value) for key, value in card.items()}
        written = CardSerializer(card).data
        assert written == expected
        assert {key: type(value) for key, value in written.items()} == {key: type(value) for key, value in expected.items()}
        assert [type(item) for item in written["tags"]] == [type(item) for item in expected["tags"]]


# --- Written for the request's host ---------------------------------------------------------------------
@pytest.mark.parametrize("host", HOSTS)
def test_quick_recs_photos_are_absolute_for_the_host_asked(api, catalog, host):
    response = api.get("/api/quick_recs", {"category": "quick_bites"}, HTTP_HOST=host)
    assert response.status_code == 200
    assert_contract("GET", "/api/quick_recs", response)
    assert _card_photos(response.json()["places"]) == {f"http://{host}{SIGNED}"}


def test_the_cached_quick_recs_follow_each_request_host_and_scheme(api, catalog):
    first = api.get("/api/quick_recs", {"category": "cozy_cafes"}, HTTP_HOST=HOSTS[0]).json()["places"]
    second = api.get("/api/quick_recs", {"category": "cozy_cafes"}, HTTP_HOST=HOSTS[1], secure=True).json()["places"]
    assert _card_photos(first) == {f"http://{HOSTS[0]}{SIGNED}"}
    assert _card_photos(second) == {f"https://{HOSTS[1]}{SIGNED}"}
    assert [card["place_id"] for card in first] == [card["place_id"] for card in second]  # one cached list


@pytest.mark.parametrize(
    ("path", "places"),
    [
        ("/api/top_recommendations", lambda body: body["places"]),
        ("/api/dashboard", lambda body: [card for cards in body["quick_recommendations"].values() for card in cards]),
        ("/api/v1/places/", lambda body: body["results"]),
    ],
)
def test_every_list_writes_photos_for_the_host_asked(auth_api, catalog, event, path, places):
    response = auth_api.get(path, HTTP_HOST=HOSTS[1])
    assert response.status_code == 200
    cards = places(response.json())
    assert _card_photos(card for card in cards if card["type"] == "place") == {f"http://{HOSTS[1]}{SIGNED}"}
    assert _card_photos(card for card in cards if card["type"] == "event") <= {"https://example.org/robot.jpg"}  # its own


@pytest.mark.parametrize(("host", "secure", "origin"), [
    (f"{HOSTS[0]}:6666", False, f"http://{HOSTS[0]}"),
    (f"{HOSTS[1]}:443", True, f"https://{HOSTS[1]}"),
    (f"{HOSTS[0].upper()}:80", False, f"http://{HOSTS[0]}"),
])  # fmt: skip
def test_a_port_the_deployment_does_not_serve_on_reaches_no_link(api, catalog, settings, host, secure, origin):
    """ALLOWED_HOSTS checks the name, not the port: whatever port a client writes in Host, the
    links are built for the host without it (production: DJANGO_ALLOWED_HOST_PORTS is empty)."""
    settings.ALLOWED_HOST_PORTS = []
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}

    recs = api.get("/api/quick_recs", {"category": "quick_bites"}, HTTP_HOST=host, secure=secure)
    browse = api.get("/api/v1/places/", HTTP_HOST=host, secure=secure)

    assert _card_photos(recs.json()["places"]) == {f"{origin}{SIGNED}"}
    assert _card_photos(browse.json()["results"]) == {f"{origin}{SIGNED}"}
    assert browse.json()["next"].startswith(f"{origin}/api/v1/places/?")


def test_a_port_the_deployment_names_is_kept_in_links(api, catalog, settings):
    settings.ALLOWED_HOST_PORTS = ["8443"]

    kept = api.get("/api/quick_recs", {"category": "quick_bites"}, HTTP_HOST=f"{HOSTS[0]}:8443").json()["places"]
    dropped = api.get("/api/quick_recs", {"category": "quick_bites"}, HTTP_HOST=f"{HOSTS[0]}:8444").json()["places"]

    assert _card_photos(kept) == {f"http://{HOSTS[0]}:8443{SIGNED}"}
    assert _card_photos(dropped) == {f"http://{HOSTS[0]}{SIGNED}"}


def test_in_development_any_port_is_kept(api, catalog):
    """`make run` serves on 8000 (PORT=9000 make run): the links must point there."""
    for port in ("8000", "9000"):
        places = api.get("/api/quick_recs", {"category": "quick_bites"}, HTTP_HOST=f"{HOSTS[0]}:{port}").json()["places"]
        assert _card_photos(places) == {f"http://{HOSTS[0]}:{port}{SIGNED}"}


def test_the_host_reaches_no_cache_key_nor_cached_value(api, catalog, monkeypatch):
    """Cards are cached with a site-relative photo path; only the response is written for a host."""
    from django.core.cache import cache

    written = []
    for name in ("set", "add", "set_many", "get_or_set"):
        real = getattr(cache, name)

        def spy(*args, _real=real, **kwargs):
            written.append(repr((args, kwargs)))
            return _real(*args, **kwargs)

        monkeypatch.setattr(cache, name, spy)
    host = f"{HOSTS[0]}:6666"
    api.get("/api/quick_recs", {"category": "quick_bites"}, HTTP_HOST=host)
    api.get("/api/v1/places/", HTTP_HOST=host)
    chat(APIClient(REMOTE_ADDR="10.9.8.6"), "where can I get a quick slice?", headers={"Host": host})

    assert written and not [entry for entry in written if "6666" in entry or HOSTS[0] in entry]


def test_a_place_detail_photo_is_absolute_for_the_host_asked(api, catalog):
    place = Place.objects.filter(is_active=True).first()
    response = api.get(f"/api/v1/places/{place.pk}/", HTTP_HOST=HOSTS[0])
    assert response.status_code == 200
    assert response.json()["photo_url"] == f"http://{HOSTS[0]}{SIGNED}"


def test_events_keep_their_own_absolute_image_whatever_the_host(api, event):
    for host in HOSTS:
        listed = api.get("/api/v1/events/", HTTP_HOST=host).json()["results"]
        detail = api.get(f"/api/v1/events/{event.pk}/", HTTP_HOST=host).json()
        assert [card["photo_url"] for card in listed] == [detail["photo_url"]] == ["https://example.org/robot.jpg"]


def test_an_event_card_with_a_site_relative_photo_is_made_absolute_too(api, event):
    """Any card's site-relative photo is this server's: events go through the same serializer."""
    from rest_framework.test import APIRequestFactory

    request = APIRequestFactory().get("/api/v1/events/", HTTP_HOST=HOSTS[0])
    card = {**event_card(event, origin=TANDON, now=timezone.now()), "photo_url": PATH}
    assert CardSerializer(card, context={"request": request}).data["photo_url"] == f"http://{HOSTS[0]}{SIGNED}"


def test_chat_photos_follow_the_host_of_each_turn(catalog):
    client = APIClient(REMOTE_ADDR="10.9.8.7")
    first = chat(client, "where can I get a quick slice?", headers={"Host": HOSTS[0]}).json()
    assert first["places"] and _card_photos(first["places"]) == {f"http://{HOSTS[0]}{SIGNED}"}
    # The follow-up answers with the remembered card (chat memory holds the path, not a host).
    again = chat(client, "is the first one open late?", headers={"Host": HOSTS[1]}, session_id=first["session_id"]).json()
    assert again["places"] and _card_photos(again["places"]) == {f"http://{HOSTS[1]}{SIGNED}"}


# --- Saved conversations ---------------------------------------------------------------------------------
def test_a_saved_message_keeps_the_path_and_is_read_back_for_the_host_asked(auth_api, user, catalog):
    answer = chat(auth_api, "where can I get a quick slice?", headers={"Host": HOSTS[0]}).json()
    saved = Message.objects.get(role=Message.Role.ASSISTANT)
    assert _card_photos(saved.cards) == {PATH}

    conversation = user.conversations.get()
    response = auth_api.get(f"/api/v1/chat/conversations/{conversation.pk}/", HTTP_HOST=HOSTS[1])
    assert response.status_code == 200
    cards = response.json()["messages"][1]["cards"]
    assert _card_photos(cards) == {f"http://{HOSTS[1]}{SIGNED}"}
    assert [{**card, "photo_url": None} for card in cards] == [{**card, "photo_url": None} for card in answer["places"]]


def test_a_message_saved_with_an_absolute_photo_comes_back_unchanged(auth_api, user):
    """A card saved before photos were site-relative (an absolute URL, and no hours fields yet) is
    read back exactly as it was saved."""
    old_card = {
        "type": "place", "source": "google", "place_id": "ChIJold", "name": "Old Slice", "description": None,
        "address": "1 Old St", "location": {"lat": 40.69, "lng": -73.98}, "walk_time": "4 min", "walk_minutes": 4,
        "distance": "0.2 mi", "distance_meters": 320, "maps_link": "https://www.google.com/maps/dir/?api=1",
        "photo_url": "https://old.violetvibes.app/api/places/photo/places/ChIJold/photos/A1", "rating": 4.5,
        "price_level": 1, "open_now": True, "score": 0.8125, "start": None, "end": None,
    }  # fmt: skip
    conversation = ConversationFactory(user=user, title="old")
    MessageFactory(conversation=conversation, role=Message.Role.ASSISTANT, text="Try Old Slice.", cards=[old_card])

    response = auth_api.get(f"/api/v1/chat/conversations/{conversation.pk}/", HTTP_HOST=HOSTS[0])

    assert response.status_code == 200
    assert response.json()["messages"][0]["cards"] == [old_card]
