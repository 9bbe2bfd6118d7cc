"""The suite's clock: the instants tests pin (with the `clock` fixture of tests/conftest.py) when
their outcome depends on "now", and the `--clock` option that runs the whole suite at an instant
(its hooks are imported by tests/conftest.py; this module needs no Django, so it also loads alone).

New York time throughout: it is the service's TIME_ZONE, and what "tonight" or "open now" means.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

NEW_YORK = ZoneInfo("America/New_York")

WEEKDAY_AFTERNOON = datetime(2026, 12, 9, 14, 0, tzinfo=NEW_YORK)  # a Wednesday in term
WEEKDAY_EVENING = datetime(2026, 12, 9, 19, 0, tzinfo=NEW_YORK)
SUNDAY_NIGHT = datetime(2026, 12, 13, 1, 30, tzinfo=NEW_YORK)  # 01:30, late Saturday night


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="ISO",
        help="run the whole suite as if it were this instant, ISO 8601 with an offset "
        "(e.g. 2026-12-13T01:30-05:00); the clock ticks on from there",
    )


_traveller = pytest.StashKey[time_machine.travel]()


def pytest_configure(config: pytest.Config) -> None:
    """--clock: the wall clock (time.time, datetime.now, date.today...) starts at that instant. Tests
    that need a particular "now" still pin their own, which wins while they run."""
    value = config.getoption("--clock")
    if not value:
        return
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as exc:
        raise pytest.UsageError(f"--clock {value!r} is not an ISO 8601 date and time: {exc}") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock {value!r} needs an offset (e.g. -05:00), so it names one instant")
    config.stash[_traveller] = time_machine.travel(instant, tick=True)
    config.stash[_traveller].start()


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_traveller, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--clock")
    return f"clock: the suite runs as if it were {value}" if value else None
