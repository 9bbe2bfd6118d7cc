"""The one understanding step: a message, read with what the conversation remembers, becomes what
this turn asks for.

`recommendations.turn` reads what kind of turn it is (a new request, more, a refinement, a question
about a shown place, small talk, start over), which shown place it points at, what it asks about it
and when; `recommendations.request` reads what is asked for (kinds, cuisine, diet, needs, price,
area). This module puts them together with the conversation: "near Washington Square instead" is
the last request somewhere else, "cheaper?" refines the last list, "is Joe's open?" asks about
Joe's. Pure: no database, no cache, no clock.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from . import turn as turns
from .request import (
    ASKED,
    NEGATED,
    Area,
    Request,
    Want,
    asked_for,
    at_night,
    fold,
    games_alone,
    named_place,
    named_several,
    place_keys,
    unknown_word,
    vocabulary,
)
from .request import understand as request_in
from .turn import CLEAR, FOLLOW_UP, GENERAL_QUESTION, MORE_OPTIONS, NEW_REQUEST, SMALL_TALK, When, understand_turn

# CLEAR ... SMALL_TALK are the turn kinds, the strings the API reports as "intent".
_CHATTY = frozenset({SMALL_TALK, GENERAL_QUESTION})
_NEAR = frozenset({"near", "around", "by", "close", "next", "from", "cerca", "附近"})
_THANKS = frozenset({"thanks", "thank", "thx", "ty", "gracias", "谢谢"})
_ABOUT_IT = frozenset({"it", "its", "this", "that", "there"})
_IS = frozenset({"is", "are", "was", "were"})
_BESIDES = frozenset({"besides", "except", "aparte", "除了"})
_INSTEAD = frozenset({"instead", "rather"})
_WHICH = frozenset({"which", "cual", "cuales", "哪", "哪家", "哪个", "哪一个"})
REFINEMENTS_OF_A_LIST = frozenset({"closer", "cheaper", "open_now", "better_rated", "nicer"})
# What a refinement asks about one place: "is the second one open now?" asks its hours.
# Questions asked "from" an area about the place in view: "how far from Tandon?", "directions from Bobst".
_LATE_UNTIL = 5  # an hour asked for before this (1am, 2am) is past midnight: a late night
_FROM_AREA_TOPICS = frozenset({"distance", "directions"})
# "Which is best rated?": ratings are not always known, so it is said of the list shown itself.
_UNKNOWN_TO_PICK = frozenset({"better_rated"})
MARKED = "marked"  # Understood.pick of "which one has wifi": the places shown marked with what is asked
_REFINEMENT_TOPICS = {"open_now": "hours", "cheaper": "price", "closer": "distance", "better_rated": "rating", "nicer": "price"}


@dataclass(frozen=True)
class Context:
    """What the conversation remembers: the names of the last list, in order, the request it
    answered, the place last asked about (its index in the list) and the last vibe."""

    shown: tuple[str, ...] = ()
    before: Request = field(default_factory=Request)
    points: tuple[tuple[float, float] | None, ...] = ()  # where each shown place is, when known
    focus: int | None = None
    vibe: str | None = None
    topic_before: str | None = None  # what the previous message asked about a place ("dibner open sunday?": hours)
    # what the previous message asked for, read again ("is the makerspace ok to do homework": a place to study)
    asked_before: Request = field(default_factory=Request)
    earlier: tuple[str, ...] = ()  # the names of the list before the last one
    events_before: bool = False  # the last list answered what's on ("any events this weekend?")
    when_before: When | None = None  # and the time it was asked for
    about: tuple[frozenset[str], ...] = ()  # what each shown place is, in words (card_words): "the pancake place"
    earlier_about: tuple[frozenset[str], ...] = ()  # the same of the list before the last one


@dataclass(frozen=True)
class Understood:
    intent: str
    vibe: str  # derived, for the apps that read one
    request: Request | None = None  # what to look for, when the turn asks for something specific
    refinement: str | None = None  # of the last list: closer, cheaper, open_now, better_rated, quieter
    target: int | None = None  # the shown place the turn is about (index in Context.shown)
    named: str | None = None  # a known place the turn asks about by name
    topic: str | None = None  # what it asks about that place: hours, price, diet, address, ...
    events: bool = False  # asks what's on
    when: When | None = None
    asked: Request = field(default_factory=Request)  # what the message itself names ("is it halal?": halal)
    thanks: bool = False
    words: int = 0  # how many words the message has
    pick: str | None = None  # "which one is closest?": the shown place that is "closer" or "cheaper" than the others
    # With a pick, the request the list shown answered: a place of it nearer (or cheaper) still is named too
    beyond: Request | None = None
    past_end: int = 0  # "the second one" after a list of one: how many places were shown (else 0)
    nearest_first: bool = False  # "where's the closest grocery store": a new list, nearest first
    # Places a turn names by what begins each of their names ("stonewall"): what is asked picks one, if it can
    named_options: tuple[str, ...] = ()
    venue: str | None = None  # the place a question about what's on is about ("whats playing at IFC tonight")
    quieter: bool = False  # "somewhere quieter?" after a list: other places, quiet ones of any kind to study before the kind
    start_unknown: bool = False  # "directions from the park": a start that is no known area (the walk is from the student)
    # More of the kind itself ("any other halal spots?", "anything else like that"), or a kind asked
    # for "at all": with none (left) within the walk, the nearest farther ones, not something else nearby.
    farther_if_none: bool = False
    from_place: str | None = None  # "how many min on foot from the commons": a known place to measure from
    from_kind: Request | None = None  # "directions from the park": from the nearest place of that kind
    compared: tuple[str, ...] = ()  # "juliana's or grimaldi's?": the known places named as a choice, in order
    venting: bool = False  # "finals r killing me": letting off steam, nothing asked for (small talk that offers help)
    coverage: bool = False  # "do u only know manhattan or brooklyn too": where Violet knows places (a general question)
    besides: str | None = None  # "dibner full af, anywhere else to study": a known place named only to be left out
    near_place: str | None = None  # "coffee near bar tabac": a known place named as where to look around
    kind_asked: bool = False  # "is nom wah more of a sit down place": whether the place named is of the kind asked

    @property
    def confident(self) -> bool:
        """Whether the built-in reading settles the turn. Not when a message of some length asks for
        nothing the vocabulary knows ("running on empty and class is in an hour"): then a model may
        read it (with Gemini configured)."""
        if self.intent in (CLEAR, MORE_OPTIONS, FOLLOW_UP) or self.thanks or self.named or self.named_options or self.events or self.venting:
            return True
        if self.request is not None and (self.request.specific or self.request.area or self.request.walk_max):
            return True
        return self.words < 4  # "hi violet": nothing more to read

    @property
    def new_list(self) -> bool:
        """Whether the answer is a list of places or events (else it is about places already known)."""
        return self.intent in (NEW_REQUEST, MORE_OPTIONS) or (self.intent == FOLLOW_UP and self.refinement is not None)


_FROM = re.compile(r"\b(?:from|desde)\s+((?:the |a |an |el |la )?\w+(?: \w+)?)")


def _start_said(message: str, turn: turns.Turn, asked: Request, names: Sequence[str]) -> tuple[Request, bool]:
    """"directions from the park", "how far from the library": what is said after "from" is where the
    way starts, not what is asked for; the request without it, and whether that start is neither a
    known area nor a known place (then the way is given from where the student is, and said so)."""
    if turn.topic not in _FROM_AREA_TOPICS:
        return asked, False
    starts = [match.group(1) for match in _FROM.finditer(fold(message))]
    if not starts:
        return asked, False
    said = [request_in(start) for start in starts]
    kinds = {want.key for start in said for want in start.whats}
    placed = any(start.area for start in said) or any(named_place(start, names) for start in starts)
    return replace(asked, whats=tuple(want for want in asked.whats if want.key not in kinds)), not placed


def _from_area_about_one(turn: turns.Turn, asked: Request, context: Context) -> bool:
    """"How far from Tandon?" with one place in view: how far that place is from there, not places there."""
    in_view = len(context.shown) == 1 or context.focus is not None
    return turn.topic in _FROM_AREA_TOPICS and asked.area is not None and not asked.specific and in_view


_WHAT_ABOUT = (("what", "about"), ("how", "about"), ("and",), ("y",), ("que", "tal"), ("那",))


def _what_about(tokens: Sequence[str]) -> bool:
    """"what about X", "and X?", "¿y X?": the same question, about another place."""
    return any(tuple(tokens[: len(start)]) == start for start in _WHAT_ABOUT)


def _diet_of_the_one_place(turn: turns.Turn, asked: Request, context: Context) -> bool:
    """"vegetarian friendly?" right after a question about one place (no list asked for), or "my
    roommates veg, would she find something there" of the place shown: its diet, not a search for
    vegetarian places (the "there" of the place wins over "find something"; "near there" does not)."""
    there = len(context.shown) == 1 and _points_at_it(turn.tokens)
    one = there or (len(context.shown) == 1 and not context.before.specific)
    tables = turns.tables()
    rest = [word for word in turn.tokens if word not in tables.topics["diet"].words]  # "vegetarian" is a category too
    asks_for_places = tables.sets["category"].hit(rest) or (tables.sets["request"].hit(rest) and not there) or _says_near(rest)
    whats = [want for want in asked.whats if not (there and want.generic)]  # "could a vegan eat there": its food
    return one and turn.topic == "diet" and not asks_for_places and not (whats or asked.area or asked.needs or asked.price_max is not None)


def _asks_whether_it_is(turn: turns.Turn, asked: Request) -> bool:
    """"¿es vegetariano?", "are they halal?", "是素食吗", "es caro?": a yes-or-no question whether the
    place(s) shown are of a diet or price, not a search ("is there a vegan place?" is one)."""
    words = turns.tables().words
    copulas = words["copulas_one"] | words["copulas_several"]
    tokens = turn.tokens
    at = next((i for i, word in enumerate(tokens[:2]) if word in copulas), None)
    if at is None or tokens[at + 1 : at + 2] in (("there",), ("any",), ("a",), ("an",), ("hay",)):
        return False
    kinds = [want for want in asked.whats if not want.generic]
    return turn.topic in ("diet", "price") and not kinds and asked.area is None and not asked.needs


def _asks_about_one(turn: turns.Turn, asked: Request) -> bool:
    """"Is it...?", "¿es...?": one place (the one in view), not each of those shown ("are they...?")."""
    several = turns.tables().words["copulas_several"]
    return turn.about_one_place or (_asks_whether_it_is(turn, asked) and not several & set(turn.tokens[:2]))


def _vents(turn: turns.Turn, asked: Request) -> bool:
    """"finals r killing me", "so tired of studying": a student letting off steam and asking for
    nothing; a message that asks ("need a place to study, finals r killing me", "stressed, any
    boba near tandon?"), or a question about a place shown, is not."""
    sets = turns.tables().sets
    if turn.intent not in (NEW_REQUEST, *_CHATTY) or turn.refinement or turn.target_index is not None or turn.events:
        return False
    if not sets["venting"].hit(turn.tokens) or sets["asking"].hit(turn.tokens) or sets["request"].hit(turn.tokens):
        return False
    if sets["category"].hit(turn.tokens) or turn.topic not in (None, "weather"):
        return False
    studying = vocabulary().whats["study"]
    return all(want == studying for want in asked.whats) and not (
        asked.diet or asked.needs or asked.price_max is not None or asked.area or asked.walk_max
    )


def _asks_coverage(turn: turns.Turn, asked: Request) -> bool:
    """"do u only know manhattan or brooklyn too", "what areas do you cover": a question about where
    Violet knows places, asking for no kind of place nor about a place shown."""
    sets = turns.tables().sets
    if turn.intent not in (NEW_REQUEST, *_CHATTY) or turn.events or turn.topic not in (None, "weather") or turn.refinement:
        return False
    if not sets["coverage"].hit(turn.tokens) or sets["request"].hit(turn.tokens) or sets["category"].hit(turn.tokens):
        return False
    return not (asked.whats or asked.diet or asked.needs or asked.price_max is not None)


def _only_generic(asked: Request) -> bool:
    """Whether a request names only general wants (food, a drink, a place to study), and nothing else."""
    return all(want.generic for want in asked.whats) and not (asked.diet or asked.needs or asked.price_max is not None)


def _asks_about_named(
    message: str, turn: turns.Turn, asked: Request, names: Sequence[str], is_of: Callable[[str, Want], bool] | None = None
) -> str | None:
    """The place the message asks about by name; None when it names none, or names it only as
    where ("cheap eats near Bobst") or beside another kind ("best pizza near Washington Square
    Park" asks for pizza; "does Yemen Cafe do halal?" asks about Yemen Cafe; "juniors cheesecake
    hours" asks about Junior's, known for its cheesecake)."""
    name = named_place(message, names)
    if name is None:
        return None
    if _asks_what_it_is(message, name, names):  # "is nom wah more of a sit down place": whether it is one
        return name
    wants_asked = [want for want in _asked_beside_the_topic(turn, asked).whats if not want.generic]
    kinds_asked = {want.key for want in wants_asked}
    known_for = bool(turn.topic and wants_asked and is_of is not None and all(is_of(name, want) for want in wants_asked))
    if not kinds_asked <= {want.key for want in request_in(name).whats} and not (turn.topic and kinds_asked <= _described_as(message)) and not known_for:
        return None
    # ("best way from 2 metrotech to the river café": the way starts there, the place is not near it)
    near = turn.tokens if turn.topic not in _FROM_AREA_TOPICS else tuple(word for word in turn.tokens if word not in ("from", "desde"))
    return None if asked.specific and _says_near(near) else name


def _games_of_the_list(message: str, asked: Request, context: Context) -> Request:
    """"any w pool table" after bars: bars described with one, where the list was (not an arcade, the
    game's own kind); the request as read otherwise."""
    kinds = [want for want in context.before.whats if not want.generic]
    if not context.shown or len(kinds) != 1 or kinds[0].key.startswith(ASKED):
        return asked
    games = games_alone(message)
    if not games:
        return asked
    return replace(asked, whats=(asked_for(" or ".join(games), kinds[0]),), area=asked.area or context.before.area)


_NEAR_A_NAME = re.compile(r"^(?P<asked>.+?)\s+(?:near|by|around|close to|next to)\s+(?P<it>.+)$")


def _near_a_named_place(message: str, asked: Request, names: Sequence[str]) -> tuple[Request, str] | None:
    """"coffee near bar tabac", "any coffee near juliana's?": a kind asked near a known place, where no
    area the vocabulary knows is said; the request read from the words before it (the "bar" of Bar
    Tabac asks for no bar) and the place, to look around it. None otherwise."""
    if asked.area is not None or not names:
        return None
    said = _NEAR_A_NAME.match(fold(message).rstrip("?!. "))
    if said is None:
        return None
    name = named_place(said.group("it"), names)
    if name is None:
        return None
    before = request_in(said.group("asked"))
    return (before, name) if before.specific else None


# "is nom wah more of a sit down place", "is bobst a good place to study": whether the place named is so
_IS_IT_A = re.compile(r"^(?:is|was|isnt|es)\s+(?P<it>.+?)\s+(?:(?:more|kind|sort) of |really |actually |even |just )*(?:a|an|un|una)\s")


def _asks_what_it_is(message: str, name: str, names: Sequence[str]) -> bool:
    """Whether a message asks whether the place named is of a kind ("is X (more of) a Y"): the
    name said right after the question's "is", before "a"."""
    said = _IS_IT_A.match(fold(message))
    if said is None or said.group("it").split()[0] in _NOT_A_NAME or _says_near(tuple(said.group("it").split())):
        return False  # "is there anywhere near bobst with a quiet room": a request near Bobst
    return named_place(said.group("it"), names) == name


_NOT_A_NAME = frozenset({"there", "it", "this", "that", "anything", "anywhere", "somewhere", "something"})
_DEFINITE = re.compile(r"\b(?:the|that)\s+(\S+(?:\s+\S+){0,2})")


def _described_as(message: str) -> set[str]:
    """The kinds a message says with "the" or "that" ("sahadi's address? the grocery on atlantic"):
    a place already meant, described, not a kind asked for."""
    return {want.key for said in _DEFINITE.findall(fold(message)) for want in request_in(said).whats}


def _asks_about_several(message: str, turn: turns.Turn, asked: Request, names: Sequence[str]) -> tuple[str, ...]:
    """The places a message asks about by a name they share ("is stonewall 21+?"); () when it names
    none so, points at a card shown, or asks for places with a diet, need, price or area of their own
    ("sunset over the hudson" asks for a view)."""
    kinds = [want for want in asked.whats if not want.generic]
    if (turn.target_index is not None and not kinds) or (asked.specific and _says_near(turn.tokens)):
        return ()  # the card shown, unless another kind is asked ("stonewall bar" after the monument); "bars near stonewall"
    if asked.diet or asked.needs or asked.price_max is not None or asked.area:
        return ()
    return named_several(message, names)


def _asked_beside_the_topic(turn: turns.Turn, asked: Request) -> Request:
    """What the message asks for without the words of what it asks about a place: "can u book
    Grimaldi's" asks about booking, not for a bookstore."""
    if turn.topic is None:
        return asked
    topic_words = turns.tables().topics[turn.topic].words
    return request_in(" ".join(word for word in turn.tokens if word not in topic_words))


def _nothing_asked_beside_the_topic(turn: turns.Turn, asked: Request) -> bool:
    """"how long a walk from here": the kind of place asked for is only in the words of the question
    about a place ("how long a walk": no walk to take), and the rest of the message names nothing."""
    if turn.topic is None or not asked.whats or asked.area is not None or asked.diet or asked.needs:
        return False
    if asked.price_max is not None or asked.price_min is not None:
        return False
    said = {i for start, end in turns.tables().topics[turn.topic].spans(turn.tokens) for i in range(start, end)}
    rest = request_in(" ".join(word for i, word in enumerate(turn.tokens) if i not in said))
    return bool(said) and not (rest.specific or rest.area)


_OR = re.compile(r" (?:or|vs|versus|o|and|over|than|compared to) |还是|或者|或")


def _compared(message: str, turn: turns.Turn, asked: Request, names: Sequence[str]) -> tuple[str, ...]:
    """The known places a message names as a choice ("juliana's or grimaldi's", "grimaldis vs
    julianas"), each part of it naming one; () unless it names two or more, one of them of the kind asked."""
    if _BESIDES & set(turn.tokens):
        return ()  # "any pizza besides juliana's or grimaldi's": other places
    folded = fold(message)
    if NEGATED.search(folded.split(" or ")[0]):
        return ()  # "not juliana's or grimaldi's": other places
    parts = _OR.split(f" {folded} ")
    found = tuple(dict.fromkeys(name for part in parts if (name := named_place(part, names)) is not None))
    if len(found) < 2:
        return ()
    kinds_asked = {want.key for want in _asked_beside_the_topic(turn, asked).whats if not want.generic}
    # the kind asked is what at least one of them is named for ("katz or russ & daughters for pastrami"),
    # or what the names themselves say ("corner bistro or superiority burger": a bistro, a burger)
    named_for = [{want.key for want in request_in(name).whats} for name in found]
    return found if any(kinds_asked <= kinds for kinds in named_for) or kinds_asked <= set().union(*named_for) else ()


def _measured_from_named(message: str, turn: turns.Turn, named: str, names: Sequence[str], context: Context) -> bool:
    """Whether a distance or the way is asked from the place named ("how many min on foot from the
    commons", "directions from Grimaldi's") about the one place in view."""
    in_view = len(context.shown) == 1 or context.focus is not None or turn.target_index is not None  # "the second one"
    if turn.topic not in _FROM_AREA_TOPICS or not in_view:
        return False
    _, said, after = f" {fold(message)} ".partition(" from ")
    return bool(said) and named_place(after, names) == named


# How a thing is asked for by its own name: "hot pot near wash sq?", "any poutine around here",
# "is there axe throwing anywhere near tandon", "where can i get poutine around downtown bk",
# "学校附近有麻辣烫吗"; the thing is what `x` holds (up to three words, or Chinese). "X near Y" is a
# question, or opens with "is there", "any", "good"...: "waiting near the arch" asks for nothing.
_OPENER = r"(?P<opener>(?:(?:is|are) there|(?:do )?(?:u|you|ya) know(?: of)?|know of)\s+)?"
_ADJECTIVES = r"(?P<adjectives>(?:(?:any|some|a|an|good|great|best|the best|decent|real|cheap|late night|authentic)\s+)*)"
_THING = r"(?P<x>[a-z]+(?: [a-z]+){0,2}?)"
_THING_ASKED = (
    re.compile(rf"^{_OPENER}{_ADJECTIVES}{_THING}(?: anywhere| somewhere)? (?:near|around|by|close to|cerca de)\b"),
    re.compile(
        rf"\bwhere (?:can|could|do|should|would) (?:i|we|u|you|one) (?:get|find|buy|eat|grab|try|have) (?:{_ADJECTIVES}){_THING}"
        r"(?: (?:near|around|in|by|on|close to|at|nearby|tonight|today|rn|now)\b|$)"
    ),
    re.compile(r"有(?P<x>[\u3400-\u9fff]{2,6}?)(?:吗|么|嘛|没有|的地方|$)"),
    # "ok what about pierogi then", "how about poutine?": a thing asked after an answer
    re.compile(rf"^(?:(?:ok|okay|hmm|so|and|alright) )*(?:what|how) about (?:some |a |an |the )?{_THING}(?: (?:then|instead|tho|though|rn|now))*$"),
)
# How a word that says how a place is, not what it is for, ends: "spacious", "lively", "artsy", "casual".
_SAYS_HOW = re.compile(r"(?:y|ful|ous|ive|ble|al|ic|ish|less|ant|ent|ed|est|ly|ing)$")
# The words after a thing that say a place of it: "hookah lounge", "crepe place", "axe throwing spot".
_PLACE_OF_IT = frozenset({"place", "places", "spot", "spots", "lounge", "lounges", "joint", "joints", "parlor", "parlors"})


def _introduced(found: re.Match[str], message: str) -> bool:
    """Whether "X near Y" is asked: a question, or opened with "is there", "any", "good"..."""
    opener = found.groupdict().get("opener")
    return bool(opener or found.group("adjectives") or any(mark in message for mark in "?\uff1f"))


@cache
def _kind_phrases() -> frozenset[str]:
    """The words that name a kind, as the vocabulary has them ("bar", "coffee shop")."""
    return frozenset(phrase for phrase, kind, _key in vocabulary().phrases if kind == "what")


@cache
def _not_a_thing() -> frozenset[str]:
    """The words of a message that never name a thing to eat or buy: what asking, pointing,
    refining, small talk, when and where are said with ("stuff", "somewhere", "tonight")."""
    tables = turns.tables()
    kept = ("weather",)  # "hot pot" is no weather word here
    words = set().union(*(phrases.words for key, phrases in tables.sets.items() if key not in kept))
    words |= set().union(*(phrases.words for key, phrases in tables.topics.items() if key not in kept))
    words |= set().union(*(phrases.words for phrases in tables.refinements.values()))
    words |= set().union(*(phrases.words for phrases in tables.when.values()))
    words |= set().union(*tables.words.values()) | tables.cjk_words | vocabulary().not_things
    return frozenset(words)


def _thing_asked(message: str, turn: turns.Turn, asked: Request) -> tuple[str, str | None] | None:
    """The thing a message asks for by a name the vocabulary does not know ("hot pot", "poutine",
    "麻辣烫"), and how it was said when a place word follows it ("hookah lounge"); None when it asks
    for anything the vocabulary knows, or names no such thing."""
    if asked.whats or turn.topic not in (None, "weather") or turn.intent not in (NEW_REQUEST, *_CHATTY):
        return None
    text = fold(message)
    for index, pattern in enumerate(_THING_ASKED):
        found = pattern.search(text)
        if found is None or (index == 0 and not _introduced(found, message)):
            continue
        thing, said = found.group("x"), None
        if thing.isascii():
            words = thing.split()
            if len(words) > 1 and words[-1] in _PLACE_OF_IT:
                thing, said, words = " ".join(words[:-1]), thing, words[:-1]
            # "waiting near the arch?": what the student does ("is there axe throwing" asks for it)
            doing = not found.groupdict().get("opener") and any(word.endswith("ing") for word in words)
            if doing or any(word in _not_a_thing() or word.isdigit() for word in words) or len("".join(words)) < 4:
                continue
        elif any(word in thing for word in _not_a_thing() if not word.isascii()):
            continue
        if not request_in(thing).specific and request_in(thing).area is None:
            return thing, said
    return None


def _thing_beside_a_kind(message: str, turn: turns.Turn, asked: Request) -> tuple[str, Want, str] | None:
    """"ping pong bar near union sq?", "is there a cat cafe near metrotech": words the vocabulary does
    not know, said right before the one kind asked for; that thing, the kind and how it was said. None
    when every word of the ask is known ("jazz bar", "hand pulled noodles", "cozy cafe")."""
    if len(asked.whats) != 1 or asked.whats[0].generic or turn.topic is not None or turn.intent not in (NEW_REQUEST, *_CHATTY):
        return None
    text = fold(message)
    for index, pattern in enumerate(_THING_ASKED[:2]):
        found = pattern.search(text)
        if found is None or (index == 0 and not _introduced(found, message)):
            continue
        words = found.group("x").split()
        # The longest thing first ("ping pong", not "ping"). Of one word, only a word no vocabulary
        # knows ("cat"): a known one before a kind is nearly always how it is ("used bookstores",
        # "dollar slice", "cozy cafe"), not a thing; so is one said like a word of how ("spacious").
        for split in range(len(words) - 1, 0, -1):
            thing, kind = words[:split], " ".join(words[split:])
            if kind not in _kind_phrases() or request_in(kind).whats != asked.whats:
                continue  # the kind said as the vocabulary says it ("dog friendly bar": a bar, not a "friendly bar")
            if any(word in _not_a_thing() or not word.isalpha() for word in thing):
                continue
            if split == 1 and (not unknown_word(thing[0]) or _SAYS_HOW.search(thing[0])):
                continue
            tail = f" {thing[-1]} {kind} "  # "hand pulled noodles", "dollar slice": one phrase the vocabulary knows
            if any(tail in f" {phrase} " for phrase, _kind, _key in vocabulary().phrases):
                continue
            said = request_in(" ".join(thing))
            doing = any(len(word) > 5 and word.endswith("ing") for word in thing)  # "studying near": what the student does
            if not said.specific and said.area is None and len("".join(thing)) >= 3 and not doing:
                return " ".join(thing), asked.whats[0], " ".join(words)
    return None


def _measured_from_kind(message: str, turn: turns.Turn, context: Context) -> Request | None:
    """"Directions from the park", "how far from the library" about the one place in view: the kind
    of place to measure from (the nearest of it); None for an area ("from Tandon") or anything else."""
    in_view = len(context.shown) == 1 or context.focus is not None or turn.target_index is not None  # "the second one"
    if turn.topic not in _FROM_AREA_TOPICS or not in_view:
        return None
    _, said, after = f" {fold(message)} ".partition(" from ")
    start = request_in(after) if said else Request()
    return Request(whats=start.whats) if start.whats and start.area is None else None


def _another_place_named(message: str, turn: turns.Turn, named: str, context: Context) -> bool:
    """"what about Grimaldi's instead?": a place not shown, asked about instead; not "anything
    besides Bobst" or "not Joe's, another one", which ask for other places."""
    if named in context.shown or _BESIDES & set(turn.tokens):
        return False
    negated = " ".join(match.group(0) for match in NEGATED.finditer(fold(message)))
    return not any(key in negated for key in place_keys(named))


def _in_view(context: Context) -> int | None:
    """The shown place a question that names none is about: the one in focus, or the only one shown."""
    if context.focus is not None and context.focus < len(context.shown):
        return context.focus
    return 0 if len(context.shown) == 1 else None


def _of_the_place_in_view(turn: turns.Turn, asked: Request, context: Context) -> int | None:
    """"roughly how much is the pastrami" after Katz's, "how much is a beer" after a bar: a question
    about something the place in view is of (its kinds or cuisines), naming no other place, area,
    diet, need or budget, and asking for no list; that place's index, else None."""
    index = _in_view(context)
    if index is None or index >= len(context.about) or turn.topic in (None, "weather") or turn.events or turn.refinement:
        return None  # ("how far is the nearest food": a new list)
    if asked.area or asked.diet or asked.needs or asked.price_max is not None or _says_near(turn.tokens):
        return None
    tables = turns.tables()
    if tables.sets["request"].hit(turn.tokens) or turns.asks_for_others(turn.tokens):
        return None
    kinds = context.about[index]  # its kinds and cuisines among its words ("the drink minimum" at a comedy club that is a bar too)
    return index if asked.whats and all((want.kinds | want.cuisine) & kinds for want in asked.whats) else None


def _put_to_the_place_in_view(turn: turns.Turn, asked: Request, context: Context) -> int | None:
    """"can u get a single slice there", "can we bring our own wine there": a yes-or-no question put
    to the one place in view (it opens with "can", "do", "is"... and points at it with "there", "it"),
    about what is had or done there, not a search for what it names (a slice, wine); that place's
    index, else None. Not "can u find a bar near there" (a search around it) nor "is there anything
    cheaper" (other places)."""
    index = _in_view(context)
    tokens = turn.tokens
    if index is None or turn.intent != FOLLOW_UP or not turn.about_one_place or turn.refinement or turn.events:
        return None
    auxiliaries = turns.tables().words["auxiliaries"]
    opened = next((word for word in tokens if word not in _OPENERS), None)
    if opened not in auxiliaries or not _points_at_it(tokens) or _says_near(tokens):
        return None
    if asked.area or turns.tables().sets["request"].hit(tokens) or turns.asks_for_others(tokens):
        return None
    return index


_OPENERS = frozenset({"ok", "okay", "so", "and", "but", "hey", "hmm", "wait", "also", "then", "oh"})


_BESIDE = frozenset({"by", "near", "next", "across", "on", "off"})


def _placed_by(tokens: Sequence[str]) -> bool:
    """"that one by the park", "the spot near the bridge": a place pointed at by what is around it,
    so the kind named after it is where it is, not a kind asked for."""
    return any(word in turns.ONE_PLACE and tokens[i + 1 : i + 2] and tokens[i + 1] in _BESIDE for i, word in enumerate(tokens))


_NEARBY = (" nearby ", " near here ", " near me ", " close by ", " walking distance ", " cerca ", " 附近 ")


def _near_asked(turn: turns.Turn) -> bool:
    """"any other halal spots nearby?", "near here": the walk was asked to stay short (not the loose
    "around" of "any other halal spot around")."""
    said = f" {' '.join(turn.tokens)} "
    return any(phrase in said for phrase in _NEARBY)


def _says_near(tokens: Sequence[str]) -> bool:
    """"near", "close to", "cerca": where, not which. Not the "close" of closing time ("when does Joe's Pizza close")."""
    return any(
        word in _NEAR and (word != "close" or tokens[index + 1 : index + 2] in (("to",), ("by",)))
        for index, word in enumerate(tokens)
    )


_WHERE_CLOSE = frozenset({("close", "to"), ("near", "to")})


def _kind_close_to(turn: turns.Turn, asked: Request) -> bool:
    """"then a cafe close to bobst", "food close to the bridge?": a kind asked, and the distance said
    only as where it is ("close to"), not how far a place is ("is it close to bobst?")."""
    if turn.topic != "distance" or not asked.whats or _points_at_it(turn.tokens):
        return False
    spans = turns.tables().topics["distance"].spans(turn.tokens)
    return bool(spans) and all(tuple(turn.tokens[start:end]) in _WHERE_CLOSE for start, end in spans)


def _narrowed(before: Request, asked: Request) -> Request:
    """The remembered request with the message's needs added ("¿y que tenga wifi?"), its diet and
    price instead of the remembered ones ("ok vegetarian is fine then" after vegan), and its area
    when it names one."""
    return Request(
        whats=before.whats,
        diet=asked.diet or before.diet,
        needs=tuple(dict.fromkeys((*before.needs, *asked.needs))),
        price_max=asked.price_max if asked.price_max is not None else before.price_max,
        area=asked.area or before.area,
        walk_max=asked.walk_max or before.walk_max,
        party=asked.party or before.party,
    )


_THEY = frozenset({"they", "it", "them", "there", "this", "that"})
_INSIDE = frozenset({"inside", "dentro", "里面"})  # "any cafe inside?": a kind within the places shown
_TOO = frozenset({"too", "also", "tambien", "也"})
_HAVE = frozenset({"have", "has", "serve", "serves", "sell", "sells", "offer", "offers", "carry", "carries", "got", "make", "makes"})
_NIGHT = frozenset({"night", "nite", "evening", "noche", "晚上"})  # "saturday night": a night out, as tonight is
_LOWEST = frozenset({"lowest", "least"})
_PRICE_WORDS = frozenset({"price", "prices", "priced", "cover", "covers", "cost", "costs", "bill", "tab"})
_HAS_IT = frozenset({"tiene", "tienen", "有吗", "有没有"})  # "¿tiene wifi?": does it have, in one word


def _asks_what_they_have(turn: turns.Turn) -> bool:
    """"Do they sell slices?", "¿tiene wifi?": a question about the places shown, not a request; not
    a wish for the list ("y si además tiene wifi mejor", "even better if it has outlets": those that do)."""
    tokens = set(turn.tokens)
    return bool((tokens & _THEY and tokens & _HAVE) or tokens & _HAS_IT) and not turns.wishes(turn.tokens)


def _points_at_it(tokens: Sequence[str]) -> bool:
    """"Is it open?", "how far is that?", "how do I get there?": a word for the place shown. Not the
    "there" of "is there anything closer?", which asks for other places."""
    return any(
        word in _ABOUT_IT and not (word == "there" and index and tokens[index - 1] in _IS) and not turns.not_a_pointer(tokens, index)
        for index, word in enumerate(tokens)
    )


def _near_it(tokens: Sequence[str]) -> bool:
    """"near it", "close to there", "around there": where, said by a word for the place shown."""
    for index, word in enumerate(tokens):
        after = tokens[index + 1 : index + 3]
        if word in _NEAR and word != "from" and after and (after[0] in _ABOUT_IT or (after[0] in ("to", "by") and after[1:] and after[1] in _ABOUT_IT)):
            return True
    return False


def _shown_area(context: Context, index: int | None) -> Area | None:
    """A shown place as the area to look around ("near the first one"); else the one in focus, or
    the only one shown."""
    if index is None:
        index = context.focus if context.focus is not None else (0 if len(context.shown) == 1 else None)
    if index is None or index >= len(context.points) or context.points[index] is None:
        return None
    lat, lng = context.points[index]
    return Area(key="shown", label=context.shown[index], lat=lat, lng=lng)


def _pick(turn: turns.Turn, asked: Request, context: Context) -> str | None:
    """"Which one is closest?", "directions to the cheapest one", "最便宜的是哪家": the shown place
    that is closer or cheaper than the others; None when the turn asks no such thing."""
    if not context.shown or turn.target_index is not None or _another_kind(turn, asked, context.before):
        return None
    tokens = set(turn.tokens)
    said = "".join(turn.tokens)
    for pick, (phrases, chinese) in turns.tables().superlatives.items():  # "fewest blocks away", "哪家最近"
        if phrases.hit(turn.tokens) or any(word in said for word in chinese):
            return pick
    lowest = any(word in _LOWEST and turn.tokens[i - 1 : i] != ("at",) for i, word in enumerate(turn.tokens))  # not "at least $20"
    if lowest and tokens & (_PRICE_WORDS | _PRICEY_WORDS):
        return "cheaper"  # "lowest cover out of those?", "the least expensive of these" (not "the lowest key")
    return turn.refinement if tokens & _WHICH and turn.refinement in ("closer", "cheaper") else None


def _which_is_marked(turn: turns.Turn, asked: Request, context: Context, refinement: str | None) -> Request | None:
    """"Which ones the quietest tho", "which one has wifi", "which is vegan": a question about the
    places shown as a whole, by what they are marked with (a need or a diet); what is asked, with the
    quiet of "quietest"; None when the turn asks no such thing (or asks for another kind or area)."""
    tokens = set(turn.tokens)
    they = _asks_what_they_have(turn)  # "do they have live music"
    if not context.shown or turn.target_index is not None or not (tokens & _WHICH or they or tokens & _INSIDE):
        return None
    # A kind known by a tag ("live music") asked of the places shown is that tag, not a new list nor what's on
    tagged = bool(asked.whats) and all(want.tags for want in asked.whats)
    # A kind asked as part of the places shown ("any cafe inside?", "which one has coffee too")
    inside = (
        bool(asked.whats) and not any(want.generic for want in asked.whats) and not asked.area
        and bool(tokens & _INSIDE or (tokens & _WHICH and tokens & _HAVE and tokens & _TOO))
    )  # (not "any food inside? its raining" after parks: a new kind, somewhere)
    if tagged:
        asked = replace(asked, whats=(), needs=(*asked.needs, *(tag for want in asked.whats for tag in sorted(want.tags))))
    elif inside:
        return replace(asked, needs=tuple(need for need in asked.needs if need != "late_night"))
    elif turn.events or not tokens & _WHICH:
        return None
    if (asked.area and asked.area != context.before.area) or _another_kind(turn, asked, context.before):
        return None
    needs = tuple(need for need in asked.needs if need != "late_night") + (("quiet",) if refinement == "quieter" else ())
    if not needs and not asked.diet:
        return None
    return replace(asked, needs=tuple(dict.fromkeys(needs)))


def _another_kind(turn: turns.Turn, asked: Request, before: Request) -> bool:
    """Whether a follow-up asks for another kind of place than the list shown ("what about pizza?"),
    not about one of the places shown ("is the second one open?", "do they have coffee?")."""
    kinds = {want.key for want in asked.whats if not want.generic}
    # ("pizza thats open": "that" is no pointer back here; a target or "do they have" is.)
    return bool(kinds) and kinds != {want.key for want in before.whats} and turn.target_index is None and not _asks_what_they_have(turn)


def _a_kind_of_those(asked: Request, before: Request) -> bool:
    """Whether the message asks, without a price of its own, for a general kind of place that is one
    of the kinds of a priced list ("something with seating" after cheap lunch spots)."""
    kinds_before = {kind for want in before.whats for kind in want.kinds}
    return (
        bool(asked.whats) and all(want.generic and want.kinds <= kinds_before for want in asked.whats)
        and asked.price_max is None and before.price_max is not None
    )


def _another_kind_kept(asked: Request, before: Request) -> Request:
    """Another kind asked for after a list ("italian?" after "date night dinner near wash sq"): what
    the message changes, and the rest kept: the area, budget, walk and group; for food, the diet
    and the occasion (a date: restaurants, not a deli); for the same kind again, the needs. The
    message's own facets win."""
    food = all(want.cuisine for want in asked.whats)  # something to eat or drink: the diet holds
    # A meal (every kind of it a place to eat one): the occasion holds; not for coffee or dessert after the date's dinner.
    meals = vocabulary().whats["food"].kinds
    meal = all(want.kinds and all(kind in meals or kind.endswith("_restaurant") for kind in want.kinds) for want in asked.whats)
    occasion = before.setting or tuple(want for want in before.whats if want.occasion)
    plain = not any(want.generic or want.occasion for want in asked.whats)
    # "ramen feels heavy, thai food instead?" after ramen: the new kind, not the one it replaces
    new = tuple(want for want in asked.whats if want not in before.whats)
    return replace(
        asked,
        whats=new or asked.whats,
        area=asked.area or before.area,
        # (a student discount is asked of places that charge: "free" before it is not kept)
        price_max=asked.price_max if asked.price_max is not None or "student_discount" in asked.needs else before.price_max,
        diet=asked.diet or (before.diet if food else ()),
        walk_max=asked.walk_max or before.walk_max,
        party=asked.party or before.party,
        setting=occasion if meal and plain else (),
        # the same kind again ("any other cafes?" after cafes with wifi): its needs hold, unless the message says its own
        needs=asked.needs if new or asked.needs else before.needs,
    )


def _request(turn: turns.Turn, asked: Request, context: Context, refinement: str | None) -> Request | None:
    """What this turn asks for, when it asks for something specific: the message's own request; the
    remembered one for more options or a refinement of its list, narrowed by a diet, need or price
    the message adds; the remembered one somewhere else for "near Washington Square instead". None:
    the turn is not a request of that kind."""
    intent, before, listed = turn.intent, context.before, bool(context.shown)
    thanks = bool(_THANKS & set(turn.tokens))
    # "even better if it has wifi": a need wished of the list, not asked of each place shown
    wished = turn.target_index is None and turns.wishes(turn.tokens)
    about_a_shown_place = not wished and intent == FOLLOW_UP and listed and (
        (turn.topic not in (None, "weather") and (turn.about_one_place or turn.target_index is not None))
        or _from_area_about_one(turn, asked, context)
    ) and not (refinement and turns.asks_for_others(turn.tokens))
    # ("somewhere besides bobst, its packed" asks for more, whatever "its packed" says of Bobst; and
    # "somewhere quieter? that block is always packed" for other places)
    if intent == CLEAR:
        return None
    around = _shown_area(context, turn.target_index) if not asked.area and _near_it(turn.tokens) else None
    if around is not None:  # "any bars near it?" after Juliana's: bars around Juliana's, not around the student
        asked = replace(asked, area=around)
    if about_a_shown_place and _placed_by(turn.tokens):  # "that one by the park — address?": the park says which
        return None
    if _another_kind(turn, asked, before) and listed:  # "ok what about pizza thats open", near what was shown
        return _another_kind_kept(asked, before)
    if about_a_shown_place:  # "how far is it from MetroTech?" asks about the place
        return None
    pointed = not wished and (
        turn.target_index is not None or turn.about_one_place or _asks_what_they_have(turn) or _asks_whether_it_is(turn, asked)
    )
    if not refinement and listed and before.specific and not asked.whats and not pointed and (
        asked.diet or asked.needs or asked.price_max is not None or asked.walk_max
    ):
        return _narrowed(before, asked)  # "which ones are good for vegetarians?", "ok what's open late then"
    if turn.events and intent == FOLLOW_UP and listed:
        return Request(area=_shown_area(context, turn.target_index) or before.area)  # "anything going on there today?"
    if listed and _a_kind_of_those(asked, before):
        # "something with seating" after cheap lunch spots: sit-down places among them, on the same budget and walk
        return replace(
            asked, price_max=before.price_max, area=asked.area or before.area, walk_max=asked.walk_max or before.walk_max
        )
    if asked.specific and (intent == NEW_REQUEST or (intent in _CHATTY and not thanks)):
        return asked  # "附近有图书馆吗" asks for a library, whatever the turn reader made of it
    said_before = context.asked_before
    if intent == NEW_REQUEST and not asked.specific and not before.specific and said_before.specific and turns.tables().sets["request"].hit(turn.tokens):
        # "ok then where do u suggest" after "is the makerspace an ok place to do homework": what that asked
        # for, not what it named ("makerspace")
        return replace(said_before, mentions=(), area=asked.area or said_before.area)
    if asked.whats and intent == FOLLOW_UP and not refinement and turn.topic is None and not _asks_what_they_have(turn):
        if turn.target_index is not None and {want.key for want in asked.whats} <= {
            want.key for want in request_in(context.shown[turn.target_index]).whats
        }:
            return None  # "ok comedy then" with the Comedy Cellar shown: that place, not places near it
        # "and coffee around there?", "food near the bridge": a new kind, near what was shown
        return replace(asked, area=asked.area or _shown_area(context, turn.target_index) or before.area)
    if asked.specific and intent == MORE_OPTIONS:  # "any other pizza?": the rest of the last ask holds too
        return _another_kind_kept(asked, before)
    if asked.area and (intent == NEW_REQUEST or (intent in _CHATTY and not thanks)) and not before.specific and not listed:
        return asked  # "what's around Brooklyn Heights": anything good, there
    if asked.walk_max and not asked.specific and (intent == NEW_REQUEST or (intent in _CHATTY and not thanks)):
        return asked  # "quick, got class in 10": anything good, within the walk the time leaves
    if asked.area and not asked.specific and (before.specific or listed) and not refinement:
        return replace(before, area=asked.area)
    if before.specific and refinement == "quieter":
        return replace(before, needs=tuple(dict.fromkeys((*before.needs, "quiet"))))  # a quieter bar is a bar
    if before.specific and refinement == "nicer":
        return replace(before, price_max=None)  # a step up from a cheap list is past its budget
    if before.specific and refinement == "cheaper" and before.price_min is not None:
        # "those look pricey, lower budget?" after "a nice dinner": cheaper than those, not the top prices (a
        # budget word inside the phrase sets no budget of its own; "under $30" does)
        own = asked.price_max is not None and request_in(turns.without_refinements(turn.tokens)).price_max is not None
        return replace(_narrowed(before, asked) if own else before, price_min=None)
    if before.specific and refinement == "cheaper" and asked.price_max is not None:
        return _narrowed(before, asked)  # "anything for $20 or less": cheaper ones, within that too
    if before.specific and (intent == MORE_OPTIONS or refinement in REFINEMENTS_OF_A_LIST):
        return before
    return None


_SOME = frozenset({"anything", "something", "any", "anywhere", "somewhere", "algo", "alguno", "alguna"})


def _price_limit_for_others(turn: turns.Turn, asked: Request, context: Context) -> bool:
    """"Anything for like $20 or less", "any under 15 bucks" after a list: a price limit said of
    "anything" asks for other places within it (cheaper than those shown), not what the shown cost."""
    if not context.shown or turn.target_index is not None or turn.events or asked.price_max is None:
        return False
    tokens = turn.tokens
    # "are any of them $20 or less?" asks about those shown
    of_those = any(word in _SOME and tokens[i + 1 : i + 2] == ("of",) for i, word in enumerate(tokens))
    # ("anything where cocktails are less than $18" after bars: the kind shown, cheaper)
    same_kind = {want.key for want in asked.whats} <= {want.key for want in context.before.whats}
    return bool(_SOME & set(tokens)) and not of_those and same_kind and not turns.tables().sets["possession"].hit(tokens)


_CHEAP_WORDS = frozenset({"cheap", "cheaper", "cheapest", "affordable", "budget", "barato", "barata", "便宜"})
_PRICEY_WORDS = frozenset({"expensive", "pricey", "priciest", "fancy", "fancier", "splurge", "caro", "cara", "贵"})


def card_words(cards: Sequence[Mapping[str, Any]]) -> tuple[frozenset[str], ...]:
    """What each card is, in words a student may point at it by ("the pancake place", "the sushi
    one", "the library", "the cheap one"): its name, kinds, cuisine, tags and description, and
    "cheap" or "pricey" for the one shown that is cheapest or priciest (prices known and unequal)."""
    prices = [card.get("price_level") for card in cards]
    known = [price for price in prices if price is not None]
    out = []
    for card, price in zip(cards, prices, strict=True):
        facts = [card.get("name") or "", card.get("description") or ""]
        facts += [key for field_ in ("types", "cuisine", "tags") for key in card.get(field_) or ()]
        words = set(fold(" ".join(facts)).split()) | {key.replace("_", " ").split()[0] for key in card.get("types") or ()}
        words |= {key for field_ in ("types", "cuisine", "tags") for key in card.get(field_) or ()}
        if price is not None and len(known) > 1 and known.count(price) == 1:
            words |= _CHEAP_WORDS if price == min(known) else _PRICEY_WORDS if price == max(known) else set()
        out.append(frozenset(words))
    return tuple(out)


_OF = frozenset({"de", "with", "con"})  # "el de sushi", "the one with the pancakes"


def _said_of(word: str, words: frozenset[str]) -> bool:
    """Whether a card's words say `word` (a plural or singular of it counts: "pancake", "pancakes")."""
    return any(form in words for form in (word, f"{word}s", f"{word}es", word.removesuffix("s"))) and len(word) >= 3


@cache
def _not_pointing_words() -> frozenset[str]:
    """The words of a message that never say which place shown it means (_described_shown)."""
    tables = turns.tables()
    # What is asked about a place ("the menu", "the wifi", "the address") never says which one (a diet does: "the vegan place").
    topical = {word for key, phrases in tables.topics.items() if key != "diet" for word in phrases.words}
    words = tables.words
    return frozenset(words["common_words"] | words["determiners"] | words["reference_nouns"] | _ABOUT_IT | _NEAR | topical)


def _described_shown(turn: turns.Turn, context: Context, *, by_kind: bool = False) -> tuple[int, int, int] | None:
    """"Is the pancake place open", "how far is the library", "¿el de sushi?": the one shown place a
    message points at by what it is or serves, after "the"/"that"/"el"; (index, start, end) of it and
    its words in the message. None when no word fits exactly one place shown, or the place is only
    where to look ("coffee near the library"). By the words of the places, else (`by_kind`) by the
    kinds the vocabulary gives the word ("the sushi one": a place known as sushi by its kind)."""
    if len(context.about) != len(context.shown) or not context.shown:
        return None
    tables = turns.tables()
    heads, determiners = tables.words["reference_nouns"], tables.words["determiners"]
    plain = _not_pointing_words()
    tokens = turn.tokens
    for at, word in enumerate(tokens):
        if word not in determiners or (at and tokens[at - 1] in _NEAR):
            continue
        start = at + 1 + (at + 1 < len(tokens) and tokens[at + 1] in _OF)
        end = next((i for i in range(start, min(start + 3, len(tokens))) if tokens[i] in heads), None)
        said = tokens[start:end] if end is not None else tokens[start : start + 1]
        if end == start and start + 1 < len(tokens) and tokens[start + 1] in _OF:  # "the one with the pancakes"
            said, end = [word for word in tokens[start + 2 : start + 4] if word not in determiners][:1], start + 3
        elif end == start:  # "the library", "the bar": the head is what it is
            said = tokens[start : start + 1]
        said = [word for word in said if word not in plain or word in _CHEAP_WORDS | _PRICEY_WORDS or (word in heads and request_in(word).whats)]
        for one in said:
            fits = [i for i, words in enumerate(context.about) if _said_of(one, words)]
            if by_kind and not fits:
                wants = request_in(one).whats
                fits = [i for i, words in enumerate(context.about) if any(words & (w.kinds | w.cuisine | w.tags) for w in wants)]
            if len(fits) == 1:
                return fits[0], at, (end + 1 if end is not None else start + 1)
    return None


def _besides_the_name_said(message: str, turn: turns.Turn, asked: Request, context: Context) -> Request:
    """"think coffee never has seats tho, other options?" after cafes: the "coffee" of a shown place's
    name asks for no kind of its own when the list was of that kind already (the list holds, its
    needs too); the request as read otherwise."""
    if turn.intent != MORE_OPTIONS or turn.target_index is None or turn.target_index >= len(context.shown):
        return asked
    listed = {want.key for want in context.before.whats}
    if not asked.whats or not {want.key for want in asked.whats} <= listed:
        return asked
    name = set(turns.tokenize(context.shown[turn.target_index]))
    words, left, i = turn.tokens, [], 0
    while i < len(words):  # a run of two words or more of the name is the name said
        end = i
        while end < len(words) and words[end] in name:
            end += 1
        left += words[i:end] if end - i < 2 else []
        left += words[end : end + 1]
        i = end + 1
    return replace(asked, whats=request_in(" ".join(left)).whats)


def _pointed_by_what_it_is(turn: turns.Turn, asked: Request, context: Context) -> tuple[turns.Turn, Request, str | None]:
    """"Is the pancake place open now": the turn read as about "the place", pointing at the shown one
    that serves pancakes (or, named, the one of the list before); the turn and request as they are
    when no one place fits. A place shown, else one of the list before, by its words; else by its
    kind, the same way."""
    if turn.target_index is not None or turn.intent in (CLEAR, MORE_OPTIONS):
        return turn, asked, None
    # (no list before the last one: nothing of it to point at)
    earlier = replace(context, shown=context.earlier, about=context.earlier_about) if context.earlier else None
    for by_kind in (False, True):
        shown = _described_shown(turn, context, by_kind=by_kind)
        before = None if shown or earlier is None else _described_shown(turn, earlier, by_kind=by_kind)
        if shown or before:
            break
    else:
        return turn, asked, None
    index, start, end = shown or before
    rest = " ".join((*turn.tokens[:start], "the place", *turn.tokens[end:]))
    if any(not want.generic for want in request_in(rest).whats):  # not "any bars like the sushi one"
        return turn, asked, None
    read = replace(understand_turn(rest, remembered=context.shown), intent=FOLLOW_UP)
    if shown:  # ("how much is the pastrami" of the place in view: the item is still what is asked about)
        return replace(read, target_index=index), asked if index == _in_view(context) else request_in(rest), None
    return read, request_in(rest), context.earlier[index]


def _earlier_pointed(message: str, turn: turns.Turn, context: Context) -> str | None:
    """"How far is the second one" when the last answer showed fewer places than that: the place at
    that rank of the list before it (the coffee shops, not the one with wifi); "the first one" after
    an answer of one place too (a rank counts in a list: "italian?" narrowed three to one). None otherwise."""
    if len(context.earlier) <= len(context.shown):
        return None
    index = understand_turn(message, remembered=context.earlier).target_index
    if index is None:
        return None
    ranked = index >= len(context.shown) or (len(context.shown) == 1 and turns.positions_past(turn.tokens, 0))
    return context.earlier[index] if ranked else None


def _target(turn: turns.Turn, context: Context, refinement: str | None, *, about_one: bool = False) -> int | None:
    count = len(context.shown)
    if turn.target_index is not None and turn.target_index < count:
        return turn.target_index
    if turn.intent != FOLLOW_UP:
        return None
    if count == 1:
        return 0
    if not refinement and context.focus is not None and (turn.about_one_place or about_one) and context.focus < count:
        return context.focus
    return None


def _as_intent(turn: turns.Turn, intent: str) -> turns.Turn:
    """The turn read as of `intent` (itself when it is already: no copy)."""
    return turn if turn.intent == intent else replace(turn, intent=intent)


def understand(
    message: str, *, context: Context = Context(), names: Sequence[str] = (), vibe_hint: str | None = None,
    is_of: Callable[[str, Want], bool] | None = None,
) -> Understood:
    """What `message` asks, in the conversation `context`; `names` are the places the service knows
    (for "tell me about Juliana's"), `vibe_hint` the vibe the app sent, `is_of` whether the place of
    a name is of a kind (by its types, cuisine or description: "juniors cheesecake hours")."""
    turn = understand_turn(message, remembered=context.shown)
    asked, start_unknown = _start_said(message, turn, request_in(message), names)
    near_place = None
    if (near := _near_a_named_place(message, asked, names)) is not None:  # "coffee near bar tabac"
        asked, near_place = near
    turn, asked, earlier_named = _pointed_by_what_it_is(turn, asked, context)
    if _kind_close_to(turn, asked):  # "a cafe close to bobst" with Bobst shown: cafes there, not how far Bobst is
        turn = replace(turn, topic=None)  # (as "food near the bridge?": near the place shown)
    asked = _besides_the_name_said(message, turn, asked, context)
    asked = _games_of_the_list(message, asked, context)
    # "anything for $20 or less" after jazz clubs for tonight: cheaper clubs, not events within it
    cheaper_others = context.before.specific and _price_limit_for_others(turn, asked, context)
    if _at_a_venue_then(message, turn, asked, context, names):  # "anything at barclays?" after "what's on this weekend"
        turn = replace(turn, events=True, when=turn.when or context.when_before)
    if not cheaper_others and _refines_the_events(turn, asked, context):  # "anything free?" after "any events this weekend?": free events then
        turn = replace(turn, events=True, when=turn.when or context.when_before)
        before = context.before  # then "what about tomorrow": free events still, where they were asked for
        asked = replace(asked, price_max=before.price_max if asked.price_max is None else asked.price_max, area=asked.area or before.area)
    intent, refinement = turn.intent, turn.refinement
    if intent == NEW_REQUEST:
        vibe = asked.vibe or vibe_hint or "generic"
    else:
        vibe = context.vibe or vibe_hint or asked.vibe or "generic"
    if intent == CLEAR:
        vibe = vibe_hint or "generic"  # nothing of the old conversation carries over
    if _asks_coverage(turn, asked):  # "do u only know manhattan or brooklyn too": where Violet knows places
        return Understood(GENERAL_QUESTION, vibe, asked=asked, words=len(turn.tokens), coverage=True)
    if _vents(turn, asked):  # "i have 3 exams in 2 days someone save me": a kind word, and help offered
        return Understood(SMALL_TALK, vibe, asked=asked, thanks=bool(_THANKS & set(turn.tokens)), words=len(turn.tokens), venting=True)
    if refinement == "quieter" and not context.before.specific:
        # calmer: after a night out, a relaxed drink; else the study places
        vibe = "chill_drinks" if context.vibe in ("party", "chill_drinks") else "study"
    # ("any burger spot a shorter walk" after burgers and juice: kinds of the list named again are no other kind)
    named_again = {want.key for want in asked.whats} <= {want.key for want in context.before.whats}
    if refinement in REFINEMENTS_OF_A_LIST and context.shown and _another_kind(turn, asked, context.before) and not named_again:
        refinement = None  # "what about pizza thats open": a new request (known-closed places are left out)
    # "how late are they open?": the late of the hours asked about, not places known for late nights
    how_late = "how late" in " ".join(turn.tokens)
    topical = replace(asked, needs=tuple(need for need in asked.needs if need != "late_night")) if how_late and "late_night" in asked.needs else asked
    only_the_topic = _nothing_asked_beside_the_topic(turn, topical)
    if intent in (NEW_REQUEST, *_CHATTY) and turn.topic not in (None, "weather") and context.shown and (
        (not topical.area and (not topical.specific or (_only_generic(topical) and _points_at_it(turn.tokens))))
        or _from_area_about_one(turn, topical, context)
        or only_the_topic
        or _diet_of_the_one_place(turn, topical, context)
        or _asks_whether_it_is(turn, topical)
    ):
        # "要满21岁吗?", "reservations?" with places on screen ask about them; so does "how much is a
        # meal there?" ("meal" names no kind of place beyond the one shown)
        intent = FOLLOW_UP
        if only_the_topic:  # "should i book ahead": no bookstore is asked for
            # (a general want stays: "whats the drink minimum" asks what items cost)
            rest = _asked_beside_the_topic(turn, topical).whats
            asked = replace(asked, whats=tuple(want for want in asked.whats if want.generic or want in rest))
            topical = replace(topical, whats=tuple(want for want in topical.whats if want.generic or want in rest))
    if turn.events and intent in _CHATTY:
        intent = NEW_REQUEST  # "这周末有什么活动吗": what's on is a request, however it is put
    nearest_first = refinement == "closer" and not context.shown and not asked.walk_max
    if refinement in REFINEMENTS_OF_A_LIST and not context.shown:
        refinement = None  # "whats open rn near tandon": a new request, not a list to refine (known-closed places are left out)
    # "somewhere closer to 2nd ave": the same ask around there, the places shown among them if they are nearest
    toward = refinement == "closer" and asked.area is not None and bool(context.shown)
    if refinement == "closer" and asked.area:
        refinement = None  # "any near Tandon instead": somewhere else, not nearer
    if refinement is None and intent != CLEAR and (cheaper_others or _price_limit_for_others(turn, asked, context)):
        refinement = "cheaper"  # "those covers r steep, anything for like $20 or less": other places, cheaper
    topic = turn.topic
    in_view = len(context.shown) == 1 or context.focus is not None  # "is it cheap?" after "which one is closest"
    if refinement and (turn.target_index is not None or (in_view and _points_at_it(turn.tokens) and not turns.asks_for_others(turn.tokens))):
        # "is it open now?", "第二个现在营业吗": a question about a place, about what the refinement names
        if refinement == "quieter":  # "is this one quieter?": whether it is known to be quiet
            asked = replace(asked, needs=tuple(dict.fromkeys((*asked.needs, "quiet"))))
        topic, refinement = topic or _REFINEMENT_TOPICS.get(refinement), None
    if refinement in _UNKNOWN_TO_PICK and context.shown and set(turn.tokens) & _WHICH and not _another_kind(turn, asked, context.before):
        # "which of these do ppl rate highest": a question about the places shown, not a new list
        topic, refinement = _REFINEMENT_TOPICS[refinement], None
    marked = _which_is_marked(turn, asked, context, refinement)
    if marked is not None:  # "which ones the quietest tho", "which one has wifi": among those shown
        # and, should none of them be, one of the list's kind that is ("which museum does a student discount")
        before = context.before
        beyond = replace(
            before, needs=tuple(dict.fromkeys((*before.needs, *marked.needs))), diet=marked.diet or before.diet
        ) if before.whats else None  # fmt: skip
        return Understood(FOLLOW_UP, vibe, when=turn.when, asked=marked, pick=MARKED, beyond=beyond, words=len(turn.tokens))
    # "concerts at Barclays this week?" asks what's on, not about Barclays.
    compared = () if intent == CLEAR or turn.events else _compared(message, turn, asked, names)
    pick = None if compared else _pick(turn, asked, context)
    if pick is not None:  # "which one is closest?": one of those shown, not a new list
        topic = {"closer": "distance", "cheaper": "price"}[pick] if turn.topic is None else turn.topic
        beyond = context.before if context.before.specific else None
        return Understood(FOLLOW_UP, vibe, topic=topic, when=turn.when, asked=asked, pick=pick, beyond=beyond, words=len(turn.tokens))
    if compared:  # "juliana's or grimaldi's, which one's the move": both, side by side ("which one is cheaper": their prices)
        topic = topic or _REFINEMENT_TOPICS.get(turn.refinement or "")
        return Understood(FOLLOW_UP, vibe, named=compared[0], topic=topic, when=turn.when, asked=asked, compared=compared)
    named = None if intent == CLEAR or turn.events else _asks_about_named(message, turn, asked, names, is_of)
    venue = _venue_asked(message, names, asked) if turn.events and intent != CLEAR and not asked.area else None
    named = named or earlier_named
    if named is not None and named not in context.shown and _measured_from_named(message, turn, named, names, context):
        # "walk time from the commons?" with a place in view: from MetroTech Commons to that place
        target = _target(replace(turn, intent=FOLLOW_UP), context, None)
        return Understood(FOLLOW_UP, vibe, target=target, topic=turn.topic, when=turn.when, asked=asked, from_place=named)
    start = None if named is not None else _measured_from_kind(message, turn, context)
    if start is not None:  # "directions from the park pls" with the Whitney in view: from the nearest park
        target = _target(replace(turn, intent=FOLLOW_UP), context, None)
        return Understood(FOLLOW_UP, vibe, target=target, topic=turn.topic, when=turn.when, asked=asked, from_kind=start)
    goes_elsewhere = turns.tables().sets["elsewhere"].hit(turn.tokens) and not (context.shown and intent == MORE_OPTIONS)
    if named is not None and intent != CLEAR and named not in context.shown and goes_elsewhere:
        # "dibner full af, anywhere else quiet to study", "somewhere besides bobst": places like it, without it
        like = asked if asked.whats else replace(asked, whats=request_in(named).whats)
        return Understood(NEW_REQUEST, like.vibe or vibe, request=like, when=turn.when, asked=asked, words=len(turn.tokens), besides=named)
    besides = None
    if named is not None and intent == MORE_OPTIONS and not _another_place_named(message, turn, named, context):
        named, besides = None, named  # "somewhere besides Bobst": other places than Bobst
    if named is None and intent == FOLLOW_UP and (turn.target_index is None or len(context.shown) == 1):
        named = _earlier_pointed(message, turn, context)  # "how far is the second one" after a shorter answer
    if named is not None and _from_area_about_one(turn, asked, context) and fold(asked.area.label) in fold(named):
        named = None  # "directions from Bobst": Bobst is where from, the place in view where to
    if named is not None and topic is None and context.topic_before not in (None, "weather") and _what_about(turn.tokens):
        topic = context.topic_before  # "dibner open sunday?" then "what about the heights library": its hours too
    if named is not None and topic is not None and turn.topic == topic:
        # "tell me about Strand Book Store": the "book" of its name asks nothing about booking
        topic = turns.topic_of(turns.tokenize_besides(message, named))
    if named is not None:  # "is Joe's Pizza open right now?" asks about Joe's, not for open places
        return Understood(
            FOLLOW_UP, vibe, named=named, topic=topic, when=turn.when, asked=asked, start_unknown=start_unknown,
            kind_asked=topic is None and bool(asked.whats) and _asks_what_it_is(message, named, names),
        )
    several = _asks_about_several(message, turn, asked, names) if intent != CLEAR and not turn.events else ()
    if several:  # "stonewall — 21 and over only?": the bar or the monument, by what is asked
        return Understood(FOLLOW_UP, vibe, named_options=several, topic=topic, when=turn.when, asked=asked)
    in_view = _of_the_place_in_view(turn, topical, context) if intent in (NEW_REQUEST, *_CHATTY) else None
    if in_view is not None:  # "how much is the pastrami" after Katz's: its price, not a search for delis
        return Understood(FOLLOW_UP, vibe, target=in_view, topic=topic, when=turn.when, asked=asked, words=len(turn.tokens))
    put = _put_to_the_place_in_view(turn, topical, context) if intent == FOLLOW_UP else None
    if put is not None:  # "can we bring our own wine there" after Lucali: whether one can, not a list of bars
        return Understood(FOLLOW_UP, vibe, target=put, topic=topic, when=turn.when, asked=asked, words=len(turn.tokens))
    thing = None if named is not None else _thing_asked(message, _as_intent(turn, intent), topical)
    if thing is not None:  # "hot pot near wash sq": looked for by its own words, said plainly when none is known
        asked = replace(asked, whats=(asked_for(thing[0], said=thing[1]),))
        topical = replace(topical, whats=asked.whats)
    beside = None if named is not None or thing is not None else _thing_beside_a_kind(message, _as_intent(turn, intent), topical)
    if beside is not None:  # "ping pong bar near union sq": a bar known for it, said plainly when none is
        asked = replace(asked, whats=(asked_for(beside[0], beside[1], said=beside[2]),))
        topical = replace(topical, whats=asked.whats)
    request = _request(_as_intent(turn, intent), topical, context, refinement)
    if intent == SMALL_TALK and turns.all_small_talk(turn.tokens):
        request = None  # "lol ur up late too huh": said to Violet, no place asked for "late"
    night = turn.when is not None and turn.when.key in ("weekday", "weekend") and bool(_NIGHT & set(turn.tokens))
    if request is not None and turn.when is not None and (turn.when.key in ("tonight", "late") or night):
        request = at_night(request)  # "smth fun tonight": a night out, not a park
    late_hour = turn.when is not None and turn.when.hour is not None and turn.when.hour < _LATE_UNTIL
    asks_open = turn.topic == "hours" and turn.target_index is None and named is None  # "whats open past 2am"
    if late_hour and asks_open and request is None and intent == NEW_REQUEST:
        request = Request()  # "anything open at 2am?": somewhere, of any kind
    if late_hour and request is not None:
        # "any food still going at 2am", "whats open past 2am near tandon", "where can i go at 1am near
        # wsp": the hours are not known, so places known for late nights (not what's on: none was asked)
        request = replace(request, needs=tuple(dict.fromkeys((*request.needs, "late_night"))))
    quieter = request is not None and refinement == "quieter" and context.before.specific
    if quieter:
        intent, refinement = MORE_OPTIONS, None  # other places than those shown, kept by the "quiet" need
    # "near Washington Square instead", "what about a movie instead": a new request, not more of the
    # list ("anything else for breakfast" after bagels is more: other places than those shown)
    elsewhere = intent == MORE_OPTIONS and request is not None and (
        request.area != context.before.area or (_another_kind(turn, asked, context.before) and bool(_INSTEAD & set(turn.tokens)))
    )
    if request is not None and (intent in _CHATTY or (intent == FOLLOW_UP and not refinement) or elsewhere or toward):
        intent = NEW_REQUEST  # a request after all; or "near Washington Square instead": the same ask, elsewhere
    if request is not None and request.vibe:
        vibe = request.vibe
    if intent == NEW_REQUEST and context.shown and request is not None and not toward and (
        request == context.before or _BESIDES & set(turn.tokens)
    ):
        intent = MORE_OPTIONS  # asked again, or "somewhere besides Bobst": other places than those shown
    if intent == FOLLOW_UP and topic is None and not refinement and request is None and turn.when is not None and turn.when.hour is not None:
        topic = "hours"  # "are any of them def serving at 7:15": whether they are open then
    about_one = _asks_about_one(turn, asked)
    target = _target(_as_intent(turn, intent), context, refinement, about_one=about_one) if intent in (FOLLOW_UP, MORE_OPTIONS) else None
    past = intent == FOLLOW_UP and bool(context.shown) and turn.target_index is None and turns.positions_past(turn.tokens, len(context.shown))
    return Understood(
        intent, vibe, request=request, refinement=refinement, target=target, topic=topic, events=turn.events, when=turn.when,
        asked=asked, thanks=bool(_THANKS & set(turn.tokens)) or (intent == SMALL_TALK and turns.leaving(message, turn.tokens)),
        words=len(turn.tokens), past_end=len(context.shown) if past else 0,
        nearest_first=nearest_first and intent == NEW_REQUEST, venue=venue, quieter=quieter and intent == MORE_OPTIONS,
        start_unknown=start_unknown and intent == FOLLOW_UP, besides=besides, near_place=near_place if intent == NEW_REQUEST else None,
        farther_if_none=(
            intent == MORE_OPTIONS and (asked.specific or turns.tables().sets["same_kind"].hit(turn.tokens)) and not _near_asked(turn)
        ) or (intent in (NEW_REQUEST, MORE_OPTIONS) and turns.tables().sets["however_far"].hit(turn.tokens)),
    )


_AT = re.compile(r"(?:^|\s)(?:at|@|en)\s+(.+)")


def _venue_asked(message: str, names: Sequence[str], asked: Request) -> str | None:
    """The place a question about what's on names after "at" ("whats playing at IFC tonight",
    "concerts at barclays"), or anywhere when it asks for no kind, diet or need ("bam got anything
    playing tonight?"); not a word of a name said beside a kind ("any live music" is no Three Lives)."""
    said = _AT.search(fold(message))
    if said:
        return named_place(said.group(1), names)
    return None if asked.whats or asked.needs or asked.diet else named_place(message, names)


def _at_a_venue_then(message: str, turn: turns.Turn, asked: Request, context: Context, names: Sequence[str]) -> bool:
    """"anything at barclays?" right after a question about what's on: what's on at that place, in
    the time asked before; not a kind of place, a question about a place, or a place shown."""
    if not context.events_before or turn.events or turn.intent == CLEAR or asked.whats or asked.diet or asked.needs:
        return False
    if turn.topic is not None or turn.target_index is not None or turn.refinement:
        return False
    said = _AT.search(fold(message))
    return said is not None and named_place(said.group(1), names) is not None


def _refines_the_events(turn: turns.Turn, asked: Request, context: Context) -> bool:
    """Whether a message after a question about what's on narrows that question ("anything free?",
    "what about tomorrow", "near tandon?"): a price, a time or an area, and no kind of place, nor a
    question about a place shown."""
    if not context.events_before or turn.events or turn.intent == CLEAR or asked.whats or asked.diet or asked.needs:
        return False
    if turn.target_index is not None or turn.about_one_place or turn.topic not in (None, "price"):
        return False
    return asked.price_max is not None or asked.area is not None or turn.when is not None


def understood_by_model(understood: Understood, *, request: Request, fields: dict, context: Context) -> Understood:
    """The turn as a model read it (recommendations.llm_request.request_from_llm: every field
    already checked), over the built-in reading where the model said something: its request when
    it names anything, its intent, refinement, shown place (within the list) and topic."""
    intent = fields.get("intent") or understood.intent
    if intent == CLEAR and understood.intent != CLEAR:
        intent = understood.intent  # forgetting the conversation is the student's word, never a model's guess
    target = fields.get("target_index")
    target = target if isinstance(target, int) and 0 <= target < len(context.shown) else understood.target
    asks = request if request.specific or request.area else understood.request
    if asks is not None and intent in _CHATTY:
        intent = NEW_REQUEST
    return replace(
        understood, intent=intent, request=asks, refinement=fields.get("refinement") or understood.refinement,
        target=target if intent == FOLLOW_UP else None, topic=fields.get("topic") or understood.topic,
        vibe=(asks.vibe if asks is not None else None) or understood.vibe, words=0,
    )
