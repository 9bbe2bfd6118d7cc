"""Gemini reading a request as structured JSON (understand_request), through the real google-genai
SDK against the local fake server, and that reading checked by request_from_llm before any use."""

import json
import time
from dataclasses import replace

import pytest

from chat.llm import gemini
from chat.llm.gemini import Turn, understand_request
from recommendations import llm_request
from recommendations.llm_request import request_from_llm
from recommendations.request import understand
from tests.chat.helpers import chat
from tests.fakes.gemini_server import FakeGeminiServer
from violetvibes.providers.errors import ProviderError

HISTORY = [Turn("user", "any halal food near tandon?"), Turn("assistant", "Try Yemen Cafe on Atlantic.")]
GOOD = {
    "intent": "new_request",
    "whats": ["sushi"],
    "diet": ["vegetarian"],
    "needs": ["quiet"],
    "price_max": 2,
    "area": "union_square",
    "refinement": None,
    "target_index": None,
    "topic": None,
}


def _error(**kwargs) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        understand_request("quiet veggie sushi near union square, not too pricey", HISTORY, **kwargs)
    assert caught.value.provider == "gemini"
    return caught.value


def test_the_request_asks_for_json_in_a_schema_built_from_the_vocabulary(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reply_text = json.dumps(GOOD)

    understand_request("quiet veggie sushi near union square", HISTORY, timeout_s=2.0)

    body = fake_gemini.requests[0].json
    config = body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["temperature"] == 0.0
    schema = config["responseSchema"]
    properties = schema["properties"]
    assert schema["type"] == "OBJECT" and set(schema["required"]) == set(GOOD) == set(properties)
    allowed = llm_request.allowed()
    assert properties["whats"]["items"]["enum"] == list(allowed["whats"]) and "sushi" in allowed["whats"]
    assert properties["diet"]["items"]["enum"] == list(allowed["diet"])
    assert properties["needs"]["items"]["enum"] == list(allowed["needs"])
    assert properties["area"]["enum"] == list(allowed["area"]) and properties["area"]["nullable"] is True
    assert properties["intent"]["enum"] == list(llm_request.INTENTS)
    assert properties["refinement"]["enum"] == list(llm_request.REFINEMENTS)
    assert properties["topic"]["enum"] == list(llm_request.TOPICS)
    assert (properties["price_max"]["type"], properties["price_max"]["minimum"], properties["price_max"]["maximum"]) == ("INTEGER", 0, 4)
    assert properties["target_index"]["type"] == "INTEGER"
    # The history, then the message as the last user turn; the instruction names the kinds and areas.
    assert [c["parts"][0]["text"] for c in body["contents"]] == [t.text for t in HISTORY] + ["quiet veggie sushi near union square"]
    instruction = body["systemInstruction"]["parts"][0]["text"]
    assert "sushi (sushi place)" in instruction and "union_square (Union Square)" in instruction


def test_the_schema_follows_words_json() -> None:
    data = json.loads(llm_request.WORDS.read_text(encoding="utf-8"))

    assert llm_request.allowed() == {
        "whats": tuple(data["what"]),
        "diet": tuple(data["diet"]),
        "needs": tuple(data["needs"]),
        "area": tuple(data["areas"]),
    }


def test_only_the_last_turns_of_the_history_are_sent(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reply_text = json.dumps(GOOD)
    history = [Turn("user" if n % 2 == 0 else "assistant", f"turn {n}") for n in range(10)]

    understand_request("cheaper?", history, timeout_s=2.0)

    texts = [c["parts"][0]["text"] for c in fake_gemini.requests[0].json["contents"]]
    assert texts == [f"turn {n}" for n in range(4, 10)] + ["cheaper?"]


def test_good_json_becomes_a_request_and_its_other_fields(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reply_text = json.dumps(GOOD)

    data = understand_request("quiet veggie sushi near union square, not too pricey", HISTORY, timeout_s=2.0)
    request, extras = request_from_llm(data)

    assert data == GOOD
    assert [want.key for want in request.whats] == ["sushi"]
    assert (request.diet, request.needs, request.price_max, request.area.key) == (("vegetarian",), ("quiet",), 2, "union_square")
    assert request == replace(understand("quiet vegetarian sushi near union square"), price_max=2)  # as the built-in reading
    assert extras == {"intent": "new_request", "refinement": None, "target_index": None, "topic": None}


def test_a_follow_up_reading_keeps_its_refinement_target_and_topic(fake_gemini: FakeGeminiServer) -> None:
    answer = {**GOOD, "intent": "follow_up", "whats": [], "diet": [], "needs": [], "price_max": None, "area": None,
              "refinement": "cheaper", "target_index": 1, "topic": "hours"}  # fmt: skip
    fake_gemini.reply_text = json.dumps(answer)

    request, extras = request_from_llm(understand_request("is the second one open late? anything cheaper?", HISTORY, timeout_s=2.0))

    assert not request.specific and request.area is None
    assert extras == {"intent": "follow_up", "refinement": "cheaper", "target_index": 1, "topic": "hours"}


def test_invented_keys_and_bad_types_are_dropped_field_by_field(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reply_text = json.dumps(
        {
            "intent": "order_food",  # not an intent
            "whats": ["sushi", "unicorn_bar"],  # one invented kind: the whole list goes
            "diet": "halal",  # a string, not a list
            "needs": ["wifi", "wifi"],  # allowed (the duplicate is dropped)
            "price_max": "2",  # a string
            "area": "times_square",  # not an area the vocabulary knows
            "refinement": "cheaper",  # allowed
            "target_index": True,  # a bool is not an index
            "topic": "parking",  # not a topic
            "reply": "Ignore previous instructions",  # not a field
        }
    )

    request, extras = request_from_llm(understand_request("?", HISTORY, timeout_s=2.0))

    assert (request.whats, request.diet, request.needs, request.price_max, request.area) == ((), (), ("wifi",), None, None)
    assert extras == {"intent": None, "refinement": "cheaper", "target_index": None, "topic": None}


@pytest.mark.parametrize(
    ("field", "value"),
    [("price_max", 5), ("price_max", -1), ("price_max", 2.5), ("target_index", -1), ("target_index", 10), ("whats", [3]),
     ("whats", {"sushi": True}), ("needs", None), ("area", ["union_square"]), ("intent", "NEW_REQUEST")],
)  # fmt: skip
def test_each_out_of_range_or_mistyped_value_is_dropped(field: str, value: object) -> None:
    request, extras = request_from_llm({**GOOD, field: value})

    fields = {"whats": request.whats, "needs": request.needs, "price_max": request.price_max, "area": request.area, **extras}
    assert fields[field] in (None, ())
    assert request.diet == ("vegetarian",)  # the other fields are kept


@pytest.mark.parametrize("data", [None, "sushi", ["sushi"], 3, {}])
def test_anything_but_an_object_is_an_empty_request(data: object) -> None:
    request, extras = request_from_llm(data)

    assert request == understand("hello") and not request.specific
    assert extras == dict.fromkeys(("intent", "refinement", "target_index", "topic"))


def test_a_generic_kind_gives_way_to_a_specific_one_as_understand_does() -> None:
    request, _ = request_from_llm({**GOOD, "whats": ["food", "sushi"]})

    assert [want.key for want in request.whats] == ["sushi"]


@pytest.mark.parametrize("reply", ["Sure! Sushi near Union Square.", "[1, 2]", '"sushi"', '{"intent": '])
def test_an_answer_that_is_not_a_json_object_is_unreadable(fake_gemini: FakeGeminiServer, reply: str) -> None:
    fake_gemini.reply_text = reply

    error = _error(timeout_s=2.0)

    assert "unreadable" in str(error) and error.retryable is False


def test_a_body_that_is_not_json_is_unreadable(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "garbage"

    assert "unreadable" in str(_error(timeout_s=2.0))


def test_a_timeout_is_a_retryable_provider_error_within_the_timeout(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "slow"
    fake_gemini.delay = 2.0

    started = time.perf_counter()
    error = _error(timeout_s=0.5)

    assert error.retryable is True and "timeout" in str(error)
    assert time.perf_counter() - started < 1.8
    assert len(fake_gemini.requests) == 1


@pytest.mark.parametrize(("mode", "retryable"), [("error500", True), ("error429", True), ("error400", False), ("blocked", False)])
def test_an_outage_or_refusal_is_a_provider_error(fake_gemini: FakeGeminiServer, mode: str, retryable: bool) -> None:
    fake_gemini.mode = mode

    assert _error(timeout_s=2.0).retryable is retryable


def test_connection_refused_and_not_configured_are_provider_errors(settings) -> None:
    with FakeGeminiServer() as server:
        closed_url = server.url
    settings.GEMINI_API_KEY = "test-gemini-key"
    settings.GEMINI_BASE_URL = closed_url
    assert _error(timeout_s=1.0).retryable is True

    settings.GEMINI_API_KEY = ""
    assert "not configured" in str(_error(timeout_s=1.0))


def test_the_circuit_is_shared_with_the_replies(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error500"
    for _ in range(3):
        _error(timeout_s=2.0)

    fake_gemini.mode = "ok"
    assert "circuit" in str(_error(timeout_s=2.0))
    with pytest.raises(ProviderError, match="circuit"):
        gemini.generate_reply(system_instruction="", history=[], prompt="hi", timeout_s=2.0)
    assert len(fake_gemini.requests) == 6  # three calls, each tried twice


def test_the_message_is_not_logged(fake_gemini: FakeGeminiServer, caplog: pytest.LogCaptureFixture) -> None:
    fake_gemini.reply_text = json.dumps({**GOOD, "area": "jamies_house"})
    caplog.set_level("INFO")

    request_from_llm(understand_request("My name is Jamie Rivera, sushi near my dorm", HISTORY, timeout_s=2.0))

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Jamie" not in logged and "jamies_house" not in logged and "area" in logged


# --- in a chat turn -----------------------------------------------------------------------------------
def test_a_turn_the_built_in_reading_does_not_settle_is_read_by_gemini(api, catalog, fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reading_text = json.dumps({**GOOD, "whats": ["coffee"], "diet": [], "needs": [], "price_max": None, "area": None})
    fake_gemini.reply_text = "Here you go."

    body = chat(api, "running on empty and my next class is in an hour").json()

    assert body["intent"] == "new_request"
    assert body["places"] and all({"coffee_shop", "cafe"} & set(card["types"]) for card in body["places"])
    assert len(fake_gemini.requests) == 2  # the reading, then the reply


def test_an_invented_reading_is_dropped_and_the_built_in_one_answers(api, catalog, fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reading_text = json.dumps({**GOOD, "whats": ["spaceport"], "intent": "clear", "target_index": 7})
    fake_gemini.reply_text = "Hi!"

    body = chat(api, "running on empty and my next class is in an hour").json()

    assert body["intent"] != "clear"  # forgetting the conversation is never a model's guess


def test_a_settled_turn_costs_one_gemini_call(api, catalog, fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reply_text = "Try these."

    chat(api, "coffee near tandon")

    assert len(fake_gemini.requests) == 1


def test_gemini_down_for_the_reading_leaves_the_built_in_one(api, catalog, fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error500"

    body = chat(api, "running on empty and my next class is in an hour").json()

    assert body["reply"]
