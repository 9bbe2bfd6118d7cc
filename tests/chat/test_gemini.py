"""The Gemini reply client, run through the real google-genai SDK against a local fake server.

No database: the circuit breaker lives in the Django cache, which tests/conftest.py clears.
"""

import logging
import time
import warnings

import pytest

from chat.llm import gemini
from chat.llm.gemini import Turn, generate_reply
from tests.fakes.gemini_server import FakeGeminiServer
from violetvibes.providers.errors import ProviderError
from violetvibes.state import reset_process_state

SYSTEM = "You are Violet, a friendly concierge for NYU students."
HISTORY = (
    Turn("user", "any good coffee near WSP?"),
    Turn("assistant", "Think Coffee on Mercer is close."),
    Turn("user", "something quieter?"),
)
PROMPT = "My name is Jamie Rivera, somewhere to study until 11pm?"


def _reply(**overrides: object) -> str:
    kwargs: dict = {"system_instruction": SYSTEM, "history": HISTORY, "prompt": PROMPT, "timeout_s": 2.0}
    kwargs.update(overrides)
    return generate_reply(**kwargs)


def _error(**overrides: object) -> ProviderError:
    with pytest.raises(ProviderError) as caught:
        _reply(**overrides)
    assert caught.value.provider == "gemini"
    return caught.value


# --- success ----------------------------------------------------------------------------------------


