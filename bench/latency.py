"""Latency at 16 connections of a warm quick-recs list and an offline chat turn, and the workers'
memory after them.

    RATELIMIT_ENABLE=false bench/stack start          # no provider keys: the catalog and the built-in writer
    .venv/bin/python bench/latency.py [--base http://127.0.0.1:8100] [--rounds 3] [--seconds 10]
    .venv/bin/python bench/latency.py --versus http://127.0.0.1:8160   # two stacks, rounds alternated

--versus compares this code with another (an older commit's stack started beside it, e.g.
`git worktree add --detach ../old REV` and, there, `PORT=8160 REDIS_URL=redis://127.0.0.1:6379/13
RATELIMIT_ENABLE=false bench/stack start`): each round runs on both, one right after the other, so
the machine's speed in that minute weighs on both alike; the medians of the rounds are printed last.

Each round runs wrk (keep-alive, 16 connections) on `GET /api/quick_recs` (warmed first: the list
is cached per spot and minute) and on `POST /api/chat` ("where can I get a quick bite near
campus?", a new conversation each time as wrk sends no session), then prints the resident memory
(RSS) of each gunicorn worker of the instance, read from /proc.

Each row ends with the CPU the workers spent per request (user + system, from /proc): latency at 16
connections is queueing for two cores shared with wrk, Redis and Postgres, so it moves with the
machine's speed in that minute; the CPU a request costs moves much less (bench/instructions.py
counts it exactly, in-process).
"""

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk
from bench.auth_floor import cpu_seconds, master_pid_on, workers_of

QUICK_RECS = "/api/quick_recs?category=quick_bites&latitude=40.7295&longitude=-73.9965"
MESSAGE = {"message": "where can I get a quick bite near campus?"}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--versus", help="another stack's base URL, measured in alternation with --base")
    args = parser.parse_args()
    common = {"connections": args.connections, "seconds": args.seconds}
    bases = [args.base, *([args.versus] if args.versus else [])]
    masters = {base: master_pid_on(int(base.rsplit(":", 1)[1])) for base in bases}
    workers = {base: workers_of(master) for base, master in masters.items()}
    seen: dict[tuple[str, str], list[tuple[float, float, float]]] = {}

    def measured(base: str, name: str, path: str, **options: object) -> str:
        spent = cpu_seconds(workers[base])
        result = wrk.run(name, f"{base}{path}", **common, **options)
        per_request = (cpu_seconds(workers[base]) - spent) / max(1, result.rps * args.seconds) * 1000
        seen.setdefault((base, name), []).append((result.p50_ms, result.p99_ms, per_request))
        return f"{result.row()} {per_request:.2f} |" + (f" {base}" if args.versus else "")

    print(wrk.HEADER.replace(" |\n", " | worker CPU ms/request |\n", 1) + "---|")
    for _ in range(args.rounds):
        for name, path, options in (
            ("GET /api/quick_recs (warm)", QUICK_RECS, {}),
            ("POST /api/chat (offline)", "/api/chat", {"method": "POST", "body": MESSAGE}),
        ):
            for base in bases:
                requests.get(f"{base}{QUICK_RECS}", timeout=10).raise_for_status()
                print(measured(base, name, path, **options), flush=True)
    if args.versus:
        print("\nmedians of the rounds: p50 ms, p99 ms, worker CPU ms/request")
        for (base, name), rows in seen.items():
            p50, p99, cpu = (statistics.median(column) for column in zip(*rows, strict=True))
            print(f"{name} {base}: {p50:.1f}, {p99:.1f}, {cpu:.2f}")
    for base, master in masters.items():
        rss = ", ".join(f"{rss_mib(pid):.0f}" for pid in workers[base])
        print(f"\nworker RSS MiB: {rss} (master {rss_mib(master):.0f})" + (f" {base}" if args.versus else ""))
        subprocess.run(["ps", "-o", "pid,rss,args", "--ppid", str(master)], check=False)


if __name__ == "__main__":
    main()
