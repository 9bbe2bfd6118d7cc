"""The suite's clock: `--clock` moves the whole run, `clock` pins one test, and the recorded event
pages are moved next to "now" by whole weeks."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.clock import NEW_YORK, SUNDAY_NIGHT
from tests.fakes.dates import RECORDED_FROM, shift_recorded_dates, weeks_until

pytest_plugins = ["pytester"]
REPO = Path(__file__).resolve().parent.parent

@pytest.fixture
def probe(pytester, monkeypatch):
    """run(*args): a one-test suite run in a new pytest, with the clock option as a plugin."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "violetvibes.settings.test")
    pytester.makepyfile(PROBE)
    return lambda *args: pytester.runpytest_subprocess("-p", "tests.clock", "-p", "no:cacheprovider", *args)


PROBE = """
from datetime import datetime, timezone

def test_now():
    print("NOW", datetime.now(timezone.utc).isoformat())
"""


def test_the_clock_option_runs_the_suite_at_that_instant(probe):
    result = probe("-s", "--clock=2027-11-07T01:30-05:00")

    assert result.ret == 0, result.stdout.str()
    seen = datetime.fromisoformat(result.stdout.str().split("NOW ", 1)[1].split()[0])
    assert 0 <= (seen - datetime.fromisoformat("2027-11-07T06:30+00:00")).total_seconds() < 60  # ticking on from there


@pytest.mark.parametrize("value", ["2027-11-07T01:30", "tomorrow"])
def test_a_clock_without_an_offset_or_not_a_date_is_refused(probe, value):
    result = probe(f"--clock={value}")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--clock" in result.stderr.str()


def test_the_clock_fixture_pins_now_in_new_york(clock):
    clock(SUNDAY_NIGHT, tick=False)

    assert timezone.localtime() == SUNDAY_NIGHT
    assert timezone.localtime().strftime("%a %H:%M") == "Sun 01:30"


def test_the_second_half_past_one_of_the_fall_back_night_is_its_own_instant(clock):
    first = clock("2027-11-07T01:30-04:00", tick=False)
    assert timezone.localtime().utcoffset().total_seconds() == -4 * 3600
    second = clock("2027-11-07T01:30-05:00", tick=False)
    assert timezone.localtime().utcoffset().total_seconds() == -5 * 3600
    assert (second - first).total_seconds() == 3600


@pytest.mark.parametrize(
    ("today", "weeks"),
    [(RECORDED_FROM, 0), (date(2026, 11, 21), 0), (date(2026, 11, 28), 1), (date(2026, 12, 6), 2), (date(2026, 11, 20), -1)],
)
def test_the_recording_moves_to_start_within_the_coming_week(today, weeks):
    assert weeks_until(today) == weeks
    first_day = RECORDED_FROM + (date(2026, 12, 4) - date(2026, 11, 27)) * weeks
    assert 0 <= (first_day - today).days < 7


def test_every_way_the_pages_write_a_date_is_moved_keeping_its_weekday():
    text = '"startsOn": "2026-11-27T23:00:00+00:00", /events/2026/11/28/run, November 29, 2026, 2024-05-01 10:00:00'

    moved = shift_recorded_dates(text, weeks=5)

    assert moved == '"startsOn": "2027-01-01T23:00:00+00:00", /events/2027/01/02/run, January 3, 2027, 2024-06-05 10:00:00'
    assert datetime(2027, 1, 1, tzinfo=NEW_YORK).weekday() == datetime(2026, 11, 27, tzinfo=NEW_YORK).weekday()
    assert shift_recorded_dates("v2026-13-45 and 12026-11-27", weeks=1) == "v2026-13-45 and 12026-11-27"  # not dates