def test_success_returns_the_stripped_reply_text(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.reply_text = "  Bobst is open late, 2nd floor is quiet.\n"

    assert _reply() == "Bobst is open late, 2nd floor is quiet."
    assert len(fake_gemini.requests) == 1


def test_request_carries_instruction_history_in_order_and_prompt_last(fake_gemini: FakeGeminiServer) -> None:
    _reply(temperature=0.3, max_output_tokens=256)

    body = fake_gemini.requests[0].json
    assert body["systemInstruction"]["parts"] == [{"text": SYSTEM}]
    assert [(c["role"], c["parts"]) for c in body["contents"]] == [
        ("user", [{"text": "any good coffee near WSP?"}]),
        ("model", [{"text": "Think Coffee on Mercer is close."}]),
        ("user", [{"text": "something quieter?"}]),
        ("user", [{"text": PROMPT}]),
    ]
    assert body["generationConfig"]["temperature"] == 0.3
    assert body["generationConfig"]["maxOutputTokens"] == 256


def test_blank_history_turns_are_left_out(fake_gemini: FakeGeminiServer) -> None:
    _reply(history=[Turn("user", "hi"), Turn("assistant", "   ")])

    assert [c["parts"][0]["text"] for c in fake_gemini.requests[0].json["contents"]] == ["hi", PROMPT]


def test_request_goes_to_the_configured_model_with_the_key_in_a_header(fake_gemini: FakeGeminiServer, settings) -> None:
    settings.GEMINI_MODEL = "gemini-2.5-flash-lite"
    _reply()

    request = fake_gemini.requests[0]
    assert request.method == "POST"
    assert request.path == "/v1beta/models/gemini-2.5-flash-lite:generateContent"
    assert request.headers["x-goog-api-key"] == "test-gemini-key"
    assert request.query == {}
    assert "test-gemini-key" not in request.path


def test_thinking_is_turned_off_on_flash_models_only(fake_gemini: FakeGeminiServer, settings) -> None:
    settings.GEMINI_MODEL = "gemini-2.5-flash"
    _reply()
    settings.GEMINI_MODEL = "gemini-2.5-pro"
    _reply()

    flash, pro = (r.json["generationConfig"] for r in fake_gemini.requests)
    # google-genai 1.75 copies ThinkingConfig as-is, so its field arrives snake_case; the API's proto3
    # JSON parser accepts both spellings.
    thinking = flash["thinkingConfig"]
    assert thinking.get("thinkingBudget", thinking.get("thinking_budget")) == 0
    assert "thinkingConfig" not in pro


def test_client_is_created_once_per_key_and_base_url(fake_gemini: FakeGeminiServer, settings) -> None:
    _reply()
    first = gemini._client_entry[1]
    _reply(timeout_s=1.0)
    assert gemini._client_entry[1] is first

    settings.GEMINI_API_KEY = "another-key"
    _reply()
    assert gemini._client_entry[1] is not first
    assert fake_gemini.requests[-1].headers["x-goog-api-key"] == "another-key"


def test_the_sdk_uses_the_gemini_key_of_the_settings_and_says_nothing_of_the_environments(
    fake_gemini: FakeGeminiServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Production sets both: GOOGLE_API_KEY is the Places/Routes key, which the SDK would prefer.
    monkeypatch.setenv("GOOGLE_API_KEY", "google-places-key-from-the-environment")
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key-from-the-environment")
    reset_process_state()  # a client made in this test, with these variables
    caplog.set_level(logging.DEBUG)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _reply()

    assert fake_gemini.requests[-1].headers["x-goog-api-key"] == "test-gemini-key"
    assert [record.getMessage() for record in caplog.records if "API_KEY" in record.getMessage()] == []


# --- failures ---------------------------------------------------------------------------------------


def test_timeout_raises_retryable_error_within_the_timeout(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "slow"
    fake_gemini.delay = 2.0

    started = time.perf_counter()
    error = _error(timeout_s=0.5)
    elapsed = time.perf_counter() - started

    assert error.retryable is True
    assert "timeout" in str(error)
    assert elapsed < 1.8
    assert len(fake_gemini.requests) == 1  # no SDK retry


@pytest.mark.parametrize(("mode", "status"), [("error500", 500), ("error429", 429)])
def test_server_error_and_rate_limit_are_tried_again_as_the_transport_would(
    fake_gemini: FakeGeminiServer, mode: str, status: int, settings, retry_waits: list[float]
) -> None:
    fake_gemini.mode = mode

    error = _error()

    assert error.retryable is True
    assert error.status == status
    assert len(fake_gemini.requests) == settings.OUTBOUND_RETRIES + 1 == 2
    assert retry_waits == [0.0]  # urllib3's first retry: at once


def test_a_server_error_then_an_answer_is_a_reply(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.script("error500")
    fake_gemini.reply_text = "Try Think Coffee on Mercer."

    assert _reply() == "Try Think Coffee on Mercer."
    assert len(fake_gemini.requests) == 2


def test_a_lost_connection_is_tried_again(fake_gemini: FakeGeminiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    real = gemini._generate_once
    tries = []

    def flaky(client, **kwargs):
        tries.append(kwargs["timeout_s"])
        if len(tries) == 1:
            raise gemini._Failed("connection failed", retryable=True, kind="transport ConnectError")
        return real(client, **kwargs)

    monkeypatch.setattr(gemini, "_generate_once", flaky)

    assert _reply(timeout_s=2.0) == fake_gemini.reply_text
    assert len(tries) == 2 and tries[1] < tries[0] <= 2.0  # the retry gets what is left of the call's time


def test_a_retry_is_not_started_without_a_second_left_of_the_time_limit(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error500"

    error = _error(timeout_s=1.0)

    assert error.status == 500
    assert len(fake_gemini.requests) == 1


def test_client_error_is_not_retryable(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error400"

    error = _error()

    assert error.retryable is False
    assert error.status == 400


def test_connection_refused_is_retryable(settings) -> None:
    with FakeGeminiServer() as server:
        closed_url = server.url
    settings.GEMINI_API_KEY = "test-gemini-key"
    settings.GEMINI_BASE_URL = closed_url

    assert _error().retryable is True


@pytest.mark.parametrize("mode", ["empty", "no_candidates"])
def test_reply_without_text_raises_empty_reply(fake_gemini: FakeGeminiServer, mode: str) -> None:
    fake_gemini.mode = mode

    error = _error()

    assert str(error) == "gemini: empty reply"
    assert error.retryable is False


@pytest.mark.parametrize("mode", ["blocked", "blocked_finish"])
def test_blocked_prompt_or_reply_raises_blocked(fake_gemini: FakeGeminiServer, mode: str) -> None:
    fake_gemini.mode = mode

    error = _error()

    assert str(error) == "gemini: blocked"
    assert error.retryable is False


def test_non_json_answer_raises_provider_error(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "garbage"

    error = _error()

    assert error.retryable is False
    assert "unreadable" in str(error)


def test_not_configured_raises_without_any_request(fake_gemini: FakeGeminiServer, settings) -> None:
    settings.GEMINI_API_KEY = ""

    assert gemini.configured() is False
    error = _error()

    assert "not configured" in str(error)
    assert error.retryable is False
    assert fake_gemini.requests == []


def test_unknown_turn_role_is_a_programming_error(fake_gemini: FakeGeminiServer) -> None:
    with pytest.raises(ValueError, match="role"):
        _reply(history=[Turn("system", "be nice")])
    assert fake_gemini.requests == []


# --- circuit breaker --------------------------------------------------------------------------------


def test_after_three_retryable_failures_the_next_call_makes_no_request(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error500"
    for _ in range(3):
        _error()
    assert len(fake_gemini.requests) == 6  # each call tried twice, and counted once

    fake_gemini.mode = "ok"
    error = _error()

    assert "circuit" in str(error)
    assert error.retryable is True
    assert len(fake_gemini.requests) == 6


def test_a_call_counts_once_on_the_breaker_however_many_tries_it_took(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error500"
    for _ in range(2):
        _error()

    fake_gemini.mode = "ok"
    assert _reply() == fake_gemini.reply_text  # two failures on record: the circuit is still closed


def test_non_retryable_failures_do_not_open_the_circuit(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error400"
    for _ in range(3):
        _error()

    fake_gemini.mode = "ok"
    assert _reply() == fake_gemini.reply_text
    assert len(fake_gemini.requests) == 4


def test_a_success_resets_the_failure_count(fake_gemini: FakeGeminiServer) -> None:
    fake_gemini.mode = "error429"
    _error()
    _error()
    fake_gemini.mode = "ok"
    _reply()
    fake_gemini.mode = "error429"
    _error()
    _error()

    fake_gemini.mode = "ok"
    assert _reply() == fake_gemini.reply_text
    assert len(fake_gemini.requests) == 10


# --- privacy ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["ok", "error400", "error500", "garbage", "blocked"])
def test_neither_prompt_nor_key_is_logged_at_info_or_above(
    fake_gemini: FakeGeminiServer, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    fake_gemini.mode = mode
    caplog.set_level(logging.INFO)

    try:
        _reply()
    except ProviderError as exc:
        assert PROMPT not in str(exc)
        assert exc.__cause__ is None

    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.INFO)
    assert "Jamie" not in logged
    assert "test-gemini-key" not in logged
    if mode != "ok":
        assert [r.levelname for r in caplog.records if r.name == "chat.llm.gemini"] == ["WARNING"]
