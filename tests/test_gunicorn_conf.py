"""The server setup chosen in docs/BENCHMARKS.md is what gunicorn.conf.py gives by default; without a
shared cache it runs one worker, so that every request sees the same memory and rate limits."""

import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
VARIABLES = (
    "WEB_CONCURRENCY",
    "GUNICORN_WORKER_CLASS",
    "GUNICORN_THREADS",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "PORT",
    "LOG_LEVEL",
    "REDIS_URL",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def conf(clean_env) -> dict:
    """The configuration as App Platform runs it: with the shared cache (REDIS_URL)."""
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/4")
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


def test_the_environment_still_overrides(clean_env):
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6379/4")
    clean_env.setenv("GUNICORN_WORKER_CLASS", "sync")
    clean_env.setenv("GUNICORN_THREADS", "1")
    clean_env.setenv("WEB_CONCURRENCY", "3")
    conf = runpy.run_path(str(CONF))
    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("sync", 3, 1)


# --- Without REDIS_URL (make run): one worker, its threads sharing one memory -----------------------
def test_without_a_shared_cache_one_worker_with_threads_serves_every_request(clean_env, capsys):
    conf = runpy.run_path(str(CONF))

    assert (conf["worker_class"], conf["workers"], conf["threads"]) == ("gthread", 1, 8)
    assert capsys.readouterr().err == ""  # nothing was asked that is refused


def test_without_a_shared_cache_more_workers_are_refused_and_said_so(clean_env, capsys):
    clean_env.setenv("WEB_CONCURRENCY", "4")

    conf = runpy.run_path(str(CONF))

    assert conf["workers"] == 1
    assert "WEB_CONCURRENCY=4 ignored" in capsys.readouterr().err


def test_empty_variables_read_as_their_defaults(clean_env):
    for name in VARIABLES:
        clean_env.setenv(name, "")

    conf = runpy.run_path(str(CONF))

    assert conf["bind"] == "0.0.0.0:8080"
    assert (conf["worker_class"], conf["workers"], conf["threads"], conf["timeout"], conf["keepalive"]) == ("gthread", 1, 8, 30, 75)
    assert (conf["loglevel"], conf["max_requests"]) == ("info", 0)


def test_a_number_that_does_not_parse_stops_the_server_naming_its_variable(clean_env):
    clean_env.setenv("GUNICORN_TIMEOUT", "thirty")

    with pytest.raises(ImproperlyConfigured, match="GUNICORN_TIMEOUT must be a whole number"):
        runpy.run_path(str(CONF))


# --- gunicorn's own log lines --------------------------------------------------------------------------
LOG_PROBE = """
import runpy
from gunicorn.config import Config

conf = runpy.run_path("gunicorn.conf.py")
cfg = Config()
for name, value in conf.items():
    if name in cfg.settings:
        cfg.set(name, value)
cfg.set("accesslog", "-")  # as --access-logfile - would
logger = cfg.logger_class(cfg)
logger.info("Booting worker with pid: %s", 4242)
logger.critical("WORKER TIMEOUT (pid:%s)", 4242)
try:
    raise RuntimeError("worker failed")
except RuntimeError:
    logger.exception("Exception in worker process")
logger.access_log.info("GET /health 200")
"""


def _gunicorn_log_lines(env: dict[str, str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOG_PROBE], env=env, cwd=CONF.parent, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def test_gunicorn_logs_one_json_object_per_line_under_production_settings(production_env):
    lines = _gunicorn_log_lines(production_env)

    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(records) == len([line for line in lines if not line.startswith(" ")]) >= 4, lines
    by_message = {record["message"]: record for record in records}
    assert by_message["Booting worker with pid: 4242"]["level"] == "INFO"
    assert by_message["Booting worker with pid: 4242"]["logger"] == "gunicorn.error"
    assert by_message["WORKER TIMEOUT (pid:4242)"]["level"] == "CRITICAL"
    assert "RuntimeError: worker failed" in by_message["Exception in worker process"]["exception"]
    assert by_message["GET /health 200"]["logger"] == "gunicorn.access"
    assert all(set(record) >= {"timestamp", "level", "logger", "message", "request_id"} for record in records)


def test_gunicorn_logs_text_where_the_application_does(production_env):
    env = {"PATH": production_env["PATH"], "DJANGO_SETTINGS_MODULE": "violetvibes.settings.local"}

    lines = _gunicorn_log_lines(env)

    assert any("Booting worker with pid: 4242" in line and not line.startswith("{") for line in lines), lines


def test_production_settings_without_their_secrets_stop_gunicorn_before_it_starts(production_env):
    del production_env["REDIS_URL"]

    result = subprocess.run(
        [sys.executable, "-c", "import runpy; runpy.run_path('gunicorn.conf.py')"],
        env=production_env, cwd=CONF.parent, capture_output=True, text=True, timeout=60, check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: REDIS_URL must be set" in result.stderr

