"""Understanding what a student asked for: a message becomes one typed request.

What (kinds of place, cuisines), diet, needs, price and where, read from the words of
recommendations/data/words.json (English, Spanish, Chinese, slang): phrases are matched whole,
longest first, after folding case and accents; a word within one typo of a known word counts as it
(rapidfuzz). Nothing here guesses: a request that names nothing specific is empty, and the vibe the
apps read is derived from what was asked.
"""

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

WORDS = Path(__file__).resolve().parent / "data" / "words.json"
OUTDOOR_KINDS = frozenset(("park", "plaza", "garden"))  # places outdoors by what they are
FUZZY_MIN_LENGTH = 5  # shorter words are too easily something else ("bar", "car")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SLASH = re.compile(r"(?<=[^\W\d_])/(?=[^\W\d_])")  # between letters ("soho/nolita"), not "24/7"
_NOT_A_WORD = re.compile(r"[^\w+/\u3400-\u9fff]+")  # what fold() makes a space
_SCRIPT_CHANGE = re.compile(r"(?<=[\u3400-\u9fff])(?=[a-z0-9])|(?<=[a-z0-9])(?=[\u3400-\u9fff])")
# "not a library, like a cafe": the kind right after a negation is not asked for.
NEGATED = re.compile(r"\b(?:not|no|besides|except|other than|instead of|sin|but not)\s+(?:a |an |the |any |another )?(\w+(?: \w+)?)")
# "not super bougie", "nothing crazy fancy", "dont want anything too fancy": a fancy word negated,
# with words between, asks a middle price (the vocabulary's own "not fancy", "not too pricey" read as it says).
_NOT_FANCY = re.compile(
    r"\b(?:not|no|nothing|isnt|arent|dont|doesnt|never)\s+"
    r"(?:(?:want|wanna|need|looking|look|for|anything|something|somewhere|anywhere|a|an|the|to|be|go|i|it)\s+){0,4}"
    r"(?:(?:too|super|that|so|very|really|crazy|overly|mega|hella|all that)\s+)*"
    r"(?:fancy|bougie|boujee|pricey|pricy|expensive|upscale|swanky|classy|spendy|high end)\b"
)
# "sunset over manhattan from bk", "a view of the city", "where u can see manhattan": what is looked at is a
# view, not where to go.
_LOOKED_AT = re.compile(
    r"\b(?:over|overlooking|across|facing|views? of|view over|(?:can|could|to) see)\s+(?:the\s+)?"
    r"(?:manhattan|brooklyn|downtown|city|skyline|river|east river|hudson|water)\b(?!\s+(?:bridge|heights|campus|side))"
)
# A price said: "under $15", "max 20", "budget ~$30 each", "$20 or less", "20 bucks max"; a dollar
# amount says it, a budget word with a number too (the number wins over "budget" read as "cheap").
# An amount alone ("is the $18 pastrami worth it") is the price of a thing, no budget.
_PRICE = re.compile(
    # ("under 21", "under 18": an age, not a budget, unless said in dollars)
    r"(?:under|below|less than|max|<|budget(?:\s+(?:of|is))?)\s*(?:usd\s*(\d{1,3})|(?!(?:18|21)\b(?!\s*(?:bucks|dollars|usd)))(\d{1,3}))"
    r"|\b(\d{1,3})\s*(?:bucks|dollars|usd)?\s*or\s+(?:less|under|below|cheaper)\b"
    r"|\b(?:for|around|about|like|spend|spending)\s+(?:like\s+|about\s+)?(?:usd\s*)?(\d{1,3})\s*(?:bucks|dollars|usd|each|pp|a head|per person)\b"
    r"|\b(?:for|around|about|like|spend|spending)\s+(?:like\s+|about\s+)?usd\s*(\d{1,3})"
    r"|\b(\d{1,3})\s*(?:bucks|dollars|usd)?\s*(?:max|tops|at most|each|pp|a head|per person)\b"
)
_DOLLARS = re.compile(r"\$\s*(\d{1,3})")  # "$30": kept through folding, which drops the sign
# "brunch for 6 ppl", "a table for eight": how many are going (not "for 6pm", "for 10 min", "for 5 bucks").
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_PARTY = re.compile(
    r"\b(?:for|party of|group of|table for)\s+(\d{1,2}|" + "|".join(_NUMBERS) + r")\b"
    r"(?!\s*(?:pm|am|p m|a m|min|mins|minutes|hours?|dollars|bucks|usd)\b)"
)
# "within a 10 min walk", "under 5 minutes away": the longest walk asked for (never a price).
_WALK = re.compile(r"(?:within|under|below|less than|max|<)\s*(?:a\s+)?(\d{1,2})\s*(?:min|mins|minute|minutes)\b(?:\s*walk\b)?")


@dataclass(frozen=True)
class Want:
    key: str
    label: str
    vibe: str
    kinds: frozenset[str]
    cuisine: frozenset[str]
    generic: bool = False
    tags: frozenset[str] = frozenset()  # a kind of place some places are known as by a tag (live music)
    described: frozenset[str] = frozenset()  # its words a place's description may say it by ("karaoke nights")
    prefers: tuple[str, ...] = ()  # tags that put a place first for it (a place to study: quiet ones)
    # An occasion ("date night"): asked with a general want ("dinner", "drinks"), the places of both.
    occasion: bool = False
    described_required: bool = False  # of the kind only when its description says so too (a farmers market)
    # descriptions by its own words, one typo allowed (asked_for())
    loose: bool = False
    indoors: frozenset[str] = frozenset()  # the kinds it also means asked for indoors (a cinema on a rainy day)


TOP_PRICE = 3  # "somewhere fancy": $$$ and up
PRICEY_KIND = "sit_down"  # what a price asked up means with no kind named: a restaurant

ASKED = "asked:"  # the key of a want the vocabulary does not know: "asked:poutine"


