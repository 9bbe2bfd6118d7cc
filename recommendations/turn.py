"""Understanding one chat turn: what the student wants Violet to do with a message.

One step reads a message into a :class:`Turn`: the intent (a new search, more options, a follow-up
about the cards shown, a general question, small talk, clearing the chat), which card it points at,
how the list should shift (cheaper, closer...), what is asked about a place (hours, price...),
whether it asks what's on, and when. Every phrase table lives in recommendations/data/turn.json
(English, Spanish, Chinese); kinds of place come from words.json. Text is folded with
:func:`recommendations.request.fold`, Chinese is cut into the known words (longest first), chat
shorthand is rewritten from the JSON's slang table and other typos are read with rapidfuzz.

Everything works on tokens, never on raw substrings: substring matching is what turns "something",
"this" or "sushi" into a greeting ("hi"). Nothing here reads the clock: :meth:`When.resolve` takes
the moment to resolve from.
"""

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from recommendations.request import FUZZY_MIN_LENGTH, fold, is_one_typo, typo_of
from recommendations.request import understand as request_understand
from recommendations.request import vocabulary as words_vocabulary

__all__ = [
    "CLEAR",
    "FOLLOW_UP",
    "GENERAL_QUESTION",
    "INTENTS",
    "MORE_OPTIONS",
    "NEW_REQUEST",
    "NEW_YORK",
    "REFINEMENTS",
    "SMALL_TALK",
    "TOPICS",
    "Turn",
    "When",
    "tokenize",
    "understand_turn",
]

NEW_REQUEST = "new_request"
MORE_OPTIONS = "more_options"
FOLLOW_UP = "follow_up"
GENERAL_QUESTION = "general_question"
SMALL_TALK = "small_talk"
CLEAR = "clear"
INTENTS = (NEW_REQUEST, MORE_OPTIONS, FOLLOW_UP, GENERAL_QUESTION, SMALL_TALK, CLEAR)
REFINEMENTS = ("cheaper", "closer", "open_now", "quieter", "better_rated", "nicer")
TOPICS = ("hours", "price", "diet", "address", "distance", "directions", "reservations", "age", "menu", "wifi", "access", "weather", "rating", "wait")

TURN = Path(__file__).resolve().parent / "data" / "turn.json"
NEW_YORK = ZoneInfo("America/New_York")

# --- When -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A time the student asks about: a named window ("tonight", "saturday") and maybe an hour."""

    key: str  # now | tonight | today | tomorrow | weekend | late | weekday | this_week
    weekday: int | None = None  # 0 = Monday, for key "weekday"
    hour: int | None = None  # 0-23
    minute: int = 0

    @property
    def instant(self) -> bool:
        """Whether resolve() gives one moment (start == end): the moment to check "open at"."""
        return self.key == "now" or self.hour is not None

    def to_memory(self) -> dict[str, Any]:
        return {"key": self.key, "weekday": self.weekday, "hour": self.hour, "minute": self.minute}

    def resolve(self, at: datetime) -> tuple[datetime, datetime]:
        """The window (start, end) in New York time, seen from ``at`` (a naive ``at`` is New York time)."""
        at = at.replace(tzinfo=NEW_YORK) if at.tzinfo is None else at.astimezone(NEW_YORK)
        start, end = _window(self.key, self.weekday, at)
        if self.hour is None:
            return start, end
        moment = _first_at(self.hour, self.minute, start, end) if self.key != "now" else None
        if moment is None:  # an hour alone, or one the window does not hold: the next such instant
            moment = _first_at(self.hour, self.minute, at, at + timedelta(days=2))
        return moment, moment


def when_from_memory(data: Any) -> When | None:
    """The When of When.to_memory(); None for anything else (a memory written by older code)."""
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return None
    weekday, hour, minute = data.get("weekday"), data.get("hour"), data.get("minute")
    return When(
        data["key"], weekday if isinstance(weekday, int) else None, hour if isinstance(hour, int) else None,
        minute if isinstance(minute, int) else 0,
    )


def _local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """That wall-clock time in New York (across a DST change too)."""
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK)


def _window(key: str, weekday: int | None, at: datetime) -> tuple[datetime, datetime]:
    today = at.date()
    tomorrow = today + timedelta(days=1)
    next_monday = today + timedelta(days=7 - today.weekday())
    if key == "tonight":
        return max(at, _local(today, 17)), _local(tomorrow, 4)
    if key == "late":
        if at.hour < 4:
            return at, _local(today, 4)
        return max(at, _local(today, 23)), _local(tomorrow, 4)
    if key == "today":
        return at, _local(tomorrow)
    if key == "tomorrow":
        return _local(tomorrow), _local(tomorrow + timedelta(days=1))
    if key == "weekend":
        return max(at, _local(next_monday - timedelta(days=3), 17)), _local(next_monday)
    if key == "this_week":
        return at, _local(next_monday)
    if key == "weekday" and weekday is not None:
        day = today + timedelta(days=(weekday - today.weekday()) % 7)
        return _local(day), _local(day + timedelta(days=1))
    return at, at


