"""Where one request spends its time: N requests in-process under the bench settings, timed,
then profiled with cProfile.

    .venv/bin/python bench/profile_request.py GET /api/user/me [--n 300] [--sort tottime]
    .venv/bin/python bench/profile_request.py POST /api/chat --body '{"message": "coffee?"}'
    .venv/bin/python bench/profile_request.py POST /api/chat --anonymous --timer cpu \
        --body '{"message": "where can I get a quick bite near campus?"}'

A signed-in student's requests by default (each chat turn a follow-up of the last); --anonymous
sends each request as a new anonymous visitor (no token, cookies cleared: a new conversation each
time), as the chat benchmarks do. --then sends a second message after each --body, so the second
turn of a conversation is what is timed and profiled ("is it open now?" after a list).
--direct calls the WSGI application as gunicorn does, without the test client's own work (its
signals, request building and response checks were a third of /me's CPU); --batches repeats the
timing and reports the least CPU of them, the figure other load on the machine moves least.

Uses the same environment as bench/stack (Postgres and Redis databases, secrets); the stack
need not be running, but its database must exist (run `bench/stack start` once).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

# Run as a script, bench/ comes first on sys.path, and bench/accounts.py would shadow the app.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/violetvibes_bench",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "DJANGO_SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "JWT_SECRET": "bench-jwt-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "FIELD_ENCRYPTION_KEY": "YmVuY2gtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=",
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
    "RATELIMIT_DEFAULT": "1000000/m",
    "RATELIMIT_ENABLE": "false",
    "NWS_ENABLED": "false",  # no provider, as bench/stack without PROVIDERS=fake: nothing leaves the machine
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("method", choices=["GET", "POST"])
    parser.add_argument("path")
    parser.add_argument("--body", default="{}")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=30, help="rows of the profile to print; 0: no profile")
    parser.add_argument("--batches", type=int, default=1, help="timed batches of N; the least CPU of them is reported")
    # wall: where the request waits too (Redis, Postgres); cpu: this process's own work only, which
    # hardly moves with what else the machine is doing.
    parser.add_argument("--timer", choices=["wall", "cpu"], default="wall")
    parser.add_argument("--direct", action="store_true", help="the WSGI application called as gunicorn calls it")
    parser.add_argument("--anonymous", action="store_true", help="no token, and a new conversation (cookies cleared) each time")
    parser.add_argument("--then", help="a second body (JSON) sent after --body in the same conversation: the one measured")
    args = parser.parse_args()
    if args.direct and args.then:
        parser.error("--then needs the test client (it keeps the conversation's cookie); drop --direct")
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)

    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from accounts.tokens import token_pair_for

    headers = {}
    if not args.anonymous:
        user = User.objects.filter(email__startswith="bench-").order_by("-id").first() or User.objects.create_user(
            f"bench-{uuid.uuid4().hex[:8]}@nyu.edu", "bench-purple-42"
        )
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_pair_for(user)['token']}"
    client = Client(**headers)  # one client: a new one per call would load the middleware again each time
    body, then = json.loads(args.body), json.loads(args.then) if args.then else None
    send = _wsgi_sender(args.method, args.path, headers) if args.direct else None

    def send_with_client(data: dict) -> int:
        if args.method == "GET":
            return client.get(args.path).status_code
        return client.post(args.path, data, content_type="application/json").status_code

    send = send or send_with_client

    def setup() -> None:
        """Untimed: a new conversation (anonymous), and the first turn when --then is measured."""
        if args.anonymous:
            client.cookies.clear()
        if then is not None:
            send(body)

    def call() -> int:
        return send(then if then is not None else body)

    for _ in range(20):
        setup()
        status = call()
    # Only the measured request is timed (thread_time is this thread's CPU, so it can be paused).
    # The median and the least as well as the mean: other work on the machine slows requests down
    # (shared caches and cores), and the least is the figure it moves least.
    batch_cpus = []
    for _ in range(args.batches):
        walls, cpus = [], []
        for _ in range(args.n):
            setup()
            started, cpu_started = time.perf_counter(), time.thread_time()
            call()
            walls.append(time.perf_counter() - started)
            cpus.append(time.thread_time() - cpu_started)
        batch_cpus.append(statistics.mean(cpus))
        print(
            f"{args.method} {args.path} -> {status}: {statistics.mean(walls) * 1000:.2f} ms/request, "
            f"{statistics.mean(cpus) * 1000:.3f} ms of CPU (median {statistics.median(cpus) * 1000:.3f}, least {min(cpus) * 1000:.3f})"
        )
    if args.batches > 1:
        print(f"least CPU of {args.batches} batches: {min(batch_cpus) * 1000:.3f} ms/request")
    if not args.lines:
        return
    profile = cProfile.Profile(time.thread_time) if args.timer == "cpu" else cProfile.Profile()
    for _ in range(args.n):
        setup()
        profile.enable()
        call()
        profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


def _wsgi_sender(method: str, path_and_query: str, headers: dict[str, str]):
    """A function sending one request straight to the WSGI application, as gunicorn does."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    path, _, query = path_and_query.partition("?")
    statuses: list[str] = []

    def start_response(status: str, response_headers: list, exc_info: object = None) -> None:
        statuses.append(status)

    def send(data: dict) -> int:
        raw_body = json.dumps(data).encode() if method == "POST" else b""
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw_body)),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(raw_body),
            **headers,
        }
        result = application(environ, start_response)
        b"".join(result)
        getattr(result, "close", lambda: None)()
        return int(statuses.pop().split()[0])

    return send


if __name__ == "__main__":
    main()
