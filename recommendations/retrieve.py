"""Places for a request, by what was asked: candidates near the place asked about (the named area,
else the student; Google's when it is configured, and the catalog's), kept only when they match
the request (kind or cuisine, diet, needs, price) and are not known to be closed at the instant,
then ranked. When none match, other places nearby come back marked as alternatives, so the answer
can say plainly that it knows none.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone

from accounts.models import User
from places import candidates as place_candidates
from places import geo, selectors
from places.models import Place

from .context import is_late_night, ranking_context
from .lists import REFINEMENT_KEEPS, REFINEMENT_ORDER, nearness
from .request import FUZZY_MIN_LENGTH, Request, Want, beside_of, fold, instead_of, is_one_typo, said_against, vocabulary

SEARCH_RADIUS_M = 1600  # about a 25-minute walk through the street grid, from the student
AREA_RADIUS_M = 1200  # "near Union Square": within about 15 minutes' walk of it
FARTHER_RADIUS_M = 2600  # nothing within the usual walk: the nearest within about half an hour
FARTHER_MINUTES = 30  # ... by their walks: "farther instead" than a neighbourhood is not a 40-minute walk
NEIGHBOURHOOD_RADIUS_M = 600  # "in DUMBO": the places in the area itself come before those around it
AREA_CORE_RADIUS_M = 1000  # a new list for a named neighbourhood: places past this only when none is within it
SHORT_WALK_SHARE = 0.75  # of the student's walking limit: "around here" is not filled with places at its edge
CAMPUS_AREAS = frozenset({"tandon", "washington_square"})  # "near campus" is the student's usual walk, not a neighbourhood
COLD_MONTHS = (12, 1, 2)  # New York winter: a general outing is better indoors
NAMED_RADIUS_M = 8000  # a place asked about by name: both campuses, from either
DIET_ALSO_MEETS = {"vegan": {"vegetarian"}}  # a vegan place serves vegetarians too
DIET_INSTEAD = {"vegan": "vegetarian"}  # with no vegan place known, the nearest thing
_WORK_NEEDS = frozenset({"wifi", "outlets"})  # what a student cannot study on a laptop without
BIT_FARTHER = 1.5  # of a walking limit no place keeps: how far "a bit farther" goes
# Needs that lower the price listed: "cheap w a student id" with no cheap place that has one, the one
# with a student discount before a cheap one without.
_PRICE_NEEDS = frozenset({"student_discount"})
# Needs kept before a price when no place meets both: at night a place known for late nights that
# costs more is of use, a cheap one that has closed is not ("hungry and broke, whats open late").
_BEFORE_PRICE_NEEDS = _PRICE_NEEDS | {"late_night"}
GROUP_PARTY = 5  # "brunch for 6 ppl": from this many, places to sit down (restaurants) come first
# Counters: for an occasion ("date night dinner") they come after the places to sit down
COUNTER_TYPES = frozenset({"fast_food_restaurant", "food_court", "meal_takeaway", "sandwich_shop", "deli"})


@dataclass(frozen=True)
class Found:
    cards: list[dict[str, Any]]
    exact: bool  # the cards match the request; False: they are alternatives
    label: str  # what was asked, in words: "halal place to eat"
    where: str  # "Washington Square", or "you"
    more: bool = False  # more of a list already shown: none left is "no other", not "none"
    farther: bool = False  # exact, but beyond the usual walk: none nearer is known
    # Events asked for and none known because the listings are not there (events.selectors:
    # NOT_SYNCED, UNREACHABLE), not because nothing is on: "" when the sources answered.
    why: str = ""
    # Exact places for a kind asked with a time ("jazz tonight"): the events window in words
    # ("tonight") when no event in it is known, said after the places; "" otherwise.
    no_events: str = ""
    walk_max: int | None = None  # the longest walk asked for ("within a 10 min walk")
    beyond: bool = False  # exact, but none within that walk: the nearest are a bit farther
    # Alternatives all of the one kind that stands in for the one asked (dessert for ice cream, cafés
    # for a cat café): its label, to say what they are; "" otherwise.
    instead: str = ""


def _card_within(card: dict[str, Any], center: geo.Point, radius_m: float) -> bool:
    where = card.get("location")
    return bool(where) and geo.haversine_m(center, geo.Point(where["lat"], where["lng"])) <= radius_m


def card_named(name: str, *, origin: geo.Point, at: datetime) -> dict[str, Any] | None:
    """The card of the known place called `name`, as of `at`, the nearest when two share the name."""
    local = [place for place in selectors.places_near(origin=origin, radius_m=NAMED_RADIUS_M) if place.name == name]
    if not local:
        return None
    place = min(local, key=lambda p: selectors.distance_m(p, origin))
    return selectors.place_card(place, origin=origin, walk=selectors.estimated_walk(place, origin), score=0.0, at=at)


def named_is_of(name: str, want: Want, *, origin: geo.Point) -> bool:
    """Whether the known place called `name` (the nearest of that name) is of the kind asked, by
    its types, cuisine, tags or description ("juniors cheesecake": Junior's is known for it)."""
    local = [place for place in selectors.places_near(origin=origin, radius_m=NAMED_RADIUS_M) if place.name == name]
    if not local:
        return False
    place = min(local, key=lambda p: selectors.distance_m(p, origin))
    return _is_of(place, want, _tags_met(place))


def names_near(origin: geo.Point) -> tuple[str, ...]:
    """The names of the places a student may ask about by name, from `origin`, sorted."""
    return selectors.place_names_near(origin=origin, radius_m=NAMED_RADIUS_M)


@lru_cache(maxsize=4096)
def _description_words(description: str) -> str:
    return f" {fold(description)} "


def _described(place: Place, want: Want) -> bool:
    """Whether the place's description names the kind asked for ("karaoke nights" at a bar)."""
    if want.loose:
        return _says_loosely(f"{place.name} {place.description or ''}", want.described)
    text = _description_words(place.description or "")
    return any(f" {word} " in text for word in want.described)


def card_described(card: dict[str, Any], want: Want) -> bool:
    """Whether a card's description names the kind asked for ("karaoke nights", "a dance floor")."""
    if want.loose:
        return _says_loosely(f"{card.get('name') or ''} {card.get('description') or ''}", want.described)
    text = _description_words(card.get("description") or "")
    return any(f" {word} " in text for word in want.described)


def _says_loosely(text: str, phrases: Iterable[str]) -> bool:
    """Whether a name and description say one of `phrases` ("smoked meat sandwiches and poutine"
    says "poutin"), word for word, a word of five letters or more one typo off; Chinese as it is."""
    said = _description_words(text)
    words = said.split()
    for phrase in phrases:
        if f" {phrase} " in said:
            return True
        asked = phrase.split()
        if not asked or not phrase.isascii():
            continue
        for start in range(len(words) - len(asked) + 1):
            if all(
                word == words[start + at] or (len(word) >= FUZZY_MIN_LENGTH and is_one_typo(words[start + at], word))
                for at, word in enumerate(asked)
            ):
                return True
    return False


def card_is(card: dict[str, Any], want: Want) -> bool:
    """Whether a card is of the kind asked for, by its types, cuisine, tags or description."""
    if want.described_required:
        return bool(set(card.get("types") or ()) & want.kinds) and card_described(card, want)
    return bool(
        set(card.get("types") or ()) & want.kinds or set(card.get("cuisine") or ()) & want.cuisine
        or set(card.get("tags") or ()) & want.tags or card_described(card, want)
    )


def place_matches(place: Place, request: Request) -> bool:
    return matcher(request)(place)


def _tags_met(place: Place) -> frozenset[str]:
    """A place's tags and what they meet besides: a vegan place serves vegetarians, and an indoor
    setting is a need met ("rainy day, indoors"), not a tag."""
    tags = set(place.tags)
    tags |= {also for tag in place.tags for also in DIET_ALSO_MEETS.get(tag, ())}
    if place.indoor_outdoor in ("indoor", "both"):
        tags.add("indoors")
    return frozenset(tags)


def matcher(request: Request) -> Callable[[Place], bool]:
    """place_matches(place, request) for any place, what the request asks worked out once: a list
    checks a request against a hundred places, and the answer for a catalog place is remembered."""
    needs, whats = frozenset(request.needs), request.whats
    if "indoors" in needs:  # "rainy day stuff to do, indoors": a cinema or a bookstore too
        whats = tuple(replace(want, kinds=want.kinds | want.indoors) if want.indoors else want for want in whats)
    asked = _Asked(whats, frozenset(request.diet), needs, request.price_max, request.price_min)
    return selectors.local_rows_test(asked)


@dataclass(frozen=True)
class _Asked:
    """What a request asks of a place (matcher()): hashable, equal for requests that ask the same."""

    whats: tuple[Want, ...]
    diet: frozenset[str]
    needs: frozenset[str]
    price_max: int | None
    price_min: int | None  # "somewhere fancy": $$$ and up

    def __call__(self, place: Place) -> bool:
        price_max, price_min, needs = self.price_max, self.price_min, self.needs
        described_needs = vocabulary().described_needs
        if price_max is not None and (place.price_level is None or place.price_level > price_max):
            return False
        if price_min is not None and (place.price_level is None or place.price_level < price_min):
            return False
        tags = selectors.local_row_value(place, "tags_met", _tags_met)
        unmet = needs - tags
        if unmet:
            tags = set(tags)
        for need in unmet:  # a need its description answers ("indie and documentary films")
            words = described_needs.get(need, ())
            if any(f" {word} " in _description_words(place.description or "") for word in words):
                tags.add(need)
        if self.whats and not any(_is_of(place, want, tags) for want in self.whats):
            return False
        return self.diet <= tags and needs <= tags


def _is_of(place: Place, want: Want, tags: frozenset[str] | set[str]) -> bool:
    """Whether a place is of the kind asked for: by its types, cuisine, tags (those it meets) or description."""
    if want.described_required:  # a market described as a farmers market, not a food hall
        return not want.kinds.isdisjoint(place.types) and _described(place, want)
    return (
        not want.kinds.isdisjoint(place.types) or not want.cuisine.isdisjoint(place.cuisine)
        or not want.tags.isdisjoint(tags) or _described(place, want)
    )


def _mentions(place: Place, words: Sequence[str]) -> bool:
    """Whether a place's description or name says one of the words ("subway cars" for a train museum)."""
    text = _description_words(f"{place.name} {place.description or ''}")
    return any(f" {word} " in text for word in words)


def _relaxed(request: Request, *, quiet_first: bool = False) -> list[Request]:
    """Ever looser versions of the request, for alternatives: with one of its needs; without needs;
    with the nearest diet (vegetarian for vegan) at the price asked; then without the price; then any
    kind of place with its diet and needs (to study with wifi or outlets, right after one need: a
    library with wifi before a café without; asked "quieter?", a quiet library before a café not known to
    be quiet); then the kinds that can stand in for the one asked (tea or dessert for boba); then the
    kind of place alone."""
    diet = tuple(DIET_INSTEAD.get(d, d) for d in request.diet)
    # Any kind with the diet or need: a halal student wants halal food before sushi, and a quiet
    # café can be a library; a quiet ramen place is not (its alternatives stay food).
    any_kind = (Request(diet=request.diet, needs=request.needs, area=request.area), Request(diet=diet, needs=request.needs, area=request.area))
    instead = tuple(dict.fromkeys(other for want in request.whats for other in instead_of(want)))
    # Two needs no place meets together: one of them before none ("rooftop bar with a view").
    one_need = [
        Request(whats=request.whats, diet=request.diet, needs=(need,), price_max=request.price_max, area=request.area)
        for need in request.needs
    ] if len(request.needs) > 1 else []  # fmt: skip
    # To study, wifi and outlets count before the kind: a library with wifi before a café without it
    # (quiet is a wish: a café that is not known to be quiet still does).
    # "not too pricey" with no cheap one: one price step up before any price ($$ before $$$)
    step_up = (
        (Request(whats=request.whats, diet=request.diet, needs=request.needs, price_max=request.price_max + 1, area=request.area),)
        if request.price_max is not None and request.whats else ()
    )
    must = _WORK_NEEDS | ({"quiet"} if quiet_first else set())
    study = bool(set(request.needs) & must) and all(want.vibe == "study" for want in request.whats)
    # A kind known by its description too: the places only described with it first (a park with greenmarket days);
    # not a thing asked beside a kind ("a bar with darts" is a bar, never a bookstore described by "arts")
    hosts = tuple(
        replace(want, kinds=frozenset(), described_required=False)
        for want in request.whats
        if want.described_required and beside_of(want) is None
    )
    price_last = (  # a student discount or a late night kept, the price let go
        (Request(whats=request.whats, diet=request.diet, needs=request.needs, area=request.area),)
        if set(request.needs) & _BEFORE_PRICE_NEEDS and request.price_max is not None else ()
    )
    versions = (
        *((Request(whats=hosts, area=request.area),) if hosts else ()),
        *price_last,
        *one_need,
        *(any_kind if study else ()),
        Request(whats=request.whats, diet=request.diet, price_max=request.price_max, area=request.area),
        Request(whats=request.whats, diet=diet, needs=request.needs, price_max=request.price_max, area=request.area),
        Request(whats=request.whats, diet=diet, price_max=request.price_max, area=request.area),
        *step_up,
        Request(whats=request.whats, diet=request.diet, area=request.area),
        Request(whats=request.whats, diet=diet, area=request.area),
        *(any_kind if request.diet or all(want.vibe == "study" for want in request.whats) else ()),
        Request(whats=instead, diet=request.diet, area=request.area),
        Request(whats=request.whats, area=request.area),
    )
    return [r for r in dict.fromkeys(versions) if r != request and r.specific]


def _standing_in(request: Request, looser: Request) -> str:
    """The label of the one kind that stood in for the one asked, when the alternatives are of it
    ("coffee shop" for a cat café); "" when they are of what was asked, loosened, or of several kinds."""
    instead = tuple(dict.fromkeys(other for want in request.whats for other in instead_of(want)))
    if len(instead) != 1:
        return ""
    # a cat café loosened is a coffee shop still (its kind kept, its description let go)
    of_it = looser.whats == instead or (bool(looser.whats) and all(beside_of(want) == instead[0].key for want in looser.whats))
    return instead[0].label if of_it else ""


def _by_kind_only(request: Request) -> Request | None:
    """The request with its general wants (a meal time: brunch) known by their kinds alone, not by
    a description that names them; None when no general want is also known by its description."""
    if not any(want.generic and want.described and not want.described_required for want in request.whats):
        return None
    whats = tuple(replace(want, described=frozenset()) if want.generic else want for want in request.whats)
    return replace(request, whats=whats)


def _of_a_kind(request: Request) -> bool:
    """Whether a request names a kind, diet or need of its own (not only "food" or "a drink")."""
    return bool(request.diet or request.needs or any(not want.generic for want in request.whats))


def _shown_matched(pool: Iterable[Place], shown_ids: frozenset[str], request: Request, center: geo.Point) -> bool:
    """Whether the places shown before were of what was asked (else they were alternatives): those
    around, or the nearest farther ones shown when none was around."""
    if any(place_matches(place, request) for place in pool if place.card_id in shown_ids):
        return True
    farther = selectors.places_near(origin=center, radius_m=FARTHER_RADIUS_M)
    return any(place_matches(place, request) for place in farther if place.card_id in shown_ids)


def places_for(
    *,
    request: Request,
    origin: geo.Point,
    user: User | None,
    at: datetime,
    limit: int,
    exclude_ids: frozenset[str] = frozenset(),
    refinement: str | None = None,
    shown: Sequence[dict[str, Any]] = (),
    weather_hint: str | None = None,
    nearest_first: bool = False,
    quiet_first: bool = False,
    farther_if_none: bool = False,
) -> Found:
    """The best `limit` places for `request` (see the module docstring); a refinement keeps its
    promise against the list `shown` before it, and places already shown are left out. More of a
    kind asked for again, or a kind "at all" (`farther_if_none`), with none (left) within the walk:
    the nearest farther, however far."""
    center = geo.Point(request.area.lat, request.area.lng) if request.area else origin
    radius = AREA_RADIUS_M if request.area else SEARCH_RADIUS_M
    where = request.area.label if request.area else "you"
    # Google's places for what was asked (a specific request: its text search with the request's own
    # words; else its nearby search for the vibe; both cached per cell, one Google call when cold and
    # none when warm; the catalog when Google is not configured or down) and every local place
    # around: then the request decides.
    if request.specific:
        words = f"{request.label()} near {request.area.label}" if request.area else request.label()
        google = place_candidates.text_candidates(query=words, origin=center, radius_m=radius) or []
    else:
        spec = selectors.spec_for_vibe(request.vibe)
        google = place_candidates.candidates(specs=[spec], origin=center, wanted=limit)[spec.key]
    # The local places around are within the radius already (remembered per origin, by card id:
    # shared, not to be changed); Google's are measured. Google's place first for a card id both have.
    local = selectors.places_near_by_card(origin=center, radius_m=radius)
    if google:
        found = {p.card_id: p for p in google}
        distances = selectors.distances_m(found.values(), center)  # of the located places, by pk
        outside = {card_id for card_id, p in found.items() if p.id not in distances or distances[p.id] > radius}  # id: the pk
        pool = found | {card_id: p for card_id, p in local.items() if card_id not in found}
        excluded = exclude_ids | outside
    else:
        pool, excluded = local, exclude_ids
    nearby = [p for card_id, p in pool.items() if card_id not in excluded] if excluded else list(pool.values())
    context = ranking_context(user=user, vibe=request.vibe, weather_hint=weather_hint, at=at)
    walks = selectors.walk_times(origin=center, places=nearby)

    # Tags that put a place first: what the kind asked for prefers (quiet places to study), and at
    # night the places known for late nights (their hours are still unknown).
    first = [tag for want in request.whats for tag in want.prefers] + (["late_night"] if is_late_night(at) else [])
    # Places whose description names what was asked ("dancing upstairs", "karaoke nights") before
    # those that are only of its kind (a night club may be a seated jazz room).
    described = [want for want in request.whats if want.described]
    # ... worth a longer walk than places only of its kind; not when every place of the kind must be
    # described so (a used bookstore: the nearer used bookstores are as good)
    worth_the_walk = [want for want in described if not want.described_required]
    # "something fun to do on a sunday afternoon" in December: indoors first when a general outing
    # fits either (the weather itself is not known without a provider; the month is)
    winter = timezone.localtime(at).month in COLD_MONTHS and bool(request.whats) and all(
        want.generic and want.vibe == "explore" for want in request.whats
    )
    group = request.party is not None and request.party >= GROUP_PARTY
    occasion = any(want.occasion for want in (*request.whats, *request.setting))
    # "rainy day, indoors": the places wholly indoors before those half outdoors (a landmark's plaza)
    indoors_first = "indoors" in request.needs
    mentioned = {card_id for card_id, place in pool.items() if _mentions(place, request.mentions)} if request.mentions else set()
    setting = frozenset(kind for want in request.setting for kind in want.kinds)

    # More of a list asked for a neighbourhood ("gimme more" after "bookstores near union sq"): its
    # places only, as far from its middle as the list shown reached (the neighbourhood at least, its
    # core at most); past them, the others are said to be farther
    more_of_area = bool(exclude_ids) and not refinement and request.area is not None and request.area.key not in CAMPUS_AREAS
    reached = [geo.haversine_m(center, geo.Point(card["location"]["lat"], card["location"]["lng"])) for card in shown if card.get("location")]
    reach = min(max([NEIGHBOURHOOD_RADIUS_M, *reached]), AREA_CORE_RADIUS_M)

    def ranked(
        matching: list[Place], walk_max: int | None = None, *, past_the_walk: bool = False, whole_area: bool = False
    ) -> list[dict[str, Any]]:
        # Cards only for the best `limit`, unless a refinement, more of a list, an area or the tags put
        # first must see them all.
        every = (
            refinement in REFINEMENT_KEEPS or first or described or group or winter or nearest_first or exclude_ids
            or request.area or walk_max is not None or mentioned or setting or indoors_first
        )
        entries = selectors.rank_entries(matching, walks=walks, context=context)[: None if every else limit]
        # Filtered and ordered by their briefs (the fields read below, as in the cards); the cards
        # themselves made for the `limit` kept only
        by_id = {entry.place.card_id: entry for entry in entries}
        cards = [selectors.ranked_brief(entry) for entry in entries]
        if refinement in REFINEMENT_KEEPS:
            cards = [card for card in cards if REFINEMENT_KEEPS[refinement](card, shown)]
        if exclude_ids and not past_the_walk:  # more of a list, or a refinement of it: within the student's walk, as the list was
            cards = [card for card in cards if (card["walk_minutes"] or 0) <= context.distance_limit_minutes]
        short = [card for card in cards if (card["walk_minutes"] or 0) <= SHORT_WALK_SHARE * context.distance_limit_minutes]
        said = any(card["place_id"] in mentioned for card in cards)  # "a train museum": the one with subway cars, however far
        if len(short) >= min(2, limit) and not request.area and not exclude_ids and not refinement and not worth_the_walk and not said:
            # "bagel w lox around here": not a 20-minute walk beside two nearer places (but a place
            # described as what was asked, "dancing", is worth the walk beside nearer ones only of its kind)
            cards = short
        within = [card for card in cards if (card["walk_minutes"] or 0) <= context.distance_limit_minutes]
        if within and not (request.area or exclude_ids or refinement or worth_the_walk or past_the_walk) and walk_max is None:
            # "spicy noodles near campus": not a place past the student's walk beside one within it
            # (unless it is the one whose description says what was asked, "a train museum")
            cards = [card for card in cards if card in within or card["place_id"] in mentioned]
        if winter:  # indoors first, within the area named (sorted after)
            outdoor = {place.card_id for place in matching if place.indoor_outdoor == "outdoor"}
            cards.sort(key=lambda card: card["place_id"] in outdoor)
        if indoors_first:
            wholly = {place.card_id for place in matching if place.indoor_outdoor == "indoor"}
            cards.sort(key=lambda card: card["place_id"] not in wholly)
        if request.area:  # in the area named, then around it
            cards.sort(key=lambda card: not _card_within(card, center, NEIGHBOURHOOD_RADIUS_M))
            core = [card for card in cards if _card_within(card, center, AREA_CORE_RADIUS_M)]
            if core and not exclude_ids and request.area.key not in CAMPUS_AREAS:
                # "dive bar near Fort Greene": not a bar in the next neighbourhood to fill the list
                cards = core
            elif more_of_area and not whole_area and not past_the_walk:
                cards = [card for card in cards if _card_within(card, center, reach)]
        for tag in first:  # a later sort decides before an earlier one: late nights, then quiet, then the area
            cards.sort(key=lambda card, tag=tag: tag not in card["tags"])
        if mentioned:  # "a train museum": the one whose description says subway cars first
            cards.sort(key=lambda card: card["place_id"] not in mentioned)
        if group:  # a sit-down restaurant before a counter (whether it seats the group is not known)
            cards.sort(key=lambda card: "restaurant" not in card["types"])
        if occasion:  # "romantic dinner": not fries or a falafel counter first, however late they stay open
            cards.sort(key=lambda card: bool(COUNTER_TYPES & set(card["types"])))
        if setting:  # "italian?" after a date night dinner: its restaurants, not a deli beside them
            # (none: the others, but not as cheaper ones of that list: "cheaper?" then finds none)
            cards = [card for card in cards if setting & set(card["types"])] or ([] if refinement else cards)
        if described:
            cards.sort(key=lambda card: not any(card_described(card, want) for want in described))
        if nearest_first:  # "the closest grocery store": the nearest first, whatever else ranks it
            cards.sort(key=nearness)
        for key in request.unknowable:  # "cocktail bar with no wait": one described "expect a wait" last
            cards.sort(key=lambda card, key=key: said_against(card.get("description") or "", key) is not None)
        if refinement in REFINEMENT_ORDER:  # "closer", "cheaper": what was asked decides
            cards.sort(key=REFINEMENT_ORDER[refinement])
        if past_the_walk:  # none within the walk: "the nearest I know" are the nearest
            cards.sort(key=nearness)
        if walk_max is not None:  # "within a 10 min walk": only those, unless none is (then the reply says so)
            # and then the nearest a bit farther: half again the walk at most, else the nearest one alone
            bit_farther = [card for card in sorted(cards, key=nearness) if (card["walk_minutes"] or 0) <= walk_max * BIT_FARTHER]
            cards = [card for card in cards if (card["walk_minutes"] or 0) <= walk_max] or bit_farther or sorted(cards, key=nearness)[:1]
        return [selectors.ranked_card(by_id[card["place_id"]], origin=center, at=context.at) for card in cards[:limit]]

    label, more = request.label(), bool(exclude_ids)
    matches = matcher(request)
    matching = [place for place in nearby if matches(place)]
    exact = ranked(matching, request.walk_max)
    typed = _by_kind_only(request)
    if typed is not None and exact:
        # "brunch in cobble hill": the brunch places, and a café whose description says brunch only
        # where none is known ("brunch in soho": the brasserie known for it)
        of_kind = [place for place in matching if matcher(typed)(place)]
        exact_of_kind = ranked(of_kind, request.walk_max) if of_kind else []
        if exact_of_kind:
            matching, exact = of_kind, exact_of_kind
    # None keeps the refinement: said so, with no alternatives, when the request has places at all
    # (those shown count); a list of alternatives ("cheaper one?" after "no vegan place") is refined
    # among alternatives.
    if exact or (refinement and (matching or _shown_matched(pool.values(), exclude_ids, request, center))):
        beyond = request.walk_max is not None and bool(exact) and all((card["walk_minutes"] or 0) > request.walk_max for card in exact)
        # a general ask with only places past the student's walk: said to be farther
        past = not (request.area or request.walk_max or refinement or more) and bool(exact) and all(
            (card["walk_minutes"] or 0) > context.distance_limit_minutes for card in exact
        )
        if past and len(exact) < limit:  # the next nearest of it too, past the search, within half an hour
            further = [
                place for place in selectors.places_near(origin=center, radius_m=FARTHER_RADIUS_M)
                if place.card_id not in pool and place.card_id not in exclude_ids and matches(place)
            ]  # fmt: skip
            walks |= {place.pk: selectors.estimated_walk(place, center) for place in further}
            nearest = ranked([*matching, *further], past_the_walk=True)
            exact = [card for card in nearest if (card["walk_minutes"] or 0) <= FARTHER_MINUTES] or exact
        return Found(exact, True, label, where, more, walk_max=request.walk_max, beyond=beyond, farther=past)
    around = ranked(matching, request.walk_max, whole_area=True) if more_of_area else []
    if around:  # none more in the neighbourhood itself: the others around it, said to be farther
        return Found(around, True, label, where, more, farther=True)
    # More of a kind or diet with none left within the walk ("any other halal spots?"), or one asked
    # for "at all": the nearest that are of it, farther, before anything else; other more options
    # stay within the walk.
    however_far = farther_if_none and _of_a_kind(request)
    # "budget version?" with none cheaper of the kind nearby: the nearest cheaper of it, farther
    cheaper_farther = refinement == "cheaper" and bool(request.whats)
    farther = [] if (more and not however_far and not cheaper_farther) or (refinement and not cheaper_farther) else [
        place for place in selectors.places_near(origin=center, radius_m=FARTHER_RADIUS_M)
        if place.card_id not in exclude_ids and (more or place.card_id not in pool) and matches(place)
    ]  # fmt: skip
    if not farther and not refinement and (however_far or (not more and set(request.needs) & vocabulary().worth_the_trip)):
        # "any gay bars?" near Tandon: none within half an hour, so the nearest, by the other campus
        farther = [
            place for place in selectors.places_near(origin=center, radius_m=NAMED_RADIUS_M)
            if place.card_id not in exclude_ids and matches(place)
        ]  # fmt: skip
    if farther:  # estimated walks: a Routes call more would break the turn's budget of Google calls
        walks |= {place.pk: selectors.estimated_walk(place, center) for place in farther if place.pk not in walks}
        cards = ranked(farther, past_the_walk=True)
        if not however_far and not set(request.needs) & vocabulary().worth_the_trip:
            # the nearest within half an hour's walk, fewer said if need be; the nearest one alone past it
            cards = [card for card in cards if (card["walk_minutes"] or 0) <= FARTHER_MINUTES] or cards[:1]
        return Found(cards, True, label, where, more, farther=True)
    versions = _relaxed(request, quiet_first=quiet_first)
    # A refinement of alternatives ("more affordable?" after places with a view, none with group
    # tables too): the looser request those shown answered, refined; none kept is said so, not a
    # looser list without what the alternatives kept (the view)
    # (whatever their price: "more affordable" says the price the refinement keeps)
    answered = next(
        (looser for looser in versions if _shown_matched(pool.values(), exclude_ids, replace(looser, price_max=None, price_min=None), center)), None
    ) if refinement and exclude_ids else None  # fmt: skip
    for looser in [answered] if answered is not None else versions:
        looser_matches = matcher(looser)
        alternatives = ranked([place for place in nearby if looser_matches(place)])
        if not alternatives and more_of_area and looser.whats == request.whats:
            # "a quieter one?" with none known quiet: others of the kind around the neighbourhood before other
            # kinds, none known for live music (a hi-fi club that is a café by day is not calmer)
            calm = [place for place in nearby if looser_matches(place) and not (quiet_first and "live_music" in place.tags)]
            alternatives = ranked(calm, whole_area=True)
        if alternatives:
            return Found(alternatives, False, label, where, more, instead=_standing_in(request, looser))
    if answered is not None:  # (of the alternatives, not of what was asked: none of "that kind" was shown)
        return Found([], False, label, where, more)
    vibe = request.vibe or "generic"
    alternatives = ranked([place for place in nearby if vibe == "generic" or vibe in place.vibes])
    return Found(alternatives, False, label, where, more)
