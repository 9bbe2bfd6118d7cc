"""A local stand-in for the Gemini API, for tests that run the real `google-genai` SDK over HTTP.

Usage (the `fake_gemini` fixture in tests/chat/conftest.py does this and points the settings at it):

    server = FakeGeminiServer().start()
    server.mode = "ok"                 # how the next requests are answered, see MODES
    server.script("error500", "ok")    # or: the next requests one by one, then `mode` again
    server.reply_text = "Try Think Coffee on Mercer."
    ...                                # code under test, with GEMINI_BASE_URL = server.url
    server.requests[-1].json["contents"]   # what the SDK sent
    server.stop()

It answers POST `<any prefix>/models/<model>:generateContent` (the SDK uses `/v1beta/models/...`)
and records every request it receives, matching or not, in `server.requests`.
Other paths answer 404 in Google's error shape.
"""

import json
import re
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Any

from tests.fakes import http
from tests.fakes.http import QuietServer

MODES = (
    "ok",  # 200 with `reply_text` as the only candidate's text
    "slow",  # sleep `delay` seconds (longer than the client's timeout), then answer as "ok"
    "error400",  # 400 INVALID_ARGUMENT
    "error429",  # 429 RESOURCE_EXHAUSTED
    "error500",  # 500 INTERNAL
    "empty",  # 200, one candidate whose content has no parts (finishReason MAX_TOKENS)
    "no_candidates",  # 200 with an empty candidates list
    "blocked",  # 200, no candidates, promptFeedback.blockReason "SAFETY"
    "blocked_finish",  # 200, one candidate with finishReason "SAFETY" and no text
    "garbage",  # 200 whose body is not JSON
)

_GENERATE = re.compile(r"^(?:/[^/]+)*/models/(?P<model>[^/:]+):generateContent$")
_ERRORS = {
    "error400": (400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
    "error429": (429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
    "error500": (500, "INTERNAL", "An internal error has occurred."),
}
_USAGE = {"promptTokenCount": 12, "candidatesTokenCount": 7, "totalTokenCount": 19}


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received. `headers` keys are lower-case; `json` is None if the body is not JSON."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    json: Any

    @property
    def model(self) -> str | None:
        match = _GENERATE.match(self.path)
        return match["model"] if match else None

    @classmethod
    def of(cls, request: http.RecordedRequest) -> "RecordedRequest":
        """The shared fake server's record of a request, with lower-case headers and the JSON parsed."""
        try:
            parsed = json.loads(request.body) if request.body else None
        except ValueError:
            parsed = None
        headers = {name.lower(): value for name, value in request.headers.items()}
        return cls(request.method, request.path, request.query, headers, request.body, parsed)


class FakeGeminiServer:
    """Threaded HTTP server on 127.0.0.1 (ephemeral port) answering according to `mode`.

    Attributes the test sets: `mode` (one of MODES), `reply_text`, `delay` (seconds, for "slow"),
    `reading_text` (the answer to a request for JSON, as understand_request makes; `reply_text`
    when None).
    Attributes the test reads: `url` (http://127.0.0.1:<port>, no trailing slash), `requests`.
    """

    def __init__(self, *, reply_text: str = "Hi! I'm Violet.", delay: float = 2.0) -> None:
        self.reply_text = reply_text
        self.reading_text: str | None = None
        self.delay = delay
        self.requests: list[RecordedRequest] = []
        self._mode = "ok"
        self._script: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in MODES:
            raise ValueError(f"Unknown fake Gemini mode {value!r}; expected one of {MODES}")
        self._mode = value

    def script(self, *modes: str) -> None:
        """The next requests are answered in these modes, one each; then `mode` answers again."""
        for mode in modes:
            if mode not in MODES:
                raise ValueError(f"Unknown fake Gemini mode {mode!r}; expected one of {MODES}")
        with self._lock:
            self._script = list(modes)

    def start(self) -> "FakeGeminiServer":
        # The request handler of tests/fakes/http.py: it records, asks `_answer`, waits, sends.
        self._server = QuietServer(("127.0.0.1", 0), http._handler_for(self))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops accepting requests; a "slow" answer still sleeping is abandoned (daemon thread)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._server = self._thread = None

    def __enter__(self) -> "FakeGeminiServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- answering ------------------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> tuple[str, str]:
        with self._lock:
            self.requests.append(request)
            mode = self._script.pop(0) if self._script else self._mode
            wants_json = ((request.json or {}).get("generationConfig") or {}).get("responseMimeType") == "application/json"
            return mode, self.reading_text if wants_json and self.reading_text is not None else self.reply_text

    def _answer(self, received: http.RecordedRequest) -> tuple[int, bytes, float]:
        request = RecordedRequest.of(received)
        mode, reply_text = self._record(request)
        if request.method != "POST" or request.model is None:
            return (*_error(404, "NOT_FOUND", f"No fake for {request.method} {request.path}"), 0.0)
        if mode in _ERRORS:
            return (*_error(*_ERRORS[mode]), 0.0)
        if mode == "garbage":
            return 200, b"<html>upstream proxy error</html>", 0.0
        body: dict[str, Any] = {"usageMetadata": _USAGE, "modelVersion": request.model}
        if mode in ("ok", "slow"):
            body["candidates"] = [
                {
                    "content": {"role": "model", "parts": [{"text": reply_text}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ]
        elif mode == "empty":
            body["candidates"] = [{"content": {"role": "model"}, "finishReason": "MAX_TOKENS", "index": 0}]
        elif mode == "no_candidates":
            body["candidates"] = []
        elif mode == "blocked":
            body["promptFeedback"] = {"blockReason": "SAFETY"}
        elif mode == "blocked_finish":
            body["candidates"] = [{"finishReason": "SAFETY", "index": 0}]
        return 200, json.dumps(body).encode(), self.delay if mode == "slow" else 0.0


def _error(status: int, status_name: str, message: str) -> tuple[int, bytes]:
    return status, json.dumps({"error": {"code": status, "message": message, "status": status_name}}).encode()
