"""The cards that answer one understood chat turn: places for what was asked, events for what's
on (in the window asked about), the place asked about by name or from the last list."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from events.selectors import NO_EVENTS, event_cards, event_sync_state
from places.geo import Point, haversine_m

from . import lists as place_lists
from . import turn as turns
from .context import is_late_night
from .request import Area, Request, fold
from .retrieve import DIET_ALSO_MEETS, Found, card_is, card_named, places_for
from .understand import CLEAR, FOLLOW_UP, MARKED, NEW_REQUEST, Understood

CARDS_PER_REPLY = 3
EVENT_DAYS = 7  # "any events?" looks a week ahead
# Vibes where something on tonight is as good an answer as a place.
_EVENT_FRIENDLY_VIBES = frozenset({"explore", "party"})


@dataclass(frozen=True)
class Answer:
    cards: list[dict[str, Any]]
    found: Found | None = None  # what was asked and whether the cards are it or alternatives
    target: dict[str, Any] | None = None  # the one place the turn is about
    moment: datetime | None = None  # the instant asked about ("is it open saturday at 8?"), when not now
    events_asked: bool = False  # the turn asked what's on: a follow-up ("anything free?") narrows that question
    venue: dict[str, Any] | None = None  # the place what's on was asked at ("whats playing at IFC tonight")
    window: str = ""  # the time asked about, in words ("tonight"), when events were asked
    listings: str = ""  # with no event: why none is known ("" when the sources answered: none is on)
    start: str | None = None  # the place a distance is measured from, when the student named a kind of it ("from the park")
    # the walks re-measured from where the student is: the list shown was measured from another area ("pizza in dumbo")
    from_student: bool = False
    request: Request | None = None  # what the places answer, when not the turn's own request: around a place named
    # "which one is closest?": a place of the same request nearer (or cheaper) still than every one
    # shown, when one is known; None with `beyond_looked` when none is
    beyond: dict[str, Any] | None = None
    beyond_looked: bool = False


def events_window(understood: Understood, at: datetime) -> tuple[datetime, datetime, str]:
    """When the student asks about events for, as a window seen from `at`, and in words."""
    when = understood.when
    if when is None or when.key in ("now", "this_week"):
        return at, at + timedelta(days=EVENT_DAYS), "this week"
    start, end = when.resolve(at)
    if start == end:  # "saturday at 8": what is on around then
        start, end = start - timedelta(hours=1), start + timedelta(hours=3)
    words = {"tonight": "tonight", "today": "today", "tomorrow": "tomorrow", "weekend": "this weekend", "late": "tonight"}
    return max(start, at), end, words.get(when.key, f"on {timezone.localtime(start):%A}")


def _events(*, origin: Point, at: datetime, window: tuple[datetime, datetime], exclude: frozenset[str]) -> list[dict[str, Any]]:
    start, end = window
    days = max(1, (end - at).days + 1)
    cards = [card for card in event_cards(origin=origin, limit=50, days=days, at=at) if card["place_id"] not in exclude]
    return [card for card in cards if card["start"] and start <= datetime.fromisoformat(card["start"]) < end]


def _the_one_asked(cards: Sequence[dict[str, Any]], understood: Understood) -> dict[str, Any] | None:
    """Of the places a shared name names, the one of the kind asked ("stonewall bar"), or the kind a
    question is asked of (21+ of a bar: turn.json topic_kinds); the nearest when all are of one kind
    (two shops of a chain); None when nothing decides."""
    kinds = turns.tables().topic_kinds.get(understood.topic or "", frozenset())
    fits = [
        card for card in cards
        if any(card_is(card, want) for want in understood.asked.whats) or set(card.get("types") or ()) & kinds
    ]  # fmt: skip
    fits = fits or list(cards)
    if len(fits) == 1 or (fits and len({frozenset(card.get("types") or ()) for card in fits}) == 1):
        return min(fits, key=place_lists.nearness)
    return None


VENUE_RADIUS_M = 150  # an event within this of a venue's point is held there


def _at_venue(understood: Understood, *, origin: Point, at: datetime) -> Answer | None:
    """What's on at the place asked about, in the window asked: its events; else the venue itself,
    with why no event is known (none listed, or no listings). None: the venue is not known here."""
    venue = card_named(understood.venue, origin=origin, at=at)
    if venue is None or not venue.get("location"):
        return None
    start, end, when_words = events_window(understood, at)
    point = Point(venue["location"]["lat"], venue["location"]["lng"])
    held = [card for card in _events(origin=point, at=at, window=(start, end), exclude=frozenset()) if _held_at(card, venue)]
    if held:
        return Answer(held[:CARDS_PER_REPLY], events_asked=True, venue=venue, window=when_words)
    state = event_sync_state()
    return Answer([venue], target=venue, events_asked=True, venue=venue, window=when_words, listings="" if state == NO_EVENTS else state)


def _held_at(event: dict[str, Any], venue: dict[str, Any]) -> bool:
    """Whether an event card is at the venue: at its point, or its address says its name."""
    where = event.get("location")
    if where and haversine_m(Point(**venue["location"]), Point(**where)) <= VENUE_RADIUS_M:
        return True
    return fold(venue["name"]) in fold(event.get("address") or "")


def card_marked(card: dict[str, Any], understood: Understood) -> bool:
    """Whether a card is marked with every need and diet asked ("which one has wifi", "which is
    vegan"), and is of every kind asked ("any cafe inside?"); a vegan place serves vegetarians too."""
    tags = set(card.get("tags") or ())
    tags |= {also for tag in tags for also in DIET_ALSO_MEETS.get(tag, ())}
    kinds = all(card_is(card, want) for want in understood.asked.whats)  # "any cafe inside?": a café too
    return kinds and set(understood.asked.needs) <= tags and set(understood.asked.diet) <= tags


# An area's point this close to the student ("pizza near wash sq" sent from the park): a place nearer
# than those shown is still looked for around it; farther, it would be nearer to the area, not to the student
SAME_SPOT_M = 250
BEYOND_MINUTES = 30  # "which one is vegan" with none shown: one of their kind that is, not a 90-minute walk away
# Types too broad to say two places are of a kind (a date-night bistro and a fries counter are both restaurants)
_BROAD_TYPES = frozenset({"restaurant", "food", "store", "tourist_attraction", "point_of_interest", "establishment"})
_PICK_BY = {"closer": ("walk_minutes", place_lists.nearness), "cheaper": ("price_level", lambda card: card["price_level"])}


def _picked(pick: str | None, shown: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The shown place nearest (place_lists.nearness) or cheapest; None when one shown is not known by
    it, or on a tie (then the answer gives each one's walk or price)."""
    if pick not in _PICK_BY:
        return None
    known_by, order = _PICK_BY[pick]
    if not shown or any(card.get(known_by) is None for card in shown):
        return None
    ranked = sorted(shown, key=order)
    return None if len(ranked) > 1 and order(ranked[0]) == order(ranked[1]) else ranked[0]


def _moment_asked(understood: Understood, at: datetime) -> datetime | None:
    """The instant a question about a place's hours is about ("open saturday at 8?"), when it names one."""
    when = understood.when
    if understood.topic != "hours" or when is None or not when.instant or when.key == "now":
        return None
    return when.resolve(at)[0]


def measured_from_area(understood: Understood) -> bool:
    """Whether a question about a place's distance or the way there is asked from an area or another
    known place ("how far is Lucali from Tandon?", "walk time from the commons"), not from where the
    student is."""
    return understood.topic in ("distance", "directions") and (understood.asked.area is not None or understood.from_place is not None)


def measured_from_label(understood: Understood) -> str:
    """Where a distance is measured from, in words ("Tandon", "MetroTech Commons")."""
    return understood.from_place or (understood.asked.area.label if understood.asked.area else "")


def _measured_from(understood: Understood, origin: Point, at: datetime) -> Point | None:
    if not measured_from_area(understood):
        return None
    if understood.from_place is not None:
        card = card_named(understood.from_place, origin=origin, at=at)
        where = card.get("location") if card else None
        return Point(where["lat"], where["lng"]) if where else None
    area = understood.asked.area
    return Point(area.lat, area.lng)


def _shown_measured_apart(understood: Understood, shown_around: Point | None, origin: Point) -> float:
    """How far from the student the walks of the places shown were measured (an area asked for), when
    the turn says no start of its own ("from Tandon", "from the park"); 0 otherwise."""
    if shown_around is None or measured_from_area(understood) or understood.from_kind is not None:
        return 0.0
    return haversine_m(shown_around, origin)


def _wants_events(understood: Understood) -> bool:
    """Events named ("comedy shows", "what's on"), or a day or evening with no kind of place, diet
    or need asked ("free stuff to do tomorrow", "anything tonight?")."""
    if understood.events:
        return True
    if understood.when is None or understood.when.key in ("now", "late", "this_week"):
        return False
    request = understood.request
    if request is None:
        return True
    # "free stuff to do tomorrow", "where to go out saturday": events answer; food or a study spot doesn't
    return not (request.diet or request.needs) and all(want.vibe in _EVENT_FRIENDLY_VIBES for want in request.whats)


def chat_answer(
    understood: Understood,
    *,
    origin: Point,
    user: User | None,
    at: datetime,
    shown: Sequence[dict[str, Any]],
    shown_ids: Sequence[str],
    weather_hint: str | None,
    shown_around: Point | None = None,
) -> Answer:
    """The cards for a turn (see the module docstring). `shown_around`: where the walks of the places
    shown were measured from, when that was an area asked about rather than the student."""
    if understood.intent == CLEAR:
        return Answer([])
    moment = _moment_asked(understood, at)
    if understood.compared:  # "juliana's or grimaldi's?": both, in the order named
        cards = [card for name in understood.compared if (card := card_named(name, origin=origin, at=moment or at))]
        return Answer(cards[:CARDS_PER_REPLY], moment=moment)
    if understood.named is not None:
        card = card_named(understood.named, origin=_measured_from(understood, origin, at) or origin, at=moment or at)
        return Answer([card] if card else [], target=card, moment=moment)
    if understood.named_options:  # "stonewall, 21+?": the one what is asked fits, else each of them
        cards = [card for name in understood.named_options if (card := card_named(name, origin=origin, at=moment or at))]
        picked = _the_one_asked(cards, understood)
        return Answer([picked], target=picked, moment=moment) if picked else Answer(sorted(cards, key=place_lists.nearness), moment=moment)
    if understood.venue is not None and understood.events:
        answer = _at_venue(understood, origin=origin, at=at)
        if answer is not None:
            return answer
    if understood.intent != FOLLOW_UP and not understood.new_list:  # small talk, a general question
        return Answer([])
    if not understood.new_list:  # about one remembered place, or (no target) about all of them
        # A list measured from the area asked ("pizza in dumbo" sent from Washington Square): what is
        # said of its places now ("how long would it take me to walk there", "which one is closest to
        # me") is from where the student is, unless the turn says another start
        apart = _shown_measured_apart(understood, shown_around, origin)
        again = [card_named(card["name"], origin=origin, at=at) for card in shown] if apart > 0 else []
        elsewhere = bool(again) and all(again)  # (an event shown is no place to measure again)
        if elsewhere:
            shown = again
        target = shown[understood.target] if understood.target is not None else _picked(understood.pick, shown)
        if target is not None and moment is not None:  # its hours then, not now
            target = card_named(target["name"], origin=origin, at=moment) or target
        elif target is not None and (start := _measured_from(understood, origin, at)) is not None:  # how far from Tandon, not from here
            target = card_named(target["name"], origin=start, at=at) or target
        elif target is not None and understood.from_kind is not None:  # "directions from the park": the nearest park
            nearest = places_for(request=understood.from_kind, origin=origin, user=user, at=at, limit=1, nearest_first=True)
            if nearest.exact and nearest.cards and nearest.cards[0]["location"]:
                where = nearest.cards[0]["location"]
                target = card_named(target["name"], origin=Point(where["lat"], where["lng"]), at=at) or target
                return Answer([target], target=target, start=nearest.cards[0]["name"])
        elif target is not None and understood.start_unknown:  # "walk time from me": from where the student is, as said
            target = card_named(target["name"], origin=origin, at=at) or target
        if understood.pick == MARKED:  # "which ones are good for vegetarians": those shown marked so, else all of them
            marked = [card for card in shown if card_marked(card, understood)]
            if not marked and understood.beyond is not None:  # none is: one of the list's kind that is marked so, within half an hour
                other = places_for(
                    request=understood.beyond, origin=origin, user=user, at=at, limit=1, exclude_ids=frozenset(shown_ids), farther_if_none=True
                )
                near = other.cards and (other.cards[0]["walk_minutes"] or 0) <= BEYOND_MINUTES
                if other.exact and near and card_marked(other.cards[0], understood):
                    return Answer(other.cards[:1], beyond=other.cards[0], beyond_looked=True)
            return Answer(marked or list(shown), beyond_looked=understood.beyond is not None, from_student=elsewhere)
        known_by = _PICK_BY[understood.pick][0] if understood.pick in _PICK_BY else None
        # (nearer still is looked for around the list's area: not when that is another place than the student's)
        looks_beyond = understood.beyond is not None and not (understood.pick == "closer" and apart > SAME_SPOT_M)
        if known_by and looks_beyond and shown and all(card.get(known_by) is not None for card in shown):
            # "closest one pls": the nearest of those shown (or those tied), and one nearer still if there is one
            better = places_for(
                request=understood.beyond, origin=origin, user=user, at=at, limit=CARDS_PER_REPLY, exclude_ids=frozenset(shown_ids),
                refinement=understood.pick, shown=shown, nearest_first=understood.pick == "closer",
            )
            # of a kind shown (a slice place asked "near the park" is no reason to name the park)
            kinds = {kind for card in shown for kind in card.get("types") or ()} - _BROAD_TYPES
            beyond = next((card for card in better.cards if kinds & set(card.get("types") or ())), None) if better.exact else None
            picked = [target] if target is not None else list(shown)
            return Answer([*picked, beyond] if beyond else picked, target=target, beyond=beyond, beyond_looked=True, from_student=elsewhere)
        return Answer([target] if target is not None else list(shown), target=target, moment=moment, from_student=elsewhere)
    exclude = frozenset(shown_ids) if understood.intent != NEW_REQUEST else frozenset()
    if understood.besides is not None and (left_out := card_named(understood.besides, origin=origin, at=at)) is not None:
        exclude |= {left_out["place_id"]}  # "somewhere besides bobst"
    request, wants_events = understood.request, _wants_events(understood)
    if request is not None and understood.near_place is not None:  # "coffee near bar tabac": around it, not it
        near = card_named(understood.near_place, origin=origin, at=at)
        if near is not None and near.get("location"):
            where = near["location"]
            request = replace(request, area=Area(key="shown", label=near["name"], lat=where["lat"], lng=where["lng"]))
            exclude |= {near["place_id"]}
    found = None
    if request is not None:
        found = places_for(
            request=request, origin=origin, user=user, at=at, limit=CARDS_PER_REPLY,
            exclude_ids=exclude, refinement=understood.refinement, shown=shown, weather_hint=weather_hint,
            nearest_first=understood.nearest_first, quiet_first=understood.quieter,
            farther_if_none=understood.farther_if_none,
        )
        if not wants_events:
            return Answer(found.cards, found, request=request if request is not understood.request else None)
    start, end, when_words = events_window(understood, at)
    events: list[dict[str, Any]] = []
    if wants_events or (request is None and understood.vibe in _EVENT_FRIENDLY_VIBES and not understood.refinement):
        center = Point(request.area.lat, request.area.lng) if request is not None and request.area else origin
        events = _events(origin=center, at=at, window=(start, end), exclude=exclude)
        if request is not None and request.price_max == 0:  # "anything free?": free events only
            events = [card for card in events if card["price_level"] == 0]
        events = events[:CARDS_PER_REPLY]
    if wants_events and len(events) >= CARDS_PER_REPLY:
        return Answer(events, events_asked=True, window=when_words)
    if wants_events and not events and found is not None and found.exact and request.whats:
        # "jazz tonight", "a movie tonight", "where do ppl go out in dumbo on a saturday": the jazz
        # clubs, cinemas or bars are the answer, not alternatives; that no event is known (or the
        # listings are missing) is said after them.
        state = event_sync_state()
        return Answer(found.cards, replace(found, why="" if state == NO_EVENTS else state, no_events=when_words), events_asked=True, window=when_words)
    if found is not None:
        places = found.cards
    else:
        # With no event, places to go out to or explore, not whatever is nearest (a library).
        # ("what's going on tonight" at 21:00: a night out, not a plaza)
        tonight = is_late_night(at) or (understood.when is not None and understood.when.key in ("tonight", "late"))
        vibe = understood.vibe if understood.vibe != "generic" or not wants_events else "party" if tonight else "explore"
        places = place_lists.chat_places(
            vibe=vibe, origin=origin, user=user, limit=CARDS_PER_REPLY, exclude_ids=exclude,
            refinement=understood.refinement, weather_hint=weather_hint, at=at, shown=shown,
        )
    if wants_events:
        cards = [*events, *places][:CARDS_PER_REPLY]
        # No event in the window: said plainly, and the places that follow are offered instead; and
        # when the listings were never loaded or could not be reached, that is what is said.
        where = found.where if found is not None else "you"
        if events:
            return Answer(cards, events_asked=True, window=when_words)
        state = event_sync_state()
        why = "" if state == NO_EVENTS else state
        free = "free " if request is not None and request.price_max == 0 else ""
        label = f"{free}events {when_words}"
        return Answer(cards, Found(cards, exact=False, label=label, where=where, why=why), events_asked=True, window=when_words)
    if events:
        places = [*places[: CARDS_PER_REPLY - 1], events[0]]
    return Answer(places)
