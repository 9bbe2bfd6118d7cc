"""Posting to /api/chat the way the apps do, with every answer checked against their decoders."""

from typing import Any

from rest_framework.test import APIClient

from chat.sessions import session_id_sign
from places import geo
from tests.contract import assert_contract

CHAT = "/api/chat"
CLEARED = {"status": "session_cleared"}
ANSWER_KEYS = {"reply", "places", "vibe", "debug_vibe", "intent", "weather", "session_id", "latency"}


def issued(name: str) -> str:
    """The conversation id the service would issue for `name`: only issued ids are honoured, and a
    test names its conversation with this (an id of its own making would start a new one)."""
    return session_id_sign(name)


def chat(client: APIClient, message: str | None = None, *, status: int = 200, headers: dict[str, str] | None = None, **body: Any):
    """POSTs {message, **body} with `headers`; asserts the status and the apps' contract."""
    payload = dict(body)
    if message is not None:
        payload["message"] = message
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()}
    response = client.post(CHAT, payload, format="json", **extra)
    assert response.status_code == status, response.content[:1000]
    assert_contract("POST", CHAT, response)
    if response.status_code == 200 and response.json() == CLEARED:
        return response
    if status == 200:
        answer_shape_check(response.json())
    return response


def answer_shape_check(body: dict[str, Any]) -> None:
    assert set(body) == ANSWER_KEYS, body.keys()
    assert isinstance(body["reply"], str) and body["reply"].strip()
    assert isinstance(body["places"], list) and len(body["places"]) <= 3
    assert all(isinstance(card, dict) and card["name"] for card in body["places"])
    assert isinstance(body["vibe"], str) and body["vibe"]
    assert body["debug_vibe"] == body["vibe"]
    assert isinstance(body["intent"], str) and body["intent"]
    assert body["weather"] is None or isinstance(body["weather"], dict)
    assert isinstance(body["session_id"], str) and body["session_id"]
    assert isinstance(body["latency"], (int, float)) and not isinstance(body["latency"], bool) and body["latency"] >= 0


def names(body: dict[str, Any]) -> list[str]:
    return [card["name"] for card in body["places"]]


def ids(body: dict[str, Any]) -> list[str]:
    return [card["place_id"] for card in body["places"]]


def within(card: dict[str, Any], lat: float, lng: float, meters: float) -> bool:
    """Whether a card's place lies within `meters` (straight line) of (lat, lng)."""
    where = card["location"]
    return geo.haversine_m(geo.Point(lat, lng), geo.Point(where["lat"], where["lng"])) <= meters

