"""Violet's replies from Gemini, through the official `google-genai` SDK.

`generate_reply` makes one bounded call (one time limit, retries included: a lost connection, 429
and 5xx are tried again as every provider call is, violetvibes/providers/retry.py; the SDK's own
retries are off) and returns the reply text, or raises `ProviderError("gemini", ...)`: never an
SDK, httpx or pydantic exception. Callers catch `ProviderError` and fall back to a template reply. `understand_request` asks, the
same way, for a JSON reading of a request in the schema of `request_schema()` (structured output),
which recommendations.llm_request checks field by field before anything uses it.

What the SDK sends (google-genai 1.75): POST `{base_url}/v1beta/models/{model}:generateContent`
with the key in the `x-goog-api-key` header (never in the URL), plus `X-Server-Timeout`.

Privacy: prompts and history may hold personal data and the key is a secret, so neither is ever
logged; failures are logged at WARNING with the kind of failure only. SDK exceptions are not
chained onto `ProviderError` because their text can echo the response body.
"""

import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
from django.conf import settings
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from recommendations import llm_request
from recommendations.request import vocabulary
from violetvibes import state
from violetvibes.providers.breaker import CircuitBreaker
from violetvibes.providers.errors import CircuitOpen, ProviderError, ProviderTimeout
from violetvibes.providers.retry import answered_retryable, retried

logger = logging.getLogger(__name__)

