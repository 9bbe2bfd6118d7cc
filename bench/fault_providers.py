"""Provider faults: what the service answers, and how fast, while each provider is slow, failing,
refusing or answering garbage, one at a time.

Needs a stack with the providers faked and rate limits off, e.g. (own ports, database and Redis db):

    RATELIMIT_ENABLE=false PROVIDERS=fake INSTANCES=1 PORT=8300 FAKE_PORT=8901 \\
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/violetvibes_faultprov REDIS_URL=redis://127.0.0.1:6379/12 \\
      bench/stack start
    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/fault_providers.py --base http://127.0.0.1:8300 --fake http://127.0.0.1:8901
    bench/stack stop 8300

For each provider x mode (slow, 500, 429, garbage) it empties the stack's Redis db (caches and
circuit breakers) and asks from a ~1 km cell no request used in the last minute (so that every
request starts cold), sets the mode on bench/fake_providers.py, calls the
endpoints that depend on that provider and records status, whether the body is JSON, whether the
answer is the degraded one, latency and the calls the fake received; then five more requests show
the circuit breaker (calls per request). The event sources are exercised through
`bench/stack manage sync_events`: it must finish, name the failed source, keep that source's
events, and the event endpoints must still answer. After each case the mode is reset and /health
must answer within 1 s on every instance with as many concurrent requests as the instance has
workers x threads (gunicorn.conf.py; a stuck worker or thread would make one wait).

Prints a markdown table and a verdict; exits 1 on a 5xx other than the documented 503
weather_unavailable, a non-JSON answer, an answer past the time budget, a stuck worker, a sync
that fails or loses events, or a baseline that is not healthy. Last, every HTTP provider answers
garbage at once, then recovers: a minute later the same requests, with no cache emptied, must get
the full answers again (nothing bad stays cached).
"""

import argparse
import inspect
import json
import os
import random
import runpy
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_providers import GEMINI_REPLY  # noqa: E402
from places import geo  # noqa: E402
from violetvibes.providers.breaker import CircuitBreaker  # noqa: E402
from violetvibes.settings import base as settings  # noqa: E402

MODES = ("slow", "500", "429", "garbage")
EVENT_SOURCES = ("nyu_engage", "brooklyn_bridge_park", "downtown_brooklyn", "nyc_parks")
ORIGIN = geo.Point(40.6934, -73.9856)  # Downtown Brooklyn, near Tandon
# Every request starts from a ~1 km cell (the weather's cache granularity) not used in the last
# minute: a worker keeps the weather it fetched for 60 s (places/providers/openweather.py), which
# flushing Redis does not clear, so a reused cell would hide the fault.
CELL_DEGREES, CELL_REUSE_S = 0.01, 61.0
# The inner cells in a random order per run (a run started right after another one would otherwise
# meet the weather the other one left in the workers), then the outer ones, nearest first.
_INNER = [(i, j) for i in range(-4, 5) for j in range(-4, 5)]
_OUTER = [(i, j) for i in range(-7, 8) for j in range(-7, 8) if max(abs(i), abs(j)) > 4]
CELLS = random.sample(_INNER, len(_INNER)) + sorted(_OUTER, key=lambda cell: cell[0] ** 2 + cell[1] ** 2)
DESTINATION = geo.Point(40.7003, -73.9967)  # Brooklyn Bridge Park
CHAT_MESSAGE = "where can I get a quick bite near campus?"
# The answers the API documents for an unavailable provider (places/errors.py WeatherUnavailable).
DOCUMENTED = {("/api/weather", 503, "weather_unavailable"), ("/api/weather/forecast", 503, "weather_unavailable")}