def asked_for(thing: str, beside: Want | None = None, said: str | None = None) -> Want:
    """A thing asked for that the vocabulary does not know ("hot pot", "poutine"): the places whose
    name or description says it, and nothing else; its vibe a meal, what such a thing nearly always is.
    Said beside a kind ("ping pong bar", "cat cafe"): the places of that kind whose description says it.
    `said` is how the student named it, kept as its label ("hookah lounge", "turkish doner kebab")."""
    if beside is not None:
        # "billiards or board games": either, each by the words a description says it with (a pool table)
        features = vocabulary().features
        parts = thing.split(" or ")
        described = frozenset(word for part in parts for word in features.get(part, (part,)))
        games = all(part in features for part in parts)  # "a bar with billiards", not "a billiards bar"
        return Want(
            f"{ASKED}{thing}@{beside.key}", said or (f"{beside.label} with {thing}" if games else f"{thing} {beside.label}"), beside.vibe, beside.kinds, beside.cuisine,
            described=described, described_required=True, loose=True,
        )  # fmt: skip
    return Want(
        f"{ASKED}{thing}", said or f"{thing} place", "food_general", frozenset(), frozenset(), described=frozenset({thing}), loose=True
    )


def beside_of(want: Want) -> str | None:
    """The key of the kind an unknown thing was asked beside ("bar" of a ping pong bar), if it was."""
    return want.key.partition("@")[2] or None if want.key.startswith(ASKED) else None


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    lat: float
    lng: float


@dataclass(frozen=True)
class Request:
    """What was asked. Empty fields: not asked."""

    whats: tuple[Want, ...] = ()
    diet: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    price_max: int | None = None  # a price level: 1 is about $10-15 a person
    area: Area | None = None
    walk_max: int | None = None  # minutes on foot, when a limit was said
    party: int | None = None  # how many are going, when said ("for 6 ppl")
    # Words of the message no vocabulary knows, with their close synonyms ("train": subway, transit):
    # among the places of the kind asked, those whose description or name says one come first
    mentions: tuple[str, ...] = ()
    # The occasion an earlier ask set and a follow-up kept ("date night dinner", then "italian?"):
    # places of its kinds (restaurants) come first, and only they when there are any.
    setting: tuple[Want, ...] = ()
    price_min: int | None = None  # "somewhere fancy": the lowest price level asked for (the top ones)
    # Conditions no catalog fact can tell ("no wait", "no cover"): said not known, never promised;
    # places whose description says the opposite come last (words.json unknowable)
    unknowable: tuple[str, ...] = ()

    @property
    def specific(self) -> bool:
        """Anything a place can be checked against."""
        return bool(self.whats or self.diet or self.needs or self.price_max is not None or self.price_min is not None)

    @property
    def vibe(self) -> str | None:
        return self.whats[0].vibe if self.whats else None

    def label(self) -> str:
        """'halal place to eat', 'quiet coffee shop with wifi', 'sushi place'."""
        noun = " or ".join(want.label for want in self.whats) or "place"
        diet = " ".join(d.replace("_", "-") for d in self.diet)
        quiet = "".join(f"{need} " for need in ("quiet", "indie", "gay", "rooftop") if need in self.needs)
        indoor = "indoor " if "indoors" in self.needs else ""
        late = " known for late nights" if "late_night" in self.needs else ""  # a tag, not hours: never "open late"
        rest = [need.replace("_", " ") for need in self.needs if need not in ("quiet", "indie", "gay", "rooftop", "indoors", "late_night")]
        cheap = {0: "free ", 1: "cheap "}.get(self.price_max, "") if self.price_max is not None else ""
        cheap = "upscale " if self.price_min is not None else cheap
        text = f"{cheap}{quiet}{indoor}{diet + ' ' if diet else ''}{noun}{late}"
        return f"{text} with {' and '.join(rest)}" if rest else text

    def to_memory(self) -> dict[str, Any]:
        return {
            "whats": [want.key for want in self.whats],
            "diet": list(self.diet),
            "needs": list(self.needs),
            "price_max": self.price_max,
            "price_min": self.price_min,
            "area": _area_to_memory(self.area),
            "walk_max": self.walk_max,
            "party": self.party,
            "mentions": list(self.mentions),
            "setting": [want.key for want in self.setting],
        }


@dataclass(frozen=True)
class _Vocabulary:
    whats: dict[str, Want]
    areas: dict[str, Area]
    phrases: list[tuple[str, str, str]] = field(default_factory=list)  # (folded phrase, field, key), longest first
    single_words: dict[str, tuple[str, str]] = field(default_factory=dict)  # word -> (field, key), for typos
    instead: dict[str, tuple[str, ...]] = field(default_factory=dict)  # what -> the whats that stand in for it
    at_night: dict[str, tuple[str, ...]] = field(default_factory=dict)  # what -> what it means tonight
    implied: tuple[tuple[str, str], ...] = ()  # (folded phrase, need): "sunset" also asks for a view
    described_needs: dict[str, frozenset[str]] = field(default_factory=dict)  # need -> description words that meet it
    worth_the_trip: frozenset[str] = frozenset()  # needs for which the nearest place that meets them is named, however far
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> close words a description may say
    time_budget: tuple[re.Pattern[str], ...] = ()  # "20 min before lab", "got class in 10": the minutes a student has
    budget_share: int = 3  # the walk each way is at most this share of them
    not_things: frozenset[str] = frozenset()  # words that never name a thing asked for ("friends near wsp?")
    features: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a game a place has -> its words ("billiards": "pool table")
    # A phrase listed for two fields ("nice dinner": a price and a kind): what it also says, after its first
    also_says: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


def typo_of(
    word: str, known: Iterable[str], *, min_length: int = FUZZY_MIN_LENGTH, meaning: Callable[[str], Any] = str
) -> str | None:
    """The known word `word` is a typo of: one edit away (a transposition counts as one: "bagle",
    "cofee", "katsuie"), and no known word as close that means something else ("vegetarians" is
    one edit from "vegetarian" and "vegetariano", which mean the same); None otherwise. The one
    spelling tolerance of the understanding step (turn.py reads typos with it too); an everyday word is
    never a typo (not_typos())."""
    if len(word) < min_length or word in not_typos():
        return None
    near = [match for match, _distance, _index in process.extract(word, known, scorer=OSA.distance, score_cutoff=1, limit=None)]
    return near[0] if near and len({meaning(match) for match in near}) == 1 else None


@cache
def everyday_words() -> frozenset[str]:
    """Everyday words never read as a near miss of another word ("looks" is not "books", "there" is
    not "theater"): words.json not_typos' words."""
    return frozenset(fold(word) for word in json.loads(WORDS.read_text(encoding="utf-8"))["not_typos"]["words"])


