"""Instructions one request costs, counted by valgrind: a figure other work on the machine does not move.

    .venv/bin/python bench/instructions.py chat            # a new conversation: the latency benchmark's turn
    .venv/bin/python bench/instructions.py quick_recs      # the latency benchmark's warm list
    .venv/bin/python bench/instructions.py chat --n 100 --out /tmp/chat.callgrind   # keep the profile

Timings on the shared two-core machine move by up to 2x within minutes (docs/BENCHMARKS.md), so a
change worth 10% cannot be told from noise by the clock. This runs the requests of bench/latency.py
in-process, through the WSGI application as gunicorn calls it (bench/profile_request.py --direct),
under `valgrind --tool=callgrind` with counting switched on only for the measured requests: after a
warm-up and `gc.freeze()`, as a gunicorn worker is after its own warm-up. Repeated runs agree within
about 1%. `callgrind_annotate` reads the --out file (where the instructions went, by C function).

Uses bench/stack's environment (Postgres and Redis databases; run `bench/stack start` once).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = {
    # What bench/latency.py sends: the same anonymous chat turn (a new conversation each time) and
    # the warm quick-recs list.
    "chat": ("POST", "/api/chat", {"message": "where can I get a quick bite near campus?"}),
    "quick_recs": ("GET", "/api/quick_recs?category=quick_bites&latitude=40.7295&longitude=-73.9965", None),
}


def child(name: str, n: int, ready: Path, go: Path) -> None:
    """Runs inside valgrind: warm up, say so, wait for counting to be on, send N requests, say so,
    and wait for counting to be off (the interpreter's exit is not counted)."""
    import gc
    import time

    sys.path[0] = str(ROOT)
    from bench.profile_request import BENCH_ENV, _wsgi_sender

    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)
    import django

    django.setup()
    method, path, body = REQUESTS[name]
    send = _wsgi_sender(method, path, {})
    for _ in range(30):
        status = send(body or {})
    assert status == 200, status
    gc.collect()
    gc.freeze()
    ready.touch()
    while not go.exists():
        time.sleep(0.05)
    for _ in range(n):
        send(body or {})
    ready.unlink()
    while go.exists():
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("request", choices=sorted(REQUESTS))
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--out", help="keep the callgrind profile here")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.request, args.n, Path(args.child[0]), Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        ready, go = Path(tmp, "ready"), Path(tmp, "go")
        out = str(Path(tmp, "callgrind.out"))
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        process = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
             sys.executable, __file__, args.request, "--n", str(args.n), "--child", str(ready), str(go)],
            env=env, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while not ready.exists():
            if process.poll() is not None:
                sys.exit(f"the child stopped before it was ready:\n{process.stderr.read()}")
            subprocess.run(["sleep", "0.2"], check=True)
        subprocess.run(["callgrind_control", "--instr=on", str(process.pid)], check=True, capture_output=True)
        go.touch()
        while ready.exists():
            if process.poll() is not None:
                sys.exit(f"the child stopped while counting:\n{process.stderr.read()}")
            subprocess.run(["sleep", "0.2"], check=True)
        subprocess.run(["callgrind_control", "--dump=measured", str(process.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "--instr=off", str(process.pid)], check=True, capture_output=True)
        go.unlink()
        process.wait()
        if process.returncode:
            sys.exit(f"valgrind exited {process.returncode}:\n{process.stderr.read()}")
        dumped = Path(f"{out}.1")  # the dump asked for above; `out` itself holds what came after it
        total = int(re.search(r"^(?:summary|totals):\s*(\d+)", dumped.read_text(), re.M).group(1))
        if args.out:
            dumped.replace(args.out)
    print(f"{args.request}: {total / args.n:,.0f} instructions a request ({args.n} requests)")


if __name__ == "__main__":
    main()