# --- Time budget, from the settings --------------------------------------------------------------------
CONNECT_TIMEOUT, READ_TIMEOUT = settings.OUTBOUND_TIMEOUT
BREAKER_THRESHOLD = inspect.signature(CircuitBreaker).parameters["threshold"].default
GUNICORN = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # the stack's settings, with the same environment
GUNICORN_TIMEOUT = GUNICORN["timeout"]
# Requests an instance serves at once: a stuck worker (or thread) makes one of that many wait.
SLOTS = GUNICORN["workers"] * (GUNICORN["threads"] if GUNICORN["worker_class"] == "gthread" else 1)
# A request may wait for one hanging HTTP provider until its breaker opens (threshold x read
# timeout; retries are never made on a read timeout) or for Gemini's own timeout; 2 s more for the
# app's work and the 429/5xx retry backoff (0.2 s x 2^n, at most OUTBOUND_RETRIES). Never past the
# worker timeout, which kills the request.
BUDGET_S = min(GUNICORN_TIMEOUT, max(BREAKER_THRESHOLD * READ_TIMEOUT, settings.GEMINI_TIMEOUT_SECONDS) + 2)
SYNC_BUDGET_S = BUDGET_S + 10  # the job: one failing source as above, the others and Django's start-up
SLOW_DELAY_S = max(READ_TIMEOUT, settings.GEMINI_TIMEOUT_SECONDS) + 1  # "slow" outlasts every client timeout
HEALTH_BUDGET_S = 1.0
# Longer than the breakers' cool-down (30 s) and the quick-recs list cache (60 s, recommendations/lists.py).
RECOVERY_WAIT_S = max(inspect.signature(CircuitBreaker).parameters["cooldown"].default, 60) + 1


@dataclass
class Row:
    provider: str
    mode: str
    endpoint: str
    status: str
    degraded: str  # yes / no / - (not telling)
    latency_ms: float
    calls: str
    problem: str = ""  # why this row fails the run
    warning: str = ""


