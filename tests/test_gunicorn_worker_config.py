"""gunicorn.conf.py's post_worker_init copies the worker's settings into its Config (_settle_config):
the same values, found without Config.__getattr__, and Config's computed properties unchanged."""

import runpy
import types
from pathlib import Path

from gunicorn.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _conf(monkeypatch):
    monkeypatch.setenv("GUNICORN_WARM_UP", "false")  # this test is about the settings only
    return runpy.run_path(str(CONF))


def test_each_setting_reads_the_same_value_without_getattr(monkeypatch):
    conf = _conf(monkeypatch)
    cfg = Config()
    cfg.set("keepalive", 75)
    cfg.set("threads", 8)
    cfg.set("worker_class", "gthread")
    before = {name: getattr(cfg, name) for name in cfg.settings}

    conf["post_worker_init"](types.SimpleNamespace(wsgi=None, cfg=cfg))

    def no_fallback(self, name):
        raise AssertionError(f"cfg.{name} went through Config.__getattr__")

    monkeypatch.setattr(Config, "__getattr__", no_fallback)
    assert {name: getattr(cfg, name) for name in cfg.settings} == before
    assert cfg.keepalive == 75 and cfg.forwarded_allow_ips == before["forwarded_allow_ips"]
    # Properties still compute from the settings, not from the copies.
    assert cfg.worker_class.__name__ == "ThreadWorker"
    assert not cfg.is_ssl


def test_stand_in_workers_are_left_alone(monkeypatch):
    conf = _conf(monkeypatch)
    stand_in = types.SimpleNamespace(threads=1)
    conf["post_worker_init"](types.SimpleNamespace(wsgi=None, cfg=stand_in))
    assert vars(stand_in) == {"threads": 1}
