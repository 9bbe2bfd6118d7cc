"""Opening hours: OpenStreetMap `opening_hours` expressions, evaluated in New York time at the
instant a request is about (`at`), by opening-hours-py.

A place with no hours is neither open nor closed: its status is unknown, and nothing claims it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, ParserError, State

NEW_YORK = ZoneInfo("America/New_York")
LOOK_AHEAD = timedelta(days=8)  # past this, "opens at" is not worth saying


@dataclass(frozen=True)
class Status:
    """Open or closed at an instant (None: unknown), with the opening it is in or the next one."""

    open_now: bool | None
    opens_at: datetime | None = None  # start of the current or next opening
    closes_at: datetime | None = None  # its end; None for a place that never closes

    @property
    def always_open(self) -> bool:
        return self.open_now is True and self.closes_at is None


UNKNOWN = Status(open_now=None)


@lru_cache(maxsize=4096)
def parse(expression: str) -> OpeningHours:
    """The parsed expression (cached: parsing is most of the cost). Raises ValueError."""
    try:
        return OpeningHours(expression, timezone=NEW_YORK, country="US")
    except (ParserError, SyntaxError) as exc:
        raise ValueError(" ".join(str(exc).split()) or "not opening_hours syntax") from None


def status(expression: str | None, *, at: datetime) -> Status:
    """Whether a place with these hours is open at `at`, and the opening that answers "until when"
    (open) or "from when" (closed). UNKNOWN without hours, or where the expression says unknown."""
    if not expression:
        return UNKNOWN
    try:
        parsed = parse(expression)
    except ValueError:
        return UNKNOWN
    at = at.astimezone(NEW_YORK)
    # Start a day early so that the opening `at` falls in is seen whole (e.g. open since yesterday 18:00).
    since = at - timedelta(days=1)
    for start, end, state, _comment in parsed.intervals(since, at + LOOK_AHEAD):
        start, end = start.astimezone(NEW_YORK), end if end is None else end.astimezone(NEW_YORK)
        if end is not None and end <= at:
            continue
        if start <= at:  # the interval `at` is in
            if state == State.UNKNOWN:
                return UNKNOWN
            if state == State.OPEN:  # an opening that began before the window began has no known start
                return Status(open_now=True, opens_at=start if start > since else None, closes_at=_finite(end, at))
            continue  # closed now: look for the next opening
        if state == State.OPEN:
            return Status(open_now=False, opens_at=start, closes_at=_finite(end, at))
    return Status(open_now=False) if parsed.is_closed(at) else UNKNOWN


def _finite(end: datetime | None, at: datetime) -> datetime | None:
    """The end of an opening, or None when it runs past the look-ahead (24/7)."""
    return end if end is not None and end < at + LOOK_AHEAD else None


def clock_text(moment: datetime, *, at: datetime) -> str:
    """'23:00', 'midnight', 'tomorrow 07:00' or 'Sat 09:00': when `moment` is, seen from `at` (New York)."""
    local, today = moment.astimezone(NEW_YORK), at.astimezone(NEW_YORK).date()
    if (local.hour, local.minute) == (0, 0) and local.date() == today + timedelta(days=1):
        return "midnight"
    if local.date() == today:
        return f"{local:%H:%M}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow {local:%H:%M}"
    return f"{local:%a %H:%M}"


def status_text(state: Status, *, at: datetime, usual: bool) -> str | None:
    """'open until 23:00', 'opens at 07:00', 'open 24 hours' (or 'usually ...' for hours that are
    the catalog's usual hours rather than a provider's current ones); None when unknown."""
    if state.open_now is None:
        return None
    prefix = "usually " if usual else ""
    if state.always_open:
        return f"{prefix}open 24 hours"
    if state.open_now:
        return f"{prefix}open until {clock_text(state.closes_at, at=at)}" if state.closes_at else f"{prefix}open now"
    if state.opens_at is None:
        return f"{prefix}closed"
    return f"closed now, {prefix}opens {_at_text(state.opens_at, at=at)}"


def _at_text(moment: datetime, *, at: datetime) -> str:
    """'at 07:00', 'tomorrow at 07:00', 'Sat at 09:00'."""
    text = clock_text(moment, at=at)
    return f"at {text}" if text[0].isdigit() or text == "midnight" else text.replace(" ", " at ", 1)
