"""Infrastructure faults under load: Redis, PostgreSQL or a gunicorn worker failing.

Measures what the service answers while Redis or PostgreSQL is down, how long it takes to be back
to normal once they return (without restarting gunicorn), and what a killed worker costs. The
redis and postgres faults stop the servers behind DATABASE_URL and REDIS_URL (the whole Redis
server, the whole PostgreSQL cluster): on a machine shared with others, give the stack servers of
its own, e.g.

    redis-server --port 6391 --daemonize yes --save '' --appendonly no
    pg_createcluster 15 faults -p 5441 --start -- --auth=trust
    export DATABASE_URL=postgres://postgres@127.0.0.1:5441/violetvibes_faults REDIS_URL=redis://127.0.0.1:6391/0
    TRUSTED_PROXY_COUNT=1 PROVIDERS=fake INSTANCES=2 PORT=8200 FAKE_PORT=8902 bench/stack start
    .venv/bin/python bench/fault_infra.py worker      # or redis, postgres, all
    bench/stack stop 8200 8201

(The script reads DATABASE_URL and REDIS_URL as the stack does; --database-url and --redis-url
override them.) A steady, CPU-light load (4 threads, one "student" journey a second each,
alternating the two instances request by request) runs while the fault is injected; every request
is recorded and the run prints a per-second timeline, latency per phase, the checks and a verdict
(exit status 1 on a failed check).

The load is what the apps do: sign up (a new user now and then: each costs a password hash),
log in, /api/user/me, /api/dashboard, /api/quick_recs, a chat turn and its follow-up in one
X-Session-ID conversation (the follow-up on the other instance, so it needs the shared memory),
/api/events and /health. Rate limits stay on: each journey comes from its own client address
(X-Forwarded-For, honoured with TRUSTED_PROXY_COUNT=1), so the per-address limits are not hit
by the load while every request still counts in Redis; a separate check sends more than the
limit from one address to both instances.

Faults (the servers are restarted in a `finally:`, whatever happens):
    redis     redis-cli shutdown nosave; ~10 s down; redis-server started again.
              No 5xx, fallback quick, /health says disconnected then connected, shared chat memory
              and rate limits work across instances again after the restart.
    postgres  pg_ctlcluster stop -m fast; ~8 s down; started again.
              503 JSON service_unavailable with Retry-After (never 500) while down, recovery
              without restarting gunicorn, every signup answered 201 is in the database.
    worker    kill -9 of instance A's worker that is serving a slow chat turn (the fake Gemini made
              slow for it). Only that request fails (at the socket); the master respawns a worker.
"""

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests

PASSWORD = "fault-purple-violets-42"
ORIGIN = {"latitude": 40.6934, "longitude": -73.9856}
CHAT_FIRST, CHAT_FOLLOW_UP = "where can I get a quick slice?", "is the first one cheap?"
PID_FILE = "/tmp/violetvibes-bench-{port}.pid"
# Client addresses (10.x.y.z in X-Forwarded-For), from a random start: a run uses a few thousand.
_ADDRESSES = itertools.count(random.randrange(1, 1 << 23))


def _root_cause(exc: BaseException) -> str:
    """requests' error and what it wraps, e.g. "ConnectionError(RemoteDisconnected)"."""
    names, seen = [type(exc).__name__], {id(exc)}
    inner: Any = exc
    for _ in range(6):
        nxt = getattr(inner, "reason", None) or (
            inner.args[-1] if inner.args and isinstance(inner.args[-1], BaseException) else None
        )
        nxt = nxt or inner.__cause__ or inner.__context__
        if not isinstance(nxt, BaseException) or id(nxt) in seen:
            break
        seen.add(id(nxt))
        inner = nxt
    if inner is not exc:
        names.append(type(inner).__name__)
    return f"{names[0]}({names[1]})" if len(names) > 1 else names[0]


# --- Recording ---------------------------------------------------------------------------------------
@dataclass
class Sample:
    t: float  # start, seconds since the load started
    duration: float
    instance: str  # "A" | "B"
    endpoint: str
    status: int | None  # None: the request failed at the socket (reset, refused, timeout)
    error: str = ""
    json_ok: bool = True  # a non-2xx answer is JSON with {error, code, request_id}
    code: str = ""
    retry_after: bool = False
    note: str = ""  # chat follow-up: "kept" | "lost"; health: "db=... redis=..."
    probe: bool = False  # a check's own request, not the load's


