"""Gunicorn settings shared by `make run`, App Platform and the benchmark stack.

Chosen by measurement (docs/BENCHMARKS.md, "Server setup"): with providers answering at real-world
speed, a chat turn waits about a second on Gemini. Sync workers spend that second blocked, so four
of them queued every other request behind a few chat turns (p50 690 ms at 21 req/s); threads
wait without holding the worker (p50 8 ms at the same load, 145 req/s before the CPU saturates).

Every variable is read as the settings read theirs (violetvibes/settings/base.py): unset or empty
means the default.
"""

import ctypes
import ctypes.util
import importlib
import os
import sys

from gunicorn import glogging
from gunicorn.config import Config

# The settings' own readers: empty means the default, and a number that does not parse stops the
# start with ImproperlyConfigured naming the variable.
from violetvibes.settings.base import env, env_bool, env_int


def worker_count() -> int:
    """WEB_CONCURRENCY worker processes (2) when the cache is shared between them, else one.

    Conversation memory and rate-limit counters live in the default cache. Without REDIS_URL it is
    process memory (settings/base.py, LocMemCache): with two workers a follow-up reached the other
    worker half of the time and found no conversation, and each worker counted its own limits.
    One worker with threads (gthread) shares one memory between all the requests it serves.
    """
    asked = env_int("WEB_CONCURRENCY", 2, minimum=1)
    if env("REDIS_URL", ""):
        return asked
    if asked > 1 and env("WEB_CONCURRENCY", ""):
        print(
            f"gunicorn.conf.py: WEB_CONCURRENCY={asked} ignored, starting 1 worker: without REDIS_URL the "
            "cache (conversation memory, rate limits) is process memory, which workers do not share. "
            "Set REDIS_URL to run more than one.",
            file=sys.stderr,
        )
    return 1


bind = f"0.0.0.0:{env_int('PORT', 8080, minimum=1, maximum=65535)}"
workers = worker_count()
worker_class = env("GUNICORN_WORKER_CLASS", "gthread")
# Enough threads for the chat turns waiting on Gemini at once; four per worker queued at 400
# students. Each thread keeps its own database connection: instances x workers x threads (2 x 2 x
# 8 = 32) must stay under the database's connection limit (README, Operations).
threads = env_int("GUNICORN_THREADS", 8, minimum=1)
# A request that outlives this is killed; provider calls are bounded well below it.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=0)
graceful_timeout = 20
# Longer than the platform proxy's idle timeout: otherwise gunicorn closes a kept-alive connection
# just as the proxy sends the next request on it (with 5 s, 26 of 9,000 requests were reset).
keepalive = env_int("GUNICORN_KEEPALIVE", 75, minimum=0)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None  # the app writes one structured line per request itself
errorlog = "-"
loglevel = env("LOG_LEVEL", "info").lower()
# Off by default: set it if a leak appears. (A recycled worker used to cost ~1 s of imports under load; with
# the warm-up below it is forked from the preloaded master and only reconnects.)
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0, minimum=0)
max_requests_jitter = 200  # used only when max_requests is set: spreads the workers' restarts apart

# Warm-up (violetvibes/warmup.py): a worker's first request cost 0.9-2.7 s of imports, files and
# connections (23-30 ms afterwards). The master loads the application and every view before it
# forks (preload_app), so each worker, a restarted one too, starts with them; each worker then
# connects (Redis, the database in each thread) and loads what needs the database before it takes
# its first request. GUNICORN_WARM_UP=false: neither (each first request loads what it needs).
warm_up = env_bool("GUNICORN_WARM_UP", True)
preload_app = warm_up


def when_ready(server: object) -> None:
    """In the master, the application loaded (preload_app), before any worker is forked."""
    if warm_up:
        from violetvibes.warmup import freeze_heap, load_code

        load_code()
        freeze_heap()


def _settle_config(cfg: object) -> None:
    """Copies every setting's value into the worker's Config object, so that reading one costs a lookup.

    gunicorn reads its settings as `cfg.<name>` about 30 times a request (parsing the headers,
    building the environ, the access log's on/off test). Config keeps them in `cfg.settings` and
    finds them through `__getattr__`, which Python calls only after the ordinary lookup has failed
    and built an AttributeError: about 2,000 instructions a read (1% of a chat turn in the worker,
    bench/worker_instructions.sh). A value in the instance's `__dict__` is found first.
    Same values: a worker never changes its settings after it starts (a reload, HUP, starts new
    workers with the master's new Config). Config's properties (`is_ssl`, `worker_class`,
    `sendfile`...) still compute as before: a property takes precedence over the instance's dict.
    """
    if not isinstance(cfg, Config):  # the tests' stand-in workers
        return
    for name, setting in cfg.settings.items():
        cfg.__dict__[name] = setting.get()  # Config.__setattr__ refuses settings' names on purpose


def post_worker_init(worker: object) -> None:
    """In each worker, before it accepts its first request."""
    _settle_config(worker.cfg)
    if warm_up:
        from violetvibes.warmup import freeze_heap
        from violetvibes.warmup import warm_up as warm_up_worker

        threaded = getattr(worker, "tpool", None)
        warm_up_worker(application=worker.wsgi, pool=threaded, threads=worker.cfg.threads if threaded is not None else 0)
        freeze_heap()


class JsonLogger(glogging.Logger):
    """gunicorn's own lines (worker boots and exits, timeouts, and the access log when one is set)
    written as the application writes its lines: one JSON object per line (violetvibes.logging)."""

    def setup(self, cfg: object) -> None:
        from violetvibes.logging import JsonFormatter

        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())


def application_logs_json() -> bool:
    """Whether the application's settings write JSON lines (production always does, else LOG_FORMAT=json).

    Read from the settings module gunicorn will serve, so the two never disagree. Importing it here
    also makes production settings without their secrets stop the server before any worker starts.
    """
    module = importlib.import_module(env("DJANGO_SETTINGS_MODULE", "violetvibes.settings.local"))
    return module.LOGGING["handlers"]["console"].get("formatter") == "json"


logger_class = JsonLogger if application_logs_json() else glogging.Logger


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
