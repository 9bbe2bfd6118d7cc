"""The server setup chosen in docs/BENCHMARKS.md is what gunicorn.conf.py gives by default."""

import runpy
import sys
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def conf(monkeypatch: pytest.MonkeyPatch) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_KEEPALIVE", "GUNICORN_TIMEOUT", "PORT"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(CONF))


def test_threaded_workers_by_default(conf):
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("gthread", 2, 8)
    assert conf["bind"] == "0.0.0.0:8080"


def test_keep_alive_outlasts_a_proxy_that_keeps_connections_for_a_minute(conf):
    assert conf["keepalive"] > 60
    assert conf["timeout"] == 30


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_large_blocks_go_back_to_the_os_on_glibc(conf):
    assert conf["_return_large_blocks_to_the_os"]() is True


def test_the_environment_still_overrides(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKER_CLASS", "sync")
    monkeypatch.setenv("GUNICORN_THREADS", "1")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    conf = runpy.run_path(str(CONF))
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("sync", 3, 1)
