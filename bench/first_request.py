"""A gunicorn worker's first request against its warm ones, at start and after a worker restart.

    .venv/bin/python bench/first_request.py [--path '/api/quick_recs?...'] [--warm 30] [--runs 3]
        [--port 8190] [--helper-port 8191] [--no-warm-up]

Starts the service as bench/stack does (production settings, the same Postgres and Redis and
gunicorn.conf.py; the environment of bench/profile_request.py, anything exported overriding it)
with one worker, waits until the worker has booted and gone idle, then times its first request
and `--warm` more. Then kills the worker (SIGKILL, as a crash or the platform would), waits for
the one the master forks instead, and times its first request the same way. `--runs` times.

Before each first request the same request is sent to a second, warm instance (`--helper-port`),
so that the shared cache holds what it would in production (another instance has been serving):
what is measured is the worker's own coldness, not the cache's. `--no-warm-up` runs both with
GUNICORN_WARM_UP=false, as before the warm-up existed.

The first request comes after the worker has rested (idle_worker waits until its CPU time has not
moved for IDLE_SECONDS), and on a fast machine rest alone slows a request (cold CPU caches, a
sleeping core): the last columns time the same worker, warm by then, after IDLE_SECONDS of rest
(the median of three), so that first / that is the worker's own coldness.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.profile_request import BENCH_ENV  # noqa: E402 - after the path is set

ROOT = Path(__file__).resolve().parent.parent
IDLE_SECONDS = 0.5
QUICK_RECS = "/api/quick_recs?category=quick_bites&latitude=40.7295&longitude=-73.9965"


def environment(warm_up: bool) -> dict[str, str]:
    env = {**BENCH_ENV, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "RATELIMIT_ENABLE": "false", **os.environ}
    env.update({"WEB_CONCURRENCY": "1", "GUNICORN_WARM_UP": "true" if warm_up else "false"})
    return env


def start(port: int, warm_up: bool) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "violetvibes.wsgi:application", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    return subprocess.Popen(command, cwd=ROOT, env=environment(warm_up), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in out.split()]


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def idle_worker(master: subprocess.Popen, *, not_pid: int | None = None, timeout: float = 60) -> int:
    """The master's worker once it has booted: its CPU time unchanged for IDLE_SECONDS (nothing left to load)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise SystemExit(f"gunicorn exited ({master.returncode})")
        workers = [pid for pid in children(master.pid) if pid != not_pid]
        if workers:
            try:
                before = cpu_ticks(workers[0])
                time.sleep(IDLE_SECONDS)
                if cpu_ticks(workers[0]) == before:
                    return workers[0]
            except FileNotFoundError:
                pass
        else:
            time.sleep(0.1)
    raise SystemExit("the worker did not settle")


def timed(url: str) -> float:
    started = time.perf_counter()
    response = requests.get(url, timeout=60)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def after_helper(port: int, helper_port: int, path: str) -> float:
    timed(f"http://127.0.0.1:{helper_port}{path}")  # the shared cache as another instance leaves it
    return timed(f"http://127.0.0.1:{port}{path}")


def after_idle(port: int, helper_port: int, path: str) -> float:
    time.sleep(IDLE_SECONDS)
    return after_helper(port, helper_port, path)


def measure(label: str, port: int, helper_port: int, path: str, warm: int) -> tuple[float, float]:
    first = after_helper(port, helper_port, path)
    later = [timed(f"http://127.0.0.1:{port}{path}") for _ in range(warm)]
    median = statistics.median(later)
    rested = statistics.median(after_idle(port, helper_port, path) for _ in range(3))
    print(
        f"| {label} | {first:.1f} | {median:.1f} | {max(later):.1f} | {first / median:.1f} | {rested:.1f} | {first / rested:.1f} |",
        flush=True,
    )
    return first, median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", default=QUICK_RECS)
    parser.add_argument("--warm", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--helper-port", type=int, default=8191)
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    args = parser.parse_args()

    helper = start(args.helper_port, warm_up=True)
    try:
        idle_worker(helper)
        timed(f"http://127.0.0.1:{args.helper_port}{args.path}")
        print(f"GET {args.path}, warm-up {'on' if args.warm_up else 'off'}")
        print(
            "| worker | first ms | warm median ms | warm max ms | first / warm | warm after the same idle ms | first / that |\n"
            "|---|---|---|---|---|---|---|"
        )
        for run in range(1, args.runs + 1):
            master = start(args.port, warm_up=args.warm_up)
            try:
                worker = idle_worker(master)
                measure(f"run {run}: new instance", args.port, args.helper_port, args.path, args.warm)
                os.kill(worker, signal.SIGKILL)
                idle_worker(master, not_pid=worker)
                measure(f"run {run}: after a worker restart", args.port, args.helper_port, args.path, args.warm)
            finally:
                master.terminate()
                master.wait(timeout=30)
    finally:
        helper.terminate()
        helper.wait(timeout=30)


if __name__ == "__main__":
    main()
