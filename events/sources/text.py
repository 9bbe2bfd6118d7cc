"""Text and date helpers shared by the event sources.

The feeds we read hand us HTML fragments with entities (sometimes escaped twice, as WordPress
does with `&amp;#8217;`) and datetimes in several shapes, some without an offset. Everything a
source puts into a `SourceEvent` goes through these two functions, so titles and descriptions are
plain text and every datetime is timezone-aware.
"""

import html
import re
import warnings
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

DEFAULT_TZ = "America/New_York"
ELLIPSIS = "…"

# Elements after which the text reads as a new word, so "<p>One</p><p>Two</p>" is "One Two".
_BLOCK_TAGS = (
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
)
_DROPPED_TAGS = ("script", "style", "template", "noscript")
_MARKUP = re.compile(r"<[a-zA-Z/!]")
_TRAILING_PUNCTUATION = " ,;:\u2013\u2014-([{"


def clean_text(value: str | None, max_chars: int = 500) -> str:
    """Plain text from an HTML fragment: tags stripped, entities decoded, whitespace collapsed.

    Entities are decoded until stable (at most three rounds) so double-escaped ones such as
    `&amp;#8217;` come out as U+2019, and markup that arrived escaped (`&lt;p&gt;`) is stripped too. Text longer than `max_chars` is cut at the last word boundary
    that fits and ends with "…"; the result is never longer than `max_chars`.
    """
    if not value:
        return ""
    text = str(value)
    for _ in range(3):
        if _MARKUP.search(text):
            text = _strip_markup(text)
        unescaped = html.unescape(text) if "&" in text else text
        if unescaped == text:
            break
        text = unescaped  # another round: it may hold escaped markup ("&lt;p&gt;") or entities
    text = " ".join(text.split())  # also folds non-breaking and other Unicode spaces
    return truncate(text, max_chars)


def truncate(text: str, max_chars: int) -> str:
    """`text` cut at a word boundary with "…" when it is longer than `max_chars`."""
    if max_chars <= 0:
        return ""
    if len(text) <= max_chars:
        return text
    room = max_chars - len(ELLIPSIS)
    cut = text[:room]
    if room < len(text) and not text[room].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # drop the partial last word
    cut = cut.rstrip(_TRAILING_PUNCTUATION)
    return f"{cut}{ELLIPSIS}" if cut else text[:room] + ELLIPSIS


def _strip_markup(fragment: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(fragment, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.name in ("br", "hr"):
            tag.replace_with(" ")
        else:
            tag.insert_before(" ")
            tag.insert_after(" ")
    return soup.get_text()


def get_zone(name: str | None, default_tz: str = DEFAULT_TZ) -> ZoneInfo:
    """The zone called `name`, or `default_tz` when the name is empty or unknown (e.g. "UTC-5")."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(default_tz)


def parse_datetime(value: object, default_tz: str = DEFAULT_TZ) -> datetime | None:
    """An aware datetime from an ISO 8601 string (with or without offset, "Z", a space instead of
    "T", a bare date) or a datetime. Values without an offset are in `default_tz`
    (America/New_York). Anything else — empty, garbage, other types — gives None.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if not text or not text[:4].isdigit():
            return None
        if text[-1] in "zZ":
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None or parsed.tzinfo.utcoffset(parsed) is None:
        parsed = parsed.replace(tzinfo=get_zone(default_tz))
    return parsed
