"""Latency at 16 connections of a warm quick-recs list and an offline chat turn, and the workers'
memory after them.

    RATELIMIT_ENABLE=false bench/stack start          # no provider keys: the catalog and the built-in writer
    .venv/bin/python bench/latency.py [--base http://127.0.0.1:8100] [--rounds 3] [--seconds 10]

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
    args = parser.parse_args()
    common = {"connections": args.connections, "seconds": args.seconds}
    master = master_pid_on(int(args.base.rsplit(":", 1)[1]))

    workers = workers_of(master)

    def measured(name: str, url: str, **options: object) -> str:
        spent = cpu_seconds(workers)
        result = wrk.run(name, url, **common, **options)
        per_request = (cpu_seconds(workers) - spent) / max(1, result.rps * args.seconds)
        return f"{result.row()} {per_request * 1000:.2f} |"

    print(wrk.HEADER.replace(" |\n", " | worker CPU ms/request |\n", 1) + "---|")
    for _ in range(args.rounds):
        requests.get(f"{args.base}{QUICK_RECS}", timeout=10).raise_for_status()
        print(measured("GET /api/quick_recs (warm)", f"{args.base}{QUICK_RECS}"), flush=True)
        print(measured("POST /api/chat (offline)", f"{args.base}/api/chat", method="POST", body=MESSAGE), flush=True)
    print("\nworker RSS MiB: " + ", ".join(f"{rss_mib(pid):.0f}" for pid in workers) + f" (master {rss_mib(master):.0f})")
    subprocess.run(["ps", "-o", "pid,rss,args", "--ppid", str(master)], check=False)


if __name__ == "__main__":
    main()