def _first_at(hour: int, minute: int, start: datetime, end: datetime) -> datetime | None:
    """The first hour:minute (local) from start to end, both included; None if the window holds none."""
    day = start.date()
    while day <= end.date():
        moment = _local(day, hour, minute)
        if start <= moment <= end:
            return moment
        day += timedelta(days=1)
    return None


# --- Turn -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn:
    intent: str  # one of INTENTS
    target_index: int | None  # 0-based index into `remembered`
    refinement: str | None  # one of REFINEMENTS
    about_one_place: bool  # points back at one place ("how far is it?", "is that one open?")
    topic: str | None  # one of TOPICS: what is asked about a place
    events: bool  # asks what's on
    when: When | None
    tokens: tuple[str, ...]  # the folded words


# --- The tables -----------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"[\u3400-\u9fff]+|\d+/\d+|\d+\+|[^\W_\u3400-\u9fff]+")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc`\u00b4\u2032]")
_HASH_NUMBER = re.compile(r"#\s*(\d+)")
_PRICE_SIGNS = re.compile(r"(?<!\d)(?<!\d )\$+(?!\s*\d)")  # "less $$", "not $$$$": the signs of a price level, read as "pricey"
_RUN_OF_3 = re.compile(r"(.)\1{2,}")
_RUN_OF_2 = re.compile(r"(.)\1+")


