"""Runs wrk against a running instance and reports req/s and latency percentiles.

Shared by the benchmark scripts; each result is one row of docs/BENCHMARKS.md.
"""

import json
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

_LUA_REPORT = """
done = function(summary, latency, requests)
  local codes = 0
  io.write(string.format("JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p90_us\\": %d, \\"p99_us\\": %d, \\"non2xx\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non2xx: int
    errors: int

    def row(self) -> str:
        return f"| {self.name} | {self.rps:.0f} | {self.p50_ms:.1f} | {self.p90_ms:.1f} | {self.p99_ms:.1f} | {self.non2xx} | {self.errors} |"


HEADER = "| endpoint | req/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors |\n|---|---|---|---|---|---|---|"


def signed_up_headers(base: str) -> dict[str, str]:
    """The Authorization header of a student signed up on the service at `base` for this run."""
    email = f"bench-{uuid.uuid4().hex[:8]}@nyu.edu"
    response = requests.post(f"{base}/api/auth/signup", json={"email": email, "password": "bench-purple-42"}, timeout=10)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
        path = shutil.which("wrk")
    assert path, "wrk is not installed"
    return path


def run(
    name: str,
    url: str,
    *,
    connections: int = 16,
    seconds: int = 10,
    threads: int = 2,
    method: str = "GET",
    body: dict | None = None,
    headers: dict[str, str] | None = None,
) -> Result:
    wrk = ensure_wrk()
    lua = ""
    if method != "GET" or body is not None:
        lua += f'wrk.method = "{method}"\n'
        lua += f"wrk.body = {json.dumps(json.dumps(body or {}))}\n"
        lua += 'wrk.headers["Content-Type"] = "application/json"\n'
    lua += _LUA_REPORT
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url]
    for key, value in (headers or {}).items():
        command[1:1] = ["-H", f"{key}: {value}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=seconds + 30).stdout
    Path(script.name).unlink()
    data = json.loads(re.search(r"^JSON (.*)$", output, re.M).group(1))
    return Result(
        name=name,
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        non2xx=data["non2xx"],
        errors=data["errors"],
    )
