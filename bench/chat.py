"""POST /api/chat: throughput and latency offline (`load`), or outbound calls per turn (`calls`).

    # load: no provider keys (the catalog and the built-in reply writer), rate limits off
    RATELIMIT_ENABLE=false bench/stack start && .venv/bin/python bench/chat.py load [--connections 2]
    # calls: Google, OpenWeather and Gemini faked by bench/fake_providers.py, which counts them
    RATELIMIT_ENABLE=false PROVIDERS=fake bench/stack start && .venv/bin/python bench/chat.py calls

`load` runs wrk and prints req/s and p50/p90/p99; `calls` flushes the stack's Redis db (--redis-db)
and prints the calls of a first turn (cold cache) and of a second one in a new session (warm).
"""

import argparse
import subprocess
import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk

MESSAGE = {"message": "where can I get a quick bite near campus?"}


def calls(fake: str) -> dict[str, int]:
    return requests.get(f"{fake}/__stats", timeout=5).json()["calls"]


def turn(base: str) -> None:
    """A first turn: no conversation id, so a new conversation (the service issues its id)."""
    response = requests.post(f"{base}/api/chat", json=MESSAGE, timeout=30)
    assert response.status_code == 200, response.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["load", "calls"])
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--fake", default="http://127.0.0.1:8900")
    parser.add_argument("--redis-db", default="14")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    if args.mode == "load":
        result = wrk.run(
            "POST /api/chat (offline: catalog + built-in writer)",
            f"{args.base}/api/chat",
            method="POST",
            body=MESSAGE,
            connections=args.connections,
            seconds=args.seconds,
        )
        print(wrk.HEADER)
        print(result.row())
        return

    subprocess.run(["redis-cli", "-n", args.redis_db, "flushdb"], check=True, capture_output=True)
    requests.post(f"{args.fake}/__reset", timeout=5)
    turn(args.base)
    cold = calls(args.fake)
    turn(args.base)
    warm = {name: count - cold[name] for name, count in calls(args.fake).items()}
    print("| chat turn | Google (Places + Routes) | OpenWeather | Gemini |\n|---|---|---|---|")
    for label, counts in (("cold cache", cold), ("warm cache", warm)):
        google = counts["google_places"] + counts["google_routes"]
        print(f"| {label} | {google} | {counts['openweather']} | {counts['gemini']} |")


if __name__ == "__main__":
    main()
