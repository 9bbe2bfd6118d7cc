"""What a process keeps in memory between requests, and one way to forget all of it.

A few modules hold state for the life of a process: outbound HTTP sessions, the catalog rows, a
minute of weather answers, a remembered Redis outage, the Gemini client, and whether a once-per-
process warning was logged. Each registers, where that state is declared, a function that puts it
back as a new process has it (`on_reset`); `reset_process_state()` calls them all.

The test suite calls it before every test (tests/conftest.py), and a test that plays "another
worker" calls it mid-test. A module not yet imported has registered nothing, and needs nothing:
its state is still the new process's.
"""

from collections.abc import Callable

_resets: list[Callable[[], None]] = []


def on_reset(reset: Callable[[], None]) -> Callable[[], None]:
    """Registers `reset` to be called by reset_process_state(); usable as a decorator."""
    if reset not in _resets:
        _resets.append(reset)
    return reset


def reset_process_state() -> None:
    """Every registered module's state as a new process has it."""
    for reset in list(_resets):
        reset()
