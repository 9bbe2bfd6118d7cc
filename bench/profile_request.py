"""Where one request spends its time: N requests in-process under the bench settings, timed,
then profiled with cProfile.

    .venv/bin/python bench/profile_request.py GET /api/user/me [--n 300] [--sort tottime]
    .venv/bin/python bench/profile_request.py POST /api/chat --body '{"message": "coffee?"}'

Uses the same environment as bench/stack (Postgres and Redis databases, secrets); the stack
need not be running, but its database must exist (run `bench/stack start` once).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
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
    parser.add_argument("--lines", type=int, default=30, help="profile lines shown; 0: no profile")
    # On a shared machine the least CPU of a few batches moves least with the others' load.
    parser.add_argument("--batches", type=int, default=1)
    # wall: where the request waits too (Redis, Postgres); cpu: this process's own work only, which
    # hardly moves with what else the machine is doing.
    parser.add_argument("--timer", choices=["wall", "cpu"], default="wall")
    # direct: the WSGI application called as gunicorn calls it, without the test client's own work
    # (its signals, request building and response checks were a third of /me's CPU).
    parser.add_argument("--direct", action="store_true")
    args = parser.parse_args()
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)

    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from accounts.tokens import token_pair_for

    user = User.objects.filter(email__startswith="bench-").order_by("-id").first() or User.objects.create_user(
        f"bench-{uuid.uuid4().hex[:8]}@nyu.edu", "bench-purple-42"
    )
    token = token_pair_for(user)["token"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json.loads(args.body)

    if args.direct:
        from django.core.wsgi import get_wsgi_application

        application = get_wsgi_application()
        path, _, query = args.path.partition("?")
        raw_body = json.dumps(body).encode() if args.method == "POST" else b""
        environ_base = {
            "REQUEST_METHOD": args.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw_body)),
            "wsgi.url_scheme": "http",
        }
        statuses: list[str] = []

        def start_response(status: str, headers: list, exc_info: object = None) -> None:
            statuses.append(status)

        def call() -> int:
            environ = {**environ_base, "wsgi.input": io.BytesIO(raw_body)}
            result = application(environ, start_response)
            b"".join(result)
            getattr(result, "close", lambda: None)()
            return int(statuses.pop().split()[0])

    def test_client_call() -> int:
        if args.method == "GET":
            return client.get(args.path).status_code
        return client.post(args.path, body, content_type="application/json").status_code

    if not args.direct:
        call = test_client_call
    status = [call() for _ in range(20)][-1]
    cpu_per_batch = []
    for _ in range(args.batches):
        started, cpu_started = time.perf_counter(), time.thread_time()
        for _ in range(args.n):
            call()
        wall, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
        cpu_per_batch.append(cpu / args.n * 1000)
        print(f"{args.method} {args.path} -> {status}: {wall / args.n * 1000:.2f} ms/request, {cpu_per_batch[-1]:.3f} ms of CPU")
    if args.batches > 1:
        print(f"least CPU of {args.batches} batches: {min(cpu_per_batch):.3f} ms/request")
    if not args.lines:
        return
    profile = cProfile.Profile(time.thread_time) if args.timer == "cpu" else cProfile.Profile()
    profile.enable()
    for _ in range(args.n):
        call()
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
