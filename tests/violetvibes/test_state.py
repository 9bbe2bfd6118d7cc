"""One reset for what a process keeps in memory (violetvibes/state.py): the suite calls it before
every test, and a test that plays "another worker" calls it mid-test."""

import ast
import logging
from pathlib import Path

from django.conf import settings

from violetvibes.providers.session import shared_session
from violetvibes.ratelimit import client_ip
from violetvibes.state import reset_process_state

APPS = ("violetvibes", "accounts", "places", "events", "recommendations", "chat")


def _modules_with_a_global_statement() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" in path.parts or "settings" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            if any(isinstance(node, ast.Global) for node in ast.walk(tree)):
                found.append(path)
    return found


def test_every_module_that_rebinds_a_global_registers_a_reset():
    """A module that keeps state in a global (a `global` statement rebinds it) says how a new
    process has it, so that the suite never resets it by its private name."""
    modules = _modules_with_a_global_statement()

    assert modules, "the walk found none: its paths are wrong"
    unregistered = [str(path.relative_to(settings.BASE_DIR)) for path in modules if "state.on_reset" not in path.read_text()]
    assert unregistered == []


def test_after_a_reset_the_process_builds_new_outbound_sessions():
    first = shared_session("test-state", 60)
    assert shared_session("test-state", 60) is first

    reset_process_state()

    assert shared_session("test-state", 60) is not first


def test_after_a_reset_a_once_per_process_warning_is_logged_again(rf, settings, caplog):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = rf.get("/", REMOTE_ADDR="10.0.0.1")  # no X-Forwarded-For although a proxy is trusted

    with caplog.at_level(logging.WARNING, logger="violetvibes.ratelimit"):
        client_ip(request)
        client_ip(request)
        reset_process_state()
        client_ip(request)

    assert len([record for record in caplog.records if "X-Forwarded-For" in record.getMessage()]) == 2
