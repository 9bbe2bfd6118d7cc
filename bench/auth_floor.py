"""A signed-in request against the framework's floor, measured in the same run.

    bench/stack start                                  # the service (production settings) on :8100
    .venv/bin/python bench/auth_floor.py [--base http://127.0.0.1:8100] [--floor-port 8199]
        [--rounds 3] [--seconds 10] [--connections 16] [--path /api/user/me]

Starts the floor (`bench/floor_app.py`: one DRF view, no middleware, no database) under the same
gunicorn and `gunicorn.conf.py` as the stack, signs a student up on the running service, then
alternates wrk runs (keep-alive, 16 connections) between the floor and the signed-in endpoint,
`--rounds` times each, so that both see the same load on the machine. Prints each run, the
ratio of each pair, and the median ratio. For each run it also prints the CPU time the gunicorn
workers spent per request (user + system, from /proc): unlike req/s, it hardly moves with what
else the machine is doing.

The floor is stopped at the end; the service is left running.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def workers_of(master_pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def master_pid_on(port: int) -> int:
    """The gunicorn master listening on `port` (its pid file as bench/stack writes it, else ss)."""
    pidfile = Path(f"/tmp/violetvibes-bench-{port}.pid")
    if pidfile.exists():
        return int(pidfile.read_text())
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    pids = sorted({int(part.split("=")[1].split(",")[0]) for part in out.split("pid")[1:]})
    if not pids:
        raise SystemExit(f"nothing listens on port {port}")
    # The master is the parent of the others.
    for pid in pids:
        if int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) not in pids:
            return pid
    return pids[0]


@dataclass
class Run:
    result: wrk.Result
    cpu_ms: float  # worker CPU per request

    def row(self) -> str:
        r = self.result
        return f"| {r.name} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {self.cpu_ms:.2f} | {r.non2xx} | {r.errors} |"


def measured(name: str, url: str, master: int, args: argparse.Namespace, headers: dict[str, str] | None = None) -> Run:
    pids = workers_of(master)
    before = cpu_seconds(pids)
    result = wrk.run(name, url, connections=args.connections, seconds=args.seconds, headers=headers)
    spent = cpu_seconds(pids) - before
    requests_served = result.rps * args.seconds
    return Run(result, spent / requests_served * 1000 if requests_served else 0.0)


def start_floor(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.floor_app"}
    # The same worker count as the stack: gunicorn.conf.py starts one worker without REDIS_URL.
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "bench.floor_app:application", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(150):
        if process.poll() is not None:
            raise SystemExit(f"the floor app exited ({process.returncode}): is port {port} taken?")
        try:
            if requests.get(f"http://127.0.0.1:{port}/floor", timeout=5).ok:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("the floor app did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--floor-port", type=int, default=8199)
    parser.add_argument("--path", default="/api/user/me")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    auth = wrk.signed_up_headers(args.base)
    service = master_pid_on(int(args.base.rsplit(":", 1)[1]))

    floor_process = start_floor(args.floor_port)
    runs: list[tuple[Run, Run]] = []
    try:
        for _ in range(args.rounds):
            floor = measured("GET /floor (one DRF view)", f"http://127.0.0.1:{args.floor_port}/floor", floor_process.pid, args)
            endpoint = measured(f"GET {args.path} (signed in)", f"{args.base}{args.path}", service, args, headers=auth)
            runs.append((floor, endpoint))
            print(floor.row(), endpoint.row(), f"ratio {endpoint.result.rps / floor.result.rps:.2f}", sep="\n", flush=True)
    finally:
        floor_process.terminate()
        floor_process.wait(timeout=30)

    print("\n| run | req/s | p50 ms | p99 ms | worker CPU ms/request | non-2xx | socket errors |\n|---|---|---|---|---|---|---|")
    for floor, endpoint in runs:
        print(floor.row())
        print(endpoint.row())
    ratios = [endpoint.result.rps / floor.result.rps for floor, endpoint in runs]
    cpu = [floor.cpu_ms / endpoint.cpu_ms for floor, endpoint in runs if endpoint.cpu_ms]
    print(f"\n{args.path} / floor, req/s: {', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f})")
    print(f"floor CPU / {args.path} CPU per request: {', '.join(f'{r:.2f}' for r in cpu)} (median {statistics.median(cpu):.2f})")


if __name__ == "__main__":
    main()
