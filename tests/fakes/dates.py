"""The recorded event pages (tests/payloads/) moved next to a chosen "now", so a fake source never
serves only past events because the calendar moved on.

The pages were captured in the week starting Friday 27 November 2026. They are moved by whole
weeks, so every date keeps its weekday ("this weekend" stays a weekend) and its time of day.
Used by the events tests' fake sources and by bench/fake_providers.py.
"""

import re
from datetime import date, timedelta

RECORDED_FROM = date(2026, 11, 27)  # the first day of the recorded pages' week

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_ISO = re.compile(r"(?<!\d)(\d{4})([-/])(\d{2})\2(\d{2})(?!\d)")  # 2026-11-28, and the 2026/11/28 of NYC Parks' links
_WRITTEN = re.compile(rf"\b({'|'.join(MONTHS)}) (\d{{1,2}}), (\d{{4}})\b")  # November 28, 2026


def weeks_until(day: date) -> int:
    """Whole weeks to move the recording by so that its first day falls in the 7 days from `day`."""
    return -((RECORDED_FROM - day).days // 7)


def shift_recorded_dates(text: str, *, weeks: int) -> str:
    """`text` with every calendar date in it (ISO, slashed, or written out) `weeks` weeks later."""
    if weeks == 0:
        return text
    delta = timedelta(weeks=weeks)

    def iso(match: re.Match[str]) -> str:
        year, sep, month, day = match.groups()
        try:
            moved = date(int(year), int(month), int(day)) + delta
        except ValueError:  # not a date after all (e.g. a version number)
            return match.group(0)
        return moved.strftime(f"%Y{sep}%m{sep}%d")

    def written(match: re.Match[str]) -> str:
        month, day, year = match.groups()
        moved = date(int(year), MONTHS.index(month) + 1, int(day)) + delta
        return f"{MONTHS[moved.month - 1]} {moved.day}, {moved.year}"

    return _WRITTEN.sub(written, _ISO.sub(iso, text))

