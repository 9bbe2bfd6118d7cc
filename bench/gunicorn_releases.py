"""Throughput and latency of the same app under several gunicorn releases (gunicorn.conf.py's settings).

    .venv/bin/python bench/gunicorn_releases.py [--versions 21.2.0 23.0.0 27.0.1]

For each release: installs it into .venv, starts `INSTANCES=2 PROVIDERS=fake bench/stack`, and
measures the bare DRF floor and /api/user/me with wrk (keep-alive, 16 connections) and the apps'
mixed traffic with bench/load.py (providers at real-world latency). Reinstalls the pinned release
from requirements.txt at the end. Prints one markdown table.
"""

import argparse
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import wrk

ROOT = Path(__file__).resolve().parent.parent

PIP = [str(ROOT / ".venv/bin/python"), "-m", "pip", "install", "--quiet"]
STACK_ENV = {**os.environ, "INSTANCES": "2", "PROVIDERS": "fake", "TRUSTED_PROXY_COUNT": "1"}


def stack(action: str) -> None:
    ports = ["8100", "8101"] if action == "stop" else []  # only this script's instances
    subprocess.run([str(ROOT / "bench/stack"), action, *ports], check=True, env=STACK_ENV, cwd=ROOT, capture_output=True)


def mixed(users: int, seconds: int) -> tuple[float, str, str]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench/load.py"), "--users", str(users), "--spawn-rate", "20", "--seconds", str(seconds), "--latency", "real"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    row = re.search(r"^\| \*\*all\*\* \| (\d+) \| ([\d.]+) \| (\d+) \| (\d+) \|", out, re.M)
    return float(row.group(2)), row.group(3), row.group(4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", nargs="+", default=["21.2.0", "23.0.0", "27.0.1"])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    rows = []
    try:
        for version in args.versions:
            subprocess.run([*PIP, f"gunicorn=={version}"], check=True, capture_output=True)
            stack("stop")
            stack("start")
            signup = requests.post(
                "http://127.0.0.1:8100/api/auth/signup",
                json={"email": f"rel-{uuid.uuid4().hex[:8]}@nyu.edu", "password": "bench-purple-42"},
                headers={"X-Forwarded-For": f"10.250.{len(rows)}.1"},
                timeout=10,
            )
            auth = {"Authorization": f"Bearer {signup.json()['token']}"}
            floor = wrk.run("floor", "http://127.0.0.1:8100/bench/floor-bare", seconds=args.seconds)
            me = wrk.run("me", "http://127.0.0.1:8100/api/user/me", headers=auth, seconds=args.seconds)
            rps, p50, p95 = mixed(400, 45)
            rows.append(
                f"| {version} | {floor.rps:.0f} / {floor.p99_ms:.1f} | {me.rps:.0f} / {me.p99_ms:.1f} | {rps:.0f} | {p50} / {p95} |"
            )
            print(rows[-1], flush=True)
    finally:
        stack("stop")
        subprocess.run([*PIP, "-r", str(ROOT / "requirements.txt")], check=True, capture_output=True)
    print("\n| gunicorn | floor req/s / p99 ms | /api/user/me req/s / p99 ms | mixed, 400 students: req/s | mixed p50 / p95 ms |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
