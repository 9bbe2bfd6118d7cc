"""Opening hours in OpenStreetMap syntax, evaluated in New York time at a given instant."""

from datetime import datetime

import pytest

from places import hours
from places.providers.google_places import opening_hours_expression
from tests.clock import NEW_YORK

CAFE = "Mo-Th 07:00-23:00; Fr-Sa 07:00-02:00; Su 08:00-22:00"


def ny(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK)


def test_open_says_until_when_and_since_when():
    state = hours.status(CAFE, at=ny("2026-12-09T14:00"))  # a Wednesday afternoon

    assert state == hours.Status(open_now=True, opens_at=ny("2026-12-09T07:00"), closes_at=ny("2026-12-09T23:00"))
    assert hours.status_text(state, at=ny("2026-12-09T14:00"), usual=False) == "open until 23:00"


def test_an_opening_past_midnight_is_still_open_at_half_past_one():
    at = ny("2026-12-12T01:30")  # early Saturday: Friday's opening runs to 02:00

    state = hours.status(CAFE, at=at)

    assert state.open_now is True and state.closes_at == ny("2026-12-12T02:00")
    assert hours.status_text(state, at=at, usual=True) == "usually open until 02:00"


@pytest.mark.parametrize(
    ("expression", "at", "text"),
    [
        (CAFE, "2026-12-09T23:30", "closed now, usually opens tomorrow at 07:00"),  # Wednesday night
        ("Mo-Sa 07:00-23:00; Su 08:00-22:00", "2026-12-13T01:30", "closed now, usually opens at 08:00"),  # Sunday, small hours
    ],
)
def test_closed_says_when_it_opens(expression, at, text):
    state = hours.status(expression, at=ny(at))

    assert state.open_now is False
    assert hours.status_text(state, at=ny(at), usual=True) == text


def test_a_place_closed_until_after_the_weekend_names_the_day():
    at = ny("2026-12-12T10:00")  # Saturday

    state = hours.status("Mo-Fr 09:00-17:00", at=at)

    assert state.opens_at == ny("2026-12-14T09:00")
    assert hours.status_text(state, at=at, usual=False) == "closed now, opens Mon at 09:00"


def test_always_open_has_no_opening_or_closing_time():
    state = hours.status("24/7", at=ny("2026-12-13T01:30"))

    assert state == hours.Status(open_now=True) and state.always_open
    assert hours.status_text(state, at=ny("2026-12-13T01:30"), usual=False) == "open 24 hours"


@pytest.mark.parametrize("expression", [None, "", "not hours at all", "Mo-Fr 09:00-17:00 unknown"])
def test_unknown_or_unreadable_hours_claim_nothing(expression):
    state = hours.status(expression, at=ny("2026-12-09T12:00"))

    assert state == hours.UNKNOWN
    assert hours.status_text(state, at=ny("2026-12-09T12:00"), usual=True) is None


def test_the_instant_decides_not_the_wall_clock_across_daylight_saving():
    # 2027-03-14: 02:00 EST jumps to 03:00 EDT. A bar closing at 03:00 is open at 01:59 EST and
    # shut one real minute later (03:00 EDT).
    bar = "Sa-Su 18:00-03:00"
    assert hours.status(bar, at=datetime.fromisoformat("2027-03-14T01:59-05:00")).open_now is True
    assert hours.status(bar, at=datetime.fromisoformat("2027-03-14T03:00-04:00")).open_now is False
    # 2027-11-07: 01:30 happens twice; a place closing at 01:00 is closed at both.
    late = "Sa 18:00-01:00"
    assert hours.status(late, at=datetime.fromisoformat("2027-11-07T01:30-04:00")).open_now is False
    assert hours.status(late, at=datetime.fromisoformat("2027-11-07T01:30-05:00")).open_now is False


def test_an_unparsable_expression_is_a_value_error_naming_where():
    with pytest.raises(ValueError, match="1:7"):
        hours.parse("Mo-Fr 25:00-26:00x")


def _period(day: int, open_at: str, close_day: int, close_at: str) -> dict:
    (oh, om), (ch, cm) = (map(int, open_at.split(":")), map(int, close_at.split(":")))
    return {"open": {"day": day, "hour": oh, "minute": om}, "close": {"day": close_day, "hour": ch, "minute": cm}}


@pytest.mark.parametrize(
    ("periods", "expression"),
    [
        ([{"open": {"day": 0, "hour": 0, "minute": 0}}], "24/7"),
        ([_period(5, "18:00", 6, "02:00"), _period(1, "11:30", 1, "15:00"), _period(1, "17:00", 1, "22:00")], "Mo 11:30-15:00,17:00-22:00; Fr 18:00-02:00"),
        ([_period(day, "07:00", (day + 1) % 7, "00:00") for day in (1, 2)], "Mo 07:00-24:00; Tu 07:00-24:00"),
        ([_period(1, "09:00", 3, "09:00")], None),  # open for two days straight: not guessed at
        ("garbage", None),
        ([], None),
        ([{"open": {"day": "1", "hour": 9, "minute": 0}, "close": {"day": 1, "hour": 17, "minute": 0}}], None),
    ],
)
def test_googles_weekly_periods_become_opening_hours(periods, expression):
    assert opening_hours_expression(periods) == expression


def test_a_closing_at_midnight_reads_as_midnight():
    at = ny("2026-12-09T21:00")
    state = hours.status("Mo-Su 07:00-24:00", at=at)

    assert hours.status_text(state, at=at, usual=False) == "open until midnight"
