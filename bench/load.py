"""The apps' mixed traffic (bench/locustfile.py) across two instances: throughput, latency and
errors per endpoint, outbound calls per request and memory per worker.

    INSTANCES=2 PROVIDERS=fake TRUSTED_PROXY_COUNT=1 bench/stack start
    .venv/bin/python bench/load.py --users 150 --seconds 90

Prints, as markdown for docs/BENCHMARKS.md: throughput and p50/p95/p99 and errors per endpoint,
outbound provider calls per request (from the fake providers' counters), and the memory of every
gunicorn worker (RSS, and PSS, which shares the pages forked from the master fairly) after the run.
Needs locust (`.venv/bin/pip install -r bench/requirements.txt`).
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
# --latency real: what each provider takes to answer from a data centre (seconds), roughly; the
# fake providers answer at once otherwise. Gemini's is for a short reply without thinking.
REAL_LATENCY = {"gemini": 1.0, "google_places": 0.2, "google_routes": 0.2, "openweather": 0.1}


def _kib(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def worker_memory(ports: list[int]) -> list[str]:
    rows = []
    for port in ports:
        master = Path(f"/tmp/violetvibes-bench-{port}.pid").read_text().strip()
        children = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True).stdout.split()
        for pid in children:
            rss = _kib(Path(f"/proc/{pid}/status"), "VmRSS")
            pss = _kib(Path(f"/proc/{pid}/smaps_rollup"), "Pss")
            rows.append(f"| :{port} worker {pid} | {rss / 1024:.0f} | {pss / 1024:.0f} |")
        rows.append(f"| :{port} master {master} | {_kib(Path(f'/proc/{master}/status'), 'VmRSS') / 1024:.0f} | "
                    f"{_kib(Path(f'/proc/{master}/smaps_rollup'), 'Pss') / 1024:.0f} |")
    return rows


def stats_table(csv_path: Path) -> tuple[list[str], int]:
    rows, total = [], 0
    with csv_path.open() as handle:
        for row in csv.DictReader(handle):
            name = row["Name"]
            count, failures = int(row["Request Count"]), int(row["Failure Count"])
            if name == "Aggregated":
                total = count
                name = "**all**"
            rows.append(
                f"| {name} | {count} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | {row['Max Response Time'].split('.')[0]} | {failures} |"
            )
    return rows, total


def failures_table(csv_path: Path) -> list[str]:
    with csv_path.open() as handle:
        return [f"| {row['Name']} | {row['Error'][:100]} | {row['Occurrences']} |" for row in csv.DictReader(handle)]


def seed_accounts(base: str, count: int, path: Path) -> None:
    """Signs up `count` students before the run (each from an address of its own: 5 signups/min per client)."""
    accounts = []
    for n in range(count):
        email = f"seed-{n}-{Path(path).parent.name}@nyu.edu"
        response = requests.post(
            f"{base}/api/auth/signup",
            json={"email": email, "password": "bench-purple-42"},
            headers={"X-Forwarded-For": f"10.200.{n // 256}.{n % 256}"},
            timeout=30,
        )
        response.raise_for_status()
        accounts.append({"email": email, **response.json()})
    path.write_text(json.dumps(accounts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", default="http://127.0.0.1:8100,http://127.0.0.1:8101")
    parser.add_argument("--fake", default="http://127.0.0.1:8900")
    parser.add_argument("--users", type=int, default=150)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--latency", choices=("none", "real"), default="none", help="real: providers answer after REAL_LATENCY")
    args = parser.parse_args()
    ports = [int(url.rsplit(":", 1)[1]) for url in args.instances.split(",")]

    out = Path(tempfile.mkdtemp(prefix="vv-load-"))
    seed_accounts(args.instances.split(",")[0], args.users, out / "accounts.json")
    requests.post(f"{args.fake}/__reset", timeout=5)
    if args.latency == "real":
        for provider, delay in REAL_LATENCY.items():
            requests.post(f"{args.fake}/__mode", json={"provider": provider, "mode": "slow", "delay": delay}, timeout=5)
    command = [
        str(Path(sys.executable).parent / "locust"), "-f", str(BENCH / "locustfile.py"), "--headless", "--only-summary",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--csv", str(out / "run"),
    ]  # fmt: skip
    subprocess.run(command, check=False, env={"VV_INSTANCES": args.instances, "VV_ACCOUNTS": str(out / "accounts.json"), "PATH": "/usr/bin:/bin"}, capture_output=True)
    calls = requests.get(f"{args.fake}/__stats", timeout=5).json()["calls"]
    requests.post(f"{args.fake}/__reset", timeout=5)

    rows, total = stats_table(out / "run_stats.csv")
    print(f"{args.users} students, {args.seconds} s, provider latency {args.latency}, instances {args.instances}\n")
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |\n|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    failures = failures_table(out / "run_failures.csv")
    if failures:
        print("\n| endpoint | error | count |\n|---|---|---|")
        print("\n".join(failures))
    print("\n| provider | outbound calls | per 1000 requests |\n|---|---|---|")
    for provider, count in sorted(calls.items()):
        print(f"| {provider} | {count} | {1000 * count / max(total, 1):.1f} |")
    print("\n| process | RSS MiB | PSS MiB |\n|---|---|---|")
    print("\n".join(worker_memory(ports)))


if __name__ == "__main__":
    main()