@dataclass
class Run:
    name: str
    instances: list[str]
    started: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    health: list[Sample] = field(default_factory=list)  # the monitor's /health polls
    events: list[tuple[float, str]] = field(default_factory=list)
    signed_up: list[str] = field(default_factory=list)  # every email answered 201
    refused: list[str] = field(default_factory=list)  # emails whose sign-up got another answer
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    no_chat: threading.Event = field(default_factory=threading.Event)  # the worker fault pauses the load's chat

    def now(self) -> float:
        return time.monotonic() - self.started

    def event(self, text: str) -> float:
        t = self.now()
        with self.lock:
            self.events.append((t, text))
        print(f"  [{t:6.2f}s] {text}", flush=True)
        return t

    def new_ip(self) -> str:
        """An address no request of this script has used (nor, likely, one of a run just before it):
        the per-address limits of one fault must not count another's requests."""
        with self.lock:
            n = next(_ADDRESSES)
            if n & 255 == 0:
                n = next(_ADDRESSES)
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def call(
        self,
        method: str,
        instance: int,
        path: str,
        *,
        label: str,
        ip: str,
        token: str | None = None,
        body: dict | None = None,
        headers: dict | None = None,
        record: bool = True,
        probe: bool = False,
        timeout: float = 20,
    ) -> tuple[Sample, Any]:
        sent = {"X-Forwarded-For": ip, **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        t0 = self.now()
        sample = Sample(t=t0, duration=0.0, instance="AB"[instance], endpoint=label, status=None, probe=probe)
        payload: Any = None
        try:
            response = requests.request(
                method, self.instances[instance] + path, json=body, headers=sent, timeout=timeout
            )
        except requests.RequestException as exc:
            sample.error = _root_cause(exc)
        else:
            sample.status = response.status_code
            try:
                payload = response.json()
            except ValueError:
                payload = None
            if response.status_code >= 300:
                sample.json_ok = isinstance(payload, dict) and all(
                    isinstance(payload.get(k), str) for k in ("error", "code", "request_id")
                )
                sample.code = payload.get("code", "") if isinstance(payload, dict) else "(not JSON)"
                sample.retry_after = "Retry-After" in response.headers
        sample.duration = self.now() - t0
        if record:
            with self.lock:
                self.samples.append(sample)
        return sample, payload


# --- The load ------------------------------------------------------------------------------------------
class Users:
    """Signed-up accounts shared by the load threads; new sign-ups are paced (a password hash each)."""

    def __init__(self, run: Run, every: float) -> None:
        self.run, self.every = run, every
        self.tokens: list[str] = []
        self.next_signup = 0.0
        self.turns: Counter = Counter()
        self.last_used: dict[tuple[str, str], float] = {}
        self.lock = threading.Lock()

    def signup_due(self) -> bool:
        with self.lock:
            if self.run.now() < self.next_signup:
                return False
            self.next_signup = self.run.now() + self.every
            return True

    def signup(self, instance: int, ip: str, *, login: bool = True) -> None:
        email = f"fault-{self.run.name}-{uuid.uuid4().hex[:12]}@nyu.edu"
        sample, body = self.run.call(
            "POST",
            instance,
            "/api/auth/signup",
            label="signup",
            ip=ip,
            body={"email": email, "password": PASSWORD, "first_name": "Fault"},
        )
        if sample.status != 201:
            with self.run.lock:
                self.run.refused.append(email)
            return
        with self.run.lock:
            self.run.signed_up.append(email)
        token = body["token"]
        if login:
            sample, body = self.run.call(
                "POST",
                1 - instance,
                "/api/auth/login",
                label="login",
                ip=ip,
                body={"email": email, "password": PASSWORD},
            )
            if sample.status == 200:
                token = body["token"]
        with self.lock:
            self.tokens.append(token)

    def pick(self, purpose: str, *, spacing: float = 0.0) -> str | None:
        """The next account for `purpose`, round robin (so per-user limits are spread evenly);
        with `spacing`, None rather than an account used for it less than `spacing` seconds ago."""
        with self.lock:
            if not self.tokens:
                return None
            self.turns[purpose] += 1
            token = self.tokens[self.turns[purpose] % len(self.tokens)]
            if spacing:
                now = self.run.now()
                if now - self.last_used.get((purpose, token), -spacing) < spacing:
                    return None
                self.last_used[(purpose, token)] = now
            return token


def journey(run: Run, users: Users, n: int, worker: int) -> None:
    """One student opening the app: every request alternates instances."""
    ip = run.new_ip()
    side = (n + worker) % 2
    if users.signup_due():
        users.signup(side, ip)
    where = f"latitude={ORIGIN['latitude']}&longitude={ORIGIN['longitude']}"
    token = users.pick("me")
    if token:
        run.call("GET", side, "/api/user/me", label="me", ip=ip, token=token)
    # The dashboard is limited to 10/min per user: one a second in all, over every account in turn,
    # none more often than every 6 s (while the database is down, no new accounts are made).
    token = users.pick("dashboard", spacing=6.0) if n % 4 == worker % 4 else None
    if token:
        run.call("GET", 1 - side, f"/api/dashboard?{where}", label="dashboard", ip=ip, token=token)
    run.call("GET", side, f"/api/quick_recs?category=quick_bites&{where}", label="quick_recs", ip=ip)
    if not run.no_chat.is_set():
        first, first_body = run.call("POST", 1 - side, "/api/chat", label="chat", ip=ip, body={"message": CHAT_FIRST})
        if first.status == 200 and isinstance(first_body, dict):
            follow, body = run.call(
                "POST",
                side,
                "/api/chat",
                label="chat follow-up",
                ip=ip,
                body={"message": CHAT_FOLLOW_UP},
                headers={"X-Session-ID": first_body.get("session_id", "")},  # issued with the first answer
            )
            if follow.status == 200:
                follow.note = "kept" if body.get("intent") == "follow_up" else "lost"
    run.call("GET", 1 - side, "/api/events", label="events", ip=ip)
    sample, body = run.call("GET", side, "/health", label="health", ip=ip)
    if isinstance(body, dict):
        sample.note = f"db={body.get('database')} redis={body.get('redis')}"


def load_thread(run: Run, users: Users, worker: int, pace: float) -> None:
    n = 0
    while not run.stop.is_set():
        started = time.monotonic()
        journey(run, users, n, worker)
        n += 1
        run.stop.wait(max(0.0, pace - (time.monotonic() - started)))


def monitor_thread(run: Run, every: float) -> None:
    """/health of both instances, a few times a second."""
    i = 0
    while not run.stop.is_set():
        sample, body = run.call(
            "GET", i % 2, "/health", label="health", ip="10.255.255.254", record=False, probe=True, timeout=5
        )
        if isinstance(body, dict):
            sample.note = f"db={body.get('database')} redis={body.get('redis')}"
        with run.lock:
            run.health.append(sample)
        i += 1
        run.stop.wait(every)


# --- Checks across instances ---------------------------------------------------------------------------
def chat_memory_across(run: Run) -> bool:
    """A turn on A and its follow-up on B: understood only if the memory is shared."""
    ip = run.new_ip()
    first, first_body = run.call(
        "POST", 0, "/api/chat", label="probe chat", ip=ip, body={"message": CHAT_FIRST}, record=False, probe=True
    )
    if first.status != 200 or not isinstance(first_body, dict):
        return False
    follow, body = run.call(
        "POST",
        1,
        "/api/chat",
        label="probe chat",
        ip=ip,
        body={"message": CHAT_FOLLOW_UP},
        headers={"X-Session-ID": first_body.get("session_id", "")},  # issued with the first answer
        record=False,
        probe=True,
    )
    return follow.status == 200 and body.get("intent") == "follow_up"


def rate_limit_across(run: Run, limit: int = 20, extra: int = 4) -> int:
    """`limit + extra` GET /api/events (20/min per client) from one address, alternating instances: how many were allowed."""
    ip = run.new_ip()
    statuses = [
        run.call("GET", i % 2, "/api/events", label="probe events", ip=ip, record=False, probe=True)[0].status
        for i in range(limit + extra)
    ]
    return sum(1 for status in statuses if status != 429)


def rate_limit_shared(run: Run, limit: int = 20) -> tuple[bool, str]:
    """Exactly `limit` allowed; tried twice (a counter window can end in the middle of one try)."""
    tries = []
    for _ in range(2):
        allowed = rate_limit_across(run, limit)
        tries.append(allowed)
        if allowed == limit:
            return True, f"{allowed} of {limit + 4} allowed (limit {limit}/min)"
    return False, f"{' then '.join(map(str, tries))} of {limit + 4} allowed (limit {limit}/min)"


# --- Servers ---------------------------------------------------------------------------------------------
def sh(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, check=check, timeout=60)


def redis_up(port: int) -> bool:
    return sh("redis-cli", "-p", str(port), "ping").stdout.strip() == "PONG"


def redis_ensure_up(port: int) -> None:
    if not redis_up(port):
        sh(
            "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", "/tmp", "--logfile", f"/tmp/violetvibes-redis-{port}.log",
        )  # fmt: skip
    for _ in range(100):
        if redis_up(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"Redis on port {port} did not come back: start it by hand")


def pg_cluster(port: int) -> tuple[str, str]:
    """The PostgreSQL cluster (version, name) listening on `port`."""
    for line in sh("pg_lsclusters", "--no-header").stdout.splitlines():
        version, name, cluster_port = line.split()[:3]
        if int(cluster_port) == port:
            return version, name
    raise RuntimeError(f"no PostgreSQL cluster listens on port {port} (pg_lsclusters)")


def postgres_up(port: int) -> bool:
    return sh("pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q").returncode == 0


def postgres_ensure_up(port: int) -> None:
    if not postgres_up(port):
        sh("pg_ctlcluster", "--skip-systemctl-redirect", *pg_cluster(port), "start")
    for _ in range(150):
        if postgres_up(port):
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL on port {port} did not come back: start it by hand")


def workers_of(port: int) -> tuple[int, set[int]]:
    master = int(Path(PID_FILE.format(port=port)).read_text().strip())
    children = sh("pgrep", "-P", str(master)).stdout.split()
    return master, {int(pid) for pid in children}


def server_pid_of(port: int, client_port: int) -> int | None:
    """The process holding the server end of our connection 127.0.0.1:client_port -> :port: the worker that accepted it."""
    out = sh("ss", "-tnpH", "state", "established", f"( sport = :{port} and dport = :{client_port} )").stdout
    pids = {int(pid) for pid in re.findall(r"pid=(\d+)", out)}
    return pids.pop() if len(pids) == 1 else None


# --- Analysis --------------------------------------------------------------------------------------------
def ok_status(sample: Sample) -> bool:
    return sample.status is not None and sample.status < 400


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def health_cell(samples: list[Sample]) -> str:
    if not samples:
        return ""
    last = samples[-1]
    if last.status is None:
        return "ERR"
    short = (
        last.note.replace("connected", "up").replace("disup", "down").replace("db=", "db ").replace("redis=", "redis ")
    )
    return f"{last.status} {short}"


def timeline(run: Run, abnormal: Any) -> tuple[str, dict[int, bool]]:
    load = [s for s in run.samples if not s.probe]
    by_second: dict[int, list[Sample]] = defaultdict(list)
    health_by: dict[tuple[int, str], list[Sample]] = defaultdict(list)
    for sample in load:
        by_second[int(sample.t)].append(sample)
    for sample in run.health:
        health_by[(int(sample.t), sample.instance)].append(sample)
    events_by: dict[int, list[str]] = defaultdict(list)
    for t, text in run.events:
        events_by[int(t)].append(text)
    last = int(max([s.t for s in load] + [0]))
    lines = [
        "| s | requests | 2xx | 4xx | 429 | 503 | other 5xx | socket err | non-JSON err | chat memory | p50 ms | max ms | /health A | /health B | event |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    normal: dict[int, bool] = {}
    for second in range(last + 1):
        rows = by_second.get(second, [])
        statuses = Counter(s.status for s in rows)
        follow = Counter(s.note for s in rows if s.endpoint == "chat follow-up" and s.note)
        durations = [s.duration * 1000 for s in rows]
        normal[second] = not any(abnormal(s) for s in rows + health_by[(second, "A")] + health_by[(second, "B")])
        lines.append(
            "| {s} | {n} | {ok} | {c4} | {c429} | {c503} | {c5} | {sock} | {nj} | {mem} | {p50:.0f} | {mx:.0f} | {ha} | {hb} | {ev} |".format(
                s=second,
                n=len(rows),
                ok=sum(v for k, v in statuses.items() if k is not None and k < 400),
                c4=sum(v for k, v in statuses.items() if k is not None and 400 <= k < 500 and k != 429),
                c429=statuses.get(429, 0),
                c503=statuses.get(503, 0),
                c5=sum(v for k, v in statuses.items() if k is not None and k >= 500 and k != 503),
                sock=statuses.get(None, 0),
                nj=sum(1 for s in rows if not s.json_ok),
                mem=f"{follow['kept']}/{follow['kept'] + follow['lost']}" if follow else "",
                p50=statistics.median(durations) if durations else 0,
                mx=max(durations) if durations else 0,
                ha=health_cell(health_by[(second, "A")]),
                hb=health_cell(health_by[(second, "B")]),
                ev="; ".join(events_by.get(second, [])),
            )
        )
    return "\n".join(lines), normal


def endpoint_table(samples: list[Sample], title: str) -> str:
    by: dict[str, Counter] = defaultdict(Counter)
    for s in samples:
        key = "socket error" if s.status is None else str(s.status) + (f" {s.code}" if s.code else "")
        by[s.endpoint][key] += 1
    lines = [f"**{title}**", "", "| endpoint | answers |", "|---|---|"]
    for endpoint in sorted(by):
        lines.append(f"| {endpoint} | {', '.join(f'{k}: {v}' for k, v in sorted(by[endpoint].items()))} |")
    return "\n".join(lines)


def latency_table(run: Run, phases: list[tuple[str, float, float]]) -> str:
    lines = ["| phase | requests | p50 ms | p90 ms | p99 ms | max ms |", "|---|---|---|---|---|---|"]
    for name, start, end in phases:
        durations = [s.duration * 1000 for s in run.samples if not s.probe and start <= s.t < end]
        lines.append(
            f"| {name} | {len(durations)} | {pct(durations, 0.5):.0f} | {pct(durations, 0.9):.0f} | {pct(durations, 0.99):.0f} | {max(durations or [0]):.0f} |"
        )
    return "\n".join(lines)


def recovery(normal: dict[int, bool], restored: float, run: Run, abnormal: Any) -> tuple[float | None, float | None]:
    """(seconds until the first second from which every second is normal, time of the last abnormal observation), from `restored`."""
    start = int(restored)
    seconds = sorted(s for s in normal if s >= start)
    first_good = None
    for second in reversed(seconds):
        if not normal[second]:
            break
        first_good = second
    observed = [s for s in run.samples if not s.probe] + run.health
    last_bad = [s.t + s.duration for s in observed if s.t >= restored and abnormal(s)]
    whole = None if first_good is None else max(0.0, first_good - restored)
    return whole, (max(last_bad) - restored if last_bad else 0.0)


@dataclass
class Report:
    checks: list[tuple[bool, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def check(self, ok: bool, text: str) -> None:
        self.checks.append((ok, text))

    def print(self, title: str, sections: list[str]) -> bool:
        print(f"\n## {title}\n")
        for section in sections:
            print(section + "\n")
        print("**Checks**\n")
        for ok, text in self.checks:
            print(f"- {'PASS' if ok else 'FAIL'}: {text}")
        for note in self.notes:
            print(f"- note: {note}")
        passed = all(ok for ok, _ in self.checks)
        print(
            f"\n**Verdict: {'PASS' if passed else 'FAIL'}** ({sum(ok for ok, _ in self.checks)}/{len(self.checks)} checks)\n",
            flush=True,
        )
        return passed


def common_checks(run: Run, report: Report, *, allow_503: bool, allow_socket: int = 0) -> None:
    load = [s for s in run.samples if not s.probe]
    fives = [s for s in load if s.status is not None and s.status >= 500 and not (allow_503 and s.status == 503)]
    report.check(
        not fives,
        f"no {'5xx other than 503' if allow_503 else '5xx'} ({len(fives)}: {Counter((s.endpoint, s.status, s.code) for s in fives).most_common(4)})",
    )
    sockets = [s for s in load if s.status is None]
    report.check(
        len(sockets) <= allow_socket,
        f"socket errors: {len(sockets)} (allowed {allow_socket}) {Counter((s.endpoint, s.error) for s in sockets).most_common(3)}",
    )
    non_json = [s for s in load if s.status is not None and s.status >= 300 and not s.json_ok]
    report.check(not non_json, f"every non-2xx answer is JSON with code ({len(non_json)} are not)")
    limited = [s for s in load if s.status == 429]
    report.check(
        not limited,
        f"the load was never rate limited (429: {len(limited)} {Counter(s.endpoint for s in limited).most_common(3)}; per-address limits need TRUSTED_PROXY_COUNT=1)",
    )


# --- Faults ----------------------------------------------------------------------------------------------
def start_load(run: Run, args: argparse.Namespace) -> tuple[Users, list[threading.Thread]]:
    users = Users(run, args.signup_every)
    # A few accounts to start with (sign-up only: the dashboard is limited per user).
    seeders = [
        threading.Thread(target=users.signup, args=(i % 2, run.new_ip()), kwargs={"login": i % 4 == 0})
        for i in range(args.seed_users)
    ]
    for thread in seeders:
        thread.start()
    for thread in seeders:
        thread.join()
    run.samples.clear()
    run.started = time.monotonic()
    users.next_signup = 0.0
    threads = [
        threading.Thread(target=load_thread, args=(run, users, i, args.pace), daemon=True) for i in range(args.threads)
    ]
    threads.append(threading.Thread(target=monitor_thread, args=(run, args.health_every), daemon=True))
    for thread in threads:
        thread.start()
    return users, threads


def stop_load(run: Run, threads: list[threading.Thread]) -> None:
    run.stop.set()
    for thread in threads:
        thread.join(timeout=30)


def fault_redis(args: argparse.Namespace) -> bool:
    run = Run("redis", [args.a, args.b])
    report = Report()
    ok, text = rate_limit_shared(run)
    if not ok:
        print(
            f"Rate limits are not shared before the fault ({text}): start the stack with RATELIMIT_ENABLE=true TRUSTED_PROXY_COUNT=1."
        )
        return False
    _, threads = start_load(run, args)
    memory_back = limits_back = ratelimit_down = None
    try:
        time.sleep(args.before)
        down_at = run.event("redis-cli shutdown nosave")
        if not args.rehearse:
            sh("redis-cli", "-p", str(args.redis_port), "shutdown", "nosave")
        time.sleep(args.redis_down / 2)
        ratelimit_down = rate_limit_across(run)
        run.event(f"rate-limit probe while down: {ratelimit_down} of 24 allowed")
        time.sleep(max(0.0, args.redis_down - (run.now() - down_at)))
    finally:
        restored = run.event("redis-server started")
        redis_ensure_up(args.redis_port)
    try:
        run.event("redis answers PING")
        # Shared state back in every process (each retries Redis RETRY_AFTER_SECONDS after its last
        # failure, or at once when a /health ping succeeds): a conversation continues across
        # instances, and a limit counts requests to both.
        tries = 0
        while run.now() - restored < args.after + 10 and (memory_back is None or limits_back is None):
            if memory_back is None and chat_memory_across(run):
                memory_back = run.now() - restored
                run.event("chat memory shared across instances again")
            if limits_back is None:
                allowed, tries = rate_limit_across(run), tries + 1
                if allowed == 20:
                    limits_back = run.now() - restored
                    run.event(f"rate limit shared again: {allowed} of 24 allowed (limit 20/min), try {tries}")
            time.sleep(0.2)
        time.sleep(max(0.0, args.after - (run.now() - restored)))
    finally:
        stop_load(run, threads)

    def abnormal(s: Sample) -> bool:
        return (
            s.status is None
            or s.status >= 500
            or s.status == 429
            or not s.json_ok
            or s.note == "lost"
            or (s.endpoint == "health" and "redis=connected" not in s.note)
        )

    table, normal = timeline(run, abnormal)
    whole, last_bad = recovery(normal, restored, run, abnormal)
    common_checks(run, report, allow_503=False)
    down_health = {
        s.instance
        for s in run.health
        if down_at <= s.t < restored and s.status == 200 and "redis=disconnected" in s.note
    }
    up_health = {s.instance for s in run.health if s.t > restored + 1 and "redis=connected" in s.note}
    report.check(
        down_health == {"A", "B"},
        f"/health said redis disconnected (200, degraded) on {sorted(down_health)} while down",
    )
    report.check(up_health == {"A", "B"}, f"/health said redis connected on {sorted(up_health)} after the restart")
    down = [s.duration for s in run.samples if not s.probe and down_at <= s.t < restored]
    before = [s.duration for s in run.samples if not s.probe and s.t < down_at]
    report.check(
        pct(down, 0.99) <= max(0.25, 3 * pct(before, 0.99)) and max(down or [0]) < 1.0,
        f"the fallback is quick: p99 {pct(down, 0.99) * 1000:.0f} ms / max {max(down or [0]) * 1000:.0f} ms while down vs p99 {pct(before, 0.99) * 1000:.0f} ms before",
    )
    report.check(
        memory_back is not None and memory_back <= args.max_recovery,
        f"chat memory shared across instances again {memory_back if memory_back is None else round(memory_back, 1)} s after the restart",
    )
    report.check(
        limits_back is not None and limits_back <= args.max_recovery,
        f"rate limit counted across instances again (exactly 20 of 24 allowed) {limits_back if limits_back is None else round(limits_back, 1)} s after the restart",
    )
    report.check(
        whole is not None and whole <= args.max_recovery,
        f"recovery (first second from which every request and /health is normal): {whole if whole is None else round(whole, 1)} s; last abnormal observation +{last_bad:.1f} s",
    )
    lost = Counter(
        s.note for s in run.samples if s.endpoint == "chat follow-up" and down_at <= s.t < restored and s.note
    )
    report.notes.append(
        f"while down: chat follow-ups on the other instance understood {lost['kept']}/{lost['kept'] + lost['lost']} (memory is per process then); rate-limit probe allowed {ratelimit_down} of 24 (limit 20, counters per process then)"
    )
    sections = [
        f"Redis stopped at +{down_at:.1f} s, started at +{restored:.1f} s ({restored - down_at:.1f} s down); {args.threads} load threads; {len([s for s in run.samples if not s.probe])} load requests.",
        table,
        latency_table(
            run,
            [
                ("before", 0, down_at),
                ("redis down", down_at, restored),
                ("first 5 s after restart", restored, restored + 5),
                ("after that", restored + 5, 1e9),
            ],
        ),
        endpoint_table(
            [s for s in run.samples if not s.probe and down_at <= s.t < restored], "Answers while Redis was down"
        ),
    ]
    return report.print("Fault: Redis restarted (shutdown nosave) under load", sections)


def signups_in_database(args: argparse.Namespace, emails: list[str]) -> set[str]:
    database = urlparse(args.database_url).path.lstrip("/")
    found: set[str] = set()
    for i in range(0, len(emails), 200):
        chunk = ",".join("'" + email.replace("'", "''") + "'" for email in emails[i : i + 200])
        query = f"SELECT email FROM accounts_user WHERE email IN ({chunk})"  # noqa: S608 - emails this script made
        out = sh("psql", "-h", "127.0.0.1", "-p", str(args.postgres_port), "-U", "postgres", "-d", database, "-tAc", query, check=True)
        found.update(line.strip() for line in out.stdout.splitlines() if line.strip())
    return found


def fault_postgres(args: argparse.Namespace) -> bool:
    run = Run("postgres", [args.a, args.b])
    report = Report()
    _, threads = start_load(run, args)
    try:
        time.sleep(args.before)
        down_at = run.event("pg_ctlcluster stop -m fast")
        if not args.rehearse:
            sh("pg_ctlcluster", "--skip-systemctl-redirect", *pg_cluster(args.postgres_port), "stop", "-m", "fast")
        run.event("postgres stopped")
        time.sleep(args.postgres_down)
    finally:
        restored = run.event("pg_ctlcluster start")
        postgres_ensure_up(args.postgres_port)
    try:
        accepting = run.event("postgres accepting connections")
        time.sleep(args.after)
    finally:
        stop_load(run, threads)

    def abnormal(s: Sample) -> bool:
        return s.status is None or s.status >= 400 or not s.json_ok

    table, normal = timeline(run, abnormal)
    whole, last_bad = recovery(normal, restored, run, abnormal)
    common_checks(run, report, allow_503=True)
    load = [s for s in run.samples if not s.probe]
    unavailable = [s for s in load if s.status == 503]
    report.check(
        all(s.code == "service_unavailable" and s.retry_after for s in unavailable) and bool(unavailable),
        f"every 503 is code service_unavailable with Retry-After ({len(unavailable)} answers 503)",
    )
    down_health = [s for s in run.health if down_at + 0.5 <= s.t < restored]
    report.check(
        bool(down_health) and all(s.status == 503 and s.json_ok and "db=disconnected" in s.note for s in down_health),
        f"/health answered 503 JSON (database disconnected) while down: {Counter(s.status for s in down_health)}",
    )
    report.check(
        whole is not None and whole <= args.max_recovery,
        f"recovery without restarting gunicorn (first second from which every request is 2xx): {whole if whole is None else round(whole, 1)} s after `start`; last failed request +{last_bad:.1f} s after `start`, {last_bad - (accepting - restored):+.1f} s after pg_isready",
    )
    in_db = signups_in_database(args, run.signed_up + run.refused)
    missing = sorted(set(run.signed_up) - in_db)
    created_anyway = sorted(set(run.refused) & in_db)
    report.notes.append(
        f"sign-ups not answered 201 but in the database anyway: {len(created_anyway)} of {len(run.refused)} (a retry would get email_taken)"
    )
    report.check(
        not missing,
        f"every signup answered 201 is in the database: {len(run.signed_up) - len(missing)}/{len(run.signed_up)} {missing[:3]}",
    )
    worked = sorted({s.endpoint for s in load if down_at + 0.5 <= s.t < restored and ok_status(s)})
    report.notes.append(f"answered 2xx while the database was down: {', '.join(worked) or 'nothing'}")
    sections = [
        f"PostgreSQL stopped at +{down_at:.1f} s, started at +{restored:.1f} s ({restored - down_at:.1f} s down); {args.threads} load threads; {len(load)} load requests.",
        table,
        latency_table(
            run,
            [
                ("before", 0, down_at),
                ("postgres down", down_at, restored),
                ("first 5 s after start", restored, restored + 5),
                ("after that", restored + 5, 1e9),
            ],
        ),
        endpoint_table([s for s in load if down_at <= s.t < restored], "Answers while PostgreSQL was down"),
    ]
    return report.print("Fault: PostgreSQL stopped (-m fast) and started under load", sections)


def set_gemini(args: argparse.Namespace, mode: str, delay: float = 5) -> None:
    requests.post(
        f"{args.fake}/__mode", json={"provider": "gemini", "mode": mode, "delay": delay}, timeout=5
    ).raise_for_status()


def slow_turn(run: Run, base: str, out: dict[str, Any]) -> None:
    """A chat turn to `base` on a connection of our own, so its source port (and so its worker) is known."""
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    sample = Sample(
        t=run.now(), duration=0.0, instance="A", endpoint="slow chat (on the killed worker)", status=None, probe=True
    )
    try:
        conn.connect()
        out["client_port"] = conn.sock.getsockname()[1]
        headers = {
            "Content-Type": "application/json",
            "X-Forwarded-For": run.new_ip(),
        }
        conn.request("POST", "/api/chat", body=json.dumps({"message": CHAT_FIRST}), headers=headers)
        response = conn.getresponse()
        response.read()
        sample.status = response.status
    except (OSError, http.client.HTTPException) as exc:
        sample.error = type(exc).__name__
    finally:
        conn.close()
    sample.duration = run.now() - sample.t
    out["sample"] = sample


def fault_worker(args: argparse.Namespace) -> bool:
    run = Run("worker", [args.a, args.b])
    report = Report()
    port_a = urlparse(args.a).port
    master, before_pids = workers_of(port_a)
    _, threads = start_load(run, args)
    slow: dict[str, Any] = {}
    victim = None
    try:
        time.sleep(args.before)
        run.no_chat.set()  # the load's chat turns would be slow too: they pause for the slow window
        time.sleep(0.5)
        set_gemini(args, "slow", args.slow_delay)
        sent = run.event(f"fake Gemini slow ({args.slow_delay:.0f} s); slow chat turn sent to A")
        slow_thread = threading.Thread(target=slow_turn, args=(run, args.a, slow))
        slow_thread.start()
        while victim is None and run.now() - sent < args.slow_delay - 2:
            if "client_port" in slow:
                victim = server_pid_of(port_a, slow["client_port"])
            time.sleep(0.05)
        time.sleep(max(0.0, sent + 1.0 - run.now()))  # well inside the provider call by now
        set_gemini(args, "ok")
        run.no_chat.clear()
        if victim is None or victim not in workers_of(port_a)[1]:
            report.check(False, f"found the worker serving the slow request (got {victim})")
        else:
            killed_at = run.event(f"kill -9 worker {victim} of A (master {master}), slow request in flight")
            sh("kill", "-9", str(victim))
            respawned = None
            while run.now() - killed_at < 15:
                now_pids = workers_of(port_a)[1]
                if len(now_pids) >= len(before_pids) and victim not in now_pids:
                    respawned = run.now() - killed_at
                    run.event(f"master respawned a worker {sorted(now_pids - before_pids)}")
                    break
                time.sleep(0.05)
            report.check(
                respawned is not None and respawned <= 5,
                f"the master respawned a worker {respawned if respawned is None else round(respawned, 2)} s after the kill",
            )
        slow_thread.join(timeout=30)
        time.sleep(args.after)
    finally:
        with contextlib.suppress(requests.RequestException):
            set_gemini(args, "ok")
        run.no_chat.clear()
        stop_load(run, threads)

    def abnormal(s: Sample) -> bool:
        return s.status is None or s.status >= 400 or not s.json_ok

    table, _ = timeline(run, abnormal)
    common_checks(run, report, allow_503=False)
    in_flight = slow.get("sample")
    outcome = (
        "no answer"
        if in_flight is None
        else (in_flight.error if in_flight.status is None else f"HTTP {in_flight.status}")
    )
    report.check(
        in_flight is not None and in_flight.status is None,
        f"the in-flight request on the killed worker failed at the socket: {outcome} after {in_flight.duration if in_flight else 0:.2f} s",
    )
    load = [s for s in run.samples if not s.probe]
    failed = [s for s in load if abnormal(s)]
    report.check(not failed, f"every other request was served ({len(load)} load requests, {len(failed)} failed)")
    health_a = [s for s in run.health if s.instance == "A" and s.status != 200]
    report.check(not health_a, f"/health of A kept answering 200 ({len(health_a)} other answers)")
    sections = [
        f"Instance A: master {master}, workers before {sorted(before_pids)}, after {sorted(workers_of(port_a)[1])}; {args.threads} load threads; {len(load)} load requests.",
        table,
        latency_table(
            run,
            [
                ("before", 0, killed_at if victim else 1e9),
                ("10 s after the kill", killed_at if victim else 1e9, (killed_at if victim else 1e9) + 10),
                ("after that", (killed_at if victim else 1e9) + 10, 1e9),
            ],
        ),
    ]
    return report.print("Fault: kill -9 of a gunicorn worker with a request in flight", sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fault", choices=["redis", "postgres", "worker", "all"])
    parser.add_argument("--a", default="http://127.0.0.1:8200", help="instance A (its worker is killed)")
    parser.add_argument("--b", default="http://127.0.0.1:8201")
    parser.add_argument(
        "--fake", default="http://127.0.0.1:8902", help="bench/fake_providers.py of the stack (worker fault)"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/violetvibes_faults",
        help="the stack's database ($DATABASE_URL); the postgres fault stops the cluster on its port",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13",
        help="the stack's Redis ($REDIS_URL); the redis fault shuts down the server on its port",
    )
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds per journey per thread")
    parser.add_argument(
        "--signup-every", type=float, default=1.5, help="seconds between new sign-ups (each with a login)"
    )
    parser.add_argument("--seed-users", type=int, default=8)
    parser.add_argument("--health-every", type=float, default=0.25)
    parser.add_argument("--before", type=float, default=6)
    parser.add_argument("--after", type=float, default=12)
    parser.add_argument("--redis-down", type=float, default=10)
    parser.add_argument("--postgres-down", type=float, default=8)
    parser.add_argument("--slow-delay", type=float, default=5)
    parser.add_argument(
        "--rehearse", action="store_true", help="run the load and the report but leave Redis and PostgreSQL alone"
    )
    parser.add_argument("--max-recovery", type=float, default=10, help="seconds allowed to be back to normal")
    args = parser.parse_args()
    args.postgres_port = urlparse(args.database_url).port or 5432
    args.redis_port = urlparse(args.redis_url).port or 6379
    # A kill of this script still runs the finally: blocks that start Redis / PostgreSQL again.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    for base in (args.a, args.b):
        requests.get(f"{base}/health", timeout=5).raise_for_status()
    faults = {"worker": fault_worker, "redis": fault_redis, "postgres": fault_postgres}
    names = list(faults) if args.fault == "all" else [args.fault]
    results = {}
    try:
        for name in names:
            results[name] = faults[name](args)
    finally:
        redis_ensure_up(args.redis_port)
        postgres_ensure_up(args.postgres_port)
    print("| fault | verdict |\n|---|---|")
    for name, passed in results.items():
        print(f"| {name} | {'PASS' if passed else 'FAIL'} |")
    sys.exit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