PROVIDER = "gemini"
# finishReason values meaning the reply was withheld, not merely cut short.
_BLOCKED_FINISH_REASONS = frozenset({"SAFETY", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"})
_ROLES = {"user": "user", "assistant": "model", "model": "model"}

_client_lock = threading.Lock()
_client_entry: tuple[tuple[str, str | None], genai.Client] | None = None


@state.on_reset
def _forget_client() -> None:
    global _client_entry
    with _client_lock:
        _client_entry = None


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation: role "user" or "assistant"."""

    role: str
    text: str


def configured() -> bool:
    return bool(settings.GEMINI_API_KEY)


def _client(api_key: str, base_url: str | None) -> genai.Client:
    """One SDK client per (key, base URL), shared by every thread (its httpx client is thread-safe).

    Only the latest pair is kept: settings change only in tests or on a key rotation, and an
    unbounded cache would keep connection pools alive for keys no longer in use.
    """
    global _client_entry
    key = (api_key, base_url)
    with _client_lock:
        if _client_entry is None or _client_entry[0] != key:
            client = genai.Client(
                vertexai=False,  # ignore GOOGLE_GENAI_USE_VERTEXAI in the environment
                api_key=api_key,  # never GOOGLE_API_KEY or GEMINI_API_KEY from the environment
                http_options=types.HttpOptions(
                    base_url=base_url,
                    # No timeout here: every call sets its own (generate_reply).
                    # The SDK's retries are off: a call is tried again by the project's policy
                    # (violetvibes/providers/retry.py), within the call's own time limit.
                    retry_options=types.HttpRetryOptions(attempts=1),
                ),
            )
            _client_entry = (key, client)
        return _client_entry[1]


def _contents(history: Sequence[Turn], prompt: str) -> list[types.Content]:
    contents = []
    for turn in history:
        role = _ROLES.get(turn.role)
        if role is None:
            raise ValueError(f"Turn.role must be 'user' or 'assistant', not {turn.role!r}")
        if turn.text.strip():  # the API rejects empty parts
            contents.append(types.Content(role=role, parts=[types.Part(text=turn.text)]))
    contents.append(types.Content(role="user", parts=[types.Part(text=prompt)]))
    return contents


def _thinking_config(model: str) -> types.ThinkingConfig | None:
    """Turns thinking off on 2.5 Flash models, where it is on by default.

    Thinking tokens count against max_output_tokens, so with a few hundred tokens a thinking
    model can spend them all and return no text. 2.5 Pro (and newer models using thinking
    levels) reject a budget of 0, so they keep their default.
    """
    name = model.rsplit("/", 1)[-1]
    if name.startswith("gemini-2.5-flash"):
        return types.ThinkingConfig(thinking_budget=0)
    return None


def _enum_name(value: object) -> str:
    return str(getattr(value, "value", value) or "")


def _reply_text(response: types.GenerateContentResponse) -> str:
    feedback = response.prompt_feedback
    if feedback is not None and _enum_name(feedback.block_reason) not in ("", "BLOCKED_REASON_UNSPECIFIED"):
        raise _failure("blocked", retryable=False)
    if not response.candidates:
        raise _failure("empty reply", retryable=False, kind="no candidates")
    candidate = response.candidates[0]
    if _enum_name(candidate.finish_reason) in _BLOCKED_FINISH_REASONS:
        raise _failure("blocked", retryable=False)
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    # Our own join rather than `response.text`, which logs a warning about non-text parts.
    text = "".join(part.text for part in parts if part.text and not part.thought).strip()
    if not text:
        raise _failure(
            "empty reply", retryable=False, kind=f"empty reply ({_enum_name(candidate.finish_reason) or 'no reason'})"
        )
    return text


def _breaker() -> CircuitBreaker:
    """Gemini's circuit breaker, or CircuitOpen when it says not to ask."""
    breaker = CircuitBreaker(PROVIDER)
    if not breaker.allow():
        logger.warning("Gemini reply failed: circuit open")
        raise CircuitOpen(PROVIDER)
    return breaker


def _failure(message: str, *, retryable: bool, status: int | None = None, kind: str | None = None) -> ProviderError:
    logger.warning("Gemini reply failed: %s", kind or message)
    return ProviderError(PROVIDER, message, retryable=retryable, status=status)


def generate_reply(
    *,
    system_instruction: str,
    history: Sequence[Turn],
    prompt: str,
    temperature: float = 0.7,
    timeout_s: float = 8.0,
    max_output_tokens: int = 400,
) -> str:
    """Violet's next reply: `history` (oldest first) then `prompt` as the last user turn.

    One call of at most about `timeout_s`, its tries included (httpx applies what is left of it to
    connect, write and each read). Raises ProviderError("gemini", ...): "not configured", "timeout
    ...", "HTTP <status>" (retryable for 408/429/5xx, and tried again first), "blocked", "empty reply", "unreadable response", or
    "skipped while the circuit is open" (after repeated retryable failures, with no request).
    Raises ValueError for a Turn whose role is not "user"/"assistant".
    """
    if not configured():
        raise _failure("not configured", retryable=False)
    contents = _contents(history, prompt)
    breaker = _breaker()

    model = settings.GEMINI_MODEL
    config = types.GenerateContentConfig(
        system_instruction=system_instruction or None,
        temperature=temperature,
        max_output_tokens=max_output_tokens,
        thinking_config=_thinking_config(model),
    )
    return _reply_text(_generate(model=model, contents=contents, config=config, timeout_s=timeout_s, breaker=breaker))


class _Failed(ProviderError):
    """A failed try: `kind` is what the log says of it (never the prompt or an answer), `counts`
    whether the circuit breaker counts it (the provider misbehaved, rather than refused a request)."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None, kind: str | None = None, counts: bool | None = None) -> None:
        super().__init__(PROVIDER, message, retryable=retryable, status=status)
        self.kind = kind or message
        self.counts = retryable if counts is None else counts


class _TimedOut(ProviderTimeout):
    """No answer within the time left: never tried again (retry.answered_retryable)."""

    kind = "timeout"
    counts = True


def _generate(
    *, model: str, contents: list[types.Content], config: types.GenerateContentConfig, timeout_s: float, breaker: CircuitBreaker
) -> types.GenerateContentResponse:
    """One generateContent call of at most about `timeout_s`, its failures as ProviderError: tried
    again after a lost connection, 429 or 5xx while that time lasts (retry.retried; never after a
    timeout), and counted once on `breaker` however many tries it took."""
    client = _client(settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL or None)
    # No tools are passed; disabling AFC skips its loop and its INFO log line on every call.
    config = config.model_copy(update={"automatic_function_calling": types.AutomaticFunctionCallingConfig(disable=True)})
    deadline = time.monotonic() + timeout_s

    def attempt() -> types.GenerateContentResponse:
        return _generate_once(client, model=model, contents=contents, config=config, timeout_s=deadline - time.monotonic())

    try:
        response = retried(attempt, when=answered_retryable, budget_s=timeout_s)
    except (_Failed, _TimedOut) as exc:
        logger.warning("Gemini reply failed: %s", exc.kind)
        if exc.counts:
            breaker.record_failure()
        raise
    # The provider answered: it is healthy even when the answer is blocked or empty.
    breaker.record_success()
    return response


def _generate_once(
    client: genai.Client, *, model: str, contents: list[types.Content], config: types.GenerateContentConfig, timeout_s: float
) -> types.GenerateContentResponse:
    # Per try, so that one cached client serves calls with different time limits, and a retry gets
    # only what is left of its call's.
    http_options = types.HttpOptions(timeout=max(1, int(timeout_s * 1000)), retry_options=types.HttpRetryOptions(attempts=1))
    started = time.perf_counter()
    try:
        return client.models.generate_content(model=model, contents=contents, config=config.model_copy(update={"http_options": http_options}))
    except httpx.TimeoutException:
        raise _TimedOut(PROVIDER, f"timeout after {time.perf_counter() - started:.1f}s") from None
    except httpx.HTTPError as exc:  # connection refused/reset, protocol errors
        raise _Failed("connection failed", retryable=True, kind=f"transport {type(exc).__name__}") from None
    except genai_errors.APIError as exc:
        status = exc.code if isinstance(exc.code, int) else None
        retryable = status is not None and (status in (408, 429) or status >= 500)
        raise _Failed(f"HTTP {status}", retryable=retryable, status=status) from None
    except ValueError as exc:  # a body that is not JSON (JSONDecodeError) or not the expected shape (pydantic)
        raise _Failed(
            "unreadable response", retryable=False, kind=f"unreadable response ({type(exc).__name__})", counts=True
        ) from None
    except Exception as exc:  # noqa: BLE001 - e.g. httpx.InvalidURL for a bad GEMINI_BASE_URL; callers handle only ProviderError
        raise _Failed("unexpected error", retryable=False, kind=f"unexpected {type(exc).__name__}") from None


# --- Understanding a request (structured output) -------------------------------------------------------
UNDERSTAND_HISTORY_TURNS = 6  # the last few turns say what "cheaper?" or "the second one" is about
UNDERSTAND_MAX_OUTPUT_TOKENS = 300


def _keys_schema(keys: Sequence[str], *, nullable: bool = False, description: str) -> types.Schema:
    return types.Schema(type=types.Type.STRING, format="enum", enum=list(keys), nullable=nullable or None, description=description)


@cache
def request_schema() -> types.Schema:
    """The JSON object understand_request asks for; every allowed value comes from
    recommendations.llm_request (the vocabulary of words.json), which checks the answer again."""
    allowed = llm_request.allowed()

    def keys(field: str, what: str) -> types.Schema:
        return types.Schema(type=types.Type.ARRAY, items=_keys_schema(allowed[field], description=what), description=f"{what}; [] when none")

    properties = {
        "intent": _keys_schema(llm_request.INTENTS, description="what the message does in the conversation"),
        "whats": keys("whats", "kinds of place asked for"),
        "diet": keys("diet", "dietary needs asked for"),
        "needs": keys("needs", "features of the place asked for"),
        "price_max": types.Schema(
            type=types.Type.INTEGER, minimum=0, maximum=4, nullable=True, description="highest price level wanted, 0 free to 4 very expensive"
        ),
        "area": _keys_schema(allowed["area"], nullable=True, description="the neighbourhood or campus named, if one is"),
        "refinement": _keys_schema(llm_request.REFINEMENTS, nullable=True, description="how the places already shown should change"),
        "target_index": types.Schema(
            type=types.Type.INTEGER, minimum=0, maximum=llm_request.MAX_TARGET_INDEX, nullable=True,
            description="which place already shown the message is about, 0 for the first",
        ),
        "topic": _keys_schema(llm_request.TOPICS, nullable=True, description="what a follow-up asks about a place"),
    }
    return types.Schema(
        type=types.Type.OBJECT, properties=properties, required=list(properties), property_ordering=list(properties)
    )


@cache
def _understand_instruction() -> str:
    vocab = vocabulary()
    whats = ", ".join(f"{key} ({want.label})" for key, want in vocab.whats.items())
    areas = ", ".join(f"{key} ({area.label})" for key, area in vocab.areas.items())
    return (
        "You read what an NYU student asks Violet, a concierge for places around NYU's Manhattan and Brooklyn campuses, "
        "and answer only with the JSON object of the response schema. Use only the keys the schema allows; leave a "
        "field empty or null unless the student's words say it, never guess. "
        f"Kinds of place (whats): {whats}. Areas: {areas}. "
        "intent: new_request asks for places; more_options asks for more of the same list; follow_up asks about or "
        "refines places already shown; general_question is any other question; small_talk is greetings and thanks; "
        "clear asks to start over. target_index counts the places already shown from 0."
    )


def understand_request(message: str, history: Sequence[Turn], timeout_s: float = 3.0) -> dict[str, Any]:
    """Gemini's reading of `message` after `history` (oldest first; the last few turns are sent):
    the JSON object of request_schema(), as Gemini wrote it. Not checked: pass it to
    recommendations.llm_request.request_from_llm, which drops whatever is not allowed.

    One request of at most about `timeout_s`; raises ProviderError as generate_reply does, and
    "unreadable response" when the answer is not a JSON object.
    """
    if not configured():
        raise _failure("not configured", retryable=False)
    contents = _contents(list(history)[-UNDERSTAND_HISTORY_TURNS:], message)
    breaker = _breaker()
    model = settings.GEMINI_MODEL
    config = types.GenerateContentConfig(
        system_instruction=_understand_instruction(),
        temperature=0.0,
        max_output_tokens=UNDERSTAND_MAX_OUTPUT_TOKENS,
        thinking_config=_thinking_config(model),
        response_mime_type="application/json",
        response_schema=request_schema(),
    )
    text = _reply_text(_generate(model=model, contents=contents, config=config, timeout_s=timeout_s, breaker=breaker))
    try:
        data = json.loads(text)
    except ValueError:
        raise _failure("unreadable response", retryable=False, kind="understanding is not JSON") from None
    if not isinstance(data, dict):
        raise _failure("unreadable response", retryable=False, kind="understanding is not a JSON object")
    return data
