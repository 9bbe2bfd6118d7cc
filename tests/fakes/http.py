"""A scripted local HTTP server standing in for any provider (the `fake_http` fixture).

`responses` replaces the transport adapter, so urllib3's retries and timeouts never run under
it. `fake_http` is a real HTTP server on 127.0.0.1 (allowed by the network guard) for the tests
that need the real transport: retries, timeouts, the circuit breaker.
"""

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeHTTP:
    """Answers each path with its scripted (status, body, delay) in turn, repeating the last.

    A body that is not str/bytes is sent as JSON. Unscripted paths answer 404.
    """

    url: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)
    _scripts: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, path: str, *answers: tuple[int, Any] | tuple[int, Any, float]) -> None:
        with self._lock:
            for answer in answers:
                status, body, delay = (*answer, 0.0) if len(answer) == 2 else answer
                self._scripts[path].append((status, body, delay))

    def calls(self, path: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    def _answer(self, request: RecordedRequest) -> tuple[int, Any, float]:
        with self._lock:
            self.requests.append(request)
            queue = self._scripts.get(request.path)
            if not queue:
                return 404, {"error": {"code": 404, "message": "not scripted"}}, 0.0
            return queue.popleft() if len(queue) > 1 else queue[0]


def _handler_for(fake: FakeHTTP) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request per connection: nothing pooled between tests

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers=dict(self.headers.items()),
                body=body,
            )
            status, payload, delay = fake._answer(request)
            if delay:
                time.sleep(delay)
            if isinstance(payload, str):
                payload = payload.encode()
            elif not isinstance(payload, bytes):
                payload = json.dumps(payload).encode()
            send(self, status, payload)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            return

    return Handler


def send(handler: BaseHTTPRequestHandler, status: int, payload: bytes, content_type: str = "application/json") -> None:
    """Writes one response; a client that already gave up (a timeout test) is not an error."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
    except OSError:
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # broken pipes after client timeouts are expected


@pytest.fixture
def fake_http(monkeypatch: pytest.MonkeyPatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeHTTP()
    server = QuietServer(("127.0.0.1", 0), _handler_for(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)