@cache
def not_typos() -> frozenset[str]:
    """Words never read as a near miss of another: the everyday ones, and nouns of their own ("doner" is no "diner")."""
    return everyday_words() | frozenset(fold(word) for word in json.loads(WORDS.read_text(encoding="utf-8"))["not_typos"]["nouns"])


def is_one_typo(said: str, word: str) -> bool:
    """Whether `said` is `word` with one edit (a transposition counts as one)."""
    return OSA.distance(said, word, score_cutoff=1) <= 1


def fold(text: str) -> str:
    """Lower case, accents off (Chinese kept), punctuation to spaces, one space between words."""
    text = text.lower()
    if text.isascii():  # most messages: no accents, curly quote nor Chinese to see to
        text = text.replace("'", "")
    else:
        text = unicodedata.normalize("NFKD", text)  # accents off
        text = "".join(char for char in text if not unicodedata.combining(char))
        text = text.replace("\N{RIGHT SINGLE QUOTATION MARK}", "").replace("'", "")
        text = _SCRIPT_CHANGE.sub(" ", text)  # "有wifi的咖啡馆": wifi is a word of its own
    if "/" in text:
        text = _SLASH.sub(" / ", text)  # "soho/nolita": either area, each a word
    return " ".join(_NOT_A_WORD.sub(" ", text).split())


def _described_by(spec: dict[str, Any]) -> frozenset[str]:
    """The words a catalog description may name the kind by ("karaoke nights" at a bar)."""
    return frozenset(fold(word) for word in spec.get("described", ()))


@cache
def vocabulary() -> _Vocabulary:
    data = json.loads(WORDS.read_text(encoding="utf-8"))
    whats = {
        key: Want(
            key, spec["label"], spec["vibe"], frozenset(spec["kinds"]), frozenset(spec["cuisine"]), spec.get("generic", False),
            frozenset(spec.get("tags", ())), _described_by(spec), tuple(spec.get("prefers", ())), spec.get("occasion", False),
            spec.get("described_required", False), indoors=frozenset(spec.get("indoors", ())),
        )
        for key, spec in data["what"].items()
    }
    areas = {key: Area(key, spec["label"], spec["lat"], spec["lng"]) for key, spec in data["areas"].items()}
    entries = [(word, "what", key) for key, spec in data["what"].items() for word in spec["words"]]
    entries += [(word, "diet", key) for key, words in data["diet"].items() for word in words]
    entries += [(word, "needs", key) for key, words in data["needs"].items() for word in words]
    entries += [(word, "cheap", "cheap") for word in data["cheap"]]
    entries += [(word, "cheap", "free") for word in data["free"]]
    entries += [(word, "pricey", "pricey") for word in data.get("pricey", ())]
    entries += [(word, "cheap", "moderate") for word in data.get("moderate", ())]
    entries += [(word, "not_asked", "") for word in data["not_asked"]]  # "book ahead" asks for no bookstore
    entries += [(word, "area", key) for key, spec in data["areas"].items() for word in spec["words"]]
    # "pizza near wash sq park": the park of an area's name is where, not a park asked for
    entries += [(f"{word} park", "area", key) for key, spec in data["areas"].items() for word in spec["words"] if " " in word]
    # Longest first; phrases of one length in a fixed order, so the first want (and its vibe) never varies.
    phrases = sorted({(fold(word), kind, key) for word, kind, key in entries}, key=lambda entry: (-len(entry[0]), entry))
    # Typos reach kinds, diets and needs; never an area ("store" is not "astor", a NoHo street).
    singles = {
        phrase: (kind, key) for phrase, kind, key in phrases if kind != "area" and " " not in phrase and len(phrase) >= FUZZY_MIN_LENGTH
    }  # fmt: skip
    instead = {key: tuple(spec.get("instead", ())) for key, spec in data["what"].items()}
    at_night = {key: tuple(spec["at_night"]) for key, spec in data["what"].items() if "at_night" in spec}
    implied = tuple((fold(word), need) for need, words in data.get("implies", {}).items() for word in words)
    described_needs = {
        key: frozenset(fold(word) for word in words) for key, words in data.get("described_needs", {}).items() if key != "_about"
    }
    worth_the_trip = frozenset(data.get("worth_the_trip", {}).get("needs", ()))
    budget = data.get("time_budget", {})
    return _Vocabulary(
        whats, areas, phrases, singles, instead, at_night, implied, described_needs, worth_the_trip,
        {fold(word): tuple(fold(other) for other in others) for word, others in data.get("synonyms", {}).items() if word != "_about"},
        _budget_patterns(budget.get("commitments", ())), budget.get("share", 3),
        frozenset(fold(word) for word in data.get("not_things", {}).get("words", ())),
        {key: tuple(fold(word) for word in words) for key, words in data.get("features", {}).items() if key != "_about"},
        _also_says(phrases),
    )