@dataclass
class Answer:
    status: int
    body: Any  # parsed JSON, or None
    is_json: bool
    seconds: float
    calls: dict[str, int]
    origin: geo.Point


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.bases: list[str] = args.base or ["http://127.0.0.1:8100"]
        self.base = self.bases[0]
        self.fake = args.fake
        self.redis_url = args.redis_url
        self.database_url = args.database_url
        self.slots = args.slots
        self.rows: list[Row] = []
        self.last_body: Any = None
        self.cell_used: dict[tuple[int, int], float] = {}
        signup = requests.post(
            f"{self.base}/api/auth/signup",
            json={"email": f"fault-{uuid.uuid4().hex[:8]}@nyu.edu", "password": "fault-purple-42"},
            timeout=10,
        )
        signup.raise_for_status()
        self.auth = {"Authorization": f"Bearer {signup.json()['token']}"}

    # --- The fake and the cache --------------------------------------------------------------------
    def fake_calls(self) -> dict[str, int]:
        return requests.get(f"{self.fake}/__stats", timeout=5).json()["calls"]

    def set_mode(self, provider: str, mode: str) -> None:
        body = {"provider": provider, "mode": mode, "delay": SLOW_DELAY_S}
        requests.post(f"{self.fake}/__mode", json=body, timeout=5).raise_for_status()

    def reset(self, flush: bool = True) -> None:
        requests.post(f"{self.fake}/__reset", timeout=5).raise_for_status()
        if flush:  # the stack's own Redis db: provider caches, lists and circuit breakers
            redis.Redis.from_url(self.redis_url).flushdb()

    # --- Requests ----------------------------------------------------------------------------------
    def fresh_origin(self) -> geo.Point:
        """The cell nearest to ORIGIN that no request used in the last minute."""
        now = time.monotonic()
        cell = next((c for c in CELLS if self.cell_used.get(c, -CELL_REUSE_S) < now - CELL_REUSE_S), None)
        if cell is None:
            time.sleep(CELL_REUSE_S - (now - min(self.cell_used.values())))
            return self.fresh_origin()
        self.cell_used[cell] = now
        return geo.Point(round(ORIGIN.lat + cell[0] * CELL_DEGREES, 4), round(ORIGIN.lng + cell[1] * CELL_DEGREES, 4))

    def call(self, method: str, path: str, *, origin: geo.Point = ORIGIN, **kwargs: Any) -> Answer:
        before = self.fake_calls()
        started = time.perf_counter()
        try:
            response = requests.request(method, f"{self.base}{path}", timeout=GUNICORN_TIMEOUT + 10, **kwargs)
            status, text = response.status_code, response.text
        except requests.RequestException as exc:
            status, text = 0, type(exc).__name__
        seconds = time.perf_counter() - started
        after = self.fake_calls()
        try:
            body, is_json = json.loads(text), True
        except ValueError:
            body, is_json = None, False
        self.last_body = body
        return Answer(status, body, is_json, seconds, {k: after[k] - before.get(k, 0) for k in after}, origin)

    def health(self) -> tuple[bool, float, str]:
        """`slots` concurrent /health requests per instance, twice: all 200 within 1 s?"""
        results: list[tuple[int, float]] = []

        def one(base: str) -> None:
            started = time.perf_counter()
            try:
                status = requests.get(f"{base}/health", timeout=GUNICORN_TIMEOUT + 10).status_code
            except requests.RequestException:
                status = 0
            results.append((status, time.perf_counter() - started))

        for _ in range(2):
            threads = [threading.Thread(target=one, args=(base,)) for base in self.bases for _ in range(self.slots)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        slowest = max(seconds for _, seconds in results)
        statuses = sorted({status for status, _ in results})
        return all(s == 200 for s, _ in results) and slowest <= HEALTH_BUDGET_S, slowest, "/".join(map(str, statuses))

    # --- Rows --------------------------------------------------------------------------------------
    def record(
        self, provider: str, mode: str, endpoint: str, answers: list[Answer], degraded: "Degraded", faulty: bool
    ) -> Row:
        """One row for one request, or for a burst of them (statuses joined, slowest latency, calls per request)."""
        problems, statuses, verdicts, warning = [], [], [], ""
        for answer in answers:
            code = answer.body.get("code") if isinstance(answer.body, dict) else None
            if answer.status == 0:
                problems.append("no answer")
            elif answer.status >= 500 and (endpoint.split(" x")[0], answer.status, code) not in DOCUMENTED:
                problems.append(f"undocumented {answer.status}")
            if answer.status and not answer.is_json:
                problems.append("not JSON")
            if answer.seconds > BUDGET_S:
                problems.append(f"{answer.seconds:.1f} s, over the {BUDGET_S:.0f} s budget")
            verdict = degraded(answer)
            verdicts.append(verdict)
            if not faulty and verdict:
                problems.append("degraded while every provider is up")
            if faulty and verdict is False:
                warning = "not degraded under the fault"
            status = f"{answer.status}" + (f" {code}" if code and answer.status >= 400 else "") + ("" if answer.is_json else " non-JSON")
            if status not in statuses:
                statuses.append(status)
        known = {v for v in verdicts if v is not None}
        row = Row(
            provider,
            mode,
            endpoint,
            "/".join(statuses),
            _yes_no(known.pop() if len(known) == 1 else None) if len(known) <= 1 else "mixed",
            max(a.seconds for a in answers) * 1000,
            "/".join(str(a.calls.get(provider, sum(a.calls.values()))) for a in answers),
            "; ".join(dict.fromkeys(problems)),
            warning,
        )
        self.rows.append(row)
        return row

    def health_row(self, provider: str, mode: str) -> None:
        ok, slowest, statuses = self.health()
        problem = "" if ok else f"/health not all 200 within {HEALTH_BUDGET_S:.0f} s: a worker is stuck"
        label = f"/health, {self.slots} at once x2 per instance, after reset"
        self.rows.append(Row(provider, mode, label, statuses, "-", slowest * 1000, "0", problem))

    # --- Event sources -----------------------------------------------------------------------------
    def sync(self) -> tuple[int, str, float]:
        env = {
            **os.environ,
            "PROVIDERS": "fake",
            "FAKE_PORT": str(urlsplit(self.fake).port),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
        }
        started = time.perf_counter()
        done = subprocess.run(
            [str(ROOT / "bench" / "stack"), "manage", "sync_events"], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        return done.returncode, done.stdout + done.stderr, time.perf_counter() - started

    def event_counts(self) -> dict[str, int]:
        counts = {}
        for source in EVENT_SOURCES:
            response = requests.get(f"{self.base}/api/v1/events/", params={"source": source}, timeout=10)
            counts[source] = response.json()["count"] if response.status_code == 200 else -1
        return counts


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else "yes" if value else "no"


# --- What "degraded" looks like, per provider and endpoint ---------------------------------------------
Degraded = Callable[[Answer], bool | None]  # None: the answer does not tell


def _place_cards(body: Any) -> list[dict]:
    if not isinstance(body, dict):
        return []
    if "quick_recommendations" in body:
        lists = body["quick_recommendations"].values()
        return [card for cards in lists for card in cards if card.get("type") == "place"]
    return [card for card in body.get("places") or [] if card.get("type") == "place"]


def places_degraded(answer: Answer) -> bool | None:
    """Google Places down: no card comes from Google (the catalog answered)."""
    cards = _place_cards(answer.body)
    return None if not cards else not any(card["source"] == "google_places" for card in cards)


def walks_degraded(answer: Answer) -> bool | None:
    """Google Routes down: every walk distance is the offline estimate."""
    cards = [card for card in _place_cards(answer.body) if card.get("location") and card.get("distance_meters") is not None]
    if not cards:
        return None
    points = [geo.Point(card["location"]["lat"], card["location"]["lng"]) for card in cards]
    return all(card["distance_meters"] == geo.walk_estimate(answer.origin, point)[1] for card, point in zip(cards, points, strict=True))


def directions_degraded(answer: Answer) -> bool | None:
    return answer.body.get("source") == "estimate" if isinstance(answer.body, dict) else None


def weather_degraded(answer: Answer) -> bool | None:
    body = answer.body
    if not isinstance(body, dict):
        return None
    if "code" in body:
        return body["code"] == "weather_unavailable"
    if "quick_recommendations" in body:  # the dashboard
        return body.get("weather") is None
    return False  # /api/weather or /forecast answered


def gemini_degraded(answer: Answer) -> bool | None:
    body = answer.body
    return body.get("reply") != GEMINI_REPLY if isinstance(body, dict) and "reply" in body else None


def not_telling(answer: Answer) -> None:
    return None


# --- Endpoints -----------------------------------------------------------------------------------------
Request = Callable[[Bench, geo.Point], Answer]


def quick_recs(b: Bench, o: geo.Point) -> Answer:
    return b.call("GET", f"/api/quick_recs?category=quick_bites&latitude={o.lat}&longitude={o.lng}", origin=o)


def top_recommendations(b: Bench, o: geo.Point) -> Answer:
    return b.call("GET", f"/api/top_recommendations?latitude={o.lat}&longitude={o.lng}", origin=o)


def dashboard(b: Bench, o: geo.Point) -> Answer:
    return b.call("GET", f"/api/dashboard?latitude={o.lat}&longitude={o.lng}", headers=b.auth, origin=o)


def chat(b: Bench, o: geo.Point) -> Answer:
    return b.call("POST", "/api/chat", json={"message": CHAT_MESSAGE, "latitude": o.lat, "longitude": o.lng}, origin=o)


def directions(b: Bench, o: geo.Point) -> Answer:
    return b.call("GET", f"/api/directions?lat={DESTINATION.lat}&lng={DESTINATION.lng}&origin_lat={o.lat}&origin_lng={o.lng}", origin=o)


def weather(b: Bench, o: geo.Point) -> Answer:
    return b.call("GET", f"/api/weather?lat={o.lat}&lon={o.lng}", origin=o)


def forecast(b: Bench, o: geo.Point) -> Answer:
    return b.call("GET", f"/api/weather/forecast?lat={o.lat}&lon={o.lng}", origin=o)


ENDPOINT_PATHS = {
    quick_recs: "/api/quick_recs",
    top_recommendations: "/api/top_recommendations",
    dashboard: "/api/dashboard",
    chat: "POST /api/chat",
    directions: "/api/directions",
    weather: "/api/weather",
    forecast: "/api/weather/forecast",
}
# provider -> [(endpoint, how its degraded answer shows)]; the first one is also used for the breaker burst.
PLAN: dict[str, list[tuple[Request, Degraded]]] = {
    "google_places": [(quick_recs, places_degraded), (top_recommendations, places_degraded), (dashboard, places_degraded), (chat, places_degraded)],
    "google_routes": [(directions, directions_degraded), (quick_recs, walks_degraded)],
    "openweather": [(weather, weather_degraded), (forecast, weather_degraded), (dashboard, weather_degraded)],
    "gemini": [(chat, gemini_degraded)],
}


def provider_case(b: Bench, provider: str, mode: str) -> None:
    checks = PLAN[provider]
    for request, degraded in checks:
        b.reset()
        b.set_mode(provider, mode)
        b.record(provider, mode, ENDPOINT_PATHS[request], [request(b, b.fresh_origin())], degraded, faulty=True)
    # The breaker: five requests (new cells) after a cold start; once it opens no call is made.
    request, degraded = checks[0]
    b.reset()
    b.set_mode(provider, mode)
    answers = [request(b, b.fresh_origin()) for _ in range(5)]
    b.record(provider, mode, f"{ENDPOINT_PATHS[request]} x5, new cells", answers, degraded, faulty=True)
    b.reset(flush=False)
    b.health_row(provider, mode)


def _failed_sources(output: str) -> list[str]:
    """The sources named in sync_events' summary line "... synced; failed: a, b"."""
    for line in output.splitlines():
        if "; failed: " in line:
            return [name.strip() for name in line.split("; failed: ", 1)[1].split(",")]
    return []


def _failure_reason(output: str, source: str) -> str:
    """What sync_events said about the source: "failed (<source>: <why>)" for a ProviderError; a
    crash (any other exception) shows only the exception's name."""
    marker = f"  {source}: failed ("
    for line in output.splitlines():
        if line.startswith(marker):
            return line[len(marker) :].rstrip(")")
    return ""


def event_case(b: Bench, source: str, mode: str, baseline: dict[str, int]) -> None:
    b.reset()
    b.set_mode(source, mode)
    before = b.fake_calls()[source]
    rc, output, seconds = b.sync()
    calls = b.fake_calls()[source] - before
    failed = _failed_sources(output)
    problems = []
    if rc != 0:
        problems.append(f"sync_events exit {rc}")
    reason = _failure_reason(output, source)
    if failed != [source]:
        problems.append(f"reported failed: {failed or 'none'}")
    elif not reason.startswith(f"{source}: "):
        problems.append(f"the source crashed instead of failing cleanly ({reason})")
    if seconds > SYNC_BUDGET_S:
        problems.append(f"over the {SYNC_BUDGET_S:.0f} s sync budget")
    counts = b.event_counts()
    if counts != baseline:
        problems.append(f"events changed: {baseline} -> {counts}")
    endpoint = f"manage.py sync_events (kept {counts[source]}/{baseline[source]} {source} events)"
    status = f"exit {rc}, failed: {', '.join(failed) or 'none'}" + (f" ({reason.removeprefix(source + ': ')})" if reason else "")
    b.rows.append(Row(source, mode, endpoint, status, _yes_no(source in failed), seconds * 1000, str(calls), "; ".join(problems)))
    for path, key in (("/api/events", "nyu_permitted"), ("/api/nyu_engage_events", "engage_events")):
        row = b.record(source, mode, path, [b.call("GET", path)], not_telling, faulty=True)
        answer_items = b.last_body.get(key) if isinstance(b.last_body, dict) else None
        if row.status == "200" and not answer_items:
            row.problem = "no events listed"
    b.reset(flush=False)
    b.health_row(source, mode)


def baseline_case(b: Bench, label: str) -> None:
    """Every endpoint with every provider up: 200, JSON and not degraded (checks the detectors too)."""
    seen = set()
    for provider, checks in PLAN.items():
        for request, degraded in checks:
            if (request, degraded) in seen:
                continue
            seen.add((request, degraded))
            b.reset()
            b.record(provider, label, ENDPOINT_PATHS[request], [request(b, b.fresh_origin())], degraded, faulty=False)
    b.health_row("all", label)


def recovery_case(b: Bench) -> None:
    """Every HTTP provider answers garbage at once, then recovers: with no cache emptied, the same
    requests must get the full answers back once the breakers' cool-down and the list caches are over."""
    b.reset()
    for provider in PLAN:
        b.set_mode(provider, "garbage")
    asked = []
    for provider, checks in PLAN.items():
        for request, degraded in checks:
            if any(request is r and degraded is d for _, r, d, _ in asked):
                continue
            origin = b.fresh_origin()
            b.record(provider, "all garbage", ENDPOINT_PATHS[request], [request(b, origin)], degraded, faulty=True)
            asked.append((provider, request, degraded, origin))
    b.reset(flush=False)
    time.sleep(RECOVERY_WAIT_S)
    for provider, request, degraded, origin in asked:
        label = f"recovered, {RECOVERY_WAIT_S:.0f} s later"
        b.record(provider, label, f"{ENDPOINT_PATHS[request]} (same cell, no flush)", [request(b, origin)], degraded, faulty=False)
    b.health_row("all", "recovered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", action="append", help="an instance; repeat for each (default http://127.0.0.1:8100)")
    parser.add_argument("--fake", default="http://127.0.0.1:8900", help="bench/fake_providers.py")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"), help="the stack's REDIS_URL (flushed)")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/violetvibes_bench"), help="the stack's DATABASE_URL"
    )
    parser.add_argument("--slots", type=int, default=SLOTS, help="requests an instance serves at once (default: gunicorn.conf.py)")
    parser.add_argument("--only", nargs="*", help="only these providers")
    args = parser.parse_args()

    print(
        f"Time budget per request: {BUDGET_S:.0f} s = breaker threshold {BREAKER_THRESHOLD} x read timeout {READ_TIMEOUT} s"
        f" (OUTBOUND_TIMEOUT={settings.OUTBOUND_TIMEOUT}, OUTBOUND_RETRIES={settings.OUTBOUND_RETRIES}; Gemini"
        f" {settings.GEMINI_TIMEOUT_SECONDS:.0f} s) + 2 s, capped by the gunicorn timeout {GUNICORN_TIMEOUT} s."
        f" sync_events: {SYNC_BUDGET_S:.0f} s. /health: {HEALTH_BUDGET_S:.0f} s. slow = {SLOW_DELAY_S:.0f} s before answering.",
        flush=True,
    )
    b = Bench(args)
    wanted = set(args.only or [*PLAN, *EVENT_SOURCES])
    baseline_case(b, "ok (before)")
    b.reset()
    rc, output, _ = b.sync()
    baseline = b.event_counts()
    if rc != 0 or min(baseline.values()) <= 0:
        print(output, file=sys.stderr)
        sys.exit(f"The first sync_events did not load every source: rc={rc}, {baseline}")
    for provider in PLAN:
        for mode in MODES if provider in wanted else ():
            print(f"... {provider} {mode}", file=sys.stderr, flush=True)
            provider_case(b, provider, mode)
    for source in EVENT_SOURCES:
        for mode in MODES if source in wanted else ():
            print(f"... {source} {mode}", file=sys.stderr, flush=True)
            event_case(b, source, mode, baseline)
    recovery_case(b)

    print("\n| provider | mode | endpoint | status | degraded? | latency ms | outbound calls |\n|---|---|---|---|---|---|---|")
    for row in b.rows:
        mark = " **FAIL: " + row.problem + "**" if row.problem else (f" (warning: {row.warning})" if row.warning else "")
        print(f"| {row.provider} | {row.mode} | {row.endpoint}{mark} | {row.status} | {row.degraded} | {row.latency_ms:.0f} | {row.calls} |")
    failed = [row for row in b.rows if row.problem]
    warned = [row for row in b.rows if row.warning]
    slowest = max(b.rows, key=lambda row: row.latency_ms if not row.endpoint.startswith("sync_events") else 0)
    print(
        f"\nVerdict: {'FAIL' if failed else 'PASS'}: {len(b.rows)} checks, {len(failed)} failed, {len(warned)} warnings;"
        f" slowest answer {slowest.latency_ms:.0f} ms ({slowest.provider} {slowest.mode} {slowest.endpoint}), budget {BUDGET_S * 1000:.0f} ms."
    )
    for row in failed:
        print(f"- FAIL {row.provider} {row.mode} {row.endpoint}: {row.problem}")
    for row in warned:
        print(f"- warning {row.provider} {row.mode} {row.endpoint}: {row.warning}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
