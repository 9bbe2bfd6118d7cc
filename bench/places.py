"""Outbound provider calls of /api/quick_recs and /api/dashboard, cold (shared cache flushed) and
warm, then their warm throughput and latency under load (wrk).

Needs the stack with every provider pointed at bench/fake_providers.py (which counts the calls);
run from the repo root:
    PROVIDERS=fake bench/stack start
    .venv/bin/python bench/places.py [--base http://127.0.0.1:8100] [--fake http://127.0.0.1:8900] [--redis-db 14]

--redis-db is the stack's Redis db (flushed before each cold request). Prints two markdown tables.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk


def outbound_calls(fake: str) -> int:
    return sum(requests.get(f"{fake}/__stats", timeout=5).json()["calls"].values())


def cold_and_warm(label: str, fake: str, redis_db: str, call: callable) -> tuple[str, int, int]:
    subprocess.run(["redis-cli", "-n", redis_db, "flushdb"], check=True, capture_output=True)
    requests.post(f"{fake}/__reset", timeout=5)
    call()
    cold = outbound_calls(fake)
    call()
    return label, cold, outbound_calls(fake) - cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--fake", default="http://127.0.0.1:8900")
    parser.add_argument("--redis-db", default="14")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    auth = wrk.signed_up_headers(args.base)
    quick = f"{args.base}/api/quick_recs?category=quick_bites"
    dashboard = f"{args.base}/api/dashboard"

    def get(url: str, headers: dict | None = None) -> None:
        response = requests.get(url, headers=headers or {}, timeout=30)
        assert response.status_code == 200, response.text

    rows = [
        cold_and_warm("GET /api/quick_recs?category=quick_bites", args.fake, args.redis_db, lambda: get(quick)),
        cold_and_warm("GET /api/dashboard", args.fake, args.redis_db, lambda: get(dashboard, auth)),
    ]
    print("| request | outbound calls cold | outbound calls warm |\n|---|---|---|")
    for label, cold, warm in rows:
        print(f"| {label} | {cold} | {warm} |")

    get(quick)
    get(dashboard, auth)
    common = {"connections": args.connections, "seconds": args.seconds}
    results = [
        wrk.run("GET /api/quick_recs (warm)", quick, **common),
        wrk.run("GET /api/dashboard (warm)", dashboard, headers=auth, **common),
    ]
    print()
    print(wrk.HEADER)
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