def _also_says(phrases: list[tuple[str, str, str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each phrase listed for more than one field, the (field, key) of its entries after the first
    of another field than the first's (two keys of one field: the first is read)."""
    entries: dict[str, list[tuple[str, str]]] = {}
    for phrase, kind, key in phrases:
        entries.setdefault(phrase, []).append((kind, key))
    return {
        phrase: tuple(entry for entry in said[1:] if entry[0] != said[0][0]) for phrase, said in entries.items() if len({kind for kind, _ in said}) > 1
    }


_MINUTES = r"(?P<minutes>\d{1,3})\s*(?:min|mins|minute|minutes)\b"


def _budget_patterns(commitments: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """How a time budget is said, in folded text: "20 min before lab", "class starts in 10",
    "only have 15 min", "a 12 min break"."""
    said = "|".join(re.escape(word) for word in sorted({fold(word) for word in commitments}, key=len, reverse=True))
    if not said:
        return ()
    own = r"(?:(?:my|the|a|an|our|next)\s+)*"
    about = r"(?:like\s+|about\s+|only\s+|just\s+)?"
    return (
        re.compile(rf"{_MINUTES}\s+(?:before|until|till|til|b4)\s+{own}(?:{said})\b"),
        re.compile(rf"(?<!\w)(?:{said})\s+(?:starts?\s+|begins?\s+|is\s+)?in\s+{about}(?P<minutes>\d{{1,3}})(?:\s*(?:min|mins|minute|minutes))?(?!\s*(?:h|hr|hrs|hour|hours)\b)(?!\w)"),
        re.compile(rf"\b(?:i|we|only|just)\s+(?:only\s+|just\s+)?(?:have|got|has)\s+{about}{_MINUTES}"),
        re.compile(rf"{_MINUTES}\s+(?:break|gap)\b"),
    )


def _walk_for_budget(text: str) -> int | None:
    """The longest walk each way a time budget leaves ("20 min before lab": 6); None without one."""
    vocab = vocabulary()
    for pattern in vocab.time_budget:
        match = pattern.search(text)
        if match:
            return max(1, int(match.group("minutes")) // vocab.budget_share)
    return None


def _mended(text: str) -> str:
    """The folded text with each word one typo off a known word spelled as that word, so that it can
    be part of a phrase ("cofee shop" is a coffee shop, not a shop)."""
    vocab, words = vocabulary(), text.split()
    known = _vocabulary_words()
    for index, word in enumerate(words):
        if len(word) >= FUZZY_MIN_LENGTH and word not in known and not _CJK.search(word):
            match = typo_of(word, vocab.single_words.keys(), meaning=vocab.single_words.get)
            if match:
                words[index] = match
    return " ".join(words)


# A kind said as a landmark: "near the park", "by the library" (two words at most, "the big park")
_NEAR_THE = re.compile(r"\b(?:near|by|around|next to|close to|across from|outside|behind|opposite) (?:the|that) (\w+(?: \w+)?)")


# "a sandwich shop", "a dumpling shop": a shop said right after a kind is a place of that kind, not shopping
_SHOP_AFTER = re.compile(r"\b(\w+(?: \w+)?) shops?\b")
SHOPPING = "shopping"
# Kinds a shop of is no place of ("a wine shop", "an art shop": somewhere to buy it, not a bar or a gallery)
_NOT_SHOPS = frozenset({SHOPPING, "bar", "cocktail_bar", "pub", "gallery", "museum", "park", "library"})


def _shop_of_a_kind(match: re.Match[str]) -> str:
    said, whats = match.group(1), _what_phrases()
    last_two, last = said, said.rpartition(" ")[2]
    kind = whats.get(last_two) or whats.get(last)
    if kind in _NOT_SHOPS and kind != SHOPPING:
        return "shop"  # "a wine shop": a shop, not a bar
    return said if kind and kind != SHOPPING else match.group(0)


@cache
def _what_phrases() -> dict[str, str]:
    """Each phrase that names a kind ("sandwich", "bubble tea") -> its key."""
    return {phrase: key for phrase, kind, key in vocabulary().phrases if kind == "what"}


def _found(text: str) -> list[tuple[str, str]]:
    """(field, key) for every phrase in the folded text, longest first, each part of the text used once
    (a phrase listed for two fields counts for both; for two keys of one field, for the first)."""
    vocab, padded, found = vocabulary(), f" {_SHOP_AFTER.sub(_shop_of_a_kind, _mended(text))} ", []
    for phrase, kind, key in vocab.phrases:
        if not phrase.isascii() and _CJK.search(phrase):  # isascii() first: most phrases, and far cheaper
            hit = phrase in padded
            if hit:
                padded = padded.replace(phrase, " ")
        else:
            hit = f" {phrase} " in padded
            if hit:
                padded = padded.replace(f" {phrase} ", " ")
        if hit:
            found.append((kind, key))
            found += vocab.also_says.get(phrase, ())  # "nice dinner": pricey, and a sit-down place
    return found


def _middle_price(match: re.Match[str]) -> str:
    """ "not super bougie" as a middle price, unless the vocabulary reads the phrase itself ("not too pricey")."""
    said = match.group(0)
    return said if any(kind == "cheap" for kind, _key in _found(said)) else " mid price "


def _refused(negated: str) -> set[str]:
    """The kinds a negation refuses: "not a coffee shop", "no ice cream"; not the kind after a
    negated price word ("not fancy cocktails", "nothing upscale, just pizza": cocktails, pizza asked)."""
    if any(kind in ("cheap", "pricey") for kind, _key in _found(negated.split()[0])):
        return set()
    return {key for kind, key in _found(negated) if kind == "what"}


# Messages whose reading is remembered, in each function that reads them alone: a reading depends
# on the words only (and the vocabulary, fixed for a process), and students ask the same things.
READINGS_KEPT = 2048


def _games_had(text: str) -> tuple[list[str], str]:
    """The games a folded message says a place has (words.json features: "billiards", "board
    games"), in the order said, and the message without their words."""
    padded, said = f" {text} ", []
    words = sorted(((fold(word), key) for key, phrases in vocabulary().features.items() for word in phrases), key=lambda item: -len(item[0]))
    for word, key in words:
        spaced = word if _CJK.search(word) else f" {word} "
        if spaced in padded:
            padded = padded.replace(spaced, " ")
            said.append((text.find(word), key))
    return list(dict.fromkeys(key for _at, key in sorted(said))), " ".join(padded.split())


def _beside_a_game(text: str) -> Request | None:
    """"somewhere to drink that has billiards or board games", "a bar with a pool table": the one
    kind asked beside the games said, of the places described by them; None when no game is said,
    or no kind beside it but the game's own ("billiards near tandon": an arcade)."""
    games, rest = _games_had(text)
    if not games:
        return None
    asked = understand(rest)
    if len(asked.whats) != 1 or asked.whats[0].key in _kinds_of_games(games) or asked.whats[0].key.startswith(ASKED):
        return None
    kind, thing = asked.whats[0], " or ".join(games)
    return replace(asked, whats=(asked_for(thing, kind),))


def _kinds_of_games(games: Sequence[str]) -> set[str]:
    """The kinds the games' own words ask for alone ("pool table": an arcade)."""
    return {key for game in games for word in vocabulary().features[game] for kind, key in _found(word) if kind == "what"}


@lru_cache(maxsize=READINGS_KEPT)
def games_alone(message: str) -> tuple[str, ...]:
    """The games a message says, when it asks for nothing beside them but their own kind ("any w pool
    table": billiards, an arcade's); () otherwise ("a bar with a pool table" asks for a bar)."""
    games, rest = _games_had(fold(message))
    if not games:
        return ()
    own = _kinds_of_games(games)
    return tuple(games) if all(want.key in own for want in understand(rest).whats) else ()


@lru_cache(maxsize=READINGS_KEPT)
def understand(message: str) -> Request:
    """The typed request a message makes (empty when it names nothing specific). A Request is
    frozen, so the one remembered for a message can be handed to every caller."""
    text = _NOT_FANCY.sub(_middle_price, _LOOKED_AT.sub(" view ", fold(_DOLLARS.sub(r" usd \1 ", message))))
    beside_a_game = _beside_a_game(text)
    if beside_a_game is not None:
        return beside_a_game
    vocab = vocabulary()
    whats, diet, needs, area, price_max, price_min = [], [], [], None, None, None
    refused = {key for match in NEGATED.finditer(text) for key in _refused(match.group(1))}
    for kind, key in _found(text):
        if kind == "what" and key in refused:
            continue
        if kind == "what" and vocab.whats[key] not in whats:
            whats.append(vocab.whats[key])
        elif kind == "diet" and key not in diet:
            diet.append(key)
        elif kind == "needs" and key not in needs:
            needs.append(key)
        elif kind == "cheap":
            if key == "moderate":  # "mid price": up to $$, unless something cheaper was said too
                price_max = 2 if price_max is None else price_max
            else:
                price_max = 0 if key == "free" or price_max == 0 else 1
        elif kind == "pricey":
            price_min = TOP_PRICE
        elif kind == "area" and area is None:
            area = vocab.areas[key]
        elif kind == "area" and area is not None:
            area = _either(text, area, vocab.areas[key]) or _where_said(text, area, vocab.areas[key])
    padded = f" {text} "
    for phrase, need in vocab.implied:  # Chinese is said without spaces: "哪里看日落" says "日落"
        if (phrase in text if _CJK.search(phrase) else f" {phrase} " in padded) and need not in needs:
            needs.append(need)
    # "somewhere outdoors to walk it off": a park is outdoors, no outdoor seating is asked of it
    if whats and "outdoor_seating" in needs and all(want.kinds <= OUTDOOR_KINDS for want in whats):
        needs.remove("outdoor_seating")
    if any(not want.generic for want in whats):
        general = [want for want in whats if want.generic]
        whats = [_for_occasion(want, general) for want in whats if not want.generic]
    # "a bar with live music": a kind known by a tag (live music), said beside another kind, is that kind with the tag
    tagged = [want for want in whats if want.tags]
    if tagged and any(not want.tags and not want.generic for want in whats):
        whats = [want for want in whats if not want.tags]
        needs += [tag for want in tagged for tag in sorted(want.tags) if tag not in needs]
    # The narrower of two kinds asked together: "speakeasy cocktails" asks for a cocktail bar, not any bar.
    whats = [want for want in whats if not any(_narrower(other, want) for other in whats)]
    # "coffee before my 8am near the park", "espresso somewhere by the library": the park and the
    # library say where, beside the kind asked for
    landmarks = {key for said in _NEAR_THE.findall(text) for kind, key in _found(said) if kind == "what"}
    if landmarks and any(want.key not in landmarks for want in whats):
        whats = [want for want in whats if want.key not in landmarks]
    # "date night, a cozy burger spot": burger places, of the occasion's kinds where they can be (restaurants, not a counter)
    occasions, kinds = [want for want in whats if want.occasion], [want for want in whats if not want.occasion]
    setting = tuple(occasions) if occasions and kinds and not any(want.generic for want in kinds) else ()
    whats = kinds if setting else whats
    walk = _WALK.search(text)
    budget = _PRICE.search(_WALK.sub(" ", text))
    if budget:
        dollars = int(next(group for group in budget.groups() if group))
        price_max = 1 if dollars <= 15 else 2 if dollars <= 30 else 3
    party = _PARTY.search(text)
    size = (int(party.group(1)) if party.group(1).isdigit() else _NUMBERS[party.group(1)]) if party else None
    walk_max = int(walk.group(1)) if walk else _walk_for_budget(text)
    if price_min is not None and price_max is not None:
        price_min = None  # "fancy but under $20": the budget said wins
    if price_min is not None and not whats:
        whats = [vocab.whats[PRICEY_KIND]]  # "somewhere fancy, any cuisine": a restaurant, never a landmark
    mentions = _mentions(text) if whats else ()
    unknowable = tuple(key for key, condition in unknowable_conditions().items() if _says(text, condition.words))
    return Request(
        tuple(whats), tuple(diet), tuple(needs), price_max, area, walk_max, size or None, mentions, setting=setting, price_min=price_min,
        unknowable=unknowable,
    )


@dataclass(frozen=True)
class Unknowable:
    said: str  # the fact in words: "wait times"
    words: tuple[str, ...]  # what asks for it: "no wait", "不用排队"
    against: tuple[str, ...]  # what a description says that contradicts it: "expect a wait"


@cache
def unknowable_conditions() -> dict[str, Unknowable]:
    """What a list may be asked to be that no catalog fact tells (words.json unknowable)."""
    data = json.loads(WORDS.read_text(encoding="utf-8"))["unknowable"]
    return {
        key: Unknowable(spec["said"], tuple(fold(word) for word in spec["words"]), tuple(fold(word) for word in spec["against"]))
        for key, spec in data.items() if key != "_about"
    }  # fmt: skip


def said_against(description: str, key: str) -> str | None:
    """The words of a place's description that contradict an unknowable condition asked ("expect a wait"),
    if any; not where the description itself negates them ("no cover most nights")."""
    text = fold(description)
    padded = f" {text} "
    return next(
        (
            phrase for phrase in unknowable_conditions()[key].against
            if _says(text, (phrase,)) and not any(f" {no} {phrase} " in padded for no in ("no", "without", "never a"))
        ),
        None,
    )  # fmt: skip


def _says(text: str, phrases: Iterable[str]) -> bool:
    padded = f" {text} "
    return any(phrase in text if _CJK.search(phrase) else f" {phrase} " in padded for phrase in phrases)


def _mentions(text: str) -> tuple[str, ...]:
    """The words of a message that name nothing the vocabulary knows ("train" in "a train museum"),
    with their close synonyms (words.json synonyms)."""
    synonyms, plain = vocabulary().synonyms, _plain_words()
    found: list[str] = []
    for word in text.split():
        if word not in synonyms and (len(word) < 4 or not word.isascii() or not word.isalpha() or word in plain):
            continue
        found += [word, *synonyms.get(word, ()), *synonyms.get(word.removesuffix("s"), ())]
    return tuple(dict.fromkeys(found))


@cache
def _plain_words() -> frozenset[str]:
    """Words that say nothing a description could: the vocabulary's, the turn reader's, everyday ones."""
    from .turn import tables  # turn.py reads this module's vocabulary: imported when first asked

    return frozenset(_vocabulary_words() | tables().vocabulary | everyday_words() | _KIND_WORDS | _COMMON | _EVERYDAY)


_EVERYDAY = frozenset((
    "the", "and", "for", "with", "any", "anything", "some", "something", "there", "here", "around", "near", "nearby", "what",
    "whats", "where", "wheres", "which", "who", "how", "want", "wanna", "need", "needs", "looking", "look", "find", "get",
    "got", "have", "has", "can", "could", "would", "should", "you", "your", "know", "good", "best", "great", "nice", "cool",
    "really", "like", "just", "also", "too", "very", "maybe", "please", "pls", "plz", "rec", "recs", "recommend", "suggest",
    "spot", "spots", "place", "places", "one", "ones", "option", "options", "thing", "things", "today", "tonight", "now",
    "this", "that", "these", "those", "are", "was", "were", "been", "being", "does", "did", "doing", "not", "but", "our",
    "out", "from", "into", "about", "over", "under", "off", "all", "more", "less", "most", "much", "many", "few", "bit",
    "lil", "little", "big", "rn", "tho", "though", "lol", "omg", "idk", "ngl", "fr", "bro", "guys", "yall", "friends",
    "friend", "date", "walk", "walking", "mins", "min", "minutes", "hour", "hours", "time", "open", "late", "early",
    "morning", "afternoon", "evening", "night", "weekend", "week", "day", "days", "tomorrow", "go", "going", "grab",
    "hit", "try", "see", "check", "worth", "visit", "take", "then", "than", "else", "other", "another", "new", "old",
))  # fmt: skip


_OR = ("or", "o", "or in", "or near", "or around", "o en", "/", "或", "或者")


# How an area is said as where to look: "near tandon" before "in manhattan", before a bare "manhattan skyline".
_WHERE_WORDS = (("near", "around", "by", "close to", "next to", "im around", "im near", "cerca de", "附近"), ("in", "at", "on", "en"))


def _where_said(text: str, one: Area, other: Area) -> Area:
    """Of two areas a message names (and not as either one), the one said as where to look
    ("manhattan skyline pics around dumbo": DUMBO; "bagels in manhattan near tandon": Tandon); the
    first found when both are said alike."""
    padded = f" {text} "

    def said_as(area: Area) -> int:
        phrases = [phrase for phrase, kind, key in vocabulary().phrases if kind == "area" and key == area.key]
        for rank, words in enumerate(_WHERE_WORDS):
            if any(f" {word} {the}{phrase} " in padded for word in words for phrase in phrases for the in ("", "the ")):
                return len(_WHERE_WORDS) - rank
        return 0

    return other if said_as(other) > said_as(one) else one


def _either(text: str, one: Area, other: Area) -> Area | None:
    """"brunch in brooklyn heights or cobble hill": either of two areas, so the places around both,
    from between them; None when the two are not said as either one ("near tandon, i live in...")."""
    said = {key: [phrase for phrase, kind, what in vocabulary().phrases if kind == "area" and what == key] for key in (one.key, other.key)}
    padded = f" {text} "
    for first, second in ((one, other), (other, one)):
        for a in said[first.key]:
            for b in said[second.key]:
                if any(f" {a} {word} {b} " in padded for word in _OR):
                    return Area(
                        f"{first.key}|{second.key}", f"{first.label} or {second.label}", (first.lat + second.lat) / 2, (first.lng + second.lng) / 2
                    )
    return None


def _for_occasion(want: Want, general: Sequence[Want]) -> Want:
    """"Date night dinner": an occasion asked with a general want is the places of both (restaurants
    for a date, not its bars); any other want, or an occasion alone, as it is."""
    for other in general:
        kinds = want.kinds & other.kinds
        if want.occasion and kinds and kinds != want.kinds:
            return replace(want, key=f"{want.key}+{other.key}", kinds=kinds)
    return want


def _want(key: str) -> Want | None:
    """A remembered want: a key of words.json, or an occasion with a general want ("date_night+food")."""
    whats = vocabulary().whats
    if key.startswith(ASKED) and len(key) > len(ASKED):
        thing, _, beside = key.removeprefix(ASKED).partition("@")
        return asked_for(thing, whats.get(beside)) if not beside or beside in whats else None
    if "+" not in key:
        return whats.get(key)
    occasion, _, general = key.partition("+")
    return _for_occasion(whats[occasion], [whats[general]]) if occasion in whats and general in whats else None


def _narrower(one: Want, other: Want) -> bool:
    """Whether `one` is a kind of `other`: fewer of its kinds, none of another, and no other cuisine."""
    return bool(one.kinds) and one.kinds < other.kinds and one.cuisine <= other.cuisine and one.tags <= other.tags


def _area_to_memory(area: Area | None) -> str | dict[str, Any] | None:
    """A named area by its key; a place shown, looked around ("near the first one"), whole."""
    if area is None or area.key in vocabulary().areas:
        return area.key if area else None
    return {"key": area.key, "label": area.label, "lat": area.lat, "lng": area.lng}


def _area_from_memory(data: Any) -> Area | None:
    if isinstance(data, str):
        return vocabulary().areas.get(data)
    try:
        return Area(str(data["key"]), str(data["label"]), float(data["lat"]), float(data["lng"]))
    except (TypeError, KeyError, ValueError):
        return None


def at_night(request: Request) -> Request:
    """The request as meant tonight: "something fun" is a night out, a film, comedy or music."""
    vocab = vocabulary()
    if not any(want.key in vocab.at_night for want in request.whats):
        return request
    whats = [vocab.whats[key] for want in request.whats for key in vocab.at_night.get(want.key, (want.key,))]
    return replace(request, whats=tuple(dict.fromkeys(whats)))


def instead_of(want: Want) -> tuple[Want, ...]:
    """The kinds that can stand in for `want` when none is known ("instead" in words.json)."""
    vocab = vocabulary()
    beside = beside_of(want)
    if beside in vocab.whats:  # a ping pong bar: other bars
        return (vocab.whats[beside],)
    return tuple(vocab.whats[key] for key in vocab.instead.get(want.key, ()) if key in vocab.whats)


def from_memory(data: Any) -> Request:
    """A request remembered with to_memory(); an empty one for anything else."""
    if not isinstance(data, dict):
        return Request()
    whats = tuple(want for want in map(_want, data.get("whats") or ()) if want is not None)
    price, walk, party, floor = data.get("price_max"), data.get("walk_max"), data.get("party"), data.get("price_min")
    return Request(
        whats=whats,
        diet=tuple(str(d) for d in data.get("diet") or ()),
        needs=tuple(str(n) for n in data.get("needs") or ()),
        price_max=price if isinstance(price, int) else None,
        price_min=floor if isinstance(floor, int) and not isinstance(floor, bool) else None,
        area=_area_from_memory(data.get("area")),
        walk_max=walk if isinstance(walk, int) and not isinstance(walk, bool) else None,
        party=party if isinstance(party, int) and not isinstance(party, bool) else None,
        mentions=tuple(str(word) for word in data.get("mentions") or ()),
        setting=tuple(want for want in map(_want, data.get("setting") or ()) if want is not None),
    )


# --- Which place ---------------------------------------------------------------------------------------
# Words that say what a place is rather than which one: "Juliana's Pizza" is "juliana's" to a student.
_KIND_WORDS = frozenset((
    "the", "a", "of", "and", "at", "nyc", "ny", "nyu", "new", "york", "brooklyn", "manhattan", "pizza", "pizzeria",
    "restaurant", "cafe", "caffe", "coffee", "company", "co", "bar", "grill", "book", "books", "store", "bookstore",
    "library", "deli", "delicatessen", "bakery", "shop", "market", "hall", "tavern", "house", "roasters", "bistro",
    "club", "chocolate", "bagels", "bagel", "dumpling", "dumplings", "falafel", "center", "centre", "diner", "kitchen",
    "lounge", "eatery", "parlor", "cellar", "noodle", "noodles", "ramen", "sushi", "pastry", "pasticceria", "espresso",
    "burger", "burgers", "dogs", "fries", "cantina", "taqueria", "brewery", "gallery", "cinema", "theatre",
))  # fmt: skip
_COMMON = frozenset((
    "park", "square", "bridge", "village", "station", "arch", "museum", "theater", "garden", "plaza", "street",
    "public", "records", "local", "union", "world", "famous", "foods", "street", "space", "works",
))  # fmt: skip


def place_keys(name: str) -> set[str]:
    """How a student may name this place: its folded name, its name without the words for its kind
    ("grimaldis" for Grimaldi's Pizzeria) when what is left is distinctive, its first two words
    when they are ("blue note" for Blue Note Jazz Club), and each distinctive word of five letters or
    more ("makerspace", "bobst")."""
    core = fold(re.sub(r"\s*\(.*?\)", "", name).split(" \N{EN DASH} ")[0])
    keys = {core, core.removeprefix("the ")}
    words = [word for word in core.split() if word not in _KIND_WORDS]
    if len(" ".join(words)) >= 4 and " ".join(words) not in _COMMON:
        keys.add(" ".join(words))
    first_two = " ".join(core.removeprefix("the ").split()[:2])
    if len(core.split()) >= 3 and len(first_two) >= 7 and not set(first_two.split()) & (_KIND_WORDS | _COMMON):
        keys.add(first_two)
    # Single words from the whole name, brackets included: "tandon" is in two names, so it names neither.
    # Never a word that asks for something: "is it halal" names no Halal Guys ("halal guys" still does).
    keys |= {word for word in fold(name).split() if len(word) >= 5 and word not in _KIND_WORDS | _COMMON | _asked_words()}
    # "PDT", "IFC", and the short name in brackets ("Brooklyn Academy of Music (BAM)"): short, but theirs alone
    said = [re.sub(r"\s*\(.*?\)", "", name).split()[0], *re.findall(r"\((\w+)\)", name)]
    acronyms = {fold(word) for word in said if len(word) >= 3 and word.isupper() and word.isalpha()}
    keys |= acronyms
    return {key for key in keys if len(key) >= 4 or key in acronyms}


@lru_cache(maxsize=4)  # one list of names until staff change a place
def _keys_by_name(names: tuple[str, ...]) -> dict[str, set[str]]:
    """Each name's keys, without a single word that names two places ("tandon"), that the vocabulary
    knows as a kind, diet or need ("halal": The Halal Guys is not every halal place), or that is part
    of an area's name ("washington", "dumbo") unless the area is that place (Bobst Library)."""
    vocab = vocabulary()
    keys = {name: place_keys(name) for name in names}
    shared = {key for key, count in Counter(key for found in keys.values() for key in found).items() if count > 1}
    known = {phrase for phrase, kind, _key in vocab.phrases if kind != "area"}
    area_words = {word for phrase, kind, _key in vocab.phrases if kind == "area" for word in phrase.split()}
    def own(name: str) -> set[str]:
        """A one-word area that is this place: "bobst" for (Elmer Holmes) Bobst Library; not "dumbo"
        for Cecconi's Dumbo, a restaurant in the area (an area that is a place has a name of two words)."""
        folded = fold(name)
        return {
            phrase
            for phrase, kind, key in vocab.phrases
            if kind == "area" and " " not in phrase and phrase in folded.split()
            and " " in fold(vocab.areas[key].label) and fold(vocab.areas[key].label) in folded
        }

    area_phrases = {phrase for phrase, kind, _key in vocab.phrases if kind == "area" and " " in phrase}

    def area_only(name: str, found: set[str]) -> set[str]:
        """An area's name that is only part of the place's ("fort greene" of Fort Greene Park): "dinner in
        fort greene" says where, not which place (the whole name still names it)."""
        core = fold(re.sub(r"\s*\(.*?\)", "", name).split(" \N{EN DASH} ")[0])
        return {key for key in found & area_phrases if key not in (core, core.removeprefix("the "))}

    return {name: found - shared - known - (area_words - own(name)) - area_only(name, found) for name, found in keys.items()}


@lru_cache(maxsize=4)
def _key_index(names: tuple[str, ...]) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    """Every way a name can be said -> (key length, name), longest key winning; and the one-word
    keys of six letters or more, for typos."""
    said: dict[str, tuple[int, str]] = {}
    for name, keys in _keys_by_name(names).items():
        for key in keys:
            bare = key[:-1] if key.endswith("s") and len(key) > 4 else key  # "katz" for Katz's
            glued = key.replace(" ", "") if key.count(" ") == 1 else key  # "highline" for the High Line
            for form in (key, bare, f"{key}s", glued):
                if form not in said or said[form][0] < len(key):
                    said[form] = (len(key), name)
    typos = {key: name for name, keys in _keys_by_name(names).items() for key in keys if " " not in key and len(key) >= 6}
    return said, typos


def named_place(message: str, names: Sequence[str]) -> str | None:
    """The known place a message names ("tell me about Juliana's", "where's katz"), the longest name
    said winning; None when it names none. A word one typo off a one-word name counts."""
    return _named_place(message, tuple(names))


@lru_cache(maxsize=READINGS_KEPT)
def _named_place(message: str, names: tuple[str, ...]) -> str | None:
    said, typos = _key_index(names)
    words = fold(message).split()
    best: tuple[int, str] | None = None
    best_size = 0  # its words
    for size in range(1, 6):  # every run of one to five words
        for start in range(len(words) - size + 1):
            found = said.get(" ".join(words[start : start + size]))
            if found and (best is None or found[0] > best[0]):
                best, best_size = found, size
    by_words = _named_by_words(words, names)
    if by_words and by_words[0] >= best_size:  # more words of one name than a shorter name's
        best = by_words
    if best is None:
        for word in words:  # a typo of a one-word name, never a word we know ("dinner" is not Dibner)
            known = word in not_typos() or word in _vocabulary_words()
            match = None if known else typo_of(word, typos.keys(), min_length=7, meaning=typos.get)
            if match:
                return typos[match]
    return best[1] if best else None


def named_several(message: str, names: Sequence[str]) -> tuple[str, ...]:
    """The places a message names by what begins each of their names ("stonewall": The Stonewall
    Inn and Stonewall National Monument; "shake shack": both its shops), the longest said winning;
    () when it names none so. Call it when named_place() finds none."""
    shared = _shared_starts(tuple(names))
    words = [word for word in fold(message).split() if word not in _ARTICLES]
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            run = " ".join(words[start : start + size])
            found = shared.get(run)
            if found:
                return found
    return ()


@lru_cache(maxsize=4)  # one list of names until staff change a place
def _shared_starts(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Ways of saying a place that begin the names of two to four places, none a word the vocabulary
    knows (a kind, diet, need or area): "stonewall", "shake shack", "brooklyn public library"."""
    vocab = vocabulary()
    known = {phrase for phrase, kind, _key in vocab.phrases if kind != "area"}
    area_words = {word for phrase, kind, _key in vocab.phrases if kind == "area" for word in phrase.split()}
    by_key: dict[str, list[str]] = {}
    for name in names:
        core = fold(re.sub(r"\s*\(.*?\)", "", name).split(" \N{EN DASH} ")[0]).removeprefix("the ")
        for key in place_keys(name):
            if core == key or core.startswith(f"{key} "):
                by_key.setdefault(key, []).append(name)
    shared = {
        key: tuple(sorted(found))
        for key, found in by_key.items()
        if 1 < len(found) <= 4 and key not in known and not set(key.split()) & (area_words | _KIND_WORDS | _COMMON)
    }
    # "shake" alone is no Shake Shack: a word of a longer way of saying the same places
    return {key: found for key, found in shared.items() if not any(other != key and key in other.split() and shared[other] == found for other in shared)}


_ARTICLES = frozenset({"the", "a", "an", "el", "la", "los", "las"})


def _named_by_words(words: Sequence[str], names: tuple[str, ...]) -> tuple[int, str] | None:
    """A place named by two or three words of its name, in order, with a distinctive one among them
    ("the stonewall monument" for Stonewall National Monument), or by three in another order, when
    they fit one name only."""
    folded = _folded_names(names)
    words = [word for word in words if word not in _ARTICLES]  # "the stonewall monument": not "the stonewall" (the Inn)
    plain = _KIND_WORDS | _COMMON | _vocabulary_words()
    for size in (3, 2):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if size == 3 and any(word not in _KIND_WORDS | _COMMON for word in run):
                # "the brooklyn heights library": a branch said by its area first, three words of one name
                reordered = [name for name, own in folded.items() if set(run) <= set(own) and not _in_order(run, own)]
                if len(reordered) == 1:
                    return (size, reordered[0])
            if not any(len(word) >= 5 and word not in plain for word in run):
                continue
            fits = [name for name, own in folded.items() if run[0] in own and _in_order(run, own)]  # `in`: a quick no
            if len(fits) == 1:
                return (size, fits[0])
    return None


@lru_cache(maxsize=4)  # one list of names until staff change a place
def _folded_names(names: tuple[str, ...]) -> dict[str, list[str]]:
    return {name: fold(name).split() for name in names}


@cache
def _vocabulary_words() -> frozenset[str]:
    """Every word of the vocabulary's phrases: "halal food" names what is asked, not a place."""
    return frozenset(word for phrase, _kind, _key in vocabulary().phrases for word in phrase.split())


def unknown_word(word: str) -> bool:
    """Whether a folded word is one no vocabulary knows, nor a typo of one, nor an everyday word: a
    word that can only name the thing asked for ("cat" of a cat cafe, "hookah")."""
    if not word.isalpha() or len(word) < 3 or word in _plain_words() or word in vocabulary().not_things:
        return False
    return word in not_typos() or not understand(word).specific


@cache
def _asked_words() -> frozenset[str]:
    """The one-word phrases that ask for a kind, diet or need ("halal", "vegan", "karaoke"): areas left out,
    since "bobst" names the library as well as where."""
    return frozenset(phrase for phrase, kind, _key in vocabulary().phrases if kind in ("what", "diet", "needs") and " " not in phrase)


def _in_order(run: Sequence[str], words: Sequence[str]) -> bool:
    position = 0
    for word in run:
        try:
            position = words.index(word, position) + 1
        except ValueError:
            return False
    return True
