"""Gunicorn settings shared by `make run`, App Platform and the benchmark stack.

Chosen by measurement (docs/BENCHMARKS.md, "Server setup"): with providers answering at real-world
speed, a chat turn waits about a second on Gemini. Sync workers spend that second blocked, so four
of them queued every other request behind a few chat turns (p50 690 ms at 21 req/s); threads
wait without holding the worker (p50 8 ms at the same load, 145 req/s before the CPU saturates).
"""

import ctypes
import ctypes.util
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8080')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# Enough threads for the chat turns waiting on Gemini at once; four per worker queued at 400
# students. Each thread keeps its own database connection: instances x workers x threads (2 x 2 x
# 8 = 32) must stay under the database's connection limit (README, Operations).
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request that outlives this is killed; provider calls are bounded well below it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Longer than the platform proxy's idle timeout: otherwise gunicorn closes a kept-alive connection
# just as the proxy sends the next request on it (with 5 s, 26 of 9,000 requests were reset).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Off by default: a recycled worker costs a cold start (~1 s of imports) under load. Set it if a leak appears.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = 200  # used only when max_requests is set: spreads the workers' restarts apart


def _return_large_blocks_to_the_os() -> bool:
    """Fixes glibc's mmap threshold at 1 MiB, so that large blocks are always mapped and unmapped.

    Each Argon2 hash allocates 19 MiB. glibc raises its threshold after freeing such a block, so
    the next ones come from a per-thread heap that keeps the memory: a worker with 8 threads grew
    to 300 MiB. With the threshold fixed it stays at 150 MiB. No-op where libc is not glibc.
    """
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name)
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is None:
        return False
    m_mmap_threshold = -3
    return bool(mallopt(m_mmap_threshold, 1024 * 1024))


# Set in the master before it forks, so every worker inherits it.
_return_large_blocks_to_the_os()
