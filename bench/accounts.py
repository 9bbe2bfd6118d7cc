"""Throughput and latency of /health, GET /api/user/me and POST /api/user/preferences, next to the
DRF floor (a one-line view, with and without the rate limiter): what the account endpoints cost.

Needs a running production-like instance; run from the repo root:
    bench/stack start
    .venv/bin/python bench/accounts.py [--base http://127.0.0.1:8100] [--seconds 10] [--connections 16]

Signs up one account, runs wrk against each endpoint in turn and prints a markdown table (req/s,
p50/p90/p99, errors) and /me's throughput as a share of the floor.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    auth = wrk.signed_up_headers(args.base)
    common = {"connections": args.connections, "seconds": args.seconds}

    results = [
        wrk.run("GET /bench/floor (DRF floor, rate limited)", f"{args.base}/bench/floor", **common),
        wrk.run("GET /bench/floor-bare (DRF floor, no rate limit)", f"{args.base}/bench/floor-bare", **common),
        wrk.run("GET /health", f"{args.base}/health", **common),
        wrk.run("GET /api/user/me", f"{args.base}/api/user/me", headers=auth, **common),
        wrk.run(
            "POST /api/user/preferences",
            f"{args.base}/api/user/preferences",
            method="POST",
            body={"distance_limit_minutes": 15, "preferred_vibes": ["study", "food"], "budget": {"min": 0, "max": 30}},
            headers=auth,
            **common,
        ),
    ]
    print(wrk.HEADER)
    for result in results:
        print(result.row())
    floor, bare, me = results[0].rps, results[1].rps, results[3].rps
    print(f"\n/api/user/me throughput = {me / floor:.0%} of the DRF floor ({me / bare:.0%} of the bare floor)")


if __name__ == "__main__":
    main()
