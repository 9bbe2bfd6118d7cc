"""What one chat turn asks of the shared cache: in production every call is a round trip to Redis,
and a turn is mostly waiting on them. A turn reads its memory and the version of the local places
together (one get_many), then reads the places at that version however often it needs them, and
writes its memory back: two calls (the rate limit's count is the throttle's, before the view).
A new anonymous conversation has no memory to read: it trusts the version this process read within
the last seconds (places/selectors.VERSION_TRUSTED_SECONDS) and only writes."""

from collections import Counter

import pytest
from django.core.cache import caches

from tests.chat.helpers import chat

SLICE = "where can I get a quick slice?"
CALLS = ("get", "get_many", "get_or_set", "set", "set_many", "add", "incr", "delete", "has_key")


@pytest.fixture
def cache_calls(monkeypatch):
    """Counts the calls a chat turn (services.chat_message_send) makes to the shared cache, by method:
    the calls made, not those a call makes of its own (local memory's get_many calls get)."""
    from chat import services

    counted: Counter = Counter()
    counting = [False]
    cache = caches["default"]
    for name in CALLS:
        method = getattr(cache, name)

        def spy(*args, _method=method, _name=name, **kwargs):
            if not counting[0]:  # outside the turn, or within a counted call (local memory's get_many gets)
                return _method(*args, **kwargs)
            counted[_name] += 1
            counting[0] = False
            try:
                return _method(*args, **kwargs)
            finally:
                counting[0] = True

        monkeypatch.setattr(cache, name, spy)
    send = services.chat_message_send

    def counted_send(**kwargs):
        counting[0] = True
        try:
            return send(**kwargs)
        finally:
            counting[0] = False

    monkeypatch.setattr(services, "chat_message_send", counted_send)
    return counted


@pytest.fixture
def monotonic(monkeypatch):
    """The monotonic clock the trusted version is timed by, moved by hand."""
    from places import selectors

    now = [1000.0]
    monkeypatch.setattr(selectors, "_clock", lambda: now[0])
    return now


def test_a_turn_reads_its_memory_and_the_places_version_in_one_call_and_writes_once(api, catalog, cache_calls):
    first = chat(api, SLICE).json()  # this process's first turn: nothing read before to trust
    assert cache_calls == {"get_many": 1, "set": 1}

    cache_calls.clear()
    chat(api, "is the first one open now?", headers={"X-Session-ID": first["session_id"]})
    assert cache_calls == {"get_many": 1, "set": 1}


def test_a_new_version_of_the_local_places_is_read_by_the_next_turn(api, catalog, cache_calls):
    from places.models import Place

    chat(api, SLICE)
    place = Place.objects.filter(name__icontains="pizza", is_active=True).first()
    place.is_active = False
    place.save()  # staff retire a place: a new version

    names = [card["name"] for card in chat(api, f"is {place.name} open?").json()["places"]]
    assert place.name not in names


def test_an_id_is_signed_as_salted_hmac_signs_it_under_each_key(settings):
    """Ids issued before the signing key was set up once per secret still verify, and new ones
    follow a key rotation (SECRET_KEY_FALLBACKS)."""
    from django.utils.crypto import salted_hmac

    from chat.sessions import SALT, session_id_is_issued, session_id_issue, session_id_sign

    def by_django(nonce: str, secret: str) -> str:
        return nonce + salted_hmac(SALT, nonce, secret=secret, algorithm="sha256").hexdigest()[:32]

    assert session_id_sign("a" * 32) == by_django("a" * 32, settings.SECRET_KEY)
    old = session_id_issue()
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a new key " * 5, [settings.SECRET_KEY]
    assert session_id_is_issued(old)
    assert session_id_sign("b" * 32) == by_django("b" * 32, settings.SECRET_KEY)
    settings.SECRET_KEY_FALLBACKS = []
    assert not session_id_is_issued(old)


def test_a_new_anonymous_conversation_trusts_the_version_read_just_before_and_only_writes(api, catalog, cache_calls, monotonic):
    chat(api, SLICE)
    api.cookies.clear()  # a new conversation
    cache_calls.clear()
    monotonic[0] += 1

    answer = chat(api, SLICE).json()
    assert cache_calls == {"set": 1}
    assert answer["places"]

    cache_calls.clear()  # its follow-up reads its memory (and the version with it)
    follow_up = chat(api, "is the first one open now?", headers={"X-Session-ID": answer["session_id"]}).json()
    assert cache_calls == {"get_many": 1, "set": 1}
    assert follow_up["places"][0]["name"] == answer["places"][0]["name"]


@pytest.mark.parametrize("where", ["another worker", "this process"])
def test_an_edit_reaches_the_next_new_conversation(api, catalog, cache_calls, monotonic, where):
    """Another worker's edit once the trusted seconds have passed; one made in this process at once."""
    from django.core.cache import cache

    from places.models import Place
    from places.selectors import LOCAL_VERSION_KEY, VERSION_TRUSTED_SECONDS

    chat(api, SLICE)
    place = Place.objects.filter(name__icontains="pizza", is_active=True).first()
    if where == "this process":
        place.is_active = False
        place.save()  # staff retire a place here: a new version, read again by this process's next turn
    else:
        Place.objects.filter(pk=place.pk).update(is_active=False)  # no signal: as another worker's edit...
        cache.set(LOCAL_VERSION_KEY, "another worker's version", None)  # ...which it announces
        monotonic[0] += VERSION_TRUSTED_SECONDS + 0.1

    api.cookies.clear()
    cache_calls.clear()
    names = [card["name"] for card in chat(api, f"is {place.name} open?").json()["places"]]
    assert cache_calls == {"get_many": 1, "set": 1}
    assert place.name not in names


def test_a_signed_in_turn_always_reads_its_memory(auth_api, catalog, cache_calls, monotonic):
    chat(auth_api, SLICE)
    cache_calls.clear()
    chat(auth_api, SLICE)
    assert cache_calls["get_many"] == 1 and cache_calls["set"] == 1


def test_clearing_then_asking_trusts_the_version_read_just_before(api, catalog, cache_calls, monotonic):
    first = chat(api, SLICE).json()
    cache_calls.clear()
    chat(api, SLICE, clear_session=True, headers={"X-Session-ID": first["session_id"]})
    assert cache_calls == {"set": 1}  # the memory was cleared (a delete, before the turn): nothing to read