class _Phrases:
    """Phrases (token tuples) indexed by first token, longest first, for a linear scan of a message."""

    def __init__(self, phrases: Iterable[Sequence[str]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if phrase:
                self.by_first.setdefault(phrase[0], []).append(tuple(phrase))
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)  # "clear the chat" before "clear"

    @property
    def words(self) -> set[str]:
        return {tok for group in self.by_first.values() for phrase in group for tok in phrase}

    def spans(self, tokens: Sequence[str]) -> list[tuple[int, int]]:
        """Every (start, end) where a phrase is said, the longest one per start."""
        found: list[tuple[int, int]] = []
        if self.by_first.keys().isdisjoint(tokens):  # most messages: no word of the set at all
            return found
        for i, tok in enumerate(tokens):
            for phrase in self.by_first.get(tok, ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    found.append((i, i + len(phrase)))
                    break
        return found

    def hit(self, tokens: Sequence[str]) -> bool:
        """Whether a phrase is said (spans() stopped at the first)."""
        by_first = self.by_first
        if by_first.keys().isdisjoint(tokens):
            return False
        for i, tok in enumerate(tokens):
            for phrase in by_first.get(tok, ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    return True
        return False


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys of mappings included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


class _Tables:
    """turn.json, read once: phrase sets, word sets and the spelling targets."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.emoji: dict[str, str] = data["emoji"]
        self.emoji_pattern = re.compile("|".join(re.escape(e) for e in sorted(self.emoji, key=len, reverse=True)))
        self.slang = {fold(word): tuple(fold(said).split()) for word, said in data["slang"].items()}
        # Chinese is cut into the words these tables and words.json know, the longest first.
        self.cjk_words = frozenset(s for s in _strings(data) if _CJK.search(s)) | {
            phrase for phrase, _kind, _key in words_vocabulary().phrases if _CJK.search(phrase) and " " not in phrase
        }
        self.cjk_longest = max(map(len, self.cjk_words))
        sets = {
            name: self.phrases(data[name])
            for name in (
                "small_talk", "clear", "request", "category", "weak_request", "attributes", "more_neutral", "more", "same_kind", "however_far",
                "elsewhere",
                "anaphora", "list_references", "possession", "meta", "meta_over_request", "weather", "directions_general", "general_soft",
                "events", "venting", "asking", "leaving", "coverage", "cover_charge",
            )
        }  # fmt: skip
        self.sets = sets
        self.kinds = self.phrases(phrase for spec in words_vocabulary().whats.values() for phrase in _what_words(spec.key))
        self.kind_words = frozenset(self.kinds.words)
        self.refinements = {key: self.phrases(words) for key, words in data["refinements"].items()}
        wish = data["wish"]
        self.wish = (self.phrases(wish["phrases"]), self.phrases(wish["if"]), self.phrases(wish["better"]))
        lower_price = data["lower_price"]
        self.lower_price = (self.phrases(lower_price["lower"]), self.phrases(lower_price["prices"]))
        self.alternatives = {
            key: self.phrases(f"{head} {adj}" for head in data["alternative_heads"] for adj in adjectives)
            for key, adjectives in data["alternative_adjectives"].items()
        }
        superlatives = {key: words for key, words in data["superlatives"].items() if key != "_about"}
        self.superlatives = {key: (self.phrases(words), tuple(word for word in words if not word.isascii())) for key, words in superlatives.items()}
        topics = {key: list(words) for key, words in data["topics"].items()}
        topics["diet"] += [phrase for phrase, kind, _key in words_vocabulary().phrases if kind == "diet"]  # "vegana", "清真"
        self.topics = {key: self.phrases(words) for key, words in topics.items()}
        self.topic_kinds = {key: frozenset(kinds) for key, kinds in data.get("topic_kinds", {}).items() if key != "_about"}
        when = data["when"]
        self.when = {key: self.phrases(when[key]) for key in ("now", "tonight", "late", "today", "tomorrow", "weekend", "this_week")}
        self.not_late = self.phrases(when["not_late"])
        self.weekdays: dict[str, int] = {fold(word): day for word, day in when["weekdays"].items()}
        self.evening = frozenset(fold(word) for word in when["evening_words"])
        self.words = {
            name: frozenset(fold(word) for word in data[name])
            for name in (
                "clear_bare_verbs", "clear_objects", "one_place_words", "indefinite", "not_now", "question_words",
                "number_prefixes", "reference_nouns", "ordinal_blockers", "determiners", "generic_name_words",
                "common_words", "copulas_one", "copulas_several", "leaving_fillers", "auxiliaries",
            )
        }  # fmt: skip
        self.heads = frozenset(fold(word) for word in data["alternative_heads"])
        # asks_for_others(): the heads that ask for other places, and the shifts said in one word ("cheaper")
        self.other_heads = self.heads - self.words["indefinite"]
        self.shift_words = frozenset(
            phrase[0] for phrases in self.refinements.values() for group in phrases.by_first.values() for phrase in group if len(phrase) == 1
        )
        self.ordinals = {fold(word): place for word, place in data["ordinals"].items()}
        self.ordinals_alone = {fold(word): place for word, place in data["ordinals_alone"].items()}
        self.cardinals = {fold(word): n for word, n in data["cardinals"].items()} | {str(n): n for n in range(1, 11)}
        every = [*sets.values(), *self.refinements.values(), *self.lower_price, *self.wish, *(said for said, _ in self.superlatives.values()), *self.alternatives.values(), *self.topics.values(), *self.when.values()]
        self.vocabulary = frozenset(
            set().union(*(s.words for s in every))
            | set().union(*self.words.values())
            | set(self.ordinals) | set(self.cardinals) | set(self.weekdays)
            | {tok for said in self.slang.values() for tok in said}
        )  # fmt: skip
        # Typos are read as content keywords of five letters or more, never as a common word that would flip the intent.
        common = self.words["common_words"]
        self.fuzzy_targets = tuple(
            sorted(w for w in self.vocabulary - common if len(w) >= FUZZY_MIN_LENGTH and w.isascii() and w.isalpha())
        )

    def phrases(self, phrases: Iterable[str]) -> _Phrases:
        return _Phrases(_tokens(phrase, self) for phrase in phrases)


def _what_words(key: str) -> list[str]:
    return [phrase for phrase, kind, what in words_vocabulary().phrases if kind == "what" and what == key]


@cache
def tables() -> _Tables:
    return _Tables(json.loads(TURN.read_text(encoding="utf-8")))


# --- Tokens ---------------------------------------------------------------------------------------------


def _tokens(text: str, tabs: _Tables | None = None) -> list[str]:
    """The folded words of a text, before spelling: emoji read as words, "#2" as "number 2", Chinese cut into words."""
    tabs = tabs or tables()
    text = _APOSTROPHES.sub("", text.replace("\ufe0f", ""))
    text = tabs.emoji_pattern.sub(lambda m: f" {tabs.emoji[m.group(0)]} ", text)
    text = _HASH_NUMBER.sub(r" number \1 ", text).replace("&", " and ")
    text = _PRICE_SIGNS.sub(" pricey ", text)
    out: list[str] = []
    for word in _TOKEN.findall(fold(text)):
        out.extend(_segment(word, tabs) if _CJK.match(word) else (word,))
    return out


def _segment(run: str, tabs: _Tables) -> list[str]:
    """A run of Chinese as the words the tables know, longest first (an unknown character is a word)."""
    out, i = [], 0
    while i < len(run):
        size = next(
            (n for n in range(min(tabs.cjk_longest, len(run) - i), 1, -1) if run[i : i + n] in tabs.cjk_words), 1
        )
        out.append(run[i : i + size])
        i += size
    return out


@lru_cache(maxsize=8192)
def _spelled(token: str) -> tuple[str, ...]:
    """A word as meant: shorthand rewritten ("rn" -> "now"), elongations cut ("heyyy"), one typo mended."""
    tabs = tables()
    if token in tabs.slang:
        return tabs.slang[token]
    if token in tabs.vocabulary or token in tabs.kind_words or not (token.isascii() and token.isalpha()):
        return (token,)  # a word for a kind of place is meant too ("latte" is no "late")
    for cand in (_RUN_OF_3.sub(r"\1\1", token), _RUN_OF_2.sub(r"\1", token)):
        if cand in tabs.slang:
            return tabs.slang[cand]
        if cand in tabs.vocabulary:
            return (cand,)
    return (typo_of(token, tables().fuzzy_targets) or token,)


def tokenize(message: str) -> list[str]:
    """The words a message is read as: folded, shorthand rewritten, typos mended."""
    return [word for tok in _tokens(message) for word in _spelled(tok)]


def tokenize_besides(message: str, name: str) -> list[str]:
    """The words a message is read as, leaving out the words of a place's name before any is mended
    ("does prince st have vegan" of Prince Street Pizza: without "prince", which is no "price").
    Only where the name is said: a run of its words with one of its own in it, not a common word
    of it elsewhere ("is death and co 21 and over": the "and" of "21 and over" stays)."""
    said, tabs = set(_tokens(name)), tables()
    plain = tabs.words["common_words"] | tabs.words["generic_name_words"]
    tokens, left, i = _tokens(message), [], 0
    while i < len(tokens):
        end = i
        while end < len(tokens) and tokens[end] in said:
            end += 1
        if end == i:
            left.append(tokens[i])
            end += 1
        elif all(tok in plain for tok in tokens[i:end]):
            left.extend(tokens[i:end])  # common words only: not the name
        i = end
    return [word for tok in left for word in _spelled(tok)]


# --- Names of the cards shown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Card:
    index: int  # the order shown
    tokens: tuple[str, ...]
    key: tuple[str, ...]  # the distinctive words of the name


@dataclass
class _Names:
    matched: set[int] = field(default_factory=set)  # cards named
    used: set[int] = field(default_factory=set)  # token positions of those names
    vague: bool = False  # "the library" when several cards are libraries


@lru_cache(maxsize=4096)
def _card_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = tuple(_tokens(name))
    key = tuple(t for t in words if t not in tables().words["generic_name_words"])
    return words, key or words


def _cards(remembered: Sequence[str]) -> list[_Card]:
    return [_Card(index, *_card_words(str(name))) for index, name in enumerate(remembered)]


@lru_cache(maxsize=65536)
def _same_word(said: str, name_word: str) -> bool:
    if said == name_word:
        return True
    if said + "s" == name_word or name_word + "s" == said:  # "joe" / "joes"
        return len(min(said, name_word, key=len)) >= 3
    # A typo of a distinctive name ("katsuie"), never a real word ("dinner" is not "Dibner").
    return (
        len(name_word) >= FUZZY_MIN_LENGTH
        and said not in tables().vocabulary
        and said.isalpha()
        and is_one_typo(said, name_word)
    )


def _said_at(raw: Sequence[str], words: Sequence[str]) -> list[int]:
    n = len(words)
    return [i for i in range(len(raw) - n + 1) if all(_same_word(raw[i + k], words[k]) for k in range(n))]


def _named(raw: Sequence[str], cards: Sequence[_Card]) -> _Names:
    """Which cards the message names: whole names, their distinctive words, "the pizza place"."""
    names = _Names()
    common = tables().words["common_words"]
    shared: dict[str, int] = {}
    for card in cards:
        for tok in set(card.key):
            shared[tok] = shared.get(tok, 0) + 1

    def mark(card: _Card, starts: list[int], length: int) -> bool:
        if starts:
            names.matched.add(card.index)
            names.used.update(i for s in starts for i in range(s, s + length))
        return bool(starts)

    for card in cards:
        if not card.tokens:  # a blank or emoji-only name can never be said
            continue
        if mark(card, _said_at(raw, card.tokens), len(card.tokens)):
            continue
        distinctive = len(card.key) > 1 or card.key[0] not in common
        if distinctive and mark(card, _said_at(raw, card.key), len(card.key)):
            continue
        for tok in card.key:  # one distinctive word of a longer name: "quotidien"
            # (not a word that asks for something itself: the "view" of "nearest view spot" is no Manhattan Bridge View)
            if len(card.key) > 1 and shared[tok] == 1 and len(tok) >= 4 and tok not in common and not _asks_for(tok) and mark(card, _said_at(raw, (tok,)), 1):
                break
    _named_by_kind(raw, cards, names)
    return names


@lru_cache(maxsize=4096)
def _asks_for(word: str) -> bool:
    """Whether a word alone asks for a kind of place, a tag or a need ("view", "falafel")."""
    said = request_understand(word)
    return bool(said.whats or said.needs or said.diet)


def _named_by_kind(raw: Sequence[str], cards: Sequence[_Card], names: _Names) -> None:
    """"the pizza place": a generic word of one card's name after a determiner (several cards: vague)."""
    words = tables().words
    for i in range(1, len(raw)):
        word = raw[i]
        if i in names.used or raw[i - 1] not in words["determiners"] or word not in words["generic_name_words"]:
            continue
        if word in {"the", "a", "an", "of", "and", "at", "on", "in", "by"}:
            continue
        owners = [c for c in cards if word in c.tokens]
        if len(owners) == 1:
            names.matched.add(owners[0].index)
            names.used.add(i)
        elif owners:
            names.vague = True


def _positions(tokens: Sequence[str]) -> list[int]:
    """1-based positions the message points at ("the second one", "#3", "第二家"); -1 is the last."""
    tabs, refs = tables(), []
    words = tabs.words
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok in tabs.ordinals_alone:
            refs.append(tabs.ordinals_alone[tok])
        elif tok in tabs.ordinals and nxt not in words["ordinal_blockers"]:
            coordinated = bool(refs) and prev in {"and", "or", "vs", "versus", "y", "o"}  # "the first and second"
            if nxt in words["reference_nouns"] or prev in words["determiners"] or coordinated or len(tokens) == 1:
                refs.append(tabs.ordinals[tok])
        elif tok == "top" and nxt in {"one", "pick", "choice", "option"}:
            refs.append(1)
        elif tok in tabs.cardinals and prev in words["number_prefixes"]:
            refs.append(tabs.cardinals[tok])
    return refs


def positions_past(tokens: Sequence[str], count: int) -> bool:
    """Whether the message points at a position past a list of `count` ("the second one" after one)."""
    return any(pos > count for pos in _positions(tokens))


def _pointed(positions: Sequence[int], names: _Names, count: int) -> int | None:
    """The one card pointed at by name or position; None for none, several, or past the end."""
    pointed = set(names.matched)
    for pos in positions:
        if pos == -1:
            pointed.add(count - 1)
        elif 1 <= pos <= count:
            pointed.add(pos - 1)
    return next(iter(pointed)) if len(pointed) == 1 else None


# --- Signals --------------------------------------------------------------------------------------------


def _covered(spans: Iterable[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _anaphora(tokens: Sequence[str]) -> set[int]:
    """Positions of "it", "they", "that one"... that point back at the cards (not "is there a bar")."""
    positions = _covered(tables().sets["anaphora"].spans(tokens))
    for i in [i for i in positions if tokens[i] == "there"]:
        prev = tokens[i - 1] if i > 0 else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if prev in {"is", "are", "was", "were", "any"} or nxt in {"is", "are", "any", "a", "an", "some"}:
            positions.discard(i)
    return {i for i in positions if not not_a_pointer(tokens, i)}


def not_a_pointer(tokens: Sequence[str], i: int) -> bool:
    """Whether a word that may point back at a place shown does not here: the weather ("indoor pls
    its cold", "in this cold"), or "that" as "which" after a word for places ("any that stay open
    late", "somewhere that has wifi")."""
    word, after = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
    weather = after in tables().topics["weather"].words  # ("is that hot chocolate good": the place's)
    if weather and (word in {"it", "its"} or (word in {"this", "that"} and i > 0 and tokens[i - 1] in {"in", "with"})):
        return True
    if word in {"that", "it"} and i > 1 and tokens[i - 1] == "of":  # "any of that free?", "any of it free": which of all that was offered
        return tokens[i - 2] in tables().heads | tables().words["indefinite"]
    return word in {"that", "thats"} and i > 0 and tokens[i - 1] in tables().heads | tables().words["indefinite"]


ONE_PLACE = frozenset({"one", "place", "spot"})
LOWER_PRICE_GAP = 1  # words between "lower" and the price it lowers ("lower drink prices")


def asks_for_others(tokens: Sequence[str]) -> bool:
    """"anything closer?", "somewhere quieter?", "a cheaper one?", "quieter spot pls": other places,
    whatever else the message points at ("this one is so loud")."""
    tabs = tables()
    for i, word in enumerate(tokens):
        before = tokens[i - 1] if i else None
        if word in tabs.other_heads:
            return True
        if word in ONE_PLACE and (before in {"a", "an", "another", "some", "any"} or before in tabs.shift_words):
            return True
    return False


def _refinement(tokens: Sequence[str], *, with_cards: bool, new_topic: bool) -> str | None:
    """The first shift of the list asked for: a comparative always, "anything cheap?" only about cards shown."""
    tabs = tables()
    found = [(start, key) for key, phrases in tabs.refinements.items() for start, _ in phrases.spans(tokens)]
    lower, prices = tabs.lower_price  # "lower drink prices", "a lower door charge"
    found += [(start, "cheaper") for start, end in lower.spans(tokens) if prices.hit(tokens[end : end + LOWER_PRICE_GAP + 1])]
    if not found and with_cards and not new_topic:
        for key, phrases in tabs.alternatives.items():
            for start, end in phrases.spans(tokens):
                later = end < len(tokens) and tokens[end] in tabs.words["not_now"]  # "anything open late"
                if not (key == "open_now" and later):
                    found.append((start, key))
    return min(found)[1] if found else None


def wishes(tokens: Sequence[str]) -> bool:
    """"even better if it has wifi", "y si además tiene wifi mejor", "ideally w outlets": something
    wished of the places asked for, not a question about each place shown."""
    phrases, if_words, better = tables().wish
    return phrases.hit(tokens) or (if_words.hit(tokens) and better.hit(tokens))


def without_refinements(tokens: Sequence[str]) -> str:
    """The message without the phrases that shift a list ("lower budget", "more budget"): what else it says."""
    covered = _covered(span for phrases in tables().refinements.values() for span in phrases.spans(tokens))
    return " ".join(token for index, token in enumerate(tokens) if index not in covered)


def _wants_clear(tokens: Sequence[str]) -> bool:
    """"start over", "clear the chat"; a bare "reset"/"clear" only with the chat as its object."""
    words = tables().words
    for start, end in tables().sets["clear"].spans(tokens):
        bare = end - start == 1 and tokens[start] in words["clear_bare_verbs"]
        if not bare or end == len(tokens) or tokens[end] in words["clear_objects"]:
            return True
    return False


def _wants_more(tokens: Sequence[str], anaphora: set[int]) -> bool:
    """"more options", "something else", "还有吗"; not "tell me more" nor the "more" of "more affordable"."""
    sets = tables().sets
    positions = _covered(sets["more"].spans(tokens)) - _covered(sets["more_neutral"].spans(tokens)) - anaphora
    for phrases in tables().refinements.values():
        positions -= _covered(phrases.spans(tokens))
    return bool(positions) or list(tokens) == ["next"]  # "next week" is not paging


def _is_question(message: str, tokens: Sequence[str]) -> bool:
    return any(mark in message for mark in "?\uff1f\u00bf") or tokens[0] in tables().words["question_words"] or tokens[-1] in {"吗", "呢"}


_ON_FOOT = frozenset({"walk", "walking", "walks", "foot"})
_NEAR_WORDS = frozenset({"close", "near"})
_DEFINITE = frozenset({"the", "that", "this", "it", "its"})


def _topic(tokens: Sequence[str]) -> str | None:
    """What is asked about a place: the topic said first (the longest phrase at a start); "walking
    from dibner how long": the walk, however the words around the place fall."""
    tabs = tables()
    kinds_end = {end for start, end in tabs.kinds.spans(tokens) if not (start and tokens[start - 1] in _DEFINITE)}
    found = [
        (start, -(end - start), key)
        for key, phrases in tabs.topics.items()
        for start, end in phrases.spans(tokens)
        if not (start in kinds_end and tokens[start] in _NEAR_WORDS)
    ]  # "a cafe close to bobst": where the cafe is asked for, not how far Bobst is ("is the cafe close to bobst" is)
    if found:
        return min(found)[2]
    said = " ".join(tokens)
    return "distance" if _ON_FOOT & set(tokens) and ("how long" in said or "how many min" in said) else None


def topic_of(tokens: Sequence[str]) -> str | None:
    """What is asked about a place in these words (None when nothing is)."""
    return _topic(tokens) if tokens else None


def asks_cover(message: str) -> bool:
    """Whether the price a message asks about is a cover charge or an entry fee ("does the first one
    have a cover", "cuanto cuesta la entrada"): not known of any place, unlike its price level."""
    return tables().sets["cover_charge"].hit(tokenize(message))


def leaving(message: str, tokens: Sequence[str]) -> bool:
    """"sweet, heading there now", "perfect, gonna head there": the student says they are on their
    way, asking nothing (not "how do i head there?"): small talk, thanked as such."""
    sets = tables().sets
    going = _covered(sets["leaving"].spans(tokens))
    if not going or _is_question(message, tokens):
        return False
    said = going | _covered(sets["small_talk"].spans(tokens))
    fillers = tables().words["leaving_fillers"]
    return all(i in said or word in fillers for i, word in enumerate(tokens))


def all_small_talk(tokens: Sequence[str]) -> bool:
    """Whether every word is small talk ("lol ur up late too huh", "sweet, thanks"): nothing asked, even
    by a word that could name a need ("late") or a kind ("sweet")."""
    return bool(tokens) and len(_covered(tables().sets["small_talk"].spans(tokens))) == len(tokens)


def _asks_events(tokens: Sequence[str]) -> bool:
    for start, end in tables().sets["events"].spans(tokens):
        said = tokens[start:end]
        # "what's on the menu" is not what's on.
        if said != ("whats", "on") or end == len(tokens) or tokens[end] not in {"the", "their", "it", "its", "your", "my"}:
            return True
    # "anything at BAM this week?", "something at the Bell House tonight", "bam got anything sat or
    # sun?": anything at all on a day, no kind of place nor a question about one: what's on, then
    anything = bool({"anything", "something"} & set(tokens))
    when = tables().when
    on_a_day = any(when[key].hit(tokens) for key in ("tonight", "today", "tomorrow", "weekend", "this_week"))
    return anything and on_a_day and not tables().kinds.hit(tokens) and _topic(tokens) is None and _refinement(tokens, with_cards=True, new_topic=False) is None


@dataclass(frozen=True)
class _Signals:
    message: str
    tokens: tuple[str, ...]
    cards: int
    names: _Names
    anaphora: frozenset[int]

    def hit(self, name: str) -> bool:
        return tables().sets[name].hit(self.tokens)

    @property
    def request(self) -> bool:
        return self.hit("request")

    @property
    def category_starts(self) -> list[int]:
        tabs = tables()
        spans = tabs.sets["category"].spans(self.tokens) + tabs.kinds.spans(self.tokens)
        return [start for start, _ in spans if start not in self.anaphora]

    @property
    def wants_places(self) -> bool:
        return self.request or bool(self.category_starts)

    @property
    def new_topic(self) -> bool:
        return bool(self.category_starts) or self.hit("weak_request")

    @property
    def indefinite_category(self) -> bool:
        """"any bars near it": a kind of place asked for afresh."""
        indefinite = tables().words["indefinite"]
        return any(s > 0 and self.tokens[s - 1] in indefinite for s in self.category_starts) or bool(
            {"somewhere", "anywhere"} & set(self.tokens)
        )

    @property
    def attribute(self) -> bool:
        return self.hit("attributes") or _topic(self.tokens) == "diet"  # "有清真的吗": does it have halal?

    @property
    def general(self) -> bool:
        """About Violet or the weather, not asking for places."""
        if self.hit("meta_over_request") and not self.category_starts:
            return True  # "what kinda stuff can u help me find": what Violet does, whatever "help me find" says
        return (self.hit("meta") or self.hit("weather")) and not self.request

    @property
    def general_directions(self) -> bool:
        return self.hit("directions_general") and not self.request and not self.anaphora

    @property
    def question_or_campus(self) -> bool:
        return _is_question(self.message, self.tokens) or self.hit("general_soft")

    @property
    def small_talk_only(self) -> bool:
        return all_small_talk(self.tokens) or self.leaving

    @property
    def leaving(self) -> bool:
        return leaving(self.message, self.tokens)


def _decide(s: _Signals) -> tuple[str, int | None, str | None]:
    """Which signal wins, in order: clearing, small talk, then what the cards on screen allow."""
    if not s.tokens:
        return SMALL_TALK, None, None
    if _wants_clear(s.tokens) and not s.wants_places:
        return CLEAR, None, None
    if s.small_talk_only:
        return SMALL_TALK, None, None
    more = _wants_more(s.tokens, set(s.anaphora))
    refinement = _refinement(s.tokens, with_cards=bool(s.cards), new_topic=s.new_topic)
    if not s.cards:
        return _decide_without_cards(s, more, refinement)
    return _decide_about_cards(s, more, refinement)


def _decide_without_cards(s: _Signals, more: bool, refinement: str | None) -> tuple[str, int | None, str | None]:
    """Nothing to follow up on: anything place-flavoured is a new search, the rest a question or chat."""
    if s.general or s.general_directions:
        return GENERAL_QUESTION, None, None
    if s.wants_places or refinement or more or s.hit("weak_request") or s.attribute:
        return NEW_REQUEST, None, refinement
    return (GENERAL_QUESTION if s.question_or_campus else SMALL_TALK), None, None


def _decide_about_cards(s: _Signals, more: bool, refinement: str | None) -> tuple[str, int | None, str | None]:
    """Cards on screen: pointing at one (by rank, name or "which one") beats everything else."""
    positions = _positions(s.tokens)
    if s.names.matched or positions or s.names.vague or s.hit("list_references"):
        target = _pointed(positions, s.names, s.cards)
        return (MORE_OPTIONS if more and not refinement else FOLLOW_UP), target, refinement
    if s.general or s.general_directions:
        return GENERAL_QUESTION, None, None
    if refinement:
        return FOLLOW_UP, None, refinement
    if more:
        return MORE_OPTIONS, None, None
    if s.anaphora:
        # "it"/"they" are the cards, unless a search starts around them ("any bars near it?");
        # "do they have vegan food?" stays a follow-up.
        afresh = s.request or (s.indefinite_category and not s.hit("possession"))
        return (NEW_REQUEST if afresh else FOLLOW_UP), None, None
    if s.wants_places:
        return NEW_REQUEST, None, None
    if s.attribute:  # a bare "hours?" can only be about the cards
        return FOLLOW_UP, None, None
    if s.hit("weak_request"):
        return NEW_REQUEST, None, None
    return (GENERAL_QUESTION if s.question_or_campus else SMALL_TALK), None, None


# --- When is asked about --------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"(?<![\w:#$])(?:(?P<at>at|@|around|by|a las|a la)\s*)?(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?(?![\w:/+])"
)
_CLOCK_ZH = re.compile(r"(?P<part>早上|上午|中午|下午|晚上|凌晨)?\s*(?P<h>\d{1,2})\s*点(?P<half>半)?")
_WEEKEND_DAYS = frozenset({5, 6})
_WHEN_ORDER = ("tomorrow", "late", "tonight", "weekend", "this_week", "today", "now")  # a named day comes first


def _when_key(tokens: Sequence[str]) -> tuple[str, int | None] | None:
    """The most specific time named: a weekday, then tomorrow, late, tonight... now."""
    tabs = tables()
    days = {tabs.weekdays[t] for t in tokens if t in tabs.weekdays}
    if days == _WEEKEND_DAYS:  # "saturday or sunday": the weekend
        return "weekend", None
    day = next((tabs.weekdays[t] for t in tokens if t in tabs.weekdays), None)
    if day is not None:
        return "weekday", day
    not_late = _covered(tabs.not_late.spans(tokens))
    for key in _WHEN_ORDER:
        spans = tabs.when[key].spans(tokens)
        if key == "late":
            spans = [span for span in spans if span[0] not in not_late and span[0] + 1 not in not_late]
        if spans:
            return key, None
    return None


def _clock(message: str) -> tuple[int, int, bool] | None:
    """(hour, minute, said am/pm or 24h) of "at 8", "8pm", "1 a.m.", "20:00", "晚上8点"; None without one."""
    text = message.lower()
    for match in _CLOCK.finditer(text):
        hour, minute, ampm = int(match["h"]), int(match["m"] or 0), match["ampm"]
        if not (match["at"] or match["m"] or ampm):
            continue  # a bare number is a rank or a count
        if ampm and 1 <= hour <= 12:
            return hour % 12 + (12 if ampm == "p" else 0), minute, True
        if not ampm and hour <= 23:
            return hour, minute, hour == 0 or hour > 12 or bool(match["m"] and hour >= 10)
    match = _CLOCK_ZH.search(message)
    if match and int(match["h"]) <= 23:
        hour, pm = int(match["h"]), match["part"] in {"下午", "晚上"}
        return hour + (12 if pm and hour < 12 else 0), 30 if match["half"] else 0, bool(match["part"])
    return None


def _when(message: str, tokens: Sequence[str]) -> When | None:
    named = _when_key(tokens)
    clock = _clock(message)
    if clock is None:
        return When(named[0], named[1]) if named else None
    hour, minute, exact = clock
    key, weekday = named or ("today", None)
    evening = (named is not None and key != "now") or bool(tables().evening & set(tokens))
    if not exact and 1 <= hour <= 11 and (evening or hour < 8) and not (key == "late" and hour <= 5):
        hour += 12  # "saturday at 8" is the evening; "at 5" is not five in the morning
    return When(key, weekday, hour, minute)


# --- The step -------------------------------------------------------------------------------------------


def understand_turn(message: str, *, remembered: Sequence[str] = ()) -> Turn:
    """Read one chat message; ``remembered`` holds the names of the cards shown last turn, in order."""
    return _understand_turn(message, tuple(remembered))


# Readings remembered: a Turn (frozen) depends on the message and the names shown only, and a turn
# reads the message before it again (what it asked about, services._topic_before).
TURNS_KEPT = 2048


@lru_cache(maxsize=TURNS_KEPT)
def _understand_turn(message: str, remembered: tuple[str, ...]) -> Turn:
    cards = _cards(remembered)
    raw = _tokens(message)
    names = _named(raw, cards) if cards else _Names()
    # A place's name is never spell-mended into a keyword ("dibner" is not "dinner").
    tokens = tuple(word for i, tok in enumerate(raw) for word in ((tok,) if i in names.used else _spelled(tok)))
    anaphora = _anaphora(tokens)
    signals = _Signals(message, tokens, len(cards), names, frozenset(anaphora))
    intent, target, refinement = _decide(signals)
    one_place = tables().words["one_place_words"]
    return Turn(
        intent=intent,
        target_index=target,
        refinement=refinement,
        about_one_place=any(tokens[i] in one_place for i in anaphora),
        topic=_topic(tokens) if tokens and not (intent == SMALL_TALK and leaving(message, tokens)) else None,  # ("gonna head there")
        events=_asks_events(tokens),
        when=_when(message, tokens),
        tokens=tokens,
    )
